package org.sparselinear.nn.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Parameter;
import org.sparselinear.testing.Tensors;

/** The schedules' rates at chosen steps, written out by hand, and the scheduler that applies them. */
class LearningRateScheduleTest {

    private static final double EXACT = 1e-12;

    @Test
    void stepDecayMultipliesByGammaEveryStepSizeSteps() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(0.1, 10, 0.5);
        assertEquals(0.1, s.rate(0), EXACT);
        assertEquals(0.1, s.rate(9), EXACT);
        assertEquals(0.05, s.rate(10), EXACT);
        assertEquals(0.05, s.rate(19), EXACT);
        assertEquals(0.025, s.rate(25), EXACT);
        assertEquals(0.1 / 1024, s.rate(100), EXACT);
    }

    @Test
    void linearWarmupRisesToTheBaseAndStaysThere() {
        LearningRateSchedule s = LearningRateSchedule.linearWarmup(0.1, 4);
        assertEquals(0.025, s.rate(0), EXACT, "the first step runs at base / warm-up steps, not 0");
        assertEquals(0.05, s.rate(1), EXACT);
        assertEquals(0.075, s.rate(2), EXACT);
        assertEquals(0.1, s.rate(3), EXACT);
        assertEquals(0.1, s.rate(4), EXACT);
        assertEquals(0.1, s.rate(1_000_000), EXACT);
    }

    @Test
    void cosineWarmsUpThenAnnealsToTheMinimum() {
        LearningRateSchedule s = LearningRateSchedule.cosineWithWarmup(1.0, 0.1, 2, 6);
        assertEquals(0.5, s.rate(0), EXACT);
        assertEquals(1.0, s.rate(1), EXACT);
        // After warm-up: 0.1 + 0.9 (1 + cos(pi (s - 2) / 4)) / 2.
        assertEquals(1.0, s.rate(2), EXACT);
        assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.rate(3), EXACT); // 0.8681981
        assertEquals(0.55, s.rate(4), EXACT);
        assertEquals(0.1 + 0.9 * (1 - Math.sqrt(0.5)) / 2, s.rate(5), EXACT); // 0.2318019
        assertEquals(0.1, s.rate(6), EXACT);
        assertEquals(0.1, s.rate(600), EXACT, "no restart");

        LearningRateSchedule noWarmup = LearningRateSchedule.cosineWithWarmup(0.2, 0.02, 0, 10);
        assertEquals(0.2, noWarmup.rate(0), EXACT);
        assertEquals(0.11, noWarmup.rate(5), EXACT);
        assertEquals(0.02, noWarmup.rate(10), EXACT);
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        Object[][] cases = {
            {(Executable) () -> LearningRateSchedule.stepDecay(0, 10, 0.5), "step decay base learning rate"},
            {(Executable) () -> LearningRateSchedule.stepDecay(0.1, 0, 0.5), "step size must be > 0 steps, got 0"},
            {(Executable) () -> LearningRateSchedule.stepDecay(0.1, 10, 0), "gamma must be in (0, 1]"},
            {(Executable) () -> LearningRateSchedule.stepDecay(0.1, 10, 1.5), "gamma must be in (0, 1]"},
            {(Executable) () -> LearningRateSchedule.linearWarmup(Double.NaN, 10), "base learning rate"},
            {(Executable) () -> LearningRateSchedule.linearWarmup(0.1, 0), "linear warm-up steps must be > 0, got 0"},
            {(Executable) () -> LearningRateSchedule.cosineWithWarmup(0.1, 0, 0, 10), "a rate of 0 would make"},
            {(Executable) () -> LearningRateSchedule.cosineWithWarmup(0.1, 0.2, 0, 10), "minimum learning rate"},
            {(Executable) () -> LearningRateSchedule.cosineWithWarmup(0.1, 0.01, 10, 10), "warm-up steps must be"},
            {(Executable) () -> LearningRateSchedule.cosineWithWarmup(0.1, 0.01, -1, 10), "warm-up steps must be"},
            {(Executable) () -> LearningRateSchedule.cosineWithWarmup(0.1, 0.01, 0, 0), "total steps must be > 0"},
            {(Executable) () -> LearningRateSchedule.linearWarmup(0.1, 3).rate(-1), "got -1"},
        };
        for (Object[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, (Executable) c[0]);
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    @Test
    void theSchedulerSetsTheRateOfEachNextStepAndResumesAtAStep() {
        Parameter p = Tensors.leaf(new float[] {1, 2}, 1, 2);
        SGD sgd = new SGD(List.of(p), 1.0);
        LearningRateSchedule schedule = LearningRateSchedule.stepDecay(0.5, 2, 0.5);
        LearningRateScheduler scheduler = new LearningRateScheduler(sgd, schedule);
        assertEquals(0.5, sgd.learningRate(), EXACT, "set for the first step at once");
        double[] expected = {0.5, 0.25, 0.25, 0.125, 0.125};
        for (int s = 1; s <= 5; s++) {
            sgd.step();
            scheduler.step();
            assertEquals(s, scheduler.steps());
            assertEquals(expected[s - 1], scheduler.learningRate(), EXACT, "after step " + s);
        }
        // Gradients were 0, so only the rates matter: a scheduler built at step 5 sets the same one.
        SGD other = new SGD(List.of(p), 1.0);
        LearningRateScheduler resumed = new LearningRateScheduler(other, schedule, 5);
        assertEquals(sgd.learningRate(), other.learningRate());
        assertEquals(5, resumed.steps());
        assertTrue(resumed.toString().contains("stepDecay(base=0.5, stepSize=2, gamma=0.5)"), resumed.toString());
    }

    @Test
    void theSchedulerRejectsBadRatesStepsAndOptimizersWithoutARate() {
        Parameter p = Tensors.leaf(new float[] {1}, 1, 1);
        SGD sgd = new SGD(List.of(p), 1.0);
        LearningRateScheduler scheduler = new LearningRateScheduler(sgd, step -> step < 2 ? 0.1 : 0);
        scheduler.step();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, scheduler::step);
        assertTrue(
                zero.getMessage().contains("gave learning rate 0.0 after 2 steps")
                        && zero.getMessage().contains("finite and > 0"),
                zero.getMessage());
        IllegalArgumentException negative = assertThrows(
                IllegalArgumentException.class,
                () -> new LearningRateScheduler(sgd, LearningRateSchedule.linearWarmup(0.1, 2), -3));
        assertTrue(negative.getMessage().contains("got -3"), negative.getMessage());

        Optimizer noRate = new Optimizer() {
            @Override
            public List<Parameter> parameters() {
                return List.of(p);
            }

            @Override
            public void step() {}

            @Override
            public void zeroGrad() {}

            @Override
            public void remapState(Parameter parameter, int[] sourcePositions) {}
        };
        UnsupportedOperationException unsupported = assertThrows(
                UnsupportedOperationException.class,
                () -> new LearningRateScheduler(noRate, LearningRateSchedule.linearWarmup(0.1, 2)));
        assertTrue(unsupported.getMessage().contains("a schedule cannot drive it"), unsupported.getMessage());
    }
}
