package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.testing.Tensors;

/**
 * A rewiring layer trained by a loop that never calls {@link TrainingHooks#afterStep} says so once,
 * on the logger {@code org.sparselinear.nn}; a loop that calls it hears nothing.
 */
class ForgottenHooksTest {

    private static final Logger LOG = Logger.getLogger("org.sparselinear.nn");
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        LOG.addHandler(recorder);
    }

    @AfterEach
    void stopListening() {
        LOG.removeHandler(recorder);
    }

    @SuppressWarnings("try")
    private void train(boolean hooks, int steps) {
        Backend backend = Tensors.backend();
        try (SparseLinear layer = new SparseLinear(
                        12,
                        6,
                        SparseLinear.options()
                                .sparsity(0.5)
                                .rewiring(RigL.forPlannedSteps(1000))
                                .seed(3L));
                SGD sgd = new SGD(layer.parameters(), 0.01, 0.9)) {
            float[] x = Tensors.uniform(1L, 4 * 12, -1, 1);
            float[] r = Tensors.uniform(2L, 4 * 6, -1, 1);
            for (int step = 0; step < steps; step++) {
                try (MemoryScope scope = backend.newScope()) {
                    sgd.zeroGrad();
                    Tensors.weightedSum(layer.forward(Tensors.constant(x, 4, 12)), r)
                            .backward();
                    sgd.step();
                    if (hooks) {
                        TrainingHooks.afterStep(layer);
                    }
                }
            }
        }
    }

    @Test
    void aLoopWithoutHooksIsWarnedOnce() {
        train(false, 2 * LayerRewiring.BACKWARDS_BEFORE_WARNING + 5);
        assertEquals(1, warnings.size(), () -> "one warning, got " + warnings.size());
        String message = warnings.get(0).getMessage();
        assertTrue(
                message.contains("its rewiring is not running") && message.contains("TrainingHooks.afterStep(model)"),
                message);
    }

    @Test
    void aLoopWithHooksIsNotWarned() {
        train(true, LayerRewiring.BACKWARDS_BEFORE_WARNING + 5);
        assertEquals(
                0, warnings.size(), () -> "no warning, got " + warnings.get(0).getMessage());
    }
}
