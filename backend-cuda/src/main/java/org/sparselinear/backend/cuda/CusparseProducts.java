package org.sparselinear.backend.cuda;

import static jcuda.jcusparse.JCusparse.cusparseCreate;
import static jcuda.jcusparse.JCusparse.cusparseCreateCsr;
import static jcuda.jcusparse.JCusparse.cusparseCreateDnMat;
import static jcuda.jcusparse.JCusparse.cusparseDestroy;
import static jcuda.jcusparse.JCusparse.cusparseDestroyDnMat;
import static jcuda.jcusparse.JCusparse.cusparseDestroySpMat;
import static jcuda.jcusparse.JCusparse.cusparseGetVersion;
import static jcuda.jcusparse.JCusparse.cusparseSDDMM;
import static jcuda.jcusparse.JCusparse.cusparseSDDMM_bufferSize;
import static jcuda.jcusparse.JCusparse.cusparseSetStream;
import static jcuda.jcusparse.JCusparse.cusparseSpMM;
import static jcuda.jcusparse.JCusparse.cusparseSpMM_bufferSize;

import jcuda.Pointer;
import jcuda.cudaDataType;
import jcuda.jcusparse.JCusparse;
import jcuda.jcusparse.cusparseDnMatDescr;
import jcuda.jcusparse.cusparseHandle;
import jcuda.jcusparse.cusparseIndexBase;
import jcuda.jcusparse.cusparseIndexType;
import jcuda.jcusparse.cusparseOperation;
import jcuda.jcusparse.cusparseOrder;
import jcuda.jcusparse.cusparseSDDMMAlg;
import jcuda.jcusparse.cusparseSpMMAlg;
import jcuda.jcusparse.cusparseSpMatDescr;
import jcuda.jcusparse.cusparseStatus;
import jcuda.runtime.cudaStream_t;
import org.sparselinear.device.DeviceBufferPool;
import org.sparselinear.device.DevicePattern;
import org.sparselinear.device.DevicePatternArrays;

/**
 * The sparse products through cuSPARSE's generic API ({@code cusparseSpMM}, {@code cusparseSDDMM}), on the
 * backend's stream, where {@code libcusparse.so.12} loads. The feature-major dense matrices are row-major
 * matrices of shape (features, batch) with leading dimension batch, so:
 * <ul>
 *   <li>forward: {@code Y^T (out, B) = W (out, in) X^T (in, B)}, SpMM with W's CSR, no transposes;</li>
 *   <li>input gradient: {@code dX^T (in, B) = W^T dY^T (out, B)}, SpMM with W's CSR and opA = transpose (the values
 *       stay in CSR order, nothing is copied);</li>
 *   <li>weight gradient: {@code dW = (dY^T (out, B) X (B, in)) o pattern}, SDDMM with X^T (in, B) row-major and
 *       opB = transpose, written into the CSR values {@code dValues}.</li>
 * </ul>
 * Outputs that are overwritten are zeroed first and computed with beta 0. Work buffers come from the backend's
 * pool. Each call makes the backend's context current first. Not thread-safe by itself: the backend calls it
 * under a lock on this object.
 */
final class CusparseProducts implements AutoCloseable {

    /**
     * Whether JCusparse's native loads, and why not.
     *
     * @param loaded whether {@code libcusparse.so.12} and JCusparse's binding loaded
     * @param reason why not, when not loaded
     */
    record Status(boolean loaded, String reason) {}

    private static Status cached;

    private final DriverDevice device;
    private final DeviceBufferPool<Long> pool;
    private final cusparseHandle handle = new cusparseHandle();
    private final String version;
    private boolean closed;

    private CusparseProducts(DriverDevice device, DeviceBufferPool<Long> pool) {
        this.device = device;
        this.pool = pool;
        device.current();
        check(cusparseCreate(handle), "cusparseCreate");
        check(cusparseSetStream(handle, new cudaStream_t(device.stream())), "cusparseSetStream");
        int[] number = {0};
        check(cusparseGetVersion(handle, number), "cusparseGetVersion");
        this.version = number[0] / 1000 + "." + number[0] % 1000 / 100 + "." + number[0] % 100;
    }

