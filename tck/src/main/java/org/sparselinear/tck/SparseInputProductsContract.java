package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceSparseInput;
import org.sparselinear.tck.reference.TestData;

/**
 * The contract of {@link org.sparselinear.spi.SparseInputProducts} on every
 * {@link SparseInputCases} case: the forward product and both gradients, through a dense weight
 * and through a sparse weight in both of its forms ({@link SparseWeightForm}: row order, and held
 * input-major), against {@link ReferenceSparseInput}; overwriting ignores NaN garbage
 * in the output, accumulating adds to it; the inputs are left as they were. Also checks that
 * {@link SparseTensor#upload} keeps a valid batch and refuses rows that are unsorted or hold a
 * feature twice, naming the row.
 */
abstract class SparseInputProductsContract extends BackendContract {

    static Stream<SparseInputCase> cases() {
        return SparseInputCases.all().stream();
    }

    static Stream<Arguments> casesWithAccumulate() {
        return Cases.withFlag(SparseInputCases.all());
    }

    /** The sparse batch of a case on the backend: its pattern and seeded values. */
    private record Batch(Connectivity connectivity, HostMatrix values, SparseMatrix pattern, DenseMatrix onDevice) {}

    private Batch batch(SparseInputCase c, TestData data) {
        Connectivity x = c.x();
        HostMatrix values = HostMatrix.vector(data.signed(x.nnz()));
        return new Batch(x, values, backend().pattern(x), upload(values));
    }

