package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DataLoader#epoch}: epoch e's batches depend only on the seed and e, so a resumed run sees the same data. */
class DataLoaderEpochTest {

    private static final Dataset DATA = data(23);

    private static Dataset data(int n) {
        float[] features = new float[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            features[i] = i;
            labels[i] = i % 3;
        }
        return Dataset.of(features, labels, new int[] {1}, 3);
    }

    private static List<Float> samples(Iterable<Batch> batches) {
        List<Float> seen = new ArrayList<>();
        for (Batch batch : batches) {
            for (float value : batch.features()) {
                seen.add(value);
            }
        }
        return seen;
    }

    @Test
    void epochEIsTheEthIteratorCallOfAFreshLoader() {
        DataLoader sequential = new DataLoader(DATA, 4, true, 99, false);
        List<List<Float>> epochs = new ArrayList<>();
        for (int e = 0; e < 4; e++) {
            epochs.add(samples(sequential));
        }
        DataLoader direct = new DataLoader(DATA, 4, true, 99, false);
        for (int e = 4; e >= 1; e--) {
            assertEquals(epochs.get(e - 1), samples(direct.epoch(e)), "epoch " + e + " in any order of calls");
        }
        assertEquals(epochs.get(2), samples(direct.epoch(3)), "asking twice gives the same epoch");
        assertEquals(99, direct.seed());
        assertTrue(direct.shuffles());
    }

    @Test
    void skippingBatchesGivesTheRestOfTheEpoch() {
        DataLoader loader = new DataLoader(DATA, 4, true, 5, true);
        List<Float> whole = samples(loader.epoch(2));
        List<Float> rest = samples(loader.epoch(2, 3));
        assertEquals(whole.subList(12, whole.size()), rest);
        assertEquals(List.of(), samples(loader.epoch(2, loader.size())));
    }

    @Test
    void rejectsBadEpochsAndSkips() {
        DataLoader loader = new DataLoader(DATA, 4, true, 5, false);
        var zero = assertThrows(IllegalArgumentException.class, () -> loader.epoch(0));
        assertTrue(zero.getMessage().contains("epoch (1-based) must be positive, got 0"), zero.getMessage());
        var skip = assertThrows(IllegalArgumentException.class, () -> loader.epoch(1, 7));
        assertTrue(skip.getMessage().contains("[0, 6]") && skip.getMessage().contains("got 7"), skip.getMessage());
        assertThrows(IllegalArgumentException.class, () -> loader.epoch(1, -1));
    }
}
