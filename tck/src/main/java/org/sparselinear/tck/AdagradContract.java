package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceAdagrad;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * {@code adagradStep} over several consecutive steps against {@link ReferenceAdagrad}. Every
 * gradient has exact zeros (a different third of the entries each step, or all but one entry in
 * 40, which leaves whole SIMD vectors of zeros); without weight decay
 * those entries must keep their value and sum bit for bit. The cases make each part of the update
 * visible: the first step from a zero sum, learning-rate decay, weight decay (which moves entries
 * of zero gradient), and a run resumed at step 1000 from a non-zero sum.
 */
abstract class AdagradContract extends BackendContract {

    private static final int STEPS = 4;

    /**
     * Named settings; the first step number; the scale of the gradients; the sum's start, uniform in
     * {@code [sumScale / 10, sumScale)}, or zeros when {@code sumScale} is 0; which gradient entries are zero: every
     * third when {@code nonZeroPeriod} is 0, else all but every {@code nonZeroPeriod}-th (whole vectors of zeros).
     */
    record AdagradCase(
            String name,
            AdagradSettings settings,
            long firstStep,
            float gradientScale,
            float sumScale,
            int nonZeroPeriod) {

        @Override
        public String toString() {
            return name;
        }

        /** Whether entry {@code i} of the gradient of {@code step} is zero. */
        boolean zeroAt(int i, long step) {
            return nonZeroPeriod == 0 ? (i + step) % 3 == 0 : (i + step) % nonZeroPeriod != 0;
        }
    }

    private static final float EPSILON = AdagradSettings.DEFAULT_EPSILON;

    private static final List<AdagradCase> CASES = List.of(
            new AdagradCase(
                    "lr 0.05, PyTorch's epsilon, zero sum", new AdagradSettings(0.05f, 0, 0, EPSILON), 1, 1, 0, 0),
            new AdagradCase(
                    "lr decay 0.5, epsilon 0.1, sum from 0.02",
                    new AdagradSettings(0.1f, 0.5f, 0, 0.1f),
                    1,
                    0.5f,
                    0.2f,
                    0),
            new AdagradCase(
                    "weight decay 0.5, small gradients", new AdagradSettings(0.01f, 0, 0.5f, EPSILON), 1, 0.1f, 0, 0),
            new AdagradCase(
                    "resumed at step 1000, lr decay 0.01",
                    new AdagradSettings(0.1f, 0.01f, 0.01f, EPSILON),
                    1000,
                    1,
                    1,
                    0),
            new AdagradCase(
                    "sparse gradients, one entry in 40 non-zero",
                    new AdagradSettings(0.05f, 0, 0, EPSILON),
                    1,
                    1,
                    1,
                    40));

    private static final List<Shape> SHAPES = List.of(new Shape(1, 37), new Shape(5, 20));

    static Stream<Arguments> cases() {
        return CASES.stream().flatMap(c -> SHAPES.stream().map(s -> Arguments.of(c, s)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    @DisplayName("adagradStep follows PyTorch's Adagrad step after step, and skips zero gradients exactly")
    void adagradSteps(AdagradCase c, Shape shape) {
        TestData data = TestData.seededBy("adagradStep " + c + shape);
        HostMatrix initial = data.signed(shape);
        HostMatrix initialSum = c.sumScale() > 0
                ? data.uniform(shape, c.sumScale() / 10, c.sumScale())
                : new HostMatrix(shape.rows(), shape.columns(), new float[shape.size()]);
        DenseMatrix parameter = upload(initial);
        DenseMatrix sum = upload(initialSum);
        ReferenceAdagrad reference = new ReferenceAdagrad(initial, initialSum, c.settings());

        for (long step = c.firstStep(); step < c.firstStep() + STEPS; step++) {
            HostMatrix gradient = data.signed(shape, c.gradientScale());
            for (int i = 0; i < shape.size(); i++) {
                if (c.zeroAt(i, step)) {
                    gradient.values()[i] = 0;
                }
            }
            float[] parameterBefore = backend().download(parameter);
            float[] sumBefore = backend().download(sum);
            backend().adagradStep(parameter, upload(gradient), sum, c.settings(), step);
            reference.step(gradient, step);

            assertMatches("adagradStep parameter after step " + step, reference.parameter(), parameter);
            assertMatches("adagradStep sum after step " + step, reference.sum(), sum);
            if (c.settings().weightDecay() == 0) {
                assertZeroGradientsUntouched(
                        gradient, parameterBefore, backend().download(parameter), "parameter");
                assertZeroGradientsUntouched(gradient, sumBefore, backend().download(sum), "sum");
            }
        }
    }

    private static void assertZeroGradientsUntouched(HostMatrix gradient, float[] before, float[] after, String what) {
        for (int i = 0; i < before.length; i++) {
            if (gradient.values()[i] == 0) {
                assertEquals(
                        Float.floatToRawIntBits(before[i]),
                        Float.floatToRawIntBits(after[i]),
                        "adagradStep " + what + " element " + i + " has a zero gradient and no weight decay, so it "
                                + "must keep its value bit for bit: was " + before[i] + ", is " + after[i]);
            }
        }
    }
}
