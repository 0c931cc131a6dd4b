package org.sparselinear.tck.naive;

import org.sparselinear.api.Activation;
import org.sparselinear.api.Bf16Values;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AdamSettings;

/**
 * {@link NaiveBackend} with one operation of one family made wrong: after the correct kernel,
 * it adds 1 to the first element of that operation's output. The kit's self-test runs the
 * family's contract on it, which must fail.
 */
final class BrokenNaiveBackend extends NaiveBackend {

    /** The families of {@link org.sparselinear.spi}, by the kit's nested class that checks each. */
    enum Family {
        MEMORY("Memory"),
        SPARSE_PRODUCTS("SparseProducts"),
        SPARSE_INPUT_PRODUCTS("SparseInputProducts"),
        DENSE_PRODUCTS("DenseProducts"),
        ELEMENTWISE("Elementwise"),
        NORMALIZATION_AND_LOSS("NormalizationAndLoss"),
        OPTIMIZERS("Optimizers"),
        SPARSITY("Sparsity"),
        BF16_PRODUCTS("Bf16Products");

        private final String contract;

        Family(String contract) {
            this.contract = contract;
        }

        /** The simple name of the family's nested contract class in the kit. */
        String contract() {
            return contract;
        }
    }

    private final Family broken;

    /** Breaks one operation of {@code broken}: fill, spmm, sparseInputSparse, gemm, activate, softmaxCrossEntropy, adamStep, gather or spmmBf16. */
    BrokenNaiveBackend(Family broken) {
        this.broken = broken;
    }

    @Override
    public String name() {
        return "naive with a broken " + broken.contract();
    }

    @Override
    protected void fillImpl(DenseMatrix matrix, float value) {
        super.fillImpl(matrix, value);
        corruptIf(Family.MEMORY, matrix);
    }

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        super.spmmImpl(weight, values, x, y);
        corruptIf(Family.SPARSE_PRODUCTS, y);
    }

    @Override
    protected void sparseInputSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y) {
        super.sparseInputSparseImpl(x, xValues, weight, weightValues, y);
        corruptIf(Family.SPARSE_INPUT_PRODUCTS, y);
    }

    @Override
    protected void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        super.gemmImpl(a, transposeA, b, transposeB, c, accumulate);
        corruptIf(Family.DENSE_PRODUCTS, c);
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        super.activateImpl(function, x, y);
        corruptIf(Family.ELEMENTWISE, y);
    }

    @Override
    protected void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        super.softmaxCrossEntropyImpl(logits, labels, probabilities, loss);
        corruptIf(Family.NORMALIZATION_AND_LOSS, loss);
    }

    @Override
    protected void adamStepImpl(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step) {
        super.adamStepImpl(parameter, gradient, firstMoment, secondMoment, settings, step);
        corruptIf(Family.OPTIMIZERS, parameter);
    }

    @Override
    protected void gatherImpl(DenseMatrix source, int[] sourcePositions, DenseMatrix target) {
        super.gatherImpl(source, sourcePositions, target);
        corruptIf(Family.SPARSITY, target);
    }

    @Override
    protected void spmmBf16Impl(SparseMatrix weight, Bf16Values values, DenseMatrix x, DenseMatrix y) {
        super.spmmBf16Impl(weight, values, x, y);
        corruptIf(Family.BF16_PRODUCTS, y);
    }

    private void corruptIf(Family family, DenseMatrix output) {
        float[] values = downloadImpl(output);
        if (family == broken && values.length > 0) {
            values[0] += 1;
            uploadImpl(values, output);
        }
    }
}
