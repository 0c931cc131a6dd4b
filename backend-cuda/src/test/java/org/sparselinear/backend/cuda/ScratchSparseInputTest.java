package org.sparselinear.backend.cuda;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Patterns;
import org.sparselinear.tck.reference.ReferenceOps;
import org.sparselinear.tck.reference.TestData;
import org.sparselinear.tck.reference.Tolerance;

@RequiresEmulator
class ScratchSparseInputTest {

    @ParameterizedTest
    @CsvSource({"1,50,70,0.1,0.2", "64,50,70,0.05,0.3", "7,300,40,0.02,0.1", "5,40,300,0.3,0.5", "3,20,30,0,0.2"})
    void matches(int batch, int in, int out, double xDensity, double wDensity) {
        TestData data = new TestData(3);
        try (CudaBackend backend = new CudaBackend(new EmulatedDevice(), SparseRoute.Mode.NEVER, false, -1);
                MemoryScope scope = backend.newScope()) {
            Connectivity xp = Patterns.random(batch, in, xDensity, 4);
            Connectivity wp = Patterns.random(out, in, wDensity, 5);
            float[] xv = data.signed(xp.nnz());
            float[] wv = data.signed(wp.nnz());
            float[] xd = new float[batch * in];
            for (int b = 0; b < batch; b++)
                for (int k = xp.rowStart(b); k < xp.rowStart(b + 1); k++) xd[b * in + xp.column(k)] = xv[k];
            HostMatrix xh = new HostMatrix(batch, in, xd);
            HostMatrix w = data.signed(out, in);
            HostMatrix dy = data.signed(batch, out);
            SparseMatrix X = backend.pattern(xp);
            SparseMatrix W = backend.pattern(wp);
            DenseMatrix XV = backend.upload(xv, 1, xp.nnz());
            DenseMatrix WV = backend.upload(wv, 1, wp.nnz());
            DenseMatrix Wd = backend.upload(w.values(), out, in);
            DenseMatrix DY = backend.upload(dy.values(), batch, out);
            DenseMatrix y = nan(backend, batch, out);
            backend.sparseInputDense(X, XV, Wd, y);
            Tolerance.assertMatches("dense fwd", ReferenceOps.gemm(xh, false, w, true), backend.download(y));
            DenseMatrix dW = nan(backend, out, in);
            backend.sparseInputDenseWeightGradient(X, XV, DY, dW, false);
            Tolerance.assertMatches("dense dW", ReferenceOps.gemm(dy, true, xh, false), backend.download(dW));
            Expected dxFull = ReferenceOps.gemm(dy, false, w, false);
            DenseMatrix dxv = nan(backend, 1, xp.nnz());
            backend.sparseInputDenseInputGradient(X, DY, Wd, dxv, false);
            Tolerance.assertMatches("dense dx", sample(xp, dxFull), backend.download(dxv));
            DenseMatrix ys = nan(backend, batch, out);
            backend.sparseInputSparse(X, XV, W, WV, ys);
            Tolerance.assertMatches("sparse fwd", ReferenceOps.spmm(wp, wv, xh), backend.download(ys));
            DenseMatrix dwv = nan(backend, 1, wp.nnz());
            backend.sparseInputSparseWeightGradient(X, XV, W, DY, dwv, false);
            Tolerance.assertMatches("sparse dW", ReferenceOps.sddmm(wp, dy, xh), backend.download(dwv));
            DenseMatrix dxs = nan(backend, 1, xp.nnz());
            backend.sparseInputSparseInputGradient(X, W, WV, DY, dxs, false);
            Tolerance.assertMatches(
                    "sparse dx", sample(xp, ReferenceOps.spmmTransposed(wp, wv, dy)), backend.download(dxs));
        }
    }

    static Expected sample(Connectivity xp, Expected full) {
        Expected e = new Expected(1, xp.nnz());
        for (int b = 0; b < xp.rows(); b++)
            for (int k = xp.rowStart(b); k < xp.rowStart(b + 1); k++)
                e.add(k, full.value(b * xp.columns() + xp.column(k)), full.magnitude(b * xp.columns() + xp.column(k)));
        return e;
    }

    static DenseMatrix nan(CudaBackend backend, int r, int c) {
        float[] v = new float[r * c];
        Arrays.fill(v, Float.NaN);
        return backend.upload(v, r, c);
    }
}
