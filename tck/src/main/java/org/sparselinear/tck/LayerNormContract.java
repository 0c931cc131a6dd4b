package org.sparselinear.tck;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceLayerNorm;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/** {@code layerNorm} and {@code layerNormBackward}, with and without the parameter gradients. */
abstract class LayerNormContract extends BackendContract {

    private static final float EPSILON = 1e-5f;

    /** Which parameter gradients a backward call asks for (the others are passed as null). */
    enum ParameterGradients {
        BOTH(true, true),
        GAMMA_ONLY(true, false),
        BETA_ONLY(false, true),
        NONE(false, false);

        final boolean gamma;
        final boolean beta;

        ParameterGradients(boolean gamma, boolean beta) {
            this.gamma = gamma;
            this.beta = beta;
        }
    }

    /** A single feature (variance 0), small and odd sizes, a full batch, and rows of 5,000 features. */
    private static final List<Shape> SHAPES =
            List.of(new Shape(5, 1), new Shape(1, 8), new Shape(7, 33), new Shape(64, 100), new Shape(2, 5000));

    static Stream<Shape> shapes() {
        return SHAPES.stream();
    }

    static Stream<Arguments> shapesAndGradients() {
        return SHAPES.stream()
                .flatMap(s -> Stream.of(ParameterGradients.values()).map(g -> Arguments.of(s, g)));
    }

    /** Inputs off zero (in [-1, 3)), so that a kernel which forgets to subtract the mean fails. */
    private static HostMatrix input(TestData data, Shape shape) {
        return data.uniform(shape, -1, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("layerNorm normalises each row and stores its mean and rstd")
    void layerNorm(Shape shape) {
        TestData data = TestData.seededBy("layerNorm " + shape);
        HostMatrix x = input(data, shape);
        float[] gamma = data.signed(shape.columns());
        float[] beta = data.signed(shape.columns());
        DenseMatrix deviceX = upload(x);
        DenseMatrix y = garbage(shape.rows(), shape.columns());
        DenseMatrix mean = garbage(1, shape.rows());
        DenseMatrix rstd = garbage(1, shape.rows());

        backend()
                .layerNorm(
                        deviceX,
                        upload(HostMatrix.vector(gamma)),
                        upload(HostMatrix.vector(beta)),
                        EPSILON,
                        y,
                        mean,
                        rstd);

        ReferenceLayerNorm.Forward expected = ReferenceLayerNorm.forward(x, gamma, beta, EPSILON);
        assertMatches("layerNorm y", expected.y(), y);
        assertMatches("layerNorm mean", expected.mean(), mean);
        assertMatches("layerNorm rstd", expected.rstd(), rstd);
        assertUnchanged("layerNorm x", x, deviceX);
    }

    @ParameterizedTest(name = "{0}, parameter gradients {1}")
    @MethodSource("shapesAndGradients")
    @DisplayName("layerNormBackward accumulates dx, dGamma and dBeta")
    void layerNormBackward(Shape shape, ParameterGradients wanted) {
        TestData data = TestData.seededBy("layerNormBackward " + shape);
        HostMatrix x = input(data, shape);
        float[] gamma = data.signed(shape.columns());
        ReferenceLayerNorm.Forward forward = ReferenceLayerNorm.forward(x, gamma, new float[shape.columns()], EPSILON);
        float[] mean = forward.mean().toFloats();
        float[] rstd = forward.rstd().toFloats();
        HostMatrix dy = data.signed(shape);
        HostMatrix dxPrior = data.signed(shape);
        HostMatrix dGammaPrior = data.signed(1, shape.columns());
        HostMatrix dBetaPrior = data.signed(1, shape.columns());
        DenseMatrix dx = upload(dxPrior);
        DenseMatrix dGamma = wanted.gamma ? upload(dGammaPrior) : null;
        DenseMatrix dBeta = wanted.beta ? upload(dBetaPrior) : null;

        backend()
                .layerNormBackward(
                        upload(x),
                        upload(HostMatrix.vector(gamma)),
                        upload(HostMatrix.vector(mean)),
                        upload(HostMatrix.vector(rstd)),
                        upload(dy),
                        dx,
                        dGamma,
                        dBeta);

        ReferenceLayerNorm.Backward expected = ReferenceLayerNorm.backward(x, gamma, mean, rstd, dy);
        assertMatches("layerNormBackward dx", expected.dx().plus(dxPrior), dx);
        if (wanted.gamma) {
            assertMatches("layerNormBackward dGamma", expected.dGamma().plus(dGammaPrior), dGamma);
        }
        if (wanted.beta) {
            assertMatches("layerNormBackward dBeta", expected.dBeta().plus(dBetaPrior), dBeta);
        }
    }
}
