package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.device.DeviceBackend;
import org.sparselinear.device.DeviceBufferPool;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.SgdSettings;

/**
 * The memory behaviour every GPU backend built on {@link DeviceBackend} must show; a backend module extends it
 * with its own backend:
 * <ul>
 *   <li>a training loop (sparse layer 784 -> 256 at 10 %, layer norm, ReLU, dense layer 256 -> 10, softmax
 *       cross-entropy, every backward pass, SGD with momentum and Adam) with every temporary in a per-step memory
 *       scope: after the first step no step allocates device memory, the bytes in use come back to the same level
 *       after every step, and the loss of the fixed batch falls;</li>
 *   <li>a matrix and a pattern created outside any scope and dropped without {@code close()} are reclaimed by the
 *       backend's cleaner, which returns their memory to the pool and logs one warning each, while a closed matrix
 *       is never reported.</li>
 * </ul>
 */
public abstract class DeviceMemoryConformanceTest {

    private static final int BATCH = 32;
    private static final int IN = 784;
    private static final int HIDDEN = 256;
    private static final int CLASSES = 10;

    /** How many times the leak test asks for a garbage collection before it gives up waiting for the cleaner. */
    private static final int COLLECTIONS = 200;

    /** The kinds of the matrices {@link #allocateAndDrop} leaks, as the reports name them. */
    private static final String LEAKED_MATRIX = "a dense matrix (64, 48)";

    private static final String LEAKED_PATTERN = "a pattern 70 x 300 with nnz ";

    /** A fresh backend, closed by the test. */
    protected abstract DeviceBackend<?> createBackend();

    /** Number of training steps (fewer on an emulator). */
    protected abstract int trainingSteps();