    private static HostMatrix denseWeight(SparseInputCase c, TestData data) {
        return data.signed(c.w().rows(), c.w().columns());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("sparseInputDense overwrites y with X W^T")
    void sparseInputDense(SparseInputCase c) {
        TestData data = c.data("sparseInputDense");
        Batch x = batch(c, data);
        HostMatrix weight = denseWeight(c, data);
        DenseMatrix deviceWeight = upload(weight);
        DenseMatrix y = garbage(x.connectivity().rows(), weight.rows());

        backend().sparseInputDense(x.pattern(), x.onDevice(), deviceWeight, y);

        assertMatches(
                "sparseInputDense y",
                ReferenceSparseInput.denseForward(x.connectivity(), x.values().values(), weight),
                y);
        assertUnchanged("sparseInputDense x values", x.values(), x.onDevice());
        assertUnchanged("sparseInputDense weight", weight, deviceWeight);
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("casesWithAccumulate")
    @DisplayName("sparseInputDenseWeightGradient gives dW (+)= dy^T X")
    void sparseInputDenseWeightGradient(SparseInputCase c, boolean accumulate) {
        TestData data = c.data("sparseInputDenseWeightGradient");
        Batch x = batch(c, data);
        HostMatrix dy = data.signed(x.connectivity().rows(), c.w().rows());
        HostMatrix prior = denseWeight(c, data);
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix dWeight = output(prior, accumulate);

        backend().sparseInputDenseWeightGradient(x.pattern(), x.onDevice(), deviceDy, dWeight, accumulate);

        assertMatches(
                "sparseInputDenseWeightGradient dW",
                accumulated(
                        ReferenceSparseInput.denseWeightGradient(
                                x.connectivity(), x.values().values(), dy),
                        prior,
                        accumulate),
                dWeight);
        assertUnchanged("sparseInputDenseWeightGradient dy", dy, deviceDy);
        assertUnchanged("sparseInputDenseWeightGradient x values", x.values(), x.onDevice());
    }

    @ParameterizedTest(name = "{0}, accumulate={1}")
    @MethodSource("casesWithAccumulate")
    @DisplayName("sparseInputDenseInputGradient gives dx[j] (+)= dy[b, :] . W[:, i] at the stored (b, i)")
    void sparseInputDenseInputGradient(SparseInputCase c, boolean accumulate) {
        TestData data = c.data("sparseInputDenseInputGradient");
        Connectivity x = c.x();
        HostMatrix weight = denseWeight(c, data);
        HostMatrix dy = data.signed(x.rows(), weight.rows());
        HostMatrix prior = HostMatrix.vector(data.signed(x.nnz()));
        DenseMatrix deviceWeight = upload(weight);
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix dxValues = output(prior, accumulate);

        backend().sparseInputDenseInputGradient(backend().pattern(x), deviceDy, deviceWeight, dxValues, accumulate);

        assertMatches(
                "sparseInputDenseInputGradient dxValues",
                accumulated(ReferenceSparseInput.denseInputGradient(x, dy, weight), prior, accumulate),
                dxValues);
        assertUnchanged("sparseInputDenseInputGradient dy", dy, deviceDy);
        assertUnchanged("sparseInputDenseInputGradient weight", weight, deviceWeight);
    }

    static Stream<Arguments> casesWithForm() {
        return SparseInputCases.all().stream()
                .flatMap(c -> Stream.of(SparseWeightForm.values()).map(form -> Arguments.of(c, form)));
    }

    static Stream<Arguments> casesWithFormAndAccumulate() {
        return casesWithForm()
                .flatMap(a -> Stream.of(
                        Arguments.of(a.get()[0], a.get()[1], false), Arguments.of(a.get()[0], a.get()[1], true)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("casesWithForm")
    @DisplayName("sparseInputSparse (W) and sparseInputTransposedSparse (W^T) overwrite y with X W^T")
    void sparseWeightForward(SparseInputCase c, SparseWeightForm form) {
        TestData data = c.data(form.operation);
        Batch x = batch(c, data);
        Connectivity weight = form.pattern.apply(c.w());
        HostMatrix weightValues = HostMatrix.vector(data.signed(weight.nnz()));
        DenseMatrix deviceWeightValues = upload(weightValues);
        DenseMatrix y = garbage(x.connectivity().rows(), c.w().rows());

        form.forward.run(backend(), x.pattern(), x.onDevice(), backend().pattern(weight), deviceWeightValues, y);

        assertMatches(
                form.operation + " y",
                form.referenceForward.of(x.connectivity(), x.values().values(), weight, weightValues.values()),
                y);
        assertUnchanged(form.operation + " x values", x.values(), x.onDevice());
        assertUnchanged(form.operation + " weight values", weightValues, deviceWeightValues);
    }

    @ParameterizedTest(name = "{0}, {1}, accumulate={2}")
    @MethodSource("casesWithFormAndAccumulate")
    @DisplayName("the sparse weight gradient gives dValues[k] (+)= (dy^T X)[o, i] at the connections, in either form")
    void sparseWeightGradient(SparseInputCase c, SparseWeightForm form, boolean accumulate) {
        String op = form.operation + "WeightGradient";
        TestData data = c.data(op);
        Batch x = batch(c, data);
        Connectivity weight = form.pattern.apply(c.w());
        HostMatrix dy = data.signed(x.connectivity().rows(), c.w().rows());
        HostMatrix prior = HostMatrix.vector(data.signed(weight.nnz()));
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix dValues = output(prior, accumulate);

        form.weightGradient.run(
                backend(), x.pattern(), x.onDevice(), backend().pattern(weight), deviceDy, dValues, accumulate);

        assertMatches(
                op + " dValues",
                accumulated(
                        form.referenceWeightGradient.of(
                                x.connectivity(), x.values().values(), weight, dy),
                        prior,
                        accumulate),
                dValues);
        assertUnchanged(op + " dy", dy, deviceDy);
        assertUnchanged(op + " x values", x.values(), x.onDevice());
    }

    @ParameterizedTest(name = "{0}, {1}, accumulate={2}")
    @MethodSource("casesWithFormAndAccumulate")
    @DisplayName("the sparse input gradient gives dx[j] (+)= sum over connections (o, i) of dy[b, o] w, in either form")
    void sparseInputGradient(SparseInputCase c, SparseWeightForm form, boolean accumulate) {
        String op = form.operation + "InputGradient";
        TestData data = c.data(op);
        Connectivity x = c.x();
        Connectivity weight = form.pattern.apply(c.w());
        HostMatrix weightValues = HostMatrix.vector(data.signed(weight.nnz()));
        HostMatrix dy = data.signed(x.rows(), c.w().rows());
        HostMatrix prior = HostMatrix.vector(data.signed(x.nnz()));
        DenseMatrix deviceWeightValues = upload(weightValues);
        DenseMatrix deviceDy = upload(dy);
        DenseMatrix dxValues = output(prior, accumulate);

        form.inputGradient.run(
                backend(),
                backend().pattern(x),
                backend().pattern(weight),
                deviceWeightValues,
                deviceDy,
                dxValues,
                accumulate);

        assertMatches(
                op + " dxValues",
                accumulated(form.referenceInputGradient.of(x, weight, weightValues.values(), dy), prior, accumulate),
                dxValues);
        assertUnchanged(op + " dy", dy, deviceDy);
        assertUnchanged(op + " weight values", weightValues, deviceWeightValues);
    }

    @Test
    @DisplayName("SparseTensor.upload keeps the rows and values it was given")
    void uploadKeepsTheBatch() {
        int[] rowPointers = {0, 2, 2, 5};
        int[] features = {1, 7, 0, 3, 9};
        float[] values = {0.5f, -1, 2, 0.25f, -3};

        SparseTensor x = SparseTensor.upload(backend(), 3, 10, rowPointers, features, values);

        assertEquals(
                Connectivity.fromCsr(3, 10, rowPointers, features), x.pattern().connectivity(), "pattern");
        assertArrayEquals(values, backend().download(x.values()), "values");
        assertArrayEquals(new int[] {3, 10}, x.shape(), "shape (batch, features)");
    }

    @Test
    @DisplayName("SparseTensor.upload refuses a row whose features are out of order, naming the row")
    void uploadRefusesUnsortedRow() {
        assertRefusedNamingRow1(new int[] {1, 7, 3, 0, 9});
    }

    @Test
    @DisplayName("SparseTensor.upload refuses a row holding a feature twice, naming the row")
    void uploadRefusesDuplicateFeature() {
        assertRefusedNamingRow1(new int[] {1, 7, 3, 3, 9});
    }

    /** Rows {@code [0, 2)}, {@code [2, 5)}: row 1 holds the features at positions 2 to 4. */
    private void assertRefusedNamingRow1(int[] features) {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparseTensor.upload(backend(), 2, 10, new int[] {0, 2, 5}, features, new float[5]));
        String message = String.valueOf(e.getMessage());
        assertTrue(message.contains("row 1"), () -> "the message should name row 1: " + message);
    }
}
