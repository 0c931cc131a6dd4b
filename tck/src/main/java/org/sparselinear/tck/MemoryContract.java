package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** {@code zeros}, {@code upload}, {@code download}, {@code copy} and {@code fill}. */
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
}
