package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Tensor;
import org.sparselinear.testing.Tensors;

class DataLoaderTest {

    /** Ten samples of two features (10 i, 10 i + 1), labelled i % 3. */
    private static final Dataset TEN = tenSamples();

    private static Dataset tenSamples() {
        float[] features = new float[20];
        int[] labels = new int[10];
        for (int i = 0; i < 10; i++) {
            features[2 * i] = 10 * i;
            features[2 * i + 1] = 10 * i + 1;
            labels[i] = i % 3;
        }
        return Dataset.of(features, labels, new int[] {2}, 3);
    }

    /** The sample indices of one epoch, in order, checking each sample's features and label on the way. */
    private static List<Integer> epoch(Iterable<Batch> loader) {
        List<Integer> order = new ArrayList<>();
        for (Batch batch : loader) {
            float[] features = batch.features();
            int[] labels = batch.labels();
            for (int i = 0; i < batch.size(); i++) {
                int sample = (int) features[2 * i] / 10;
                assertEquals(10 * sample + 1, features[2 * i + 1]);
                assertEquals(sample % 3, labels[i]);
                order.add(sample);
            }
        }
        return order;
    }

    @Test
    void everySampleComesOncePerEpoch() {
        DataLoader loader = new DataLoader(TEN, 3, true, 5, false);
        for (int e = 0; e < 3; e++) {
            List<Integer> order = epoch(loader);
            assertEquals(10, order.size());
            assertEquals(
                    List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
                    order.stream().sorted().toList());
        }
    }

    @Test
    void sameSeedSameOrderAndEachEpochANewOne() {
        DataLoader first = new DataLoader(TEN, 4, true, 11, false);
        DataLoader second = new DataLoader(TEN, 4, true, 11, false);
        List<Integer> epoch0 = epoch(first);
        List<Integer> epoch1 = epoch(first);
        assertEquals(epoch0, epoch(second));
        assertEquals(epoch1, epoch(second));
        assertFalse(epoch0.equals(epoch1), "epochs differ: " + epoch0 + " " + epoch1);
        assertFalse(epoch0.equals(epoch(new DataLoader(TEN, 4, true, 12, false))), "seeds differ");
        assertFalse(epoch0.equals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)), "shuffled");
    }

    @Test
    void withoutShufflingSamplesComeInOrder() {
        DataLoader loader = new DataLoader(TEN, 4, false, 0, false);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(loader));
        assertEquals(epoch(loader), epoch(loader));
    }

    @Test
    void theNamedLoadersAreTheTrainingAndEvaluationSettings() {
        DataLoader shuffled = DataLoader.shuffled(TEN, 4, 11);
        DataLoader settings = new DataLoader(TEN, 4, true, 11, true);
        for (int e = 0; e < 2; e++) {
            List<Integer> order = epoch(shuffled);
            assertEquals(epoch(settings), order);
            assertEquals(8, order.size(), "two full batches; the last two samples dropped");
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), epoch(DataLoader.inOrder(TEN, 4)));
        assertEquals(3, DataLoader.inOrder(TEN, 4).size(), "the last, partial batch kept");
    }

    @Test
    void lastPartialBatchIsKeptOrDropped() {
        DataLoader keep = new DataLoader(TEN, 4, false, 0, false);
        assertEquals(3, keep.size());
        List<Integer> sizes = new ArrayList<>();
        keep.forEach(batch -> sizes.add(batch.size()));
        assertEquals(List.of(4, 4, 2), sizes);

        DataLoader drop = new DataLoader(TEN, 4, true, 3, true);
        assertEquals(2, drop.size());
        List<Integer> order = epoch(drop);
        assertEquals(8, order.size());
        assertEquals(8, order.stream().distinct().count());

        assertEquals(2, new DataLoader(TEN, 5, false, 0, true).size());
        assertEquals(1, new DataLoader(TEN, 11, false, 0, false).size());
        var empty = assertThrows(IllegalArgumentException.class, () -> new DataLoader(TEN, 11, false, 0, true));
        assertTrue(
                empty.getMessage().contains("batch size 11 is larger than the data set (10 samples)"),
                empty.getMessage());
    }

    @Test
    void iteratorEndsCleanly() {
        Iterator<Batch> it = new DataLoader(TEN, 10, false, 0, false).iterator();
        it.next();
        assertFalse(it.hasNext());
        assertThrows(NoSuchElementException.class, it::next);
    }

    @Test
    void batchUploadsAsATensorWithTheSampleShape() {
        float[] features = new float[2 * 6];
        for (int i = 0; i < features.length; i++) {
            features[i] = i;
        }
        Batch batch = new Batch(features, new int[] {1, 0}, 2, new int[] {1, 2, 3});
        Tensor tensor = batch.features(Tensors.backend());
        assertArrayEquals(new int[] {2, 1, 2, 3}, tensor.shape());
        assertEquals(6, tensor.columns());
        assertArrayEquals(features, tensor.toArray());
        assertFalse(tensor.requiresGrad());
        features[0] = 99;
        assertEquals(0f, batch.features()[0], "the batch copied its features");
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new DataLoader(TEN, 0, false, 0, false));
        assertThrows(NullPointerException.class, () -> new DataLoader(null, 4, false, 0, false));
        var mismatch = assertThrows(
                IllegalArgumentException.class, () -> new Batch(new float[5], new int[2], 2, new int[] {2}));
        assertTrue(mismatch.getMessage().contains("4 feature values"), mismatch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Batch(new float[4], new int[1], 2, new int[] {2}));
    }
}
