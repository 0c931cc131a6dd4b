package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.TestData;
import org.sparselinear.tck.reference.Tolerance;

/**
 * The dense products against the kit's double-precision reference, for every transpose combination,
 * overwriting (over NaN garbage) and accumulating, on shapes around the edges of {@link VectorGemm}'s
 * tiles and blocks and on seeded random shapes: the blocked Vector API product on one and three
 * threads, the EJML one, and {@link DenseGemm}, which chooses between them, with and without SIMD.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DenseGemmTest {

    private WorkerPool oneThread;
    private WorkerPool threeThreads;

    @BeforeAll
    void createPools() {
        oneThread = new WorkerPool(1);
        threeThreads = new WorkerPool(3);
    }

    @AfterAll
    void closePools() {
        oneThread.close();
        threeThreads.close();
    }

    /** {@code (m, n, k)}: each dimension one below, at and one above a tile or block edge, and the text model's. */
    Stream<Arguments> shapes() {
        int rows = VectorGemm.TILE_ROWS;
        int columns = VectorGemm.TILE_COLUMNS;
        List<int[]> shapes = new ArrayList<>(List.of(
                new int[] {1, 1, 1},
                new int[] {1, 7, 3},
                new int[] {rows, columns, 1},
                new int[] {rows - 1, columns - 1, 2},
                new int[] {rows + 1, columns + 1, 5},
                new int[] {2 * rows + 3, 3 * columns + 2, VectorGemm.DEPTH_BLOCK + 1},
                new int[] {VectorGemm.ROW_BLOCK + rows + 1, 2, 9},
                new int[] {50, 130, 67},
                new int[] {130, 50, 300},
                new int[] {37, 3, 700}));
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 6; i++) {
            shapes.add(new int[] {1 + random.nextInt(90), 1 + random.nextInt(90), 1 + random.nextInt(90)});
        }
        List<Arguments> cases = new ArrayList<>();
        for (int[] shape : shapes) {
            for (boolean transposeA : new boolean[] {false, true}) {
                for (boolean transposeB : new boolean[] {false, true}) {
                    for (boolean accumulate : new boolean[] {false, true}) {
                        cases.add(Arguments.of(shape[0], shape[1], shape[2], transposeA, transposeB, accumulate));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "({0}, {1}, {2}) transposeA={3} transposeB={4} accumulate={5}")
    @MethodSource("shapes")
    void vectorProductMatchesTheReference(
            int m, int n, int k, boolean transposeA, boolean transposeB, boolean accumulate) {
        Case product = new Case(m, n, k, transposeA, transposeB, accumulate);
        float[] one = product.run(new VectorGemm(oneThread));
        product.check("vector, 1 thread", one);
        float[] three = product.run(new VectorGemm(threeThreads));
        product.check("vector, 3 threads", three);
        // Every element is summed in the same order whichever thread computes it.
        assertArrayEquals(one, three, "three threads must give exactly what one gives");
    }

    @ParameterizedTest(name = "({0}, {1}, {2}) transposeA={3} transposeB={4} accumulate={5}")
    @MethodSource("shapes")
    void ejmlProductMatchesTheReference(
            int m, int n, int k, boolean transposeA, boolean transposeB, boolean accumulate) {
        Case product = new Case(m, n, k, transposeA, transposeB, accumulate);
        product.check("EJML, 1 thread", product.run(new EjmlGemm(1)));
        product.check("EJML, 3 threads", product.run(new EjmlGemm(3)));
    }

    @ParameterizedTest(name = "({0}, {1}, {2}) transposeA={3} transposeB={4} accumulate={5}")
    @MethodSource("shapes")
    void chosenProductMatchesTheReference(
            int m, int n, int k, boolean transposeA, boolean transposeB, boolean accumulate) {
        Case product = new Case(m, n, k, transposeA, transposeB, accumulate);
        product.check("with SIMD", product.run(new DenseGemm(threeThreads, true)::multiply));
        product.check("without SIMD", product.run(new DenseGemm(threeThreads, false)::multiply));
    }

    @Test
    void anEmptyInnerDimensionGivesZerosOrLeavesTheOutput() {
        for (boolean simd : new boolean[] {false, true}) {
            DenseGemm gemm = new DenseGemm(threeThreads, simd);
            float[] c = new float[6];
            Arrays.fill(c, Float.NaN);
            gemm.multiply(new float[0], false, new float[0], true, c, 2, 3, 0, false);
            assertArrayEquals(new float[6], c, "overwriting with an empty sum gives zeros, simd=" + simd);
            float[] prior = {1, 2, 3, 4, 5, 6};
            c = prior.clone();
            gemm.multiply(new float[0], true, new float[0], false, c, 2, 3, 0, true);
            assertArrayEquals(prior, c, "accumulating an empty sum leaves the output, simd=" + simd);
        }
    }

    @Test
    void anEmptyOutputIsAccepted() {
        for (boolean simd : new boolean[] {false, true}) {
            DenseGemm gemm = new DenseGemm(threeThreads, simd);
            float[] b = new TestData(1).signed(12);
            assertDoesNotThrow(() -> gemm.multiply(new float[0], false, b, false, new float[0], 0, 3, 4, false));
            assertDoesNotThrow(() -> gemm.multiply(b, false, new float[0], false, new float[0], 3, 0, 4, true));
        }
    }

    @Test
    void theBackendSaysWhichProductItUses() {
        try (CpuBackend simd = new CpuBackend(2, true);
                CpuBackend scalar = new CpuBackend(2, false)) {
            assertTrue(simd.description().contains("blocked SIMD dense products"), simd.description());
            assertTrue(scalar.description().contains("EJML dense products"), scalar.description());
        }
    }

    /** One product's operands, column-major as the backend stores them, and its reference result. */
    private static final class Case {
        private final int m;
        private final int n;
        private final int k;
        private final boolean transposeA;
        private final boolean transposeB;
        private final boolean accumulate;
        private final float[] a;
        private final float[] b;
        private final float[] prior;
        private final Expected expected;

        Case(int m, int n, int k, boolean transposeA, boolean transposeB, boolean accumulate) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transposeA = transposeA;
            this.transposeB = transposeB;
            this.accumulate = accumulate;
            TestData data = TestData.seededBy(m + "x" + n + "x" + k + transposeA + transposeB);
            HostMatrix hostA = transposeA ? data.signed(k, m) : data.signed(m, k);
            HostMatrix hostB = transposeB ? data.signed(n, k) : data.signed(k, n);
            HostMatrix hostC = data.signed(m, n);
            this.a = columnMajor(hostA);
            this.b = columnMajor(hostB);
            this.prior = columnMajor(hostC);
            Expected product = ReferenceOps.gemm(hostA, transposeA, hostB, transposeB);
            this.expected = accumulate ? product.plus(hostC) : product;
        }

        /** The output {@code gemm} leaves, starting from the prior output or from NaN garbage. */
        float[] run(ColumnMajorGemm gemm) {
            float[] c = accumulate ? prior.clone() : nanFilled(m * n);
            gemm.multiply(a, transposeA, b, transposeB, c, m, n, k, accumulate);
            return c;
        }

        void check(String what, float[] c) {
            Tolerance.assertMatches(what, expected, rowMajor(c, m, n));
        }

        private static float[] nanFilled(int size) {
            float[] c = new float[size];
            Arrays.fill(c, Float.NaN);
            return c;
        }

        private static float[] columnMajor(HostMatrix matrix) {
            float[] data = new float[matrix.rows() * matrix.columns()];
            for (int r = 0; r < matrix.rows(); r++) {
                for (int c = 0; c < matrix.columns(); c++) {
                    data[c * matrix.rows() + r] = matrix.get(r, c);
                }
            }
            return data;
        }

        private static float[] rowMajor(float[] data, int rows, int columns) {
            float[] values = new float[rows * columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    values[r * columns + c] = data[c * rows + r];
                }
            }
            return values;
        }
    }
}
