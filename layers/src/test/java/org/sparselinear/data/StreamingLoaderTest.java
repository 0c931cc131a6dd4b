package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StreamingLoaderTest {

    /** A source of {@code n} dense one-feature samples whose value is their position; fails at {@code failAt}. */
    private static ListSource numbered(int n, int failAt) {
        return new ListSource(n, i -> Sample.dense(new float[] {i}, i % 4), 1, false, 4, 1, failAt);
    }

    private static List<Integer> pass(Iterable<Batch> loader) {
        List<Integer> seen = new ArrayList<>();
        for (Batch batch : loader) {
            float[] values = batch.features();
            int[] labels = batch.labels();
            for (int r = 0; r < batch.size(); r++) {
                assertEquals((int) values[r] % 4, labels[r]);
                seen.add((int) values[r]);
            }
        }
        return seen;
    }

    @Test
    void readsInOrderAndClosesTheSourceAtTheEnd() {
        ListSource source = numbered(10, -1);
        StreamingLoader loader = DataLoader.streaming(source, 4);
        List<Integer> sizes = new ArrayList<>();
        loader.forEach(batch -> {
            sizes.add(batch.size());
            assertEquals(1, source.open, "open while reading");
        });
        assertEquals(List.of(4, 4, 2), sizes);
        assertEquals(0, source.open, "closed after the last batch");
        assertEquals(IntStream.range(0, 10).boxed().toList(), pass(loader));
        assertEquals(2, source.opened, "one opening per pass");
        assertEquals(0, source.open);
    }

    @Test
    void sparseSamplesStreamIntoSparseBatches() {
        List<Sample> rows = InMemoryDatasetTest.sparseRows(13, 11, 2);
        int[] identity = IntStream.range(0, 13).toArray();
        List<Integer> seen = new ArrayList<>();
        int first = 0;
        for (Batch batch : DataLoader.streaming(ListSource.of(rows, 11, true, 3), 5)) {
            seen.addAll(SparseLoaderTest.rowsOf(batch, rows, identity, first));
            first += batch.size();
        }
        assertEquals(IntStream.range(0, 13).boxed().toList(), seen);
    }

    @Test
    void shuffleBufferGivesAReproduciblePermutationPerPass() {
        StreamingLoader loader = DataLoader.streaming(numbered(50, -1), 8, 16, 3);
        List<Integer> first = pass(loader);
        List<Integer> second = pass(loader);
        assertEquals(
                IntStream.range(0, 50).boxed().toList(), first.stream().sorted().toList());
        assertEquals(
                IntStream.range(0, 50).boxed().toList(),
                second.stream().sorted().toList());
        assertNotEquals(IntStream.range(0, 50).boxed().toList(), first, "shuffled");
        assertNotEquals(first, second, "each pass its own order");
        StreamingLoader again = DataLoader.streaming(numbered(50, -1), 8, 16, 3);
        assertEquals(first, pass(again));
        assertEquals(second, pass(again));
        assertNotEquals(first, pass(DataLoader.streaming(numbered(50, -1), 8, 16, 4)), "seeds differ");
    }

    @Test
    void holdsAtMostABatchAndTheBufferOfASourceLargerThanThat() {
        int batchSize = 7;
        int buffer = 20;
        ListSource source = numbered(1000, -1);
        int emitted = 0;
        for (Batch batch : DataLoader.streaming(source, batchSize, buffer, 1)) {
            emitted += batch.size();
            assertTrue(
                    source.read - emitted <= buffer + batchSize,
                    "read " + source.read + " samples but emitted only " + emitted);
        }
        assertEquals(1000, emitted);
        ListSource unshuffled = numbered(1000, -1);
        emitted = 0;
        for (Batch batch : DataLoader.streaming(unshuffled, batchSize)) {
            emitted += batch.size();
            assertTrue(unshuffled.read - emitted <= 1 + batchSize, "read " + unshuffled.read + ", emitted " + emitted);
        }
    }

    @Test
    void closingAPassEarlyClosesTheSource() {
        ListSource source = numbered(100, -1);
        try (StreamingLoader.Pass pass = DataLoader.streaming(source, 10).iterator()) {
            pass.next();
            assertEquals(1, source.open);
        }
        assertEquals(0, source.open);
    }

    @Test
    void aReadErrorClosesTheSourceAndNamesTheLine() {
        ListSource source = numbered(30, 17);
        StreamingLoader.Pass pass = DataLoader.streaming(source, 4).iterator();
        UncheckedIOException error = assertThrows(UncheckedIOException.class, () -> {
            while (pass.hasNext()) {
                pass.next();
            }
        });
        assertInstanceOf(DataFormatException.class, error.getCause());
        assertEquals("test.svm line 18: bad", error.getCause().getMessage());
        assertEquals(0, source.open);
        assertFalse(pass.hasNext());
        assertThrows(NoSuchElementException.class, pass::next);
    }

    @Test
    void aSampleThatBreaksTheDeclaredShapeIsReportedByPosition() {
        ListSource source = new ListSource(10, i -> Sample.dense(new float[] {i}, i == 6 ? 9 : 0), 1, false, 4, 1, -1);
        var error = assertThrows(IllegalArgumentException.class, () -> pass(DataLoader.streaming(source, 4, 3, 0)));
        assertTrue(error.getMessage().contains("sample 6 has label 9, expected a class in [0, 4)"), error.getMessage());
        assertEquals(0, source.open);
    }

    @Test
    void rejectsBadArguments() {
        var batch = assertThrows(IllegalArgumentException.class, () -> DataLoader.streaming(numbered(3, -1), 0));
        assertTrue(batch.getMessage().contains("batch size must be positive, got 0"), batch.getMessage());
        var buffer = assertThrows(IllegalArgumentException.class, () -> DataLoader.streaming(numbered(3, -1), 2, 0, 1));
        assertTrue(buffer.getMessage().contains("shuffle buffer must be positive, got 0"), buffer.getMessage());
    }
}
