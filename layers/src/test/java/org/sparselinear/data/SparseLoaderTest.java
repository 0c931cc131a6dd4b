package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link DataLoader} over sparse and regression data sets. */
class SparseLoaderTest {

    private static final List<Sample> ROWS = InMemoryDatasetTest.sparseRows(23, 11, 8);
    private static final Dataset SPARSE = collect(ROWS);

    private static Dataset collect(List<Sample> rows) {
        DatasetBuilder builder = Dataset.builder(11, true, 3, 1);
        rows.forEach(builder::add);
        return builder.build();
    }

    /** The samples of a sparse batch, row by row, checked against the data set; returns their indices. */
    static List<Integer> rowsOf(Batch batch, List<Sample> expected, int[] order, int first) {
        assertTrue(batch.isSparse());
        int[] pointers = batch.rowPointers();
        int[] columns = batch.columnIndices();
        float[] values = batch.values();
        int[] labels = batch.labels();
        List<Integer> seen = new ArrayList<>();
        for (int r = 0; r < batch.size(); r++) {
            Sample sample = expected.get(order[first + r]);
            assertArrayEquals(sample.indices(), Arrays.copyOfRange(columns, pointers[r], pointers[r + 1]));
            assertArrayEquals(sample.values(), Arrays.copyOfRange(values, pointers[r], pointers[r + 1]));
            assertEquals(sample.label(), labels[r]);
            seen.add(order[first + r]);
        }
        return seen;
    }

    /** The order in which a dense loader of the same size and seed visits the samples. */
    private static int[] denseOrder(int size, int batchSize, boolean shuffle, long seed, int epoch) {
        float[][] features = new float[size][];
        Arrays.setAll(features, i -> new float[] {i});
        Dataset dense = Dataset.of(features, new int[size], 1);
        List<Integer> order = new ArrayList<>();
        for (Batch batch : new DataLoader(dense, batchSize, shuffle, seed, false).epoch(epoch)) {
            for (float value : batch.features()) {
                order.add((int) value);
            }
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sparseBatchesHoldTheRowsInTheSameOrderAsDenseOnes() {
        for (boolean shuffle : new boolean[] {false, true}) {
            DataLoader loader = new DataLoader(SPARSE, 5, shuffle, 17, false);
            for (int epoch = 1; epoch <= 2; epoch++) {
                int[] order = denseOrder(23, 5, shuffle, 17, epoch);
                List<Integer> seen = new ArrayList<>();
                int first = 0;
                for (Batch batch : loader.epoch(epoch)) {
                    seen.addAll(rowsOf(batch, ROWS, order, first));
                    first += batch.size();
                }
                assertEquals(
                        IntStream.range(0, 23).boxed().toList(),
                        seen.stream().sorted().toList());
            }
        }
    }

    @Test
    void dropLastLeavesOutThePartialSparseBatch() {
        List<Integer> sizes = new ArrayList<>();
        new DataLoader(SPARSE, 5, true, 3, true).forEach(batch -> sizes.add(batch.size()));
        assertEquals(List.of(5, 5, 5, 5), sizes);
    }

    @Test
    void regressionBatchesCarryTheTargets() {
        float[][] features = new float[7][];
        float[][] targets = new float[7][];
        for (int i = 0; i < 7; i++) {
            features[i] = new float[] {i, -i};
            targets[i] = new float[] {10 * i, 10 * i + 1, 10 * i + 2};
        }
        Dataset data = Dataset.of(features, targets);
        for (Batch batch : new DataLoader(data, 3, true, 2, false)) {
            float[] x = batch.features();
            float[] y = batch.targets();
            assertEquals(3, batch.targetWidth());
            for (int r = 0; r < batch.size(); r++) {
                int sample = (int) x[2 * r];
                assertEquals(-sample, x[2 * r + 1]);
                assertArrayEquals(targets[sample], Arrays.copyOfRange(y, 3 * r, 3 * r + 3));
            }
        }
    }

    @Test
    void aDatasetServingBadSamplesIsReportedByIndex() {
        Dataset lying = new Dataset() {
            @Override
            public int size() {
                return 4;
            }

            @Override
            public Sample get(int index) {
                return index == 2
                        ? Sample.sparse(new int[] {3, 1}, new float[2], 0)
                        : Sample.sparse(new int[] {1}, new float[1], 0);
            }

            @Override
            public int featureCount() {
                return 5;
            }

            @Override
            public boolean isSparse() {
                return true;
            }

            @Override
            public int classes() {
                return 2;
            }

            @Override
            public int targetWidth() {
                return 1;
            }
        };
        var error = assertThrows(
                IllegalArgumentException.class,
                () -> new DataLoader(lying, 4, false, 0, false).iterator().next());
        assertTrue(error.getMessage().contains("sample 2: entry 1 has feature index 1 after 3"), error.getMessage());
    }
}
