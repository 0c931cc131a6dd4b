package org.sparselinear.tck;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;

/** {@code addRowVector}, {@code columnSums}, {@code relu}, {@code reluBackward}, {@code axpy} and {@code scale}. */
abstract class ElementwiseContract extends BackendContract {

    private static final float ALPHA = -1.5f;

    static Stream<Shape> shapes() {
        return Cases.SHAPES.stream();
    }

    static Stream<Arguments> shapesWithFlag() {
        return Cases.withFlag(Cases.SHAPES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("addRowVector adds the row to every row")
    void addRowVector(Shape shape) {
        TestData data = TestData.seededBy("addRowVector " + shape);
        HostMatrix y = data.signed(shape);
        HostMatrix row = data.signed(1, shape.columns());
        DenseMatrix deviceY = upload(y);

        backend().addRowVector(deviceY, upload(row));

        assertMatches("addRowVector y", ReferenceOps.addRowVector(y, row), deviceY);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("shapesWithFlag")
    @DisplayName("columnSums gives sums (+)= the sum of each column")
    void columnSums(Shape shape, boolean accumulate) {
        TestData data = TestData.seededBy("columnSums " + shape);
        HostMatrix x = data.signed(shape);
        HostMatrix prior = data.signed(1, shape.columns());
        DenseMatrix sums = output(prior, accumulate);

        backend().columnSums(upload(x), sums, accumulate);

        assertMatches("columnSums sums", accumulated(ReferenceOps.columnSums(x), prior, accumulate), sums);
    }

    @ParameterizedTest(name = "{0}, in place={1}")
    @MethodSource("shapesWithFlag")
    @DisplayName("relu gives max(x, 0), also in place")
    void relu(Shape shape, boolean inPlace) {
        HostMatrix x = TestData.seededBy("relu " + shape).uniformWithZeros(shape, 5);
        DenseMatrix deviceX = upload(x);
        DenseMatrix y = inPlace ? deviceX : garbage(shape.rows(), shape.columns());

        backend().relu(deviceX, y);

        assertMatches("relu y", ReferenceOps.relu(x), y);
        if (!inPlace) {
            assertUnchanged("relu x", x, deviceX);
        }
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("shapesWithFlag")
    @DisplayName("reluBackward gives dx (+)= dy where y > 0")
    void reluBackward(Shape shape, boolean accumulate) {
        TestData data = TestData.seededBy("reluBackward " + shape);
        HostMatrix y = data.uniformWithZeros(shape, 3);
        for (int i = 0; i < y.values().length; i++) {
            y.values()[i] = Math.max(y.values()[i], 0);
        }
        HostMatrix dy = data.signed(shape);
        HostMatrix prior = data.signed(shape);
        DenseMatrix dx = output(prior, accumulate);

        backend().reluBackward(upload(y), upload(dy), dx, accumulate);

        assertMatches("reluBackward dx", accumulated(ReferenceOps.reluBackward(y, dy), prior, accumulate), dx);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("axpy gives y += alpha x")
    void axpy(Shape shape) {
        TestData data = TestData.seededBy("axpy " + shape);
        HostMatrix x = data.signed(shape);
        HostMatrix y = data.signed(shape);
        DenseMatrix deviceX = upload(x);
        DenseMatrix deviceY = upload(y);

        backend().axpy(ALPHA, deviceX, deviceY);

        assertMatches("axpy y", ReferenceOps.axpy(ALPHA, x, y), deviceY);
        assertUnchanged("axpy x", x, deviceX);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("scale gives x *= alpha")
    void scale(Shape shape) {
        HostMatrix x = TestData.seededBy("scale " + shape).signed(shape);
        DenseMatrix deviceX = upload(x);

        backend().scale(deviceX, ALPHA);

        assertMatches("scale x", ReferenceOps.scale(x, ALPHA), deviceX);
    }
}
