package org.sparselinear.tck;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceAdam;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * {@code adamStep} over several consecutive steps against {@link ReferenceAdam}. The cases make
 * each part of the update visible above the tolerance: bias correction (early steps, and a run
 * resumed at step 1000 from non-zero moments), weight decay (gradients small next to it), and
 * where epsilon is added (a large epsilon with beta1 = 0).
 */
abstract class AdamContract extends BackendContract {

    private static final int STEPS = 4;

    /**
     * Named settings; the first step number; the scale of the gradients; whether the moments
     * start from earlier training rather than zero.
     */
    record AdamCase(String name, AdamSettings settings, long firstStep, float gradientScale, boolean resumed) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<AdamCase> CASES = List.of(
            new AdamCase(
                    "lr 0.01, PyTorch's betas and epsilon",
                    new AdamSettings(0.01f, 0.9f, 0.999f, 1e-8f, 0),
                    1,
                    1,
                    false),
            new AdamCase(
                    "weight decay 0.5, small gradients",
                    new AdamSettings(0.01f, 0.9f, 0.999f, 1e-8f, 0.5f),
                    1,
                    0.1f,
                    false),
            new AdamCase("beta1 0, epsilon 0.1", new AdamSettings(0.05f, 0, 0.9f, 0.1f, 0), 1, 0.5f, false),
            new AdamCase("resumed at step 1000", new AdamSettings(0.01f, 0.9f, 0.999f, 1e-8f, 0.01f), 1000, 1, true));

    private static final List<Shape> SHAPES = List.of(new Shape(1, 37), new Shape(5, 20));

    static Stream<Arguments> cases() {
        return CASES.stream().flatMap(c -> SHAPES.stream().map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("adamStep follows PyTorch's Adam step after step")
    void adamSteps(AdamCase c, Shape shape) {
        TestData data = TestData.seededBy("adamStep " + c + shape);
        HostMatrix initial = data.signed(shape);
        HostMatrix initialFirst = c.resumed()
                ? data.signed(shape, 0.1f)
                : new HostMatrix(shape.rows(), shape.columns(), new float[shape.size()]);
        HostMatrix initialSecond = c.resumed()
                ? data.uniform(shape, 0.01, 0.1)
                : new HostMatrix(shape.rows(), shape.columns(), new float[shape.size()]);
        DenseMatrix parameter = upload(initial);
        DenseMatrix first = upload(initialFirst);
        DenseMatrix second = upload(initialSecond);
        ReferenceAdam reference = new ReferenceAdam(initial, initialFirst, initialSecond, c.settings());

        for (long step = c.firstStep(); step < c.firstStep() + STEPS; step++) {
            HostMatrix gradient = data.signed(shape, c.gradientScale());
            backend().adamStep(parameter, upload(gradient), first, second, c.settings(), step);
            reference.step(gradient, step);

            assertMatches("adamStep parameter after step " + step, reference.parameter(), parameter);
            assertMatches("adamStep first moment after step " + step, reference.firstMoment(), first);
            assertMatches("adamStep second moment after step " + step, reference.secondMoment(), second);
        }
    }
}
