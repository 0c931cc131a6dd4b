package org.sparselinear.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/**
 * The contract of {@link org.sparselinear.spi.DenseProducts}: {@code gemm} for every transpose
 * combination, accumulating or not, on square and non-square shapes; {@code addRowVector} and
 * {@code columnSums} on the kit's dense shapes.
 */
abstract class DenseProductsContract extends BackendContract {

    /** {@code c (m, n) (+)= op(a) (m, inner) op(b) (inner, n)}. */
    record GemmCase(int m, int inner, int n, boolean transposeA, boolean transposeB, boolean accumulate) {

        @Override
        public String toString() {
            return "(" + m + ", " + inner + ") x (" + inner + ", " + n + ")" + (transposeA ? ", a transposed" : "")
                    + (transposeB ? ", b transposed" : "") + (accumulate ? ", accumulate" : "");
        }
    }

    private static final int[][] SHAPES = {
        {1, 1, 1}, {7, 5, 3}, {3, 300, 2}, {64, 33, 10}, {1, 17, 64}, {10, 64, 1}, {16, 16, 16}
    };

    static Stream<GemmCase> cases() {
        List<GemmCase> cases = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (int flags = 0; flags < 8; flags++) {
                cases.add(new GemmCase(
                        shape[0], shape[1], shape[2], (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("gemm gives c (+)= op(a) op(b)")
    void gemm(GemmCase g) {
        TestData data = TestData.seededBy("gemm " + g);
        HostMatrix a = g.transposeA() ? data.signed(g.inner(), g.m()) : data.signed(g.m(), g.inner());
        HostMatrix b = g.transposeB() ? data.signed(g.n(), g.inner()) : data.signed(g.inner(), g.n());
        HostMatrix prior = data.signed(g.m(), g.n());
        DenseMatrix deviceA = upload(a);
        DenseMatrix deviceB = upload(b);
        DenseMatrix c = output(prior, g.accumulate());

        backend().gemm(deviceA, g.transposeA(), deviceB, g.transposeB(), c, g.accumulate());

        assertMatches(
                "gemm c",
                accumulated(ReferenceOps.gemm(a, g.transposeA(), b, g.transposeB()), prior, g.accumulate()),
                c);
        assertUnchanged("gemm a", a, deviceA);
        assertUnchanged("gemm b", b, deviceB);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
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
    @MethodSource("org.sparselinear.tck.Cases#shapesWithFlag")
    @DisplayName("columnSums gives sums (+)= the sum of each column")
    void columnSums(Shape shape, boolean accumulate) {
        TestData data = TestData.seededBy("columnSums " + shape);
        HostMatrix x = data.signed(shape);
        HostMatrix prior = data.signed(1, shape.columns());
        DenseMatrix sums = output(prior, accumulate);

        backend().columnSums(upload(x), sums, accumulate);

        assertMatches("columnSums sums", accumulated(ReferenceOps.columnSums(x), prior, accumulate), sums);
    }
}
