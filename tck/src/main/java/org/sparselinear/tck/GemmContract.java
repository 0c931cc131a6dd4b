package org.sparselinear.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;

/** {@code gemm} for every transpose combination, accumulating or not, on square and non-square shapes. */
abstract class GemmContract extends BackendContract {

    /** {@code c (m, n) (+)= op(a) (m, inner) op(b) (inner, n)}. */
    record GemmCase(int m, int inner, int n, boolean transposeA, boolean transposeB, boolean accumulate) {

        @Override
        public String toString() {
            return "(" + m + ", " + inner + ") x (" + inner + ", " + n + ")" + (transposeA ? ", a transposed" : "")
                    + (transposeB ? ", b transposed" : "") + (accumulate ? ", accumulate" : "");
        }
    }

    private static final int[][] SHAPES = {{1, 1, 1}, {7, 5, 3}, {3, 300, 2}, {64, 33, 10}, {1, 17, 64}, {10, 64, 1},
            {16, 16, 16}};

    static Stream<GemmCase> cases() {
        List<GemmCase> cases = new ArrayList<>();
        for (int[] shape : SHAPES) {
            for (int flags = 0; flags < 8; flags++) {
                cases.add(new GemmCase(shape[0], shape[1], shape[2], (flags & 1) != 0, (flags & 2) != 0,
                        (flags & 4) != 0));
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

        assertMatches("gemm c", accumulated(ReferenceOps.gemm(a, g.transposeA(), b, g.transposeB()), prior,
                g.accumulate()), c);
        assertUnchanged("gemm a", a, deviceA);
        assertUnchanged("gemm b", b, deviceB);
    }
}
