package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.testing.Tensors;

/**
 * {@link SparseLinear#fromDense}: it keeps exactly the largest-magnitude weights (ties to the lower
 * position, NaN first to go) and the bias, computes what the dense layer computes with the other
 * weights zeroed, and leaves the dense layer unchanged.
 */
class FromDenseTest {

    private static final int IN = 7;
    private static final int OUT = 5;

    private static Linear dense(float[] weight) {
        Linear layer = new Linear(IN, OUT, true, 3L, Tensors.backend());
        Tensors.set(layer.parameters().get(0), weight);
        return layer;
    }

    @SuppressWarnings("try")
    private static float[] forward(org.sparselinear.api.Layer layer, float[] x) {
        Backend backend = Tensors.backend();
        try (MemoryScope scope = backend.newScope()) {
            return layer.forward(Tensors.constant(x, 3, IN)).toArray();
        }
    }

    @Test
    void keepsTheLargestMagnitudesAndComputesThePrunedFunction() {
        float[] weight = Tensors.uniform(1L, IN * OUT, -1, 1);
        try (Linear dense = dense(weight);
                SparseLinear sparse = SparseLinear.fromDense(dense, 0.6)) {
            int keep = Math.round(0.4f * IN * OUT);
            assertEquals(keep, sparse.connectivity().nnz());
            float[] sortedMagnitudes = new float[weight.length];
            for (int i = 0; i < weight.length; i++) {
                sortedMagnitudes[i] = Math.abs(weight[i]);
            }
            Arrays.sort(sortedMagnitudes);
            float threshold = sortedMagnitudes[weight.length - keep];
            float[] pruned = new float[weight.length];
            Connectivity kept = sparse.connectivity();
            for (int position = 0; position < weight.length; position++) {
                boolean large = Math.abs(weight[position]) >= threshold;
                assertEquals(large, kept.contains(position / IN, position % IN), "position " + position);
                pruned[position] = large ? weight[position] : 0f;
            }
            float[] x = Tensors.uniform(2L, 3 * IN, -1, 1);
            try (Linear reference = dense(pruned)) {
                Tensors.set(
                        reference.parameters().get(1), dense.parameters().get(1).toArray());
                assertArrayEquals(forward(reference, x), forward(sparse, x), 1e-6f);
            }
            assertArrayEquals(weight, dense.parameters().get(0).toArray(), "the dense layer is unchanged");
            assertArrayEquals(
                    dense.parameters().get(1).toArray(),
                    sparse.parameters().get(1).toArray());
        }
    }

    @Test
    void atSparsityZeroBothLayersComputeTheSame() {
        float[] weight = Tensors.uniform(4L, IN * OUT, -1, 1);
        float[] x = Tensors.uniform(5L, 3 * IN, -1, 1);
        try (Linear dense = dense(weight);
                SparseLinear sparse = SparseLinear.fromDense(dense, 0)) {
            assertEquals(IN * OUT, sparse.connectivity().nnz());
            assertArrayEquals(forward(dense, x), forward(sparse, x), 1e-6f);
        }
    }

    @Test
    void tiesKeepTheLowerPositionAndNanGoesFirst() {
        float[] weight = new float[IN * OUT];
        Arrays.fill(weight, 0.5f);
        weight[3] = Float.NaN;
        weight[20] = -2f;
        try (Linear dense = dense(weight);
                SparseLinear sparse = SparseLinear.fromDense(dense, 1 - 3.0 / (IN * OUT))) {
            // -2 at position 20, then the two lowest positions among the equal 0.5s: 0 and 1.
            assertArrayEquals(
                    new int[][] {{0, 0, 2}, {0, 1, 6}}, sparse.connectivity().toCoo());
        }
        try (Linear dense = dense(weight)) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> SparseLinear.fromDense(dense, 1.0));
            assertTrue(e.getMessage().contains("sparsity must be in [0, 1)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> SparseLinear.fromDense(dense, 0.999));
            assertTrue(e.getMessage().contains("keeps no weight"), e.getMessage());
        }
    }
}
