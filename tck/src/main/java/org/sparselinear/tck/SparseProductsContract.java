package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.TestData;

/** {@code pattern}, {@code spmm}, {@code spmmTransposed} and {@code sddmm} on every {@link SparseCases} case. */
abstract class SparseProductsContract extends BackendContract {

    static Stream<SparsePattern> patterns() {
        return SparseCases.patterns().stream();
    }

    static Stream<SparseCase> cases() {
        return SparseCases.all().stream();
    }

    static Stream<Arguments> casesWithAccumulate() {
        return Cases.withFlag(SparseCases.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("patterns")
    @DisplayName("pattern keeps the shape and connectivity it was built from")
    void patternDescribesItsConnectivity(SparsePattern pattern) {
        Connectivity connectivity = pattern.connectivity();
        SparseMatrix onDevice = backend().pattern(connectivity);
        assertEquals(connectivity.rows(), onDevice.rows(), "rows");
        assertEquals(connectivity.columns(), onDevice.columns(), "columns");
        assertEquals(connectivity.nnz(), onDevice.nnz(), "nnz");
        assertEquals(connectivity, onDevice.connectivity(), "connectivity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("spmm overwrites y with x W^T")
    void spmm(SparseCase c) {
        Connectivity weight = c.connectivity();
        TestData data = c.data("spmm");
        HostMatrix values = HostMatrix.vector(data.signed(weight.nnz()));
        HostMatrix x = data.signed(c.batch(), weight.columns());
        DenseMatrix deviceValues = upload(values);
        DenseMatrix deviceX = upload(x);
        DenseMatrix y = garbage(c.batch(), weight.rows());

        backend().spmm(backend().pattern(weight), deviceValues, deviceX, y);

        assertMatches("spmm y", ReferenceOps.spmm(weight, values.values(), x), y);
        assertUnchanged("spmm x", x, deviceX);
        assertUnchanged("spmm values", values, deviceValues);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("casesWithAccumulate")
    @DisplayName("spmmTransposed gives dx (+)= dy W")
    void spmmTransposed(SparseCase c, boolean accumulate) {
        Connectivity weight = c.connectivity();
        TestData data = c.data("spmmTransposed");
        HostMatrix values = HostMatrix.vector(data.signed(weight.nnz()));
        HostMatrix dy = data.signed(c.batch(), weight.rows());
        HostMatrix prior = data.signed(c.batch(), weight.columns());
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix dx = output(prior, accumulate);

        backend().spmmTransposed(backend().pattern(weight), upload(values), deviceDy, dx, accumulate);

        assertMatches(
                "spmmTransposed dx",
                accumulated(ReferenceOps.spmmTransposed(weight, values.values(), dy), prior, accumulate),
                dx);
        assertUnchanged("spmmTransposed dy", dy, deviceDy);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("casesWithAccumulate")
    @DisplayName("sddmm gives dValues[k] (+)= sum_b dy[b, o] x[b, i]")
    void sddmm(SparseCase c, boolean accumulate) {
        Connectivity weight = c.connectivity();
        TestData data = c.data("sddmm");
        HostMatrix dy = data.signed(c.batch(), weight.rows());
        HostMatrix x = data.signed(c.batch(), weight.columns());
        HostMatrix prior = HostMatrix.vector(data.signed(weight.nnz()));
        DenseMatrix deviceX = upload(x);
        DenseMatrix dValues = output(prior, accumulate);

        backend().sddmm(backend().pattern(weight), upload(dy), deviceX, dValues, accumulate);

        assertMatches("sddmm dValues", accumulated(ReferenceOps.sddmm(weight, dy, x), prior, accumulate), dValues);
        assertUnchanged("sddmm x", x, deviceX);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("casesWithAccumulate")
    @DisplayName("sparseBackward equals spmmTransposed and sddmm, with and without dx")
    void sparseBackward(SparseCase c, boolean accumulate) {
        Connectivity weight = c.connectivity();
        TestData data = c.data("sparseBackward");
        HostMatrix values = HostMatrix.vector(data.signed(weight.nnz()));
        HostMatrix dy = data.signed(c.batch(), weight.rows());
        HostMatrix x = data.signed(c.batch(), weight.columns());
        HostMatrix priorDx = data.signed(c.batch(), weight.columns());
        HostMatrix priorDValues = HostMatrix.vector(data.signed(weight.nnz()));
        var pattern = backend().pattern(weight);
        DenseMatrix deviceValues = upload(values);
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix deviceX = upload(x);
        DenseMatrix dx = output(priorDx, accumulate);
        DenseMatrix dValues = output(priorDValues, !accumulate);

        backend().sparseBackward(pattern, deviceValues, deviceDy, deviceX, dx, accumulate, dValues, !accumulate);

        assertMatches(
                "sparseBackward dx",
                accumulated(ReferenceOps.spmmTransposed(weight, values.values(), dy), priorDx, accumulate),
                dx);
        assertMatches(
                "sparseBackward dValues",
                accumulated(ReferenceOps.sddmm(weight, dy, x), priorDValues, !accumulate),
                dValues);
        DenseMatrix alone = output(priorDValues, accumulate);
        backend().sparseBackward(pattern, deviceValues, deviceDy, deviceX, null, false, alone, accumulate);
        assertMatches(
                "sparseBackward without dx, dValues",
                accumulated(ReferenceOps.sddmm(weight, dy, x), priorDValues, accumulate),
                alone);
        assertUnchanged("sparseBackward dy", dy, deviceDy);
        assertUnchanged("sparseBackward x", x, deviceX);
    }
}