    /** Loads JCusparse once (catching the {@link LinkageError} of a missing {@code libcusparse.so.12}). */
    static synchronized Status status() {
        if (cached == null) {
            try {
                JCusparse.setExceptionsEnabled(false);
                cached = new Status(true, "");
            } catch (LinkageError e) {
                cached = new Status(false, "libcusparse.so.12 could not be loaded: " + CudaProbe.summary(e));
            }
        }
        return cached;
    }

    /** cuSPARSE on {@code device}'s stream, or null when its library does not load or its handle cannot be made. */
    static CusparseProducts openOrNull(DriverDevice device, DeviceBufferPool<Long> pool) {
        if (!status().loaded()) {
            return null;
        }
        try {
            return new CusparseProducts(device, pool);
        } catch (CudaException | LinkageError e) {
            return null;
        }
    }

    /** cuSPARSE's version, {@code "12.5.4"}. */
    String version() {
        return version;
    }

    /** {@code y = x W^T}: see the class comment. */
    void spmm(DevicePattern<Long> weight, long values, long x, long y, int batch) {
        multiply(
                weight,
                values,
                cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE,
                x,
                weight.columns(),
                y,
                weight.rows(),
                batch,
                false);
    }

    /** {@code dx (+)= dy W}: see the class comment. */
    void spmmTransposed(DevicePattern<Long> weight, long values, long dy, long dx, int batch, boolean accumulate) {
        multiply(
                weight,
                values,
                cusparseOperation.CUSPARSE_OPERATION_TRANSPOSE,
                dy,
                weight.rows(),
                dx,
                weight.columns(),
                batch,
                accumulate);
    }

    private void multiply(
            DevicePattern<Long> weight,
            long values,
            int operation,
            long in,
            int inRows,
            long out,
            int outRows,
            int batch,
            boolean accumulate) {
        device.current();
        if (!accumulate) {
            device.fill32(out, 0, (long) outRows * batch);
        }
        cusparseSpMatDescr a = csr(weight, values);
        cusparseDnMatDescr b = new cusparseDnMatDescr();
        cusparseDnMatDescr c = new cusparseDnMatDescr();
        DeviceBufferPool.Lease<Long> work = null;
        try {
            check(
                    cusparseCreateDnMat(
                            b,
                            inRows,
                            batch,
                            batch,
                            device.pointer(in),
                            cudaDataType.CUDA_R_32F,
                            cusparseOrder.CUSPARSE_ORDER_ROW),
                    "cusparseCreateDnMat");
            check(
                    cusparseCreateDnMat(
                            c,
                            outRows,
                            batch,
                            batch,
                            device.pointer(out),
                            cudaDataType.CUDA_R_32F,
                            cusparseOrder.CUSPARSE_ORDER_ROW),
                    "cusparseCreateDnMat");
            Pointer alpha = Pointer.to(new float[] {1f});
            Pointer beta = Pointer.to(new float[] {accumulate ? 1f : 0f});
            int opB = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
            long[] size = {0};
            check(
                    cusparseSpMM_bufferSize(
                            handle,
                            operation,
                            opB,
                            alpha,
                            a.asConst(),
                            b.asConst(),
                            beta,
                            c,
                            cudaDataType.CUDA_R_32F,
                            cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT,
                            size),
                    "cusparseSpMM_bufferSize");
            work = pool.acquire(Math.max(size[0], 1));
            check(
                    cusparseSpMM(
                            handle,
                            operation,
                            opB,
                            alpha,
                            a.asConst(),
                            b.asConst(),
                            beta,
                            c,
                            cudaDataType.CUDA_R_32F,
                            cusparseSpMMAlg.CUSPARSE_SPMM_ALG_DEFAULT,
                            device.pointer(work.buffer())),
                    "cusparseSpMM");
        } finally {
            if (work != null) {
                pool.release(work);
            }
            cusparseDestroyDnMat(b.asConst());
            cusparseDestroyDnMat(c.asConst());
            cusparseDestroySpMat(a.asConst());
        }
    }

