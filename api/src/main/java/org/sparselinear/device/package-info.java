/**
 * Helpers for device (GPU) backends only, shared by the OpenCL and CUDA backends: {@link
 * org.sparselinear.device.DeviceBackend}, the base that holds their common flow (pooled memory, patterns, int
 * uploads, RigL's grow-step loop, leak reports, close); the buffer pool ({@link
 * org.sparselinear.device.DeviceBufferPool}) and its sizing ({@link org.sparselinear.device.PoolSizing}); the
 * pattern layout ({@link org.sparselinear.device.DevicePatternArrays}); the top-k selection ({@link
 * org.sparselinear.spi.RunningTopK}, {@link org.sparselinear.device.DeviceTopK}); host-side transposition
 * ({@link org.sparselinear.device.HostTranspose}); typed kernel descriptors and launch arguments ({@link
 * org.sparselinear.device.KernelSignature}, {@link org.sparselinear.device.KernelArgs}); and the error type that
 * names the failed call, its status and the operation ({@link org.sparselinear.device.DeviceException}).
 * Users of the library never need this package.
 */
package org.sparselinear.device;
