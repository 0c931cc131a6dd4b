/*
 * Sparse products of a layer y = x W^T with W (out, in) stored as CSR plus a CSC transpose map,
 * and dense matrices feature-major (the batch of one feature contiguous).
 *
 *   forward         y[o, b]   = sum over the CSR row o        of values[k] * x[column(k), b]
 *   input gradient  dx[i, b] (+)= sum over the CSC column i    of values[position(k)] * dy[row(k), b]
 *   weight gradient dv[k]    (+)= sum_b dy[row(k), b] * x[column(k), b]          (SDDMM, over strided operands,
 *                                                                                  shared with sparse_input.cu)
 *
 * The first two are the same gather over "rows" of a compressed pattern: for the forward product
 * the CSR rows (pointers = rowPointers, indices = columnIndices, no positions); for the input
 * gradient the CSC columns (pointers = columnPointers, indices = rowIndices, positions =
 * valuePositions, the CSR position of each CSC entry, so the one value array is read through it).
 */
#include "common.cuh"

#define SL_SPMM_THREADS 128
#define SL_SDDMM_THREADS 256

/*
 * out[r * batch + b] (+)= sum over k in [pointers[r], pointers[r + 1]) of value(k) * in[indices[k] * batch + b].
 *
 * Block of 128 threads per (output row r = blockIdx.x, chunk of batchLanes batch entries = blockIdx.y).
 * batchLanes is a power of two <= 128: thread t takes the batch entry blockIdx.y * batchLanes + t % batchLanes
 * (neighbouring threads, neighbouring addresses) and the entries pointers[r] + t / batchLanes, + 128 / batchLanes,
 * ...; the partial sums of one batch entry are added by a tree in shared memory. A large batch uses every thread
 * along the batch, a batch of 1 spreads a long row over all 128.
 */
extern "C" __global__ void __launch_bounds__(SL_SPMM_THREADS)
sl_spmm_block_rows(const int* __restrict__ pointers, const int* __restrict__ indices,
                   const int* __restrict__ positions, int hasPositions, const float* __restrict__ values,
                   const float* __restrict__ in, float* __restrict__ out, int batch, int batchLanes, int accumulate) {
    __shared__ float partial[SL_SPMM_THREADS];
    const int t = threadIdx.x;
    const int entryLanes = SL_SPMM_THREADS / batchLanes;
    const int laneB = t & (batchLanes - 1);
    const int laneK = t / batchLanes;
    const int r = blockIdx.x;
    const int b = blockIdx.y * batchLanes + laneB;
    const int end = pointers[r + 1];
    float sum = 0.0f;
    if (b < batch) {
        for (int k = pointers[r] + laneK; k < end; k += entryLanes) {
            const float v = values[hasPositions ? positions[k] : k];
            sum += v * in[indices[k] * batch + b];
        }
    }
    partial[t] = sum;
    for (int span = entryLanes >> 1; span > 0; span >>= 1) {
        __syncthreads();
        if (laneK < span) {
            partial[t] += partial[t + span * batchLanes];
        }
    }
    if (laneK == 0 && b < batch) {
        const int o = r * batch + b;
        out[o] = accumulate ? out[o] + partial[t] : partial[t];
    }
}

/*
 * The same product for a batch of one: a warp per output row (4 rows per block of 128), its lanes striding the
 * row's entries, the partial sums added by shuffles. For short rows, where a block per row would leave most of
 * its threads idle.
 */
extern "C" __global__ void __launch_bounds__(SL_SPMM_THREADS)
sl_spmm_warp_rows(const int* __restrict__ pointers, const int* __restrict__ indices,
                  const int* __restrict__ positions, int hasPositions, const float* __restrict__ values,
                  const float* __restrict__ in, float* __restrict__ out, int rows, int accumulate) {
    const int lane = threadIdx.x & 31;
    const long long row = (long long) blockIdx.x * (SL_SPMM_THREADS / 32) + (threadIdx.x >> 5);
    const int active = row < rows;
    const int r = active ? (int) row : 0;
    float sum = 0.0f;
    if (active) {
        const int end = pointers[r + 1];
        for (int k = pointers[r] + lane; k < end; k += 32) {
            sum += values[hasPositions ? positions[k] : k] * in[indices[k]];
        }
    }
    sum = sl_warp_sum(sum);
    if (active && lane == 0) {
        out[r] = accumulate ? out[r] + sum : sum;
    }
}

/*
 * Sampled dense-dense product (SDDMM) over strided operands, element (line, j) of a at line * aLineStride +
 * j * aStride (likewise b): out[k] (+)= sum_{j < length} a(entryRows[k], j) * b(entryColumns[k], j).
 *   weight gradient of a sparse weight: entries (o, i) of W, a = dy and b = x by feature (stride 1, length the
 *     batch): two contiguous vectors per entry;
 *   input gradient of a sparse input through a dense weight: entries (b, i) of X, a = dy by sample (stride the
 *     batch), b = W by input feature (stride 1), length the outputs.
 * groupLanes lanes (a power of two <= 32) work on one entry, striding its length, and add their partial sums by
 * shuffles: 256 / groupLanes entries per block of 256. groupLanes = 32 is a warp per entry (long vectors), 1 a
 * thread per entry (short ones).
 */
extern "C" __global__ void __launch_bounds__(SL_SDDMM_THREADS)
sl_sddmm_groups(const int* __restrict__ entryRows, const int* __restrict__ entryColumns, const float* __restrict__ a,
                int aLineStride, int aStride, const float* __restrict__ b, int bLineStride, int bStride,
                float* __restrict__ out, int nnz, int length, int groupLanes, int accumulate) {
    const int groupsPerBlock = SL_SDDMM_THREADS / groupLanes;
    const int lane = threadIdx.x & (groupLanes - 1);
    const long long entry = (long long) blockIdx.x * groupsPerBlock + threadIdx.x / groupLanes;
    const int active = entry < nnz;
    const int k = active ? (int) entry : 0;
    float sum = 0.0f;
    if (active) {
        const float* __restrict__ left = a + entryRows[k] * aLineStride;
        const float* __restrict__ right = b + entryColumns[k] * bLineStride;
        for (int j = lane; j < length; j += groupLanes) {
            sum += left[j * aStride] * right[j * bStride];
        }
    }
    if (groupLanes > 1) {
        sum = sl_group_sum(sum, groupLanes);
    }
    if (active && lane == 0) {
        out[k] = accumulate ? out[k] + sum : sum;
    }
}
