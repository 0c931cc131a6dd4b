package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/** {@code argmaxRows} on random rows and on rows with ties, where the first largest column must win. */
abstract class ArgmaxContract extends BackendContract {

    /** A matrix and the argmax of each row, as stated by hand. */
    record TieCase(String name, HostMatrix matrix, int[] expected) {

        static TieCase row(String name, int expected, float... values) {
            return new TieCase(name, HostMatrix.vector(values), new int[] {expected});
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<TieCase> ties() {
        float[] longRow = new float[5000];
        Arrays.fill(longRow, -1);
        longRow[4000] = 2;
        longRow[4999] = 2;
        return Stream.of(
                TieCase.row("all equal", 0, 3, 3, 3, 3),
                TieCase.row("tie in the middle", 1, 1, 3, 3, 2),
                TieCase.row("tie between first and last", 0, 5, 1, 2, 5),
                TieCase.row("negative values", 1, -5, -1, -1, -7),
                TieCase.row("largest in the last column", 3, 0, 1, 2, 3),
                TieCase.row("5000 columns, tie at 4000 and 4999", 4000, longRow),
                new TieCase(
                        "three rows with different ties",
                        new HostMatrix(3, 4, new float[] {0, 0, 1, 1, 7, 2, 7, 7, -2, -3, -2, -9}),
                        new int[] {2, 0, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("argmaxRows finds each row's largest column")
    void argmaxOfRandomRows(Shape shape) {
        HostMatrix matrix = TestData.seededBy("argmaxRows " + shape).signed(shape);

        assertArrayEquals(ReferenceOps.argmaxRows(matrix), backend().argmaxRows(upload(matrix)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ties")
    @DisplayName("argmaxRows takes the first column on ties")
    void argmaxOfTies(TieCase tie) {
        assertArrayEquals(tie.expected(), ReferenceOps.argmaxRows(tie.matrix()), "reference");
        assertArrayEquals(tie.expected(), backend().argmaxRows(upload(tie.matrix())));
    }
}
