package org.sparselinear.tck;

import java.util.function.UnaryOperator;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.ReferenceSparseInput;

/**
 * The two forms in which {@link org.sparselinear.spi.SparseInputProducts} take a sparse weight {@code W (out, in)},
 * each with its three products and their references, so that one contract checks both: in its row order (the
 * {@code sparseInputSparse} operations, pattern {@code W}), or held input-major (the
 * {@code sparseInputTransposedSparse} operations, pattern {@code W^T}).
 */
enum SparseWeightForm {
    ROW_ORDER(
            "sparseInputSparse",
            weight -> weight,
            Backend::sparseInputSparse,
            Backend::sparseInputSparseWeightGradient,
            Backend::sparseInputSparseInputGradient,
            ReferenceSparseInput::sparseForward,
            ReferenceSparseInput::sparseWeightGradient,
            ReferenceSparseInput::sparseInputGradient),
    INPUT_MAJOR(
            "sparseInputTransposedSparse",
            Connectivity::transposed,
            Backend::sparseInputTransposedSparse,
            Backend::sparseInputTransposedSparseWeightGradient,
            Backend::sparseInputTransposedSparseInputGradient,
            ReferenceSparseInput::transposedSparseForward,
            ReferenceSparseInput::transposedSparseWeightGradient,
            ReferenceSparseInput::transposedSparseInputGradient);

    /** {@code y = X W^T}, overwriting {@code y}. */
    interface Forward {
        void run(Backend b, SparseMatrix x, DenseMatrix xValues, SparseMatrix w, DenseMatrix values, DenseMatrix y);
    }

    /** The weight gradient at the connections. */
    interface WeightGradient {
        void run(
                Backend b,
                SparseMatrix x,
                DenseMatrix xValues,
                SparseMatrix w,
                DenseMatrix dy,
                DenseMatrix out,
                boolean accumulate);
    }

    /** The gradient of the input values. */
    interface InputGradient {
        void run(
                Backend b,
                SparseMatrix x,
                SparseMatrix w,
                DenseMatrix values,
                DenseMatrix dy,
                DenseMatrix out,
                boolean accumulate);
    }

    /** The forward product's reference, over the form's pattern. */
    interface ReferenceForward {
        Expected of(Connectivity x, float[] xValues, Connectivity w, float[] values);
    }

    /** The weight gradient's reference, over the form's pattern. */
    interface ReferenceWeightGradient {
        Expected of(Connectivity x, float[] xValues, Connectivity w, HostMatrix dy);
    }

    /** The input gradient's reference, over the form's pattern. */
    interface ReferenceInputGradient {
        Expected of(Connectivity x, Connectivity w, float[] values, HostMatrix dy);
    }

    /** The name of the form's forward operation; its gradients add {@code WeightGradient}, {@code InputGradient}. */
    final String operation;
    /** The pattern the form's operations take for the weight {@code (out, in)}. */
    final UnaryOperator<Connectivity> pattern;

    final Forward forward;
    final WeightGradient weightGradient;
    final InputGradient inputGradient;
    final ReferenceForward referenceForward;
    final ReferenceWeightGradient referenceWeightGradient;
    final ReferenceInputGradient referenceInputGradient;

    SparseWeightForm(
            String operation,
            UnaryOperator<Connectivity> pattern,
            Forward forward,
            WeightGradient weightGradient,
            InputGradient inputGradient,
            ReferenceForward referenceForward,
            ReferenceWeightGradient referenceWeightGradient,
            ReferenceInputGradient referenceInputGradient) {
        this.operation = operation;
        this.pattern = pattern;
        this.forward = forward;
        this.weightGradient = weightGradient;
        this.inputGradient = inputGradient;
        this.referenceForward = referenceForward;
        this.referenceWeightGradient = referenceWeightGradient;
        this.referenceInputGradient = referenceInputGradient;
    }

    @Override
    public String toString() {
        return operation;
    }
}