    @Test
    void trainingStepsInScopesStopAllocatingAfterTheFirstStep() {
        Random random = new Random(42);
        int steps = trainingSteps();
        try (DeviceBackend<?> backend = createBackend()) {
            Connectivity pattern = randomPattern(HIDDEN, IN, 0.1, random);
            SparseMatrix weight = backend.pattern(pattern);
            DenseMatrix values = backend.upload(uniform(pattern.nnz(), 1 / Math.sqrt(IN), random), 1, pattern.nnz());
            DenseMatrix velocity = backend.zeros(1, pattern.nnz());
            float[] ones = new float[HIDDEN];
            Arrays.fill(ones, 1f);
            DenseMatrix gamma = backend.upload(ones, 1, HIDDEN);
            DenseMatrix beta = backend.zeros(1, HIDDEN);
            DenseMatrix gammaMoment1 = backend.zeros(1, HIDDEN);
            DenseMatrix gammaMoment2 = backend.zeros(1, HIDDEN);
            DenseMatrix dense =
                    backend.upload(uniform(CLASSES * HIDDEN, 1 / Math.sqrt(HIDDEN), random), CLASSES, HIDDEN);
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
                assertEquals(
                        inUseBetweenSteps,
                        backend.memoryUsage().bytesInUse(),
                        "device bytes in use after step " + step);
            }
            backend.synchronize();

            assertEquals(
                    allocationsAfterFirst,
                    backend.memoryUsage().buffersCreated(),
                    "device allocations after the first step");
            assertTrue(
                    backend.memoryUsage().buffersReused() >= (steps - 1) * 20L,
                    "reused " + backend.memoryUsage().buffersReused());
            assertTrue(Float.isFinite(firstLoss) && Float.isFinite(lastLoss), firstLoss + " -> " + lastLoss);
            assertTrue(
                    lastLoss < 0.5f * firstLoss,
                    "training on one batch should fit it: loss " + firstLoss + " -> " + lastLoss);
        }
    }

    @Test
    void matricesDroppedWithoutCloseAreReclaimedAndReportedOnce() throws InterruptedException {
        try (DeviceBackend<?> backend = createBackend()) {
            DeviceBufferPool.Usage before = backend.memoryUsage();
            backend.zeros(3, 5).close();
            List<LogRecord> reports = leakAndCollect(backend);

            assertEquals(2, backend.leakedAllocations(), "the dropped matrix and pattern, not the closed matrix");
            DeviceBufferPool.Usage after = backend.memoryUsage();
            assertEquals(before.bytesInUse(), after.bytesInUse(), "the leaked memory went back to the pool");
            assertEquals(before.buffersInUse(), after.buffersInUse());
            assertEquals(2, reports.size(), reports.toString());
            StringBuilder all = new StringBuilder();
            for (LogRecord report : reports) {
                assertEquals(Level.WARNING, report.getLevel());
                all.append(report.getMessage()).append('\n');
            }
            String text = all.toString();
            assertTrue(
                    text.contains(LEAKED_MATRIX + " of the " + backend.name() + " backend ("
                            + DeviceBufferPool.sizeClass(4 * 64 * 48) + " bytes"),
                    text);
            assertTrue(text.contains(LEAKED_PATTERN), text);
            assertTrue(text.contains("without close()") && text.contains("MemoryScope"), text);
            assertTrue(text.contains(DeviceBackend.ALLOCATION_SITES_PROPERTY), "says how to find the site: " + text);
        }
    }

    @Test
    void withAllocationSitesOnAReportShowsWhereTheLeakWasAllocated() throws InterruptedException {
        DeviceBackend<?> backend;
        System.setProperty(DeviceBackend.ALLOCATION_SITES_PROPERTY, "true");
        try {
            backend = createBackend();
        } finally {
            System.clearProperty(DeviceBackend.ALLOCATION_SITES_PROPERTY);
        }
        try (backend) {
            List<LogRecord> reports = leakAndCollect(backend);
            assertEquals(2, reports.size(), reports.toString());
            for (LogRecord report : reports) {
                Throwable site = report.getThrown();
                assertTrue(site != null, "a stack with the report: " + report.getMessage());
                boolean fromHere = false;
                for (StackTraceElement frame : site.getStackTrace()) {
                    fromHere |= frame.getMethodName().equals("allocateAndDrop");
                }
                assertTrue(fromHere, "the stack names the allocating method");
            }
        }
    }

    /**
     * Allocates a matrix and a pattern outside any scope, drops them, and asks for garbage collections (a bounded
     * number) until the cleaner has reported both; their reports.
     */
    private static List<LogRecord> leakAndCollect(DeviceBackend<?> backend) throws InterruptedException {
        Logger logger = Logger.getLogger(DeviceBackend.LOGGER);
        List<LogRecord> reports = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                String message = record.getMessage();
                if (message.contains(" of the " + backend.name() + " backend ")
                        && (message.contains(LEAKED_MATRIX)
                                || message.contains(LEAKED_PATTERN))) { // not another backend's leaks
                    synchronized (reports) {
                        reports.add(record);
                    }
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            long inUse = backend.memoryUsage().bytesInUse();
            long leaked = backend.leakedAllocations();
            allocateAndDrop(backend);
            assertTrue(backend.memoryUsage().bytesInUse() > inUse, "the dropped matrices hold memory");
            for (int i = 0; i < COLLECTIONS && backend.leakedAllocations() < leaked + 2; i++) {
                System.gc();
                Thread.sleep(5);
            }
        } finally {
            logger.removeHandler(handler);
        }
        synchronized (reports) {
            return List.copyOf(reports);
        }
    }

    /** A matrix and a pattern outside any scope, whose references end with this method. */
    private static void allocateAndDrop(DeviceBackend<?> backend) {
        backend.zeros(64, 48);
        backend.pattern(randomPattern(70, 300, 0.05, new Random(7)));
    }

    private static Connectivity randomPattern(int rows, int columns, double density, Random random) {
        int[] pointers = new int[rows + 1];
        List<Integer> indices = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                if (random.nextDouble() < density) {
                    indices.add(c);
                }
            }
            pointers[r + 1] = indices.size();
        }
        return Connectivity.fromCsr(
                rows,
                columns,
                pointers,
                indices.stream().mapToInt(Integer::intValue).toArray());
    }

    private static float[] uniform(int n, double bound, Random random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return values;
    }
}
