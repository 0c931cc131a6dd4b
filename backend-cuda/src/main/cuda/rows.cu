/*
 * Per-sample kernels: each combines the features of a row r, which lie `rows` apart in the feature-major layout.
 *
 * A block of 256 threads handles rowLanes consecutive rows (a power of two <= 32, the batch rounded up): thread
 * t = lf * rowLanes + lr takes the row blockIdx.x * rowLanes + lr and the features lf, lf + featureLanes, ...
 * (featureLanes = 256 / rowLanes), so that neighbouring threads read neighbouring addresses: along the rows when
 * the batch is large, along the features when it is 1. The partial results of a row are combined by a tree in
 * shared memory. Threads past the last row compute nothing but reach every __syncthreads.
 *
 * Also the reductions of the losses to their (1, 1) matrix, which stays on the device.
 */
#include "common.cuh"

#define SL_ROW_THREADS 256

/* Tree sum over the feature lanes: on entry s[lf * rowLanes + lr]; on return s[lr] is row lane lr's total. */
__device__ __forceinline__ void sl_rows_sum(float* s, int t, int rowLanes) {
    for (int span = (SL_ROW_THREADS / rowLanes) >> 1; span > 0; span >>= 1) {
        __syncthreads();
        if (t < span * rowLanes) {
            s[t] += s[t + span * rowLanes];
        }
    }
    __syncthreads();
}

/* The same tree, taking the maximum. */
__device__ __forceinline__ void sl_rows_max(float* s, int t, int rowLanes) {
    for (int span = (SL_ROW_THREADS / rowLanes) >> 1; span > 0; span >>= 1) {
        __syncthreads();
        if (t < span * rowLanes) {
            s[t] = fmaxf(s[t], s[t + span * rowLanes]);
        }
    }
    __syncthreads();
}

/*
 * Layer normalisation of each row: mean, then the biased variance of x - mean (two passes), then
 * y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + epsilon); stores mean and rstd per row.
 */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_layer_norm_rows(const float* __restrict__ x, const float* __restrict__ gamma, const float* __restrict__ beta,
                   float epsilon, float* __restrict__ y, float* __restrict__ mean, float* __restrict__ rstd, int rows,
                   int features, int rowLanes) {
    __shared__ float s[SL_ROW_THREADS];
    const int t = threadIdx.x;
    const int featureLanes = SL_ROW_THREADS / rowLanes;
    const int lr = t & (rowLanes - 1);
    const int lf = t / rowLanes;
    const int r = blockIdx.x * rowLanes + lr;
    const int active = r < rows;

    float sum = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += featureLanes) {
            sum += x[f * rows + r];
        }
    }
    s[t] = sum;
    sl_rows_sum(s, t, rowLanes);
    const float mu = s[lr] / (float) features;
    __syncthreads();

    float squares = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += featureLanes) {
            const float d = x[f * rows + r] - mu;
            squares += d * d;
        }
    }
    s[t] = squares;
    sl_rows_sum(s, t, rowLanes);
    const float inverse = 1.0f / sqrtf(s[lr] / (float) features + epsilon);

    if (active) {
        for (int f = lf; f < features; f += featureLanes) {
            const int i = f * rows + r;
            y[i] = (x[i] - mu) * inverse * gamma[f] + beta[f];
        }
        if (lf == 0) {
            mean[r] = mu;
            rstd[r] = inverse;
        }
    }
}

/*
 * Input gradient of layer normalisation, accumulated: with xhat = (x - mean) * rstd and g = dy * gamma,
 * dx += rstd * (g - mean_f(g) - xhat * mean_f(g * xhat)).
 */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_layer_norm_backward_rows(const float* __restrict__ x, const float* __restrict__ gamma,
                            const float* __restrict__ mean, const float* __restrict__ rstd,
                            const float* __restrict__ dy, float* __restrict__ dx, int rows, int features,
                            int rowLanes) {
    __shared__ float sumG[SL_ROW_THREADS];
    __shared__ float sumGXhat[SL_ROW_THREADS];
    const int t = threadIdx.x;
    const int featureLanes = SL_ROW_THREADS / rowLanes;
    const int lr = t & (rowLanes - 1);
    const int lf = t / rowLanes;
    const int r = blockIdx.x * rowLanes + lr;
    const int active = r < rows;
    const float mu = active ? mean[r] : 0.0f;
    const float inverse = active ? rstd[r] : 0.0f;

    float g = 0.0f;
    float gx = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += featureLanes) {
            const int i = f * rows + r;
            const float scaled = dy[i] * gamma[f];
            g += scaled;
            gx += scaled * (x[i] - mu) * inverse;
        }
    }
    sumG[t] = g;
    sumGXhat[t] = gx;
    sl_rows_sum(sumG, t, rowLanes);
    sl_rows_sum(sumGXhat, t, rowLanes);
    const float meanG = sumG[lr] / (float) features;
    const float meanGXhat = sumGXhat[lr] / (float) features;

    if (active) {
        for (int f = lf; f < features; f += featureLanes) {
            const int i = f * rows + r;
            const float xhat = (x[i] - mu) * inverse;
            dx[i] += inverse * (dy[i] * gamma[f] - meanG - xhat * meanGXhat);
        }
    }
}

