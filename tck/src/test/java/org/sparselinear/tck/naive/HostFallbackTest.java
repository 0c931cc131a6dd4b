package org.sparselinear.tck.naive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;

/**
 * The host fallbacks of the optional family on {@link NaiveBackend}, which has no kernel of its
 * own for them: they are listed by {@code hostOperations()}, compute the right result, and warn
 * once per backend and operation, unless the backend's memory is the host's.
 */
class HostFallbackTest {

    private static final Logger LOG = Logger.getLogger("org.sparselinear.spi.HostFallback");

    private final List<String> warnings = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void record() {
        LOG.addHandler(recorder);
    }

    @AfterEach
    void stopRecording() {
        LOG.removeHandler(recorder);
    }

    @Test
    void theOperationsWithoutKernelsAreListed() {
        try (Backend backend = new NaiveBackend()) {
            assertEquals(
                    Set.of("kWinners", "boostFactors", "topKAbsDenseGradient", "gather"), backend.hostOperations());
        }
    }

    @Test
    void aFallbackWarnsOncePerBackendAndOperation() {
        try (Backend first = new NaiveBackend();
                Backend second = new NaiveBackend()) {
            gatherTwice(first);
            assertEquals(1, warnings.size(), () -> "one warning for gather, got " + warnings);
            assertTrue(warnings.get(0).contains("'naive'") && warnings.get(0).contains("gather"), warnings.get(0));

            DenseMatrix duty = first.upload(new float[] {0.5f, 0.25f}, 1, 2);
            first.boostFactors(duty, 0.5f, 2f, first.zeros(1, 2));
            first.boostFactors(duty, 0.5f, 2f, first.zeros(1, 2));
            assertEquals(2, warnings.size(), () -> "then one for boostFactors, got " + warnings);
            assertTrue(warnings.get(1).contains("boostFactors"), warnings.get(1));

            gatherTwice(second);
            assertEquals(3, warnings.size(), () -> "and one for gather on another backend, got " + warnings);
        }
    }

    @Test
    void aBackendOnHostMemoryDoesNotWarn() {
        try (Backend backend = new NaiveBackend() {
            @Override
            public boolean usesHostMemory() {
                return true;
            }
        }) {
            gatherTwice(backend);
            assertEquals(List.of(), warnings);
        }
    }

    private static void gatherTwice(Backend backend) {
        DenseMatrix source = backend.upload(new float[] {1, 2, 3}, 1, 3);
        for (int i = 0; i < 2; i++) {
            DenseMatrix target = backend.zeros(1, 4);
            backend.gather(source, new int[] {2, -1, 0, 1}, target);
            assertArrayEquals(new float[] {3, 0, 1, 2}, backend.download(target));
        }
    }
}
