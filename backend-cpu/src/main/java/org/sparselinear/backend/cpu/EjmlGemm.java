package org.sparselinear.backend.cpu;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * Dense products through EJML ({@code ejml-fdense}), multi-threaded with its concurrent
 * operations when the backend has more than one thread: the products of a JVM without the
 * Vector API, and the matrix-vector products (a single output row) of one with it.
 *
 * <p>A column-major {@code (r, c)} matrix is, read as row-major, its transpose {@code (c, r)},
 * so EJML wraps the arrays without copying and computes {@code C^T = op(B)^T op(A)^T}.
 */
final class EjmlGemm implements ColumnMajorGemm {

    private final boolean concurrent;

    EjmlGemm(int threads) {
        this.concurrent = threads > 1;
        if (concurrent) {
            EjmlConcurrency.setMaxThreads(threads);
        }
    }

    @Override
    public void multiply(
            float[] a,
            boolean transposeA,
            float[] b,
            boolean transposeB,
            float[] c,
            int m,
            int n,
            int k,
            boolean accumulate) {
        // The row-major view of a column-major (rows, columns) array is (columns, rows).
        FMatrixRMaj at = transposeA ? FMatrixRMaj.wrap(m, k, a) : FMatrixRMaj.wrap(k, m, a);
        FMatrixRMaj bt = transposeB ? FMatrixRMaj.wrap(k, n, b) : FMatrixRMaj.wrap(n, k, b);
        FMatrixRMaj ct = FMatrixRMaj.wrap(n, m, c);
        // C^T = op(B)^T op(A)^T: an untransposed operand contributes its wrapped transpose as is.
        multiply(bt, transposeB, at, transposeA, ct, accumulate);
    }

    private void multiply(FMatrixRMaj x, boolean tx, FMatrixRMaj y, boolean ty, FMatrixRMaj out, boolean add) {
        if (concurrent) {
            if (tx && ty) {
                if (add) CommonOps_MT_FDRM.multAddTransAB(x, y, out);
                else CommonOps_MT_FDRM.multTransAB(x, y, out);
            } else if (tx) {
                if (add) CommonOps_MT_FDRM.multAddTransA(x, y, out);
                else CommonOps_MT_FDRM.multTransA(x, y, out);
            } else if (ty) {
                if (add) CommonOps_MT_FDRM.multAddTransB(x, y, out);
                else CommonOps_MT_FDRM.multTransB(x, y, out);
            } else {
                if (add) CommonOps_MT_FDRM.multAdd(x, y, out);
                else CommonOps_MT_FDRM.mult(x, y, out);
            }
        } else {
            if (tx && ty) {
                if (add) CommonOps_FDRM.multAddTransAB(x, y, out);
                else CommonOps_FDRM.multTransAB(x, y, out);
            } else if (tx) {
                if (add) CommonOps_FDRM.multAddTransA(x, y, out);
                else CommonOps_FDRM.multTransA(x, y, out);
            } else if (ty) {
                if (add) CommonOps_FDRM.multAddTransB(x, y, out);
                else CommonOps_FDRM.multTransB(x, y, out);
            } else {
                if (add) CommonOps_FDRM.multAdd(x, y, out);
                else CommonOps_FDRM.mult(x, y, out);
            }
        }
    }
}
