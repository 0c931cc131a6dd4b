package org.sparselinear.spark;

import java.util.List;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Sample;

/**
 * Turns Spark ML feature {@link Vector}s into the library's inputs. A batch in which any vector is
 * a {@link SparseVector} becomes a {@link SparseTensor} holding only the stored entries (dense
 * vectors in it contribute their non-zeros): sparse data are never densified. A batch of dense
 * vectors only is a dense tensor. Every vector must have the width the network was built for.
 */
final class FeatureRows {

    private FeatureRows() {}

    /**
     * One training sample with a class label ({@code target == null}) or a target vector: sparse
     * when {@code sparse} (a dense vector then gives its non-zeros), else dense.
     */
    static Sample sample(Vector features, int width, boolean sparse, int label, float[] target) {
        check(features, width);
        if (sparse) {
            SparseVector s = features.toSparse();
            float[] values = floats(s.values());
            return target == null
                    ? Sample.sparse(s.indices(), values, label)
                    : Sample.sparse(s.indices(), values, target);
        }
        float[] values = floats(features.toArray());
        return target == null ? Sample.dense(values, label) : Sample.dense(values, target);
    }

    /** The vectors as one input tensor of shape {@code (batch, width)} in the current memory scope. */
    static Tensor tensor(Backend backend, List<Vector> batch, int width) {
        boolean sparse = false;
        long nnz = 0;
        for (Vector v : batch) {
            check(v, width);
            sparse |= v instanceof SparseVector;
            nnz += v.numActives();
        }
        int rows = batch.size();
        if (!sparse) {
            float[] dense = new float[Math.multiplyExact(rows, width)];
            for (int r = 0; r < rows; r++) {
                double[] values = ((DenseVector) batch.get(r)).values();
                for (int c = 0; c < width; c++) {
                    dense[r * width + c] = (float) values[c];
                }
            }
            return Tensor.constant(backend.upload(dense, rows, width), rows, width);
        }
        int[] rowPointers = new int[rows + 1];
        int[] columns = new int[Math.toIntExact(nnz)];
        float[] values = new float[columns.length];
        int at = 0;
        for (int r = 0; r < rows; r++) {
            Vector v = batch.get(r);
            if (v instanceof SparseVector s) {
                int[] idx = s.indices();
                double[] val = s.values();
                for (int j = 0; j < idx.length; j++) {
                    columns[at] = idx[j];
                    values[at++] = (float) val[j];
                }
            } else {
                double[] val = ((DenseVector) v).values();
                for (int c = 0; c < width; c++) {
                    if (val[c] != 0) {
                        columns[at] = c;
                        values[at++] = (float) val[c];
                    }
                }
            }
            rowPointers[r + 1] = at;
        }
        Connectivity pattern = Connectivity.fromCsr(rows, width, rowPointers, java.util.Arrays.copyOf(columns, at));
        return SparseTensor.upload(backend, pattern, java.util.Arrays.copyOf(values, at));
    }

    private static void check(Vector features, int width) {
        if (features == null) {
            throw new IllegalArgumentException("a features value is null; drop or impute such rows before the "
                    + "SparseNet estimator (e.g. dataset.na().drop())");
        }
        if (features.size() != width) {
            throw new IllegalArgumentException("a feature vector has " + features.size() + " features but the "
                    + "network takes " + width + "; give every row a vector of the same size (as HashingTF or "
                    + "VectorAssembler make them)");
        }
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}