    /** {@code dValues (+)= sddmm(dy, x)}: see the class comment. */
    void sddmm(DevicePattern<Long> weight, long dy, long x, long dValues, int batch, boolean accumulate) {
        device.current();
        if (!accumulate) {
            device.fill32(dValues, 0, weight.nnz());
        }
        cusparseSpMatDescr c = csr(weight, dValues);
        cusparseDnMatDescr a = new cusparseDnMatDescr();
        cusparseDnMatDescr b = new cusparseDnMatDescr();
        DeviceBufferPool.Lease<Long> work = null;
        try {
            check(
                    cusparseCreateDnMat(
                            a,
                            weight.rows(),
                            batch,
                            batch,
                            device.pointer(dy),
                            cudaDataType.CUDA_R_32F,
                            cusparseOrder.CUSPARSE_ORDER_ROW),
                    "cusparseCreateDnMat");
            check(
                    cusparseCreateDnMat(
                            b,
                            weight.columns(),
                            batch,
                            batch,
                            device.pointer(x),
                            cudaDataType.CUDA_R_32F,
                            cusparseOrder.CUSPARSE_ORDER_ROW),
                    "cusparseCreateDnMat");
            Pointer alpha = Pointer.to(new float[] {1f});
            Pointer beta = Pointer.to(new float[] {accumulate ? 1f : 0f});
            int opA = cusparseOperation.CUSPARSE_OPERATION_NON_TRANSPOSE;
            int opB = cusparseOperation.CUSPARSE_OPERATION_TRANSPOSE;
            long[] size = {0};
            check(
                    cusparseSDDMM_bufferSize(
                            handle,
                            opA,
                            opB,
                            alpha,
                            a.asConst(),
                            b.asConst(),
                            beta,
                            c,
                            cudaDataType.CUDA_R_32F,
                            cusparseSDDMMAlg.CUSPARSE_SDDMM_ALG_DEFAULT,
                            size),
                    "cusparseSDDMM_bufferSize");
            work = pool.acquire(Math.max(size[0], 1));
            check(
                    cusparseSDDMM(
                            handle,
                            opA,
                            opB,
                            alpha,
                            a.asConst(),
                            b.asConst(),
                            beta,
                            c,
                            cudaDataType.CUDA_R_32F,
                            cusparseSDDMMAlg.CUSPARSE_SDDMM_ALG_DEFAULT,
                            device.pointer(work.buffer())),
                    "cusparseSDDMM");
        } finally {
            if (work != null) {
                pool.release(work);
            }
            cusparseDestroyDnMat(a.asConst());
            cusparseDestroyDnMat(b.asConst());
            cusparseDestroySpMat(c.asConst());
        }
    }

    private cusparseSpMatDescr csr(DevicePattern<Long> weight, long values) {
        cusparseSpMatDescr descriptor = new cusparseSpMatDescr();
        check(
                cusparseCreateCsr(
                        descriptor,
                        weight.rows(),
                        weight.columns(),
                        weight.nnz(),
                        device.pointer(weight.buffer(DevicePatternArrays.ROW_POINTERS)),
                        device.pointer(weight.buffer(DevicePatternArrays.COLUMN_INDICES)),
                        device.pointer(values),
                        cusparseIndexType.CUSPARSE_INDEX_32I,
                        cusparseIndexType.CUSPARSE_INDEX_32I,
                        cusparseIndexBase.CUSPARSE_INDEX_BASE_ZERO,
                        cudaDataType.CUDA_R_32F),
                "cusparseCreateCsr");
        return descriptor;
    }

    /** Destroys the handle; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                device.current();
            } catch (RuntimeException alreadyClosed) {
                return;
            }
            cusparseDestroy(handle);
        }
    }

    private static void check(int status, String call) {
        if (status != cusparseStatus.CUSPARSE_STATUS_SUCCESS) {
            throw new CudaException(
                    call + " failed with " + cusparseStatus.stringFor(status) + " (" + status + ")",
                    CudaException.NO_STATUS);
        }
    }
}
