package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class InMemoryDatasetTest {

    private static void expect(String message, Executable call) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(error.getMessage().contains(message), "expected '" + message + "' in: " + error.getMessage());
    }

    /** {@code n} random sparse rows of width {@code width}: sorted distinct indices, some rows empty. */
    static List<Sample> sparseRows(int n, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] indices = random.ints(random.nextInt(0, 6), 0, width)
                    .distinct()
                    .sorted()
                    .toArray();
            float[] values = new float[indices.length];
            for (int k = 0; k < values.length; k++) {
                values[k] = (float) random.nextGaussian();
            }
            rows.add(Sample.sparse(indices, values, i % 3));
        }
        return rows;
    }

    @Test
    void denseArraysWithLabels() {
        float[][] features = {{1, 2, 3}, {4, 5, 6}};
        int[] labels = {2, 0};
        Dataset data = Dataset.of(features, labels, 3);
        features[0][0] = 99;
        labels[0] = 1;
        assertEquals(2, data.size());
        assertEquals(3, data.featureCount());
        assertArrayEquals(new int[] {3}, data.sampleShape());
        assertFalse(data.isSparse());
        assertEquals(3, data.classes());
        assertEquals(1, data.targetWidth());
        assertArrayEquals(new float[] {1, 2, 3}, data.get(0).values(), "copied in");
        assertEquals(2, data.get(0).label());
        assertArrayEquals(new float[] {4, 5, 6}, data.get(1).values());
        assertTrue(data.get(1).hasLabel());
        var dense = assertThrows(IllegalStateException.class, () -> data.get(0).indices());
        assertTrue(dense.getMessage().contains("dense"), dense.getMessage());
        var noTarget =
                assertThrows(IllegalStateException.class, () -> data.get(0).target());
        assertTrue(noTarget.getMessage().contains("class label 2"), noTarget.getMessage());
    }

    @Test
    void denseArraysWithTargetVectors() {
        Dataset data = Dataset.of(new float[][] {{1}, {2}, {3}}, new float[][] {{0.5f, 1}, {1.5f, 2}, {2.5f, 3}});
        assertEquals(0, data.classes());
        assertEquals(2, data.targetWidth());
        assertArrayEquals(new float[] {1.5f, 2}, data.get(1).target());
        assertArrayEquals(new float[] {3}, data.get(2).values());
        assertFalse(data.get(0).hasLabel());
        var noLabel =
                assertThrows(IllegalStateException.class, () -> data.get(0).label());
        assertTrue(noLabel.getMessage().contains("target vector of 2 values"), noLabel.getMessage());
    }

    @Test
    void denseArraysWithOneTargetEach() {
        Dataset prices = Dataset.of(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new float[] {0.5f, -1, 7});
        assertEquals(3, prices.size());
        assertEquals(1, prices.targetWidth());
        assertEquals(0, prices.classes());
        assertArrayEquals(new float[] {-1}, prices.get(1).target());
        assertArrayEquals(new float[] {5, 6}, prices.get(2).values());
        expect("got 3 feature rows and 2 targets", () -> Dataset.of(new float[3][2], new float[2]));
        expect("sample 0: target 0 is NaN", () -> Dataset.of(new float[][] {{1}}, new float[] {Float.NaN}));
    }

    @Test
    void sparseRowsWithLabelsAndTargets() {
        int[][] indices = {{0, 4}, {}, {1, 2, 3}};
        float[][] values = {{1, 2}, {}, {3, 4, 5}};
        Dataset labelled = Dataset.ofSparse(5, indices, values, new int[] {1, 0, 1}, 2);
        assertTrue(labelled.isSparse());
        assertEquals(5, labelled.featureCount());
        assertArrayEquals(new int[] {5}, labelled.sampleShape());
        assertArrayEquals(new int[] {0, 4}, labelled.get(0).indices());
        assertArrayEquals(new float[] {1, 2}, labelled.get(0).values());
        assertEquals(0, labelled.get(1).nnz(), "an empty row");
        assertArrayEquals(new int[] {1, 2, 3}, labelled.get(2).indices());
        assertEquals(1, labelled.get(2).label());

        Dataset regression = Dataset.ofSparse(5, indices, values, new float[][] {{1}, {2}, {3}});
        assertEquals(0, regression.classes());
        assertArrayEquals(new float[] {3}, regression.get(2).target());
        assertArrayEquals(new float[] {3, 4, 5}, regression.get(2).values());
    }

    @Test
    void badArraysAreRejectedNamingTheSample() {
        expect(
                "sample 1 has 2 feature values, expected 3",
                () -> Dataset.of(new float[][] {{1, 2, 3}, {4, 5}}, new int[2], 2));
        expect(
                "sample 1 has label 2, expected a class in [0, 2)",
                () -> Dataset.of(new float[][] {{1}, {2}}, new int[] {0, 2}, 2));
        expect("sample 0 has label -1", () -> Dataset.of(new float[][] {{1}}, new int[] {-1}, 2));
        expect("got 2 feature rows and 3 labels", () -> Dataset.of(new float[][] {{1}, {2}}, new int[3], 2));
        expect("features[1] is null", () -> Dataset.of(new float[][] {{1}, null}, new int[2], 2));
        expect("no samples", () -> Dataset.of(new float[0][], new int[0], 2));
        expect("classes must be positive", () -> Dataset.of(new float[][] {{1}}, new int[1], 0));
        expect(
                "sample 1 has a target of 1 values, expected 2",
                () -> Dataset.of(new float[][] {{1}, {2}}, new float[][] {{1, 2}, {3}}));
        expect(
                "sample 0: entry 1 has feature index 2 after 3; indices must be ascending",
                () -> Dataset.ofSparse(5, new int[][] {{3, 2}}, new float[][] {{1, 1}}, new int[1], 2));
        expect(
                "sample 1: entry 1 has feature index 3 after 3",
                () -> Dataset.ofSparse(5, new int[][] {{0}, {3, 3}}, new float[][] {{1}, {1, 1}}, new int[2], 2));
        expect(
                "sample 0: entry 0 has feature index 5, expected [0, 5)",
                () -> Dataset.ofSparse(5, new int[][] {{5}}, new float[][] {{1}}, new int[1], 2));
        expect(
                "entry 0 has feature index -1",
                () -> Dataset.ofSparse(5, new int[][] {{-1}}, new float[][] {{1}}, new float[][] {{1}}));
        expect(
                "needs one value per index, got 2 indices and 1 values",
                () -> Dataset.ofSparse(5, new int[][] {{1, 2}}, new float[][] {{1}}, new int[1], 2));
        expect(
                "got 2 index rows and 1 value rows",
                () -> Dataset.ofSparse(5, new int[2][], new float[1][], new int[2], 2));
        expect(
                "sample 1: feature 2 is NaN; values must be finite",
                () -> Dataset.of(new float[][] {{1, 2, 3}, {4, 5, Float.NaN}}, new int[2], 2));
        expect(
                "sample 0: feature 3 is Infinity",
                () -> Dataset.ofSparse(
                        5, new int[][] {{1, 3}}, new float[][] {{1, Float.POSITIVE_INFINITY}}, new int[1], 2));
        expect(
                "sample 1: target 0 is NaN",
                () -> Dataset.of(new float[][] {{1}, {2}}, new float[][] {{1}, {Float.NaN}}));
    }

    @Test
    void builderStoresAcrossChunkBoundaries() {
        for (int chunkSize : new int[] {1, 2, 3, 5, 1000}) {
            List<Sample> rows = sparseRows(50, 9, chunkSize);
            DatasetBuilder sparse = new DatasetBuilder(new SampleSpec(new int[] {9}, true, 3, 1), chunkSize);
            rows.forEach(sparse::add);
            Dataset built = sparse.build();
            assertEquals(50, built.size());
            for (int i = 0; i < rows.size(); i++) {
                assertArrayEquals(rows.get(i).indices(), built.get(i).indices(), "sample " + i);
                assertArrayEquals(rows.get(i).values(), built.get(i).values(), "sample " + i);
                assertEquals(rows.get(i).label(), built.get(i).label());
            }

            SplittableRandom random = new SplittableRandom(chunkSize);
            DatasetBuilder dense = new DatasetBuilder(new SampleSpec(new int[] {1, 2, 2}, false, 0, 3), chunkSize);
            float[][] features = new float[20][4];
            float[][] targets = new float[20][3];
            for (int i = 0; i < 20; i++) {
                for (int k = 0; k < 3; k++) {
                    targets[i][k] = (float) random.nextGaussian();
                }
                for (int f = 0; f < 4; f++) {
                    features[i][f] = (float) random.nextGaussian();
                }
                dense.add(Sample.dense(features[i], targets[i]));
            }
            Dataset regression = dense.build();
            assertArrayEquals(new int[] {1, 2, 2}, regression.sampleShape());
            for (int i = 0; i < 20; i++) {
                assertArrayEquals(features[i], regression.get(i).values());
                assertArrayEquals(targets[i], regression.get(i).target());
            }
        }
    }

    @Test
    void builderRejectsSamplesOfAnotherKind() {
        DatasetBuilder builder = Dataset.builder(3, true, 2, 1);
        expect(
                "sample 0 is dense but the data set holds sparse samples",
                () -> builder.add(Sample.dense(new float[3], 0)));
        builder.add(Sample.sparse(new int[] {2}, new float[] {1}, 1));
        expect(
                "sample 1 has a target vector",
                () -> builder.add(Sample.sparse(new int[0], new float[0], new float[1])));
        assertEquals(1, builder.size());
        Dataset built = builder.build();
        assertEquals(1, built.size());
        assertThrows(IllegalStateException.class, () -> builder.add(Sample.sparse(new int[0], new float[0], 0)));
        assertThrows(IllegalStateException.class, () -> Dataset.builder(3, false, 0, 2)
                .build());
        expect("with class labels (classes = 2) the target width is 1, got 3", () -> Dataset.builder(3, false, 2, 3));
        expect(
                "featureCount (the width of a sample) must be positive, got 0",
                () -> Dataset.ofSparse(0, new int[][] {{}}, new float[][] {{}}, new int[1], 2));
        expect("target width must be positive", () -> Dataset.builder(3, false, 0, 0));
        expect("classes (0 for target vectors) must be >= 0, got -1", () -> Dataset.builder(3, false, -1, 1));
    }

    @Test
    void collectReadsASourceAndClosesIt() throws IOException {
        List<Sample> rows = sparseRows(30, 7, 4);
        ListSource source = ListSource.of(rows, 7, true, 3);
        Dataset data = Dataset.collect(source);
        assertEquals(30, data.size());
        assertEquals(0, source.open, "closed");
        for (int i = 0; i < 30; i++) {
            assertArrayEquals(rows.get(i).indices(), data.get(i).indices());
            assertEquals(rows.get(i).label(), data.get(i).label());
        }
        assertSame(data, Dataset.collect(data), "a data set is already in memory");

        ListSource broken = new ListSource(30, rows::get, 7, true, 3, 1, 12);
        DataFormatException error = assertThrows(DataFormatException.class, () -> Dataset.collect(broken));
        assertEquals("test.svm line 13: bad", error.getMessage());
        assertEquals(0, broken.open, "closed after the error");
    }

    @Test
    void aDatasetIsASourceOfItsSamplesInOrder() throws IOException {
        Dataset data = Dataset.of(new float[][] {{1}, {2}, {3}}, new int[] {0, 1, 0}, 2);
        List<Float> seen = new ArrayList<>();
        try (SampleIterator samples = data.open()) {
            samples.forEachRemaining(s -> seen.add(s.values()[0]));
        }
        assertEquals(List.of(1f, 2f, 3f), seen);
    }

    @Test
    void subsetAndSplit() {
        float[][] features = new float[100][];
        Arrays.setAll(features, i -> new float[] {i});
        Dataset data =
                Dataset.of(features, IntStream.range(0, 100).map(i -> i % 4).toArray(), 4);

        Dataset subset = data.subset(7, 3, 7);
        assertEquals(3, subset.size());
        assertArrayEquals(new float[] {3}, subset.get(1).values());
        assertEquals(3, subset.get(0).label());
        assertEquals(4, subset.classes());
        assertThrows(IndexOutOfBoundsException.class, () -> data.subset(100));

        DatasetSplit split = data.split(0.2, 5);
        assertEquals(20, split.validation().size());
        assertEquals(80, split.train().size());
        Set<Float> all = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.validation())) {
            float previous = -1;
            for (int i = 0; i < part.size(); i++) {
                float value = part.get(i).values()[0];
                assertTrue(value > previous, "each part keeps the data set's order");
                previous = value;
                assertTrue(all.add(value), "disjoint: " + value);
            }
        }
        assertEquals(100, all.size());
        assertEquals(sample(split.validation()), sample(data.split(0.2, 5).validation()), "same seed, same parts");
        assertFalse(sample(split.validation()).equals(sample(data.split(0.2, 6).validation())), "seeds differ");
        expect("the validation fraction must be in (0, 1)", () -> data.split(1, 0));
        expect("leaves no validation sample", () -> data.split(0.001, 0));
        expect(
                "leaves no training sample; hold out between 1 and " + (data.size() - 1) + " of the " + data.size()
                        + " samples",
                () -> data.split(0.9999, 0));
    }

    private static List<Float> sample(Dataset data) {
        List<Float> values = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            values.add(data.get(i).values()[0]);
        }
        return values;
    }
}
