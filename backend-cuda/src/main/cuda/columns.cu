/*
 * Per-feature reductions over the batch: the batch of a feature is contiguous in the feature-major layout.
 * A warp per feature (8 per block of 256) strides its batch and adds by shuffles; warps past the last feature
 * add zeros.
 */
#include "common.cuh"

#define SL_COLUMN_THREADS 256
#define SL_COLUMNS_PER_BLOCK (SL_COLUMN_THREADS / 32)

/* sums[c] (+)= sum_r x[c * rows + r] (the bias gradient). */
extern "C" __global__ void __launch_bounds__(SL_COLUMN_THREADS)
sl_column_sums(const float* __restrict__ x, float* __restrict__ sums, int rows, int columns, int accumulate) {
    const int lane = threadIdx.x & 31;
    const long long column = (long long) blockIdx.x * SL_COLUMNS_PER_BLOCK + (threadIdx.x >> 5);
    const int active = column < columns;
    const int c = active ? (int) column : 0;
    float sum = 0.0f;
    if (active) {
        const float* __restrict__ batch = x + c * rows;
        for (int r = lane; r < rows; r += 32) {
            sum += batch[r];
        }
    }
    sum = sl_warp_sum(sum);
    if (active && lane == 0) {
        sums[c] = accumulate ? sums[c] + sum : sum;
    }
}

/*
 * The parameter gradients of layer normalisation, accumulated: dGamma[f] += sum_r dy * xhat and
 * dBeta[f] += sum_r dy, with xhat = (x - mean[r]) * rstd[r]; either may be skipped (its flag 0).
 */
extern "C" __global__ void __launch_bounds__(SL_COLUMN_THREADS)
sl_layer_norm_parameter_grads(const float* __restrict__ x, const float* __restrict__ mean,
                              const float* __restrict__ rstd, const float* __restrict__ dy,
                              float* __restrict__ dGamma, int hasGamma, float* __restrict__ dBeta, int hasBeta,
                              int rows, int features) {
    const int lane = threadIdx.x & 31;
    const long long feature = (long long) blockIdx.x * SL_COLUMNS_PER_BLOCK + (threadIdx.x >> 5);
    const int active = feature < features;
    const int f = active ? (int) feature : 0;
    float gammaSum = 0.0f;
    float betaSum = 0.0f;
    if (active) {
        for (int r = lane; r < rows; r += 32) {
            const int i = f * rows + r;
            const float g = dy[i];
            gammaSum += g * (x[i] - mean[r]) * rstd[r];
            betaSum += g;
        }
    }
    gammaSum = sl_warp_sum(gammaSum);
    betaSum = sl_warp_sum(betaSum);
    if (active && lane == 0) {
        if (hasGamma) {
            dGamma[f] += gammaSum;
        }
        if (hasBeta) {
            dBeta[f] += betaSum;
        }
    }
}
