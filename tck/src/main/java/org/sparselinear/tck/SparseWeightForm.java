package org.sparselinear.tck;

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
    ROW_ORDER("sparseInputSparse") {
        @Override
        Connectivity pattern(Connectivity weight) {
            return weight;
        }

        @Override
        void forward(
                Backend b, SparseMatrix x, DenseMatrix xValues, SparseMatrix w, DenseMatrix values, DenseMatrix y) {
            b.sparseInputSparse(x, xValues, w, values, y);
        }

        @Override
        void weightGradient(
                Backend b,
                SparseMatrix x,
                DenseMatrix xValues,
                SparseMatrix w,
                DenseMatrix dy,
                DenseMatrix out,
                boolean acc) {
            b.sparseInputSparseWeightGradient(x, xValues, w, dy, out, acc);
        }

        @Override
        void inputGradient(
                Backend b,
                SparseMatrix x,
                SparseMatrix w,
                DenseMatrix values,
                DenseMatrix dy,
                DenseMatrix out,
                boolean acc) {
            b.sparseInputSparseInputGradient(x, w, values, dy, out, acc);
        }

        @Override
        Expected referenceForward(Connectivity x, float[] xValues, Connectivity w, float[] values) {
            return ReferenceSparseInput.sparseForward(x, xValues, w, values);
        }

        @Override
        Expected referenceWeightGradient(Connectivity x, float[] xValues, Connectivity w, HostMatrix dy) {
            return ReferenceSparseInput.sparseWeightGradient(x, xValues, w, dy);
        }

        @Override
        Expected referenceInputGradient(Connectivity x, Connectivity w, float[] values, HostMatrix dy) {
            return ReferenceSparseInput.sparseInputGradient(x, w, values, dy);
        }
    },
    INPUT_MAJOR("sparseInputTransposedSparse") {
        @Override
        Connectivity pattern(Connectivity weight) {
            int[][] coo = weight.toCoo();
            return Connectivity.fromCoo(weight.columns(), weight.rows(), new int[][] {coo[1], coo[0]});
        }

        @Override
        void forward(
                Backend b, SparseMatrix x, DenseMatrix xValues, SparseMatrix w, DenseMatrix values, DenseMatrix y) {
            b.sparseInputTransposedSparse(x, xValues, w, values, y);
        }

        @Override
        void weightGradient(
                Backend b,
                SparseMatrix x,
                DenseMatrix xValues,
                SparseMatrix w,
                DenseMatrix dy,
                DenseMatrix out,
                boolean acc) {
            b.sparseInputTransposedSparseWeightGradient(x, xValues, w, dy, out, acc);
        }

        @Override
        void inputGradient(
                Backend b,
                SparseMatrix x,
                SparseMatrix w,
                DenseMatrix values,
                DenseMatrix dy,
                DenseMatrix out,
                boolean acc) {
            b.sparseInputTransposedSparseInputGradient(x, w, values, dy, out, acc);
        }

        @Override
        Expected referenceForward(Connectivity x, float[] xValues, Connectivity w, float[] values) {
            return ReferenceSparseInput.transposedSparseForward(x, xValues, w, values);
        }

        @Override
        Expected referenceWeightGradient(Connectivity x, float[] xValues, Connectivity w, HostMatrix dy) {
            return ReferenceSparseInput.transposedSparseWeightGradient(x, xValues, w, dy);
        }

        @Override
        Expected referenceInputGradient(Connectivity x, Connectivity w, float[] values, HostMatrix dy) {
            return ReferenceSparseInput.transposedSparseInputGradient(x, w, values, dy);
        }
    };

    /** The name of the form's forward operation; its gradients add {@code WeightGradient}, {@code InputGradient}. */
    final String operation;

    SparseWeightForm(String operation) {
        this.operation = operation;
    }

    /** The pattern the form's operations take for the weight {@code weight (out, in)}. */
    abstract Connectivity pattern(Connectivity weight);

    abstract void forward(
            Backend b, SparseMatrix x, DenseMatrix xValues, SparseMatrix w, DenseMatrix values, DenseMatrix y);

    abstract void weightGradient(
            Backend b,
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix w,
            DenseMatrix dy,
            DenseMatrix out,
            boolean acc);

    abstract void inputGradient(
            Backend b,
            SparseMatrix x,
            SparseMatrix w,
            DenseMatrix values,
            DenseMatrix dy,
            DenseMatrix out,
            boolean acc);

    /** The forward product over the form's pattern {@code w} (from {@link #pattern}). */
    abstract Expected referenceForward(Connectivity x, float[] xValues, Connectivity w, float[] values);

    abstract Expected referenceWeightGradient(Connectivity x, float[] xValues, Connectivity w, HostMatrix dy);

    abstract Expected referenceInputGradient(Connectivity x, Connectivity w, float[] values, HostMatrix dy);

    @Override
    public String toString() {
        return operation;
    }
}
