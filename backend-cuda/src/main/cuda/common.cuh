/*
 * Shared device helpers of the SparseLinear CUDA kernels.
 *
 * Data layout: a dense (rows, columns) = (batch, features) matrix is stored feature-major,
 * element (r, c) at c * rows + r, so the batch of one feature is contiguous.
 *
 * These sources compile three ways, so they use no system header and no C++ library:
 *   - nvcc, into the PTX shipped in the jar (backend-cuda/build-ptx.sh);
 *   - NVRTC at run time, where the driver rejects the shipped PTX (the backend hands this
 *     header to NVRTC under the name "common.cuh");
 *   - g++ with the CPU emulator of the module's tests (src/test/emulator/emu.hpp), which runs
 *     each thread as a coroutine and fails on a __syncthreads or warp shuffle not reached by
 *     every thread it needs.
 * Every kernel is extern "C" (its PTX name is its source name) and is launched by the backend
 * with the block size written next to it; threads outside the data still reach every
 * __syncthreads and every shuffle.
 */
#pragma once

#define SL_FULL_MASK 0xffffffffu
#define SL_INFINITY __int_as_float(0x7f800000)
#define SL_INT_MIN (-2147483647 - 1)

/* Sum of v over the groups of `width` consecutive lanes (a power of two <= 32), to every lane of the group. */
__device__ __forceinline__ float sl_group_sum(float v, int width) {
    for (int offset = width >> 1; offset > 0; offset >>= 1) {
        v += __shfl_xor_sync(SL_FULL_MASK, v, offset);
    }
    return v;
}

/* Sum of v over the 32 lanes of the warp, to every lane. */
__device__ __forceinline__ float sl_warp_sum(float v) {
    return sl_group_sum(v, 32);
}

/*
 * Sum of v over a one-dimensional block whose size is a multiple of 32 (at most 1024), returned
 * to every thread. scratch: 32 floats of shared memory. Every thread of the block must call it.
 */
__device__ __forceinline__ float sl_block_sum(float v, float* scratch) {
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = blockDim.x >> 5;
    v = sl_warp_sum(v);
    __syncthreads();
    if (lane == 0) {
        scratch[warp] = v;
    }
    __syncthreads();
    return sl_warp_sum(lane < warps ? scratch[lane] : 0.0f);
}

/*
 * Exclusive prefix sum of v over a one-dimensional block (a multiple of 32 threads), in thread
 * order; *total receives the sum over the block. scratch: 32 ints of shared memory. Every thread
 * of the block must call it.
 */
__device__ __forceinline__ int sl_block_exclusive_scan(int v, int* scratch, int* total) {
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = blockDim.x >> 5;
    int inclusive = v;
    for (int offset = 1; offset < 32; offset <<= 1) {
        const int from = __shfl_up_sync(SL_FULL_MASK, inclusive, offset);
        if (lane >= offset) {
            inclusive += from;
        }
    }
    __syncthreads();
    if (lane == 31) {
        scratch[warp] = inclusive;
    }
    __syncthreads();
    int before = 0;
    int all = 0;
    for (int w = 0; w < warps; w++) {
        const int count = scratch[w];
        if (w < warp) {
            before += count;
        }
        all += count;
    }
    *total = all;
    return before + inclusive - v;
}

/*
 * An unsigned key that orders floats as K-Winners scores and RigL magnitudes are ordered
 * (org.sparselinear.api.RunningTopK.rank): NaN lowest (key 0), then -infinity up to +infinity,
 * with -0.0 equal to 0.0. As a signed int, key ^ 0x80000000 is RunningTopK's rank.
 */
__device__ __forceinline__ unsigned sl_order_key(float value) {
    if (value != value) {
        return 0u;
    }
    const int bits = __float_as_int(value == 0.0f ? 0.0f : value);
    const int rank = bits < 0 ? bits ^ 0x7fffffff : bits;
    return ((unsigned) rank) ^ 0x80000000u;
}
