/**
 * Data for training: samples with dense or sparse features and class labels or target vectors
 * ({@link org.sparselinear.data.Sample}), read in order from a
 * {@link org.sparselinear.data.SampleSource} (a file streamed) or by index from a
 * {@link org.sparselinear.data.Dataset} (Java arrays, sparse rows, IDX files, or any source read
 * into memory), and mini-batching with per-epoch shuffling, in the style of torchvision's
 * {@code MNIST} and PyTorch's {@code DataLoader}.
 *
 * <pre>{@code
 * Dataset train = Dataset.loadIdx(Path.of("data"), Split.TRAIN, 0.1307f, 0.3081f);
 * DataLoader loader = new DataLoader(train, 64, true, 42, true);
 * for (Batch batch : loader) { Tensor x = batch.features(backend); int[] y = batch.labels(); ... }
 *
 * Dataset words = Dataset.ofSparse(50_000, indices, values, labels, 20); // bag-of-words rows
 * for (Batch batch : new DataLoader(words, 64, true, 42, false)) {
 *     Tensor x = batch.features(backend); // a SparseTensor, never densified
 * }
 * }</pre>
 *
 * <p>In-memory data sets store values in chunks ({@link org.sparselinear.data.DatasetBuilder}),
 * so they may hold more than 2^31 values; {@link org.sparselinear.data.DataLoader#streaming}
 * trains on a source larger than memory, holding one batch and a shuffle buffer. Sparse rows are
 * 0-based, ascending and duplicate-free; every sample is checked against the width and targets
 * its source declares, and a bad one is an error naming it.
 *
 * <p>Choices made here: every problem with a file's content (wrong
 * magic number, element type, truncation, trailing bytes, images and labels that disagree) is an
 * {@link java.io.IOException} naming the file; a missing file is a
 * {@link java.io.FileNotFoundException} listing the files expected and found. The number of
 * classes of a loaded split is its largest label plus one. Batches are copied out of the data
 * set, so a training step never sees data that another thread is changing. A loader whose every
 * epoch would be empty ({@code dropLast} with a batch larger than the data set) is an error.
 * {@link org.sparselinear.data.DataLoader#epoch(int)} gives epoch {@code e} from the seed and
 * {@code e} alone, for training loops that resume from a checkpoint.
 */
package org.sparselinear.data;
