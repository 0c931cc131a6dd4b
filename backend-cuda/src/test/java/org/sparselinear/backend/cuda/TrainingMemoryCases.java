package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Activation;
import org.sparselinear.api.AdamSettings;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SgdSettings;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.tck.reference.Patterns;

/**
 * A training loop (sparse layer 784 -> 256 at 10 %, layer norm, ReLU, dense layer 256 -> 10, softmax
 * cross-entropy, every backward pass, SGD with momentum and Adam) with every temporary in a per-step memory scope:
 * after the first step no step allocates device memory and the bytes in use come back to the same level, and the
 * loss of the fixed batch falls.
 */
abstract class TrainingMemoryCases {

    private static final int BATCH = 32;
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;

    /** A fresh backend, closed by the test. */
    abstract CudaBackend createBackend();

    /** Number of training steps. */
    abstract int steps();

    @Test
    void trainingStepsInScopesStopAllocatingAfterTheFirstStep() {
        Random random = new Random(42);
        int steps = steps();
        try (CudaBackend backend = createBackend()) {
            Connectivity pattern = Patterns.random(HIDDEN, IN, 0.1, random.nextLong());
            SparseMatrix weight = backend.pattern(pattern);
            DenseMatrix values = backend.upload(uniform(pattern.nnz(), 1 / Math.sqrt(IN), random), 1, pattern.nnz());
            DenseMatrix velocity = backend.zeros(1, pattern.nnz());
            float[] ones = new float[HIDDEN];
            Arrays.fill(ones, 1f);
            DenseMatrix gamma = backend.upload(ones, 1, HIDDEN);
            DenseMatrix beta = backend.zeros(1, HIDDEN);
            DenseMatrix gammaMoment1 = backend.zeros(1, HIDDEN);
            DenseMatrix gammaMoment2 = backend.zeros(1, HIDDEN);
            DenseMatrix dense = backend.upload(uniform(CLASSES * HIDDEN, 1 / Math.sqrt(HIDDEN), random), CLASSES,
                    HIDDEN);
            DenseMatrix denseVelocity = backend.zeros(CLASSES, HIDDEN);
            float[] input = uniform(BATCH * IN, 1, random);
            int[] labels = new int[BATCH];
            for (int b = 0; b < BATCH; b++) {
                labels[b] = random.nextInt(CLASSES);
            }
            SgdSettings sgd = new SgdSettings(0.1f, 0.9f, 1e-4f, false);
            AdamSettings adam = new AdamSettings(0.01f, 0.9f, 0.999f, 1e-8f, 0);

            long inUseBetweenSteps = backend.memoryUsage().bytesInUse();
            long allocationsAfterFirst = -1;
            float firstLoss = Float.NaN;
            float lastLoss = Float.NaN;
            for (int step = 0; step < steps; step++) {
                try (MemoryScope scope = backend.newScope()) {
                    DenseMatrix x = backend.upload(input, BATCH, IN);
                    DenseMatrix h = backend.zeros(BATCH, HIDDEN);
                    backend.spmm(weight, values, x, h);
                    DenseMatrix normalised = backend.zeros(BATCH, HIDDEN);
                    DenseMatrix mean = backend.zeros(1, BATCH);
                    DenseMatrix rstd = backend.zeros(1, BATCH);
                    backend.layerNorm(h, gamma, beta, 1e-5f, normalised, mean, rstd);
                    DenseMatrix activated = backend.zeros(BATCH, HIDDEN);
                    backend.activate(Activation.RELU, normalised, activated);
                    DenseMatrix logits = backend.zeros(BATCH, CLASSES);
                    backend.gemm(activated, false, dense, true, logits, false);
                    DenseMatrix probabilities = backend.zeros(BATCH, CLASSES);
                    DenseMatrix loss = backend.zeros(1, 1);
                    backend.softmaxCrossEntropy(logits, labels, probabilities, loss);

                    DenseMatrix dLoss = backend.upload(new float[] {1f}, 1, 1);
                    DenseMatrix dLogits = backend.zeros(BATCH, CLASSES);
                    backend.softmaxCrossEntropyBackward(probabilities, labels, dLoss, dLogits, false);
                    DenseMatrix dDense = backend.zeros(CLASSES, HIDDEN);
                    backend.gemm(dLogits, true, activated, false, dDense, false);
                    DenseMatrix dActivated = backend.zeros(BATCH, HIDDEN);
                    backend.gemm(dLogits, false, dense, false, dActivated, false);
                    DenseMatrix dNormalised = backend.zeros(BATCH, HIDDEN);
                    backend.activateBackward(Activation.RELU, normalised, activated, dActivated, dNormalised, false);
                    DenseMatrix dH = backend.zeros(BATCH, HIDDEN);
                    DenseMatrix dGamma = backend.zeros(1, HIDDEN);
                    DenseMatrix dBeta = backend.zeros(1, HIDDEN);
                    backend.layerNormBackward(h, gamma, mean, rstd, dNormalised, dH, dGamma, dBeta);
                    DenseMatrix dValues = backend.zeros(1, pattern.nnz());
                    backend.sparseBackward(weight, values, dH, x, backend.zeros(BATCH, IN), false, dValues, false);

                    backend.sgdStep(values, dValues, velocity, sgd);
                    backend.sgdStep(dense, dDense, denseVelocity, sgd);
                    backend.adamStep(gamma, dGamma, gammaMoment1, gammaMoment2, adam, step + 1);
                    backend.axpy(-0.01f, dBeta, beta);
                    if (step == 0) {
                        firstLoss = backend.download(loss)[0];
                    } else if (step == steps - 1) {
                        lastLoss = backend.download(loss)[0];
                    }
                }
                if (step == 0) {
                    allocationsAfterFirst = backend.memoryUsage().buffersCreated();
                }
                assertEquals(inUseBetweenSteps, backend.memoryUsage().bytesInUse(), "device bytes in use after step " + step);
            }
            backend.synchronize();

            assertEquals(allocationsAfterFirst, backend.memoryUsage().buffersCreated(), "cuMemAlloc calls after the first step");
            assertTrue(backend.memoryUsage().buffersReused() >= (steps - 1) * 20L, "reused " + backend.memoryUsage().buffersReused());
            assertTrue(Float.isFinite(firstLoss) && Float.isFinite(lastLoss), firstLoss + " -> " + lastLoss);
            assertTrue(lastLoss < 0.5f * firstLoss, "training on one batch should fit it: loss " + firstLoss + " -> "
                    + lastLoss);
        }
    }

    private static float[] uniform(int n, double bound, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }
}
