package org.sparselinear.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.spi.Checks;

/**
 * Cuts a {@link Dataset} into mini-batches, like PyTorch's {@code DataLoader}: each
 * {@link #iterator()} call is one epoch that visits every sample once (or all but the last
 * {@code size % batchSize} with {@code dropLast}). Batches are dense or sparse as the data set's
 * samples are; a sparse batch is assembled in work proportional to its stored values. For data
 * read in order from a file larger than memory, use {@link #streaming}.
 *
 * <p>With shuffling, every epoch has its own order: epoch {@code e} (the {@code e}-th iterator
 * call) uses the {@code e}-th random stream split off a generator seeded with {@code seed}, so a
 * loader built with the same seed replays the same sequence of epochs. {@link #epoch(int)} gives
 * epoch {@code e} directly, an order that depends only on the seed and {@code e}: a training loop
 * that uses it resumes from a checkpoint with exactly the batches an uninterrupted run would
 * have seen. Without shuffling samples come in data-set order. Iterators may be used from
 * different threads, one thread each.
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset data;
    private final SampleSpec spec;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final SplittableRandom epochs;
    private final long seed;

    /**
     * A loader over {@code data}.
     *
     * @param batchSize samples per batch, positive
     * @param shuffle whether to visit samples in a new random order each epoch
     * @param seed the seed of the shuffling (ignored without shuffling)
     * @param dropLast whether to leave out a last batch smaller than {@code batchSize}
     * @throws IllegalArgumentException when the batch size is not positive, or with {@code dropLast}
     *         larger than the data set (every epoch would be empty)
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this.data = Objects.requireNonNull(data, "data");
        this.spec = SampleSpec.of(data);
        this.batchSize = Checks.positive(batchSize, "batch size");
        if (dropLast && batchSize > data.size()) {
            throw new IllegalArgumentException("batch size " + batchSize + " is larger than the data set ("
                    + data.size() + " samples): with dropLast every epoch would be empty; use a batch size of at most "
                    + data.size() + " or dropLast = false");
        }
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.seed = seed;
        this.epochs = new SplittableRandom(seed);
    }

    /**
     * The loader of a training loop: samples in a new seeded random order each epoch, a last batch
     * smaller than {@code batchSize} left out; {@code new DataLoader(data, batchSize, true, seed, true)}.
     */
    public static DataLoader shuffled(Dataset data, int batchSize, long seed) {
        return new DataLoader(data, batchSize, true, seed, true);
    }

    /**
     * The loader of an evaluation: samples in data-set order, every one of them, so the last batch
     * may be smaller; {@code new DataLoader(data, batchSize, false, 0, false)}.
     */
    public static DataLoader inOrder(Dataset data, int batchSize) {
        return new DataLoader(data, batchSize, false, 0, false);
    }

    /**
     * A loader that reads {@code source} in order, one pass per {@link StreamingLoader#iterator()}
     * call, holding one batch at a time: for files larger than memory. The last batch of a pass may
     * be smaller.
     *
     * @param batchSize samples per batch, positive
     */
    public static StreamingLoader streaming(SampleSource source, int batchSize) {
        return new StreamingLoader(source, batchSize, 0, 0);
    }

    /**
     * A streaming loader (see {@link #streaming(SampleSource, int)}) that shuffles through a buffer
     * of {@code shuffleBuffer} samples: each sample of a batch is drawn at random from the buffer,
     * which the next sample read replaces, as TensorFlow's {@code Dataset.shuffle}. A buffer as large
     * as the source shuffles it uniformly; a smaller one only locally. Pass {@code p} (the
     * {@code p}-th iterator call) uses the {@code p}-th random stream split off a generator seeded
     * with {@code seed}.
     *
     * @param shuffleBuffer samples held for shuffling, positive
     */
    public static StreamingLoader streaming(SampleSource source, int batchSize, int shuffleBuffer, long seed) {
        return new StreamingLoader(source, batchSize, Checks.positive(shuffleBuffer, "shuffle buffer"), seed);
    }

    /** Number of batches per epoch. */
    public int size() {
        int full = data.size() / batchSize;
        return dropLast || data.size() % batchSize == 0 ? full : full + 1;
    }

    /** Samples per batch (the last one may hold fewer unless {@code dropLast}). */
    public int batchSize() {
        return batchSize;
    }

    /** The data set. */
    public Dataset dataset() {
        return data;
    }

    /** The seed of the shuffling. */
    public long seed() {
        return seed;
    }

    /** Whether every epoch visits the samples in a new random order. */
    public boolean shuffles() {
        return shuffle;
    }

    /** One epoch: a new order when shuffling. */
    @Override
    public Iterator<Batch> iterator() {
        SplittableRandom random = null;
        if (shuffle) {
            synchronized (epochs) {
                random = epochs.split();
            }
        }
        return new Epoch(order(random), 0);
    }

    /**
     * Epoch {@code epoch} (1-based): the batches the {@code epoch}-th {@link #iterator()} call of a
     * new loader with the same seed gives, whatever calls came before.
     */
    public Iterable<Batch> epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /**
     * The batches of epoch {@code epoch} (1-based) from batch {@code skip} on (0-based): the rest of
     * an epoch that a checkpoint interrupted after {@code skip} batches.
     *
     * @throws IllegalArgumentException when {@code epoch < 1} or {@code skip} is outside {@code [0, size()]}
     */
    public Iterable<Batch> epoch(int epoch, int skip) {
        Checks.positive(epoch, "epoch (1-based)");
        if (skip < 0 || skip > size()) {
            throw new IllegalArgumentException(
                    "batches to skip must be in [0, " + size() + "] (the batches per epoch), " + "got " + skip);
        }
        return () -> {
            SplittableRandom random = null;
            if (shuffle) {
                SplittableRandom generator = new SplittableRandom(seed);
                for (int e = 1; e < epoch; e++) {
                    generator.split();
                }
                random = generator.split();
            }
            return new Epoch(order(random), skip);
        };
    }

    private int[] order(SplittableRandom random) {
        return Permutation.of(data.size(), random);
    }

    private Sample checked(Sample sample, int index) {
        spec.check(sample, index);
        return sample;
    }

    private final class Epoch implements Iterator<Batch> {

        private final int[] order;
        private final int batches = size();
        private int next;

        Epoch(int[] order, int skip) {
            this.order = order;
            this.next = skip;
        }

        @Override
        public boolean hasNext() {
            return next < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the epoch has " + batches + " batches, all taken");
            }
            int start = next * batchSize;
            int size = Math.min(batchSize, order.length - start);
            BatchAssembler batch = new BatchAssembler(spec, size);
            for (int i = 0; i < size; i++) {
                int sample = order[start + i];
                batch.add(checked(data.get(sample), sample));
            }
            next++;
            return batch.build();
        }
    }
}
