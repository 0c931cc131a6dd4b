/**
 * The OpenCL backend of SparseLinear: {@link org.sparselinear.backend.opencl.OpenClBackend}, registered as
 * {@code "opencl"} (priority 200) by {@link org.sparselinear.backend.opencl.OpenClBackendProvider}.
 *
 * <p>Every operation is an OpenCL C 1.2 kernel (the {@code .cl} files in this package's resources), compiled
 * once per context. Dense matrices are feature-major, as in the CPU backend; device memory comes from a pool
 * keyed by size class. The device is chosen with {@code -Dsparselinear.opencl.device=INDEX|NAME}; without an
 * OpenCL installation the provider reports {@code "OpenCL unavailable: <reason>"} and is skipped.
 */
package org.sparselinear.backend.opencl;