/*
 * Row-wise softmax, stable: subtract the row's maximum, exponentiate, divide by the sum. Writes each row's
 * cross-entropy log(sum) + max - logit[label] to rowLoss[r]; sl_sum_scaled averages them into the loss.
 */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_softmax_xent_rows(const float* __restrict__ logits, const int* __restrict__ labels,
                     float* __restrict__ probabilities, float* __restrict__ rowLoss, int rows, int classes,
                     int rowLanes) {
    __shared__ float s[SL_ROW_THREADS];
    const int t = threadIdx.x;
    const int featureLanes = SL_ROW_THREADS / rowLanes;
    const int lr = t & (rowLanes - 1);
    const int lf = t / rowLanes;
    const int r = blockIdx.x * rowLanes + lr;
    const int active = r < rows;

    float top = -SL_INFINITY;
    if (active) {
        for (int c = lf; c < classes; c += featureLanes) {
            top = fmaxf(top, logits[c * rows + r]);
        }
    }
    s[t] = top;
    sl_rows_max(s, t, rowLanes);
    const float rowMax = s[lr];
    __syncthreads();

    float sum = 0.0f;
    if (active) {
        for (int c = lf; c < classes; c += featureLanes) {
            const int i = c * rows + r;
            const float e = expf(logits[i] - rowMax);
            probabilities[i] = e;
            sum += e;
        }
    }
    s[t] = sum;
    sl_rows_sum(s, t, rowLanes);
    const float total = s[lr];

    if (active) {
        const float inverse = 1.0f / total;
        for (int c = lf; c < classes; c += featureLanes) {
            probabilities[c * rows + r] *= inverse;
        }
        if (lf == 0) {
            rowLoss[r] = logf(total) + rowMax - logits[labels[r] * rows + r];
        }
    }
}

/* out[0] = scale * sum of values[0 .. n): one block of 256. */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_sum_scaled(const float* __restrict__ values, int n, float scale, float* __restrict__ out) {
    __shared__ float scratch[32];
    float sum = 0.0f;
    for (int i = threadIdx.x; i < n; i += blockDim.x) {
        sum += values[i];
    }
    sum = sl_block_sum(sum, scratch);
    if (threadIdx.x == 0) {
        out[0] = scale * sum;
    }
}

/* partials[block] = sum over this block's share (grid-stride) of (prediction - target)^2. */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_squared_error_partials(const float* __restrict__ prediction, const float* __restrict__ target,
                          float* __restrict__ partials, int n) {
    __shared__ float scratch[32];
    float sum = 0.0f;
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned) n; i += blockDim.x * gridDim.x) {
        const float d = prediction[i] - target[i];
        sum += d * d;
    }
    sum = sl_block_sum(sum, scratch);
    if (threadIdx.x == 0) {
        partials[blockIdx.x] = sum;
    }
}

/* Whether (value, column) beats (best, bestColumn): larger, or equal and earlier; NaN never wins; bestColumn < 0 is none. */
__device__ __forceinline__ int sl_argmax_better(float value, int column, float best, int bestColumn) {
    if (value != value || column < 0) {
        return 0;
    }
    return bestColumn < 0 || value > best || (value == best && column < bestColumn);
}

/* The column of each row's largest element: the first on ties, NaN never wins, 0 for a row of NaN. */
extern "C" __global__ void __launch_bounds__(SL_ROW_THREADS)
sl_argmax_rows(const float* __restrict__ x, int* __restrict__ result, int rows, int columns, int rowLanes) {
    __shared__ float bestValue[SL_ROW_THREADS];
    __shared__ int bestColumn[SL_ROW_THREADS];
    const int t = threadIdx.x;
    const int featureLanes = SL_ROW_THREADS / rowLanes;
    const int lr = t & (rowLanes - 1);
    const int lf = t / rowLanes;
    const int r = blockIdx.x * rowLanes + lr;
    const int active = r < rows;

    float best = 0.0f;
    int column = -1;
    if (active) {
        for (int c = lf; c < columns; c += featureLanes) {
            const float v = x[c * rows + r];
            if (sl_argmax_better(v, c, best, column)) {
                best = v;
                column = c;
            }
        }
    }
    bestValue[t] = best;
    bestColumn[t] = column;
    for (int span = featureLanes >> 1; span > 0; span >>= 1) {
        __syncthreads();
        if (lf < span) {
            const int other = t + span * rowLanes;
            if (sl_argmax_better(bestValue[other], bestColumn[other], bestValue[t], bestColumn[t])) {
                bestValue[t] = bestValue[other];
                bestColumn[t] = bestColumn[other];
            }
        }
    }
    __syncthreads();
    if (active && lf == 0) {
        result[r] = bestColumn[lr] < 0 ? 0 : bestColumn[lr];
    }
}
