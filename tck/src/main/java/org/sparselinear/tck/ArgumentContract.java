package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.SgdSettings;
import org.sparselinear.tck.reference.Patterns;

/**
 * Bad arguments fail with an {@link IllegalArgumentException} whose message names what is wrong:
 * both shapes of a shape mismatch, the other backend of a foreign matrix, the bad label.
 */
abstract class ArgumentContract extends BackendContract {

    /** A call with a bad argument, and the fragments its error message must contain. */
    record BadCall(String name, Consumer<Backend> call, List<String> fragments) {

        @Override
        public String toString() {
            return name;
        }
    }

    /** The weight of the sparse calls: (5 outputs, 8 inputs), fully connected. */
    private static final Connectivity WEIGHT = Patterns.full(5, 8);

    private static final int NNZ = WEIGHT.nnz();

    /** The sparse input of the sparse-input calls: 4 samples of 8 features, 2 stored in each. */
    private static final Connectivity INPUT = Patterns.withRowSizes(8, new int[] {2, 2, 2, 2}, 1);

    private static final int INPUT_NNZ = INPUT.nnz();

    /** One sample holding all 8 features: its (1, 8) values have the shape of an (1, 8) output. */
    private static final Connectivity ONE_FULL_SAMPLE = Patterns.full(1, 8);

    /** (8, 8) with one connection per row: its (1, 8) values have the shape of a (1, 8) output. */
    private static final Connectivity ONE_PER_ROW = Patterns.withRowSizes(8, new int[] {1, 1, 1, 1, 1, 1, 1, 1}, 2);

    private static final SgdSettings SGD = new SgdSettings(0.1f, 0, 0, false);
    private static final SgdSettings SGD_WITH_MOMENTUM = new SgdSettings(0.1f, 0.9f, 0, false);
    private static final AdamSettings ADAM = new AdamSettings(0.01f, 0.9f, 0.999f, 1e-8f, 0);
    private static final AdagradSettings ADAGRAD = new AdagradSettings(0.05f, 0, 0, AdagradSettings.DEFAULT_EPSILON);

    private static BadCall call(String name, Consumer<Backend> call, String... fragments) {
        return new BadCall(name, call, List.of(fragments));
    }

    private static SparseMatrix weight(Backend b) {
        return b.pattern(WEIGHT);
    }

    private static SparseMatrix input(Backend b) {
        return b.pattern(INPUT);
    }

