package org.sparselinear.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceLosses;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * {@code softmaxCrossEntropy}, {@code squaredError} and their backward passes. The upstream
 * gradient {@code dLoss} and the squared-error {@code scale} are not 1, so a kernel that ignores
 * either fails; logits around +-1000 check that the softmax and the loss are computed stably.
 */
abstract class LossContract extends BackendContract {

    private static final float D_LOSS = 2.5f;
    private static final float SCALE = 0.375f;

    /** Logits and one label per row. */
    record SoftmaxCase(String name, HostMatrix logits, int[] labels) {

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<SoftmaxCase> SOFTMAX_CASES = buildSoftmaxCases();

    private static List<SoftmaxCase> buildSoftmaxCases() {
        List<SoftmaxCase> cases = new ArrayList<>();
        for (Shape shape :
                List.of(new Shape(1, 1), new Shape(1, 10), new Shape(7, 3), new Shape(64, 10), new Shape(33, 100))) {
            TestData data = TestData.seededBy("softmax " + shape);
            cases.add(new SoftmaxCase(
                    "random logits " + shape, data.uniform(shape, -3, 3), data.labels(shape.rows(), shape.columns())));
        }
        cases.add(new SoftmaxCase(
                "logits near +1000, every label",
                new HostMatrix(
                        4, 4, new float[] {1000, 999, 998, 0, 1000, 999, 998, 0, 1000, 999, 998, 0, 1000, 999, 998, 0}),
                new int[] {0, 1, 2, 3}));
        cases.add(new SoftmaxCase(
                "logits near -1000",
                new HostMatrix(2, 4, new float[] {-1000, -1001, -1002, -1003, -1003, -1000, -1002, -1001}),
                new int[] {3, 1}));
        cases.add(new SoftmaxCase(
                "equal logits", new HostMatrix(2, 5, new float[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5}), new int[] {0, 4}));
        return cases;
    }

    static Stream<SoftmaxCase> softmaxCases() {
        return SOFTMAX_CASES.stream();
    }

    static Stream<Arguments> softmaxCasesWithFlag() {
        return Cases.withFlag(SOFTMAX_CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("softmaxCases")
    @DisplayName("softmaxCrossEntropy gives row-wise softmax and the mean cross-entropy")
    void softmaxCrossEntropy(SoftmaxCase c) {
        Shape shape = c.logits().shape();
        DenseMatrix probabilities = garbage(shape.rows(), shape.columns());
        DenseMatrix loss = garbage(1, 1);

        backend().softmaxCrossEntropy(upload(c.logits()), c.labels(), probabilities, loss);

        ReferenceLosses.Softmax expected = ReferenceLosses.softmaxCrossEntropy(c.logits(), c.labels());
        assertMatches("softmaxCrossEntropy probabilities", expected.probabilities(), probabilities);
        assertMatches("softmaxCrossEntropy loss", expected.loss(), loss);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("softmaxCasesWithFlag")
    @DisplayName("softmaxCrossEntropyBackward gives dLogits (+)= dLoss (p - onehot) / rows")
    void softmaxCrossEntropyBackward(SoftmaxCase c, boolean accumulate) {
        Shape shape = c.logits().shape();
        HostMatrix probabilities = new HostMatrix(
                shape.rows(),
                shape.columns(),
                ReferenceLosses.softmaxCrossEntropy(c.logits(), c.labels())
                        .probabilities()
                        .toFloats());
        HostMatrix prior = TestData.seededBy("softmaxCrossEntropyBackward " + c).signed(shape);
        DenseMatrix dLogits = output(prior, accumulate);

        backend()
                .softmaxCrossEntropyBackward(
                        upload(probabilities), c.labels(), upload(scalar(D_LOSS)), dLogits, accumulate);

        assertMatches(
                "softmaxCrossEntropyBackward dLogits",
                accumulated(
                        ReferenceLosses.softmaxCrossEntropyBackward(probabilities, c.labels(), D_LOSS),
                        prior,
                        accumulate),
                dLogits);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("squaredError gives scale * sum (prediction - target)^2")
    void squaredError(Shape shape) {
        TestData data = TestData.seededBy("squaredError " + shape);
        HostMatrix prediction = data.signed(shape);
        HostMatrix target = data.signed(shape);
        DenseMatrix loss = garbage(1, 1);

        backend().squaredError(upload(prediction), upload(target), SCALE, loss);

        assertMatches("squaredError loss", ReferenceLosses.squaredError(prediction, target, SCALE), loss);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("org.sparselinear.tck.Cases#shapesWithFlag")
    @DisplayName("squaredErrorBackward gives dPrediction (+)= 2 scale dLoss (prediction - target)")
    void squaredErrorBackward(Shape shape, boolean accumulate) {
        TestData data = TestData.seededBy("squaredErrorBackward " + shape);
        HostMatrix prediction = data.signed(shape);
        HostMatrix target = data.signed(shape);
        HostMatrix prior = data.signed(shape);
        DenseMatrix dPrediction = output(prior, accumulate);

        backend()
                .squaredErrorBackward(
                        upload(prediction), upload(target), SCALE, upload(scalar(D_LOSS)), dPrediction, accumulate);

        assertMatches(
                "squaredErrorBackward dPrediction",
                accumulated(ReferenceLosses.squaredErrorBackward(prediction, target, SCALE, D_LOSS), prior, accumulate),
                dPrediction);
    }

    private static HostMatrix scalar(float value) {
        return HostMatrix.vector(new float[] {value});
    }
}
