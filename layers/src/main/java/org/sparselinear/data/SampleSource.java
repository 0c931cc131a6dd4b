package org.sparselinear.data;

import java.io.IOException;

/**
 * Samples read in order, one pass at a time: a file streamed from disk (svmlight, CSV) or any
 * {@link Dataset}. Every sample of a source has the same width, the same kind of features (dense
 * or sparse) and the same kind of target (a class label or a float vector), which the source
 * declares up front so that a model can be built before the first sample is read.
 *
 * <p>Feed one to {@link DataLoader#streaming} to train on data larger than memory, or read it
 * into memory with {@link Dataset#collect}.
 */
public interface SampleSource {

    /** The width of a sample: the number of features (values of a dense sample, or the index range of a sparse one). */
    int featureCount();

    /**
     * The shape of one sample, whose product is {@link #featureCount()}; {@code {featureCount()}}
     * unless the data has a layout of its own (IDX images are {@code {1, rows, columns}}).
     */
    default int[] sampleShape() {
        return new int[] {featureCount()};
    }

    /**
     * Whether samples hold sparse rows ({@code (index, value)} pairs); their batches then hold
     * sparse features that upload as a {@link org.sparselinear.api.SparseTensor}, never densified.
     */
    boolean isSparse();

    /**
     * The number of classes when targets are class labels (every label in {@code [0, classes)}),
     * or {@code 0} when targets are float vectors of {@link #targetWidth()} values (regression).
     */
    int classes();

    /** {@code 1} with class labels; the length of every target vector otherwise. */
    int targetWidth();

    /**
     * Opens one pass over the samples, in order. Close the iterator when done (try-with-resources)
     * to release the file.
     *
     * @throws IOException when the source cannot be opened
     */
    SampleIterator open() throws IOException;
}
