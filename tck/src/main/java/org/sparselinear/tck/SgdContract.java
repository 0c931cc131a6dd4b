package org.sparselinear.tck;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.spi.SgdSettings;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceSgd;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/** {@code sgdStep} over several consecutive steps against {@link ReferenceSgd}, for each variant of the update. */
abstract class SgdContract extends BackendContract {

    private static final int STEPS = 4;

    /** Named settings. */
    record SgdCase(String name, SgdSettings settings) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<SgdCase> CASES = List.of(
            new SgdCase("plain, no velocity", new SgdSettings(0.1f, 0, 0, false)),
            new SgdCase("momentum 0.9", new SgdSettings(0.1f, 0.9f, 0, false)),
            new SgdCase("Nesterov momentum 0.9", new SgdSettings(0.1f, 0.9f, 0, true)),
            new SgdCase("weight decay 0.1", new SgdSettings(0.1f, 0, 0.1f, false)),
            new SgdCase("momentum 0.8, weight decay 0.1", new SgdSettings(0.05f, 0.8f, 0.1f, false)),
            new SgdCase("Nesterov momentum 0.8, weight decay 0.1", new SgdSettings(0.05f, 0.8f, 0.1f, true)));

    private static final List<Shape> SHAPES = List.of(new Shape(1, 37), new Shape(5, 20));

    static Stream<Arguments> cases() {
        return CASES.stream().flatMap(c -> SHAPES.stream().map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("sgdStep follows PyTorch's SGD step after step")
    void sgdSteps(SgdCase c, Shape shape) {
        TestData data = TestData.seededBy("sgdStep " + c + shape);
        HostMatrix initial = data.signed(shape);
        DenseMatrix parameter = upload(initial);
        DenseMatrix velocity = c.settings().momentum() > 0 ? backend().zeros(shape.rows(), shape.columns()) : null;
        ReferenceSgd reference = new ReferenceSgd(initial, c.settings());

        for (int step = 1; step <= STEPS; step++) {
            HostMatrix gradient = data.signed(shape);
            backend().sgdStep(parameter, upload(gradient), velocity, c.settings());
            reference.step(gradient);

            assertMatches("sgdStep parameter after step " + step, reference.parameter(), parameter);
            if (velocity != null) {
                assertMatches("sgdStep velocity after step " + step, reference.velocity(), velocity);
            }
        }
    }
}
