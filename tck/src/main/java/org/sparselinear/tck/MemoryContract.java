package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Shape;
import org.sparselinear.tck.reference.TestData;

/** {@code zeros}, {@code upload}, {@code download}, {@code copy}, {@code copyColumns} and {@code fill}. */
abstract class MemoryContract extends BackendContract {

    static Stream<Shape> shapes() {
        return Stream.concat(Stream.of(new Shape(1, 0)), Cases.SHAPES.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("zeros has the shape asked for and holds zeros, even in reused memory")
    void zeros(Shape shape) {
        DenseMatrix used = backend().zeros(shape.rows(), shape.columns());
        backend().fill(used, 7);
        used.close();

        DenseMatrix matrix = backend().zeros(shape.rows(), shape.columns());

        assertEquals(shape, new Shape(matrix.rows(), matrix.columns()), "shape");
        assertArrayEquals(new float[shape.size()], backend().download(matrix));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("download gives back exactly what upload took")
    void uploadDownloadRoundTrip(Shape shape) {
        HostMatrix host = TestData.seededBy("upload " + shape).uniform(shape, -1000, 1000);

        DenseMatrix matrix = upload(host);

        assertEquals(shape, new Shape(matrix.rows(), matrix.columns()), "shape");
        assertArrayEquals(host.values(), backend().download(matrix));
    }

    @Test
    @DisplayName("upload and download are row-major: element (r, c) at r * columns + c")
    void uploadIsRowMajor() {
        DenseMatrix matrix = upload(new HostMatrix(2, 3, new float[] {0, 1, 2, 10, 11, 12}));

        assertArrayEquals(new int[] {2, 2}, backend().argmaxRows(matrix), "argmax of rows (0 1 2) and (10 11 12)");
        DenseMatrix sums = backend().zeros(1, 3);
        backend().columnSums(matrix, sums, false);
        assertArrayEquals(new float[] {10, 12, 14}, backend().download(sums), "sums of columns (0 10) (1 11) (2 12)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("upload copies the host array and download returns a new one")
    void uploadAndDownloadCopy(Shape shape) {
        HostMatrix host = TestData.seededBy("upload copies " + shape).signed(shape);
        float[] original = host.values().clone();
        DenseMatrix matrix = upload(host);
        Arrays.fill(host.values(), 42);

        float[] downloaded = backend().download(matrix);
        Arrays.fill(downloaded, 43);

        assertArrayEquals(original, backend().download(matrix));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("copy duplicates the source into separate storage")
    void copy(Shape shape) {
        HostMatrix source = TestData.seededBy("copy " + shape).signed(shape);
        DenseMatrix deviceSource = upload(source);
        DenseMatrix target = garbage(shape.rows(), shape.columns());

        backend().copy(deviceSource, target);

        assertArrayEquals(source.values(), backend().download(target), "target");
        backend().fill(target, 3);
        assertUnchanged("copy source", source, deviceSource);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    @DisplayName("fill sets every element of one matrix")
    void fill(Shape shape) {
        TestData data = TestData.seededBy("fill " + shape);
        DenseMatrix matrix = upload(data.signed(shape));
        HostMatrix other = data.signed(shape);
        DenseMatrix deviceOther = upload(other);
        float[] expected = new float[shape.size()];
        Arrays.fill(expected, -2.5f);

        backend().fill(matrix, -2.5f);

        assertArrayEquals(expected, backend().download(matrix));
        assertUnchanged("another matrix", other, deviceOther);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sparselinear.tck.Cases#shapes")
    @DisplayName("copyColumns copies a block of columns bit for bit and leaves the target's other columns")
    void copyColumns(Shape shape) {
        TestData data = TestData.seededBy("copyColumns " + shape);
        int rows = shape.rows();
        HostMatrix source = data.signed(new Shape(rows, shape.columns() + 3));
        HostMatrix target = data.signed(new Shape(rows, shape.columns() + 5));
        DenseMatrix deviceSource = upload(source);
        DenseMatrix deviceTarget = upload(target);
        int count = shape.columns();
        float[] expected = target.values().clone();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < count; c++) {
                expected[r * target.columns() + 4 + c] = source.get(r, 2 + c);
            }
        }

        backend().copyColumns(deviceSource, 2, deviceTarget, 4, count);

        assertArrayEquals(expected, backend().download(deviceTarget), "target");
        assertUnchanged("copyColumns source", source, deviceSource);
    }

    @Test
    @DisplayName("copyColumns of no column changes nothing, and a block outside a matrix is refused")
    void copyColumnsEdges() {
        HostMatrix source = TestData.seededBy("copyColumns edges").signed(new Shape(3, 4));
        HostMatrix target = TestData.seededBy("copyColumns edges target").signed(new Shape(3, 2));
        DenseMatrix deviceSource = upload(source);
        DenseMatrix deviceTarget = upload(target);

        backend().copyColumns(deviceSource, 4, deviceTarget, 2, 0);
        assertArrayEquals(target.values(), backend().download(deviceTarget), "no column copied");

        IllegalArgumentException outside = assertThrows(
                IllegalArgumentException.class, () -> backend().copyColumns(deviceSource, 3, deviceTarget, 0, 2));
        assertTrue(outside.getMessage().contains("source columns [3, 5)"), outside.getMessage());
        DenseMatrix otherRows = backend().zeros(2, 4);
        IllegalArgumentException rows = assertThrows(
                IllegalArgumentException.class, () -> backend().copyColumns(deviceSource, 0, otherRows, 0, 1));
        assertTrue(rows.getMessage().contains("same number of rows"), rows.getMessage());
        assertArrayEquals(target.values(), backend().download(deviceTarget), "refused calls change nothing");
    }
}