    static Stream<BadCall> badShapes() {
        return Stream.of(
                call("copy (2, 3) into (3, 2)", b -> b.copy(b.zeros(2, 3), b.zeros(3, 2)), "(2, 3)", "(3, 2)"),
                call("axpy (2, 3) onto (2, 4)", b -> b.axpy(1, b.zeros(2, 3), b.zeros(2, 4)), "(2, 3)", "(2, 4)"),
                call(
                        "activate (4, 5) into (5, 4)",
                        b -> b.activate(Activation.RELU, b.zeros(4, 5), b.zeros(5, 4)),
                        "(4, 5)",
                        "(5, 4)"),
                call(
                        "activateBackward dy (3, 4) for x (3, 3)",
                        b -> b.activateBackward(
                                Activation.TANH, b.zeros(3, 3), b.zeros(3, 3), b.zeros(3, 4), b.zeros(3, 3), false),
                        "(3, 3)",
                        "(3, 4)"),
                call(
                        "activateBackward y (3, 2) for x (3, 3)",
                        b -> b.activateBackward(
                                Activation.GELU, b.zeros(3, 3), b.zeros(3, 2), b.zeros(3, 3), b.zeros(3, 3), false),
                        "(3, 3)",
                        "(3, 2)"),
                call(
                        "spmm x (4, 9) for a (5, 8) weight",
                        b -> b.spmm(weight(b), b.zeros(1, NNZ), b.zeros(4, 9), b.zeros(4, 5)),
                        "(4, 8)",
                        "(4, 9)"),
                call(
                        "spmm y (4, 6) for a (5, 8) weight",
                        b -> b.spmm(weight(b), b.zeros(1, NNZ), b.zeros(4, 8), b.zeros(4, 6)),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "spmm values one longer than nnz",
                        b -> b.spmm(weight(b), b.zeros(1, NNZ + 1), b.zeros(4, 8), b.zeros(4, 5)),
                        "(1, " + NNZ + ")",
                        "(1, " + (NNZ + 1) + ")"),
                call(
                        "spmmTransposed dx (4, 7) for a (5, 8) weight",
                        b -> b.spmmTransposed(weight(b), b.zeros(1, NNZ), b.zeros(4, 5), b.zeros(4, 7), false),
                        "(4, 8)",
                        "(4, 7)"),
                call(
                        "sddmm x (3, 8) for dy (4, 5)",
                        b -> b.sddmm(weight(b), b.zeros(4, 5), b.zeros(3, 8), b.zeros(1, NNZ), false),
                        "(4, 8)",
                        "(3, 8)"),
                call(
                        "gemm (2, 3) times (4, 5)",
                        b -> b.gemm(b.zeros(2, 3), false, b.zeros(4, 5), false, b.zeros(2, 5), false),
                        "(2, 3)",
                        "(4, 5)"),
                call(
                        "gemm output (5, 2) for (2, 5)",
                        b -> b.gemm(b.zeros(2, 3), false, b.zeros(3, 5), false, b.zeros(5, 2), false),
                        "(2, 5)",
                        "(5, 2)"),
                call(
                        "addRowVector row (1, 5) for (3, 4)",
                        b -> b.addRowVector(b.zeros(3, 4), b.zeros(1, 5)),
                        "(1, 4)",
                        "(1, 5)"),
                call(
                        "columnSums sums (1, 3) for (3, 4)",
                        b -> b.columnSums(b.zeros(3, 4), b.zeros(1, 3), false),
                        "(1, 4)",
                        "(1, 3)"),
                call(
                        "layerNorm gamma (1, 5) for (3, 4)",
                        b -> b.layerNorm(
                                b.zeros(3, 4),
                                b.zeros(1, 5),
                                b.zeros(1, 4),
                                1e-5f,
                                b.zeros(3, 4),
                                b.zeros(1, 3),
                                b.zeros(1, 3)),
                        "(1, 4)",
                        "(1, 5)"),
                call(
                        "layerNorm mean (1, 4) for 3 rows",
                        b -> b.layerNorm(
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 4),
                                1e-5f,
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 3)),
                        "(1, 3)",
                        "(1, 4)"),
                call(
                        "layerNormBackward dx (3, 5) for x (3, 4)",
                        b -> b.layerNormBackward(
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 3),
                                b.zeros(1, 3),
                                b.zeros(3, 4),
                                b.zeros(3, 5),
                                null,
                                null),
                        "(3, 4)",
                        "(3, 5)"),
                call(
                        "layerNormBackward dBeta (1, 5) for (3, 4)",
                        b -> b.layerNormBackward(
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 3),
                                b.zeros(1, 3),
                                b.zeros(3, 4),
                                b.zeros(3, 4),
                                null,
                                b.zeros(1, 5)),
                        "(1, 4)",
                        "(1, 5)"),
                call(
                        "softmaxCrossEntropy probabilities (3, 2) for logits (2, 3)",
                        b -> b.softmaxCrossEntropy(b.zeros(2, 3), new int[] {0, 0}, b.zeros(3, 2), b.zeros(1, 1)),
                        "(2, 3)",
                        "(3, 2)"),
                call(
                        "softmaxCrossEntropy loss (1, 2)",
                        b -> b.softmaxCrossEntropy(b.zeros(2, 3), new int[] {0, 0}, b.zeros(2, 3), b.zeros(1, 2)),
                        "(1, 1)",
                        "(1, 2)"),
                call(
                        "softmaxCrossEntropyBackward dLogits (2, 4) for (2, 3)",
                        b -> b.softmaxCrossEntropyBackward(
                                b.zeros(2, 3), new int[] {0, 0}, b.zeros(1, 1), b.zeros(2, 4), false),
                        "(2, 3)",
                        "(2, 4)"),
                call(
                        "squaredError target (2, 2) for (2, 3)",
                        b -> b.squaredError(b.zeros(2, 3), b.zeros(2, 2), 1, b.zeros(1, 1)),
                        "(2, 3)",
                        "(2, 2)"),
                call(
                        "squaredErrorBackward dLoss (1, 2)",
                        b -> b.squaredErrorBackward(
                                b.zeros(2, 3), b.zeros(2, 3), 1, b.zeros(1, 2), b.zeros(2, 3), false),
                        "(1, 1)",
                        "(1, 2)"),
                call(
                        "sgdStep gradient (3, 2) for (2, 3)",
                        b -> b.sgdStep(b.zeros(2, 3), b.zeros(3, 2), null, SGD),
                        "(2, 3)",
                        "(3, 2)"),
                call(
                        "sgdStep velocity (2, 4) for (2, 3)",
                        b -> b.sgdStep(b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 4), SGD_WITH_MOMENTUM),
                        "(2, 3)",
                        "(2, 4)"),
                call(
                        "adamStep second moment (2, 4) for (2, 3)",
                        b -> b.adamStep(b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 4), ADAM, 1),
                        "(2, 3)",
                        "(2, 4)"),
                call(
                        "adagradStep sum (3, 2) for (2, 3)",
                        b -> b.adagradStep(b.zeros(2, 3), b.zeros(2, 3), b.zeros(3, 2), ADAGRAD, 1),
                        "(2, 3)",
                        "(3, 2)"),
                call("upload of 5 values as (2, 3)", b -> b.upload(new float[5], 2, 3), "(2, 3)", "5"),
                call(
                        "sparseInputDense weight (5, 9) for 8 features",
                        b -> b.sparseInputDense(input(b), b.zeros(1, INPUT_NNZ), b.zeros(5, 9), b.zeros(4, 5)),
                        "(5, 8)",
                        "(5, 9)"),
                call(
                        "sparseInputDense y (4, 6) for a (5, 8) weight",
                        b -> b.sparseInputDense(input(b), b.zeros(1, INPUT_NNZ), b.zeros(5, 8), b.zeros(4, 6)),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "sparseInputDense input values one longer than nnz",
                        b -> b.sparseInputDense(input(b), b.zeros(1, INPUT_NNZ + 1), b.zeros(5, 8), b.zeros(4, 5)),
                        "(1, " + INPUT_NNZ + ")",
                        "(1, " + (INPUT_NNZ + 1) + ")"),
                call(
                        "sparseInputDenseWeightGradient dWeight (5, 7) for 8 features",
                        b -> b.sparseInputDenseWeightGradient(
                                input(b), b.zeros(1, INPUT_NNZ), b.zeros(4, 5), b.zeros(5, 7), false),
                        "(5, 8)",
                        "(5, 7)"),
                call(
                        "sparseInputDenseWeightGradient dy (3, 5) for 4 samples",
                        b -> b.sparseInputDenseWeightGradient(
                                input(b), b.zeros(1, INPUT_NNZ), b.zeros(3, 5), b.zeros(5, 8), false),
                        "(4, 5)",
                        "(3, 5)"),
                call(
                        "sparseInputDenseInputGradient weight (5, 9) for 8 features",
                        b -> b.sparseInputDenseInputGradient(
                                input(b), b.zeros(4, 5), b.zeros(5, 9), b.zeros(1, INPUT_NNZ), false),
                        "(5, 8)",
                        "(5, 9)"),
                call(
                        "sparseInputSparse weight of 9 inputs for 8 features",
                        b -> b.sparseInputSparse(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                b.pattern(Patterns.full(5, 9)),
                                b.zeros(1, 45),
                                b.zeros(4, 5)),
                        "8 features",
                        "9 inputs"),
                call(
                        "sparseInputSparse y (4, 6) for a (5, 8) weight",
                        b -> b.sparseInputSparse(
                                input(b), b.zeros(1, INPUT_NNZ), weight(b), b.zeros(1, NNZ), b.zeros(4, 6)),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "sparseInputSparseWeightGradient values one shorter than the weight's nnz",
                        b -> b.sparseInputSparseWeightGradient(
                                input(b), b.zeros(1, INPUT_NNZ), weight(b), b.zeros(4, 5), b.zeros(1, NNZ - 1), false),
                        "(1, " + NNZ + ")",
                        "(1, " + (NNZ - 1) + ")"),
                call(
                        "sparseInputSparseWeightGradient weight of 9 inputs for 8 features",
                        b -> b.sparseInputSparseWeightGradient(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                b.pattern(Patterns.full(5, 9)),
                                b.zeros(4, 5),
                                b.zeros(1, 45),
                                false),
                        "8 features",
                        "9 inputs"),
                call(
                        "sparseInputSparseInputGradient dy (4, 6) for a (5, 8) weight",
                        b -> b.sparseInputSparseInputGradient(
                                input(b), weight(b), b.zeros(1, NNZ), b.zeros(4, 6), b.zeros(1, INPUT_NNZ), false),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "sparseInputTransposedSparse weight of 9 rows for 8 features",
                        b -> b.sparseInputTransposedSparse(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                b.pattern(Patterns.full(9, 5)),
                                b.zeros(1, 45),
                                b.zeros(4, 5)),
                        "8 features",
                        "9 rows"),
                call(
                        "sparseInputTransposedSparse y (4, 6) for an (8, 5) weight",
                        b -> b.sparseInputTransposedSparse(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                b.pattern(Patterns.full(8, 5)),
                                b.zeros(1, 40),
                                b.zeros(4, 6)),
                        "(4, 5)",
                        "(4, 6)"),
                call(
                        "sparseInputTransposedSparseWeightGradient values one shorter than the weight's nnz",
                        b -> b.sparseInputTransposedSparseWeightGradient(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                b.pattern(Patterns.full(8, 5)),
                                b.zeros(4, 5),
                                b.zeros(1, 39),
                                false),
                        "(1, 40)",
                        "(1, 39)"),
                call(
                        "sparseInputTransposedSparseInputGradient dy (4, 6) for an (8, 5) weight",
                        b -> b.sparseInputTransposedSparseInputGradient(
                                input(b),
                                b.pattern(Patterns.full(8, 5)),
                                b.zeros(1, 40),
                                b.zeros(4, 6),
                                b.zeros(1, INPUT_NNZ),
                                false),
                        "(4, 5)",
                        "(4, 6)"));
    }

    /** Outputs that are one of the inputs: each has the shape of the input it aliases. */
    static Stream<BadCall> aliasedOutputs() {
        return Stream.of(
                call(
                        "sparseInputDense y is the input values",
                        b -> {
                            DenseMatrix values = b.zeros(1, 8);
                            b.sparseInputDense(b.pattern(ONE_FULL_SAMPLE), values, b.zeros(8, 8), values);
                        },
                        "must not be"),
                call(
                        "sparseInputDenseWeightGradient dWeight is dy",
                        b -> {
                            DenseMatrix dy = b.zeros(8, 8);
                            b.sparseInputDenseWeightGradient(
                                    b.pattern(Patterns.full(8, 8)), b.zeros(1, 64), dy, dy, false);
                        },
                        "must not be"),
                call(
                        "sparseInputDenseInputGradient dxValues is dy",
                        b -> {
                            DenseMatrix dy = b.zeros(1, 8);
                            b.sparseInputDenseInputGradient(b.pattern(ONE_FULL_SAMPLE), dy, b.zeros(8, 8), dy, true);
                        },
                        "must not be"),
                call(
                        "sparseInputSparse y is the weight values",
                        b -> {
                            DenseMatrix values = b.zeros(1, 8);
                            b.sparseInputSparse(
                                    b.pattern(ONE_FULL_SAMPLE), b.zeros(1, 8), b.pattern(ONE_PER_ROW), values, values);
                        },
                        "must not be"),
                call(
                        "sparseInputSparseWeightGradient dValues is dy",
                        b -> {
                            DenseMatrix dy = b.zeros(1, 8);
                            b.sparseInputSparseWeightGradient(
                                    b.pattern(ONE_FULL_SAMPLE), b.zeros(1, 8), b.pattern(ONE_PER_ROW), dy, dy, false);
                        },
                        "must not be"),
                call(
                        "sparseInputSparseInputGradient dxValues is the weight values",
                        b -> {
                            DenseMatrix values = b.zeros(1, 8);
                            b.sparseInputSparseInputGradient(
                                    b.pattern(ONE_FULL_SAMPLE),
                                    b.pattern(ONE_PER_ROW),
                                    values,
                                    b.zeros(1, 8),
                                    values,
                                    false);
                        },
                        "must not be"));
    }

    static Stream<BadCall> foreignResources() {
        String name = ForeignResources.BACKEND_NAME;
        return Stream.of(
                call("download", b -> b.download(ForeignResources.matrix(2, 3)), name),
                call("copy from", b -> b.copy(ForeignResources.matrix(2, 3), b.zeros(2, 3)), name),
                call("copy into", b -> b.copy(b.zeros(2, 3), ForeignResources.matrix(2, 3)), name),
                call(
                        "spmm weight pattern",
                        b -> b.spmm(ForeignResources.pattern(WEIGHT), b.zeros(1, NNZ), b.zeros(4, 8), b.zeros(4, 5)),
                        name),
                call(
                        "spmm x",
                        b -> b.spmm(weight(b), b.zeros(1, NNZ), ForeignResources.matrix(4, 8), b.zeros(4, 5)),
                        name),
                call(
                        "sparseInputDense input pattern",
                        b -> b.sparseInputDense(
                                ForeignResources.pattern(INPUT), b.zeros(1, INPUT_NNZ), b.zeros(5, 8), b.zeros(4, 5)),
                        name),
                call(
                        "sparseInputSparse weight pattern",
                        b -> b.sparseInputSparse(
                                input(b),
                                b.zeros(1, INPUT_NNZ),
                                ForeignResources.pattern(WEIGHT),
                                b.zeros(1, NNZ),
                                b.zeros(4, 5)),
                        name),
                call(
                        "gemm b",
                        b -> b.gemm(b.zeros(2, 3), false, ForeignResources.matrix(3, 2), false, b.zeros(2, 2), false),
                        name),
                call(
                        "layerNormBackward dGamma",
                        b -> b.layerNormBackward(
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 3),
                                b.zeros(1, 3),
                                b.zeros(3, 4),
                                b.zeros(3, 4),
                                ForeignResources.matrix(1, 4),
                                null),
                        name),
                call(
                        "softmaxCrossEntropy loss",
                        b -> b.softmaxCrossEntropy(
                                b.zeros(2, 3), new int[] {0, 0}, b.zeros(2, 3), ForeignResources.matrix(1, 1)),
                        name),
                call(
                        "sgdStep velocity",
                        b -> b.sgdStep(b.zeros(2, 3), b.zeros(2, 3), ForeignResources.matrix(2, 3), SGD_WITH_MOMENTUM),
                        name),
                call(
                        "adamStep first moment",
                        b -> b.adamStep(
                                b.zeros(2, 3), b.zeros(2, 3), ForeignResources.matrix(2, 3), b.zeros(2, 3), ADAM, 1),
                        name),
                call(
                        "adagradStep sum",
                        b -> b.adagradStep(b.zeros(2, 3), b.zeros(2, 3), ForeignResources.matrix(2, 3), ADAGRAD, 1),
                        name));
    }

    static Stream<BadCall> badLabels() {
        return Stream.of(
                call(
                        "softmaxCrossEntropy label 4 of 4 classes",
                        b -> b.softmaxCrossEntropy(b.zeros(3, 4), new int[] {0, 4, 1}, b.zeros(3, 4), b.zeros(1, 1)),
                        "4"),
                call(
                        "softmaxCrossEntropy label -1",
                        b -> b.softmaxCrossEntropy(b.zeros(3, 4), new int[] {0, 1, -1}, b.zeros(3, 4), b.zeros(1, 1)),
                        "-1"),
                call(
                        "softmaxCrossEntropyBackward label 1000",
                        b -> b.softmaxCrossEntropyBackward(
                                b.zeros(3, 4), new int[] {1000, 0, 0}, b.zeros(1, 1), b.zeros(3, 4), false),
                        "1000"),
                call(
                        "softmaxCrossEntropy 2 labels for 3 rows",
                        b -> b.softmaxCrossEntropy(b.zeros(3, 4), new int[] {0, 1}, b.zeros(3, 4), b.zeros(1, 1)),
                        "2",
                        "3"));
    }

    static Stream<BadCall> otherBadArguments() {
        return Stream.of(
                call("zeros with 0 rows", b -> b.zeros(0, 3), "rows"),
                call(
                        "sgdStep with momentum and no velocity",
                        b -> b.sgdStep(b.zeros(2, 3), b.zeros(2, 3), null, SGD_WITH_MOMENTUM),
                        "velocity"),
                call(
                        "adamStep at step 0",
                        b -> b.adamStep(b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 3), ADAM, 0),
                        "step"),
                call(
                        "adagradStep at step 0",
                        b -> b.adagradStep(b.zeros(2, 3), b.zeros(2, 3), b.zeros(2, 3), ADAGRAD, 0),
                        "step"),
                call(
                        "layerNorm epsilon 0",
                        b -> b.layerNorm(
                                b.zeros(3, 4),
                                b.zeros(1, 4),
                                b.zeros(1, 4),
                                0,
                                b.zeros(3, 4),
                                b.zeros(1, 3),
                                b.zeros(1, 3)),
                        "epsilon"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badShapes")
    @DisplayName("a shape mismatch is refused, naming both shapes")
    void badShapeIsRefused(BadCall call) {
        assertRefused(call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aliasedOutputs")
    @DisplayName("an output that is one of the inputs is refused")
    void aliasedOutputIsRefused(BadCall call) {
        assertRefused(call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignResources")
    @DisplayName("a matrix of another backend is refused, naming that backend")
    void foreignResourceIsRefused(BadCall call) {
        assertRefused(call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badLabels")
    @DisplayName("a label outside the classes is refused, naming it")
    void badLabelIsRefused(BadCall call) {
        assertRefused(call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherBadArguments")
    @DisplayName("other bad arguments are refused, naming the argument")
    void otherBadArgumentIsRefused(BadCall call) {
        assertRefused(call);
    }

    private void assertRefused(BadCall call) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> call.call().accept(backend()));
        String message = String.valueOf(e.getMessage());
        for (String fragment : call.fragments()) {
            assertTrue(message.contains(fragment), () -> "the message should contain '" + fragment + "': " + message);
        }
    }
}
