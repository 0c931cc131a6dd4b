package org.sparselinear.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.api.Checks;

/**
 * Cuts a {@link Dataset} into mini-batches, like PyTorch's {@code DataLoader}: each
 * {@link #iterator()} call is one epoch that visits every sample once (or all but the last
 * {@code size % batchSize} with {@code dropLast}).
 *
 * <p>With shuffling, every epoch has its own order: epoch {@code e} (the {@code e}-th iterator
 * call) uses the {@code e}-th random stream split off a generator seeded with {@code seed}, so a
 * loader built with the same seed replays the same sequence of epochs. Without shuffling samples
 * come in data-set order. Iterators may be used from different threads, one thread each.
 */
public final class DataLoader implements Iterable<Batch> {

    private final Dataset data;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final SplittableRandom epochs;

    /**
     * A loader over {@code data}.
     *
     * @param batchSize samples per batch, positive
     * @param shuffle whether to visit samples in a new random order each epoch
     * @param seed the seed of the shuffling (ignored without shuffling)
     * @param dropLast whether to leave out a last batch smaller than {@code batchSize}
     */
    public DataLoader(Dataset data, int batchSize, boolean shuffle, long seed, boolean dropLast) {
        this.data = Objects.requireNonNull(data, "data");
        this.batchSize = Checks.positive(batchSize, "batch size");
        this.shuffle = shuffle;
        this.dropLast = dropLast;
        this.epochs = new SplittableRandom(seed);
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

    /** One epoch: a new order when shuffling. */
    @Override
    public Iterator<Batch> iterator() {
        return new Epoch(order());
    }

    private int[] order() {
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom random;
            synchronized (epochs) {
                random = epochs.split();
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    private final class Epoch implements Iterator<Batch> {

        private final int[] order;
        private final int batches = size();
        private int next;

        Epoch(int[] order) {
            this.order = order;
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
            int featureCount = data.featureCount();
            float[] features = new float[size * featureCount];
            int[] labels = new int[size];
            for (int i = 0; i < size; i++) {
                int sample = order[start + i];
                data.copyFeatures(sample, features, i * featureCount);
                labels[i] = data.label(sample);
            }
            next++;
            return new Batch(features, labels, size, data.sampleShape());
        }
    }
}
