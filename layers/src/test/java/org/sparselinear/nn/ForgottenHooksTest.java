package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
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
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Rewiring;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;
import org.sparselinear.testing.Tensors;

/**
 * Dynamic sparsity cannot be forgotten: a rewiring layer trained by a hand-written loop that calls
 * no hook rewires, exactly as with the old explicit hooks; what still needs the loop (an optimizer
 * that does not report its steps, epochs for SET, a horizon for RigL) says so once, on the logger
 * {@code org.sparselinear.nn}, or fails with a message.
 */
class ForgottenHooksTest {

    private static final Logger LOG = Logger.getLogger("org.sparselinear.nn");
    private final List<LogRecord> warnings = new ArrayList<>();
    private final Backend backend = Tensors.backend();
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

    private static SparseLinear layer(Rewiring rewiring) {
        return new SparseLinear(
                Models.FEATURES,
                Models.CLASSES,
                SparseLinear.options().sparsity(0.5).rewiring(rewiring).seed(3L));
    }

    /** The README's loop: shuffled batches, a scope per step, zeroGrad, backward, step; hooks only if asked. */
    @SuppressWarnings("try")
    private void readmeLoop(Sequential model, Optimizer optimizer, int epochs, boolean hooks) {
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Dataset train = Models.data(64, 5);
        DataLoader loader = new DataLoader(train, 8, true, 0L, true);
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (Batch batch : loader.epoch(epoch)) {
                try (MemoryScope step = backend.newScope()) {
                    Tensor loss = criterion.forward(model.forward(batch.features(backend)), batch.labels());
                    optimizer.zeroGrad();
                    loss.backward();
                    optimizer.step();
                    if (hooks) {
                        TrainingHooks.afterStep(model);
                    }
                }
            }
        }
    }

    private static int[] columns(SparseLinear layer) {
        return layer.connectivity().toCoo()[1];
    }

    @Test
    void aRigLLayerTrainedByTheReadmeLoopWithoutHooksRewiresExactlyAsWithThem() {
        RigL rigl = RigL.forPlannedSteps(1000).withDeltaT(5).withAlpha(0.5);
        SparseLinear plain = layer(rigl);
        int[][] before = plain.connectivity().toCoo();
        readmeLoop(new Sequential(new Flatten(), plain), new SGD(plain.parameters(), 0.1, 0.9), 2, false);
        SparseLinear hooked = layer(rigl);
        readmeLoop(new Sequential(new Flatten(), hooked), new SGD(hooked.parameters(), 0.1, 0.9), 2, true);

        assertEquals(16, plain.rewiringState().completedSteps(), "one step per batch");
        assertFalse(
                Arrays.equals(before[0], plain.connectivity().toCoo()[0]) && Arrays.equals(before[1], columns(plain)),
                "the connections changed");
        assertEquals(16, hooked.rewiringState().completedSteps(), "the explicit hook counts no step twice");
        assertArrayEquals(columns(hooked), columns(plain));
        assertArrayEquals(hooked.weightValues().toArray(), plain.weightValues().toArray());
        assertTrue(
                warnings.isEmpty(), () -> "no warning, got " + warnings.get(0).getMessage());
    }

    @Test
    void rigLWithoutAHorizonFailsAtItsFirstUpdateInALoopThatGivesNone() {
        SparseLinear layer = layer(RigL.defaults().withDeltaT(3));
        Sequential model = new Sequential(new Flatten(), layer);
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> readmeLoop(model, new SGD(layer.parameters(), 0.1, 0.9), 1, false));
        assertTrue(
                e.getMessage().contains("first update step (3)")
                        && e.getMessage().contains("TrainingHooks.beforeTraining(model, plannedSteps)"),
                e.getMessage());
    }

    @Test
    void rigLWithoutAHorizonTakesTheOneTheLoopTells() {
        SparseLinear layer = layer(RigL.defaults().withDeltaT(3));
        Sequential model = new Sequential(new Flatten(), layer);
        TrainingHooks.beforeTraining(model, 16);
        readmeLoop(model, new SGD(layer.parameters(), 0.1, 0.9), 2, false);
        assertEquals(12, ((RigL) layer.rewiring()).tEnd(), "75 % of 16 planned steps");
        assertEquals(16, layer.rewiringState().completedSteps());
    }

    /** Plain SGD that does not report its steps to the parameters, as a third party's might. */
    private static final class SilentSgd implements Optimizer {
        private final List<Parameter> parameters;

        SilentSgd(List<Parameter> parameters) {
            this.parameters = parameters;
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public void step() {
            for (Parameter parameter : parameters) {
                parameter.backend().axpy(-0.01f, parameter.grad(), parameter.value());
            }
        }

        @Override
        public void zeroGrad() {
            parameters.forEach(Parameter::zeroGrad);
        }

        @Override
        public void remapState(Parameter parameter, int[] sourcePositions) {}
    }

    @Test
    void anOptimizerThatDoesNotReportItsStepsIsWarnedOnceAndTheHooksStillDriveIt() {
        SparseLinear silent = layer(RigL.forPlannedSteps(1000));
        int steps = 2 * LayerRewiring.BACKWARDS_BEFORE_WARNING + 5;
        for (int i = 0; i < steps / 8 + 1; i++) {
            readmeLoop(new Sequential(new Flatten(), silent), new SilentSgd(silent.parameters()), 1, false);
        }
        assertEquals(1, warnings.size(), () -> "one warning, got " + warnings.size());
        String message = warnings.get(0).getMessage();
        assertTrue(
                message.contains("its rewiring is not running") && message.contains("Parameters.afterUpdate"), message);
        assertEquals(0, silent.rewiringState().completedSteps());

        SparseLinear hooked = layer(RigL.forPlannedSteps(1000));
        readmeLoop(new Sequential(new Flatten(), hooked), new SilentSgd(hooked.parameters()), 1, true);
        assertEquals(8, hooked.rewiringState().completedSteps());
    }

    @Test
    void aSetLayerWhoseLoopNeverEndsAnEpochIsWarnedOnce() {
        SparseLinear layer = layer(SET.defaults());
        int epochs = EpochWatch.STEPS_BEFORE_WARNING / 8 + 1;
        readmeLoop(new Sequential(new Flatten(), layer), new SGD(layer.parameters(), 0.01, 0.0), epochs, false);
        assertEquals(1, warnings.size(), () -> "one warning, got " + warnings.size());
        String message = warnings.get(0).getMessage();
        assertTrue(
                message.contains("SET")
                        && message.contains("no epoch has ended")
                        && message.contains("TrainingHooks.afterEpoch(model)"),
                message);
    }

    @Test
    void aSetLayerWhoseEpochsEndIsNotWarned() {
        SparseLinear layer = layer(SET.defaults());
        Sequential model = new Sequential(new Flatten(), layer);
        SGD sgd = new SGD(layer.parameters(), 0.01, 0.0);
        readmeLoop(model, sgd, 1, false);
        TrainingHooks.afterEpoch(model);
        readmeLoop(model, sgd, EpochWatch.STEPS_BEFORE_WARNING / 8 + 1, false);
        assertEquals(1, layer.rewiringState().completedEpochs());
        assertTrue(
                warnings.isEmpty(), () -> "no warning, got " + warnings.get(0).getMessage());
    }
}
