/**
 * The CUDA backend of SparseLinear: {@link org.sparselinear.backend.cuda.CudaBackend}, registered as {@code "cuda"}
 * (priority 300) by {@link org.sparselinear.backend.cuda.CudaBackendProvider}.
 *
 * <p>Every operation runs as one of the backend's own kernels ({@code src/main/cuda/*.cu} in the module, shipped as
 * PTX built by {@code build-ptx.sh}), loaded through the CUDA driver API (JCuda's {@code JCudaDriver}, which needs
 * only {@code libcuda.so.1}); where the driver is too old for the shipped PTX, the same sources are compiled at run
 * time with NVRTC 12. The sparse products use cuSPARSE's generic API instead where {@code libcusparse.so.12} loads
 * and the product is large. Dense matrices are feature-major, as in every backend; device memory comes from a pool
 * keyed by size class; everything runs on one stream. Without an NVIDIA driver the provider reports
 * {@code "CUDA unavailable: <reason>"} and the backend is skipped.
 */
package org.sparselinear.backend.cuda;
