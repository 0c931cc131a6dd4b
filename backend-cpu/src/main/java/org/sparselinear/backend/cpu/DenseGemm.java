package org.sparselinear.backend.cpu;

import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * Dense matrix products through EJML ({@code ejml-fdense}), multi-threaded with its concurrent
 * operations when the backend has more than one thread.
 *
 * <p>A feature-major {@code (r, c)} matrix is, read as row-major, its transpose {@code (c, r)},
 * so EJML wraps the arrays without copying and computes {@code C^T = op(B)^T op(A)^T}.
 */
final class DenseGemm {

    private final boolean concurrent;

    DenseGemm(int threads) {
        this.concurrent = threads > 1;
        if (concurrent) {
            EjmlConcurrency.setMaxThreads(threads);
        }
    }

    /** {@code c (+)= op(a) op(b)}, all feature-major. */
    void gemm(
            CpuDenseMatrix a,
            boolean transposeA,
            CpuDenseMatrix b,
            boolean transposeB,
            CpuDenseMatrix c,
            boolean accumulate) {
        int inner = transposeA ? a.rows() : a.columns();
        if (inner == 0 || c.size() == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c.data(), 0f);
            }
            return;
        }
        FMatrixRMaj at = FMatrixRMaj.wrap(a.columns(), a.rows(), a.data());
        FMatrixRMaj bt = FMatrixRMaj.wrap(b.columns(), b.rows(), b.data());
        FMatrixRMaj ct = FMatrixRMaj.wrap(c.columns(), c.rows(), c.data());
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
