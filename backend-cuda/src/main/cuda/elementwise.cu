/*
 * Element-wise kernels: one thread per element, in grid-stride loops (the backend caps the grid), blocks of 256.
 * Indices are unsigned: a matrix holds fewer than 2^31 elements, and i + stride stays below 2^32.
 * Also the layout change of upload and download (a tiled transposition) and the fused optimizer updates.
 */
#include "common.cuh"

#define SL_EW_THREADS 256
#define SL_EW_LOOP(i, n) \
    for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < (unsigned) (n); i += blockDim.x * gridDim.x)

/*
 * The activations of org.sparselinear.api.Activation, selected by its kernelCode(): one case per
 * entry, in the enum's order. An unknown code gives NaN, which the conformance kit reports.
 */
#define SL_NAN __int_as_float(0x7fffffff)
#define SL_GELU_SCALE 0.7978845608028654f /* sqrt(2 / pi) */
#define SL_GELU_CUBIC 0.044715f

__device__ __forceinline__ float sl_activation(int function, float x) {
    switch (function) {
    case 0: return x > 0.0f ? x : 0.0f;                                                           /* RELU */
    case 1: return x > 0.0f ? x : 0.01f * x;                                                      /* LEAKY_RELU */
    case 2: return 1.0f / (1.0f + expf(-x));                                                      /* SIGMOID */
    case 3: return tanhf(x);                                                                      /* TANH */
    case 4: return 0.5f * x * (1.0f + tanhf(SL_GELU_SCALE * (x + SL_GELU_CUBIC * x * x * x)));    /* GELU */
    case 5: return fmaxf(x, 0.0f) + log1pf(expf(-fabsf(x)));                                      /* SOFTPLUS */
    default: return SL_NAN;
    }
}

/* f'(x), given x and y = f(x). */
__device__ __forceinline__ float sl_activation_derivative(int function, float x, float y) {
    switch (function) {
    case 0: return y > 0.0f ? 1.0f : 0.0f;
    case 1: return x > 0.0f ? 1.0f : 0.01f;
    case 2: return y * (1.0f - y);
    case 3: return 1.0f - y * y;
    case 4: {
        const float t = tanhf(SL_GELU_SCALE * (x + SL_GELU_CUBIC * x * x * x));
        return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * SL_GELU_SCALE * (1.0f + 3.0f * SL_GELU_CUBIC * x * x);
    }
    case 5: return 1.0f / (1.0f + expf(-x));
    default: return SL_NAN;
    }
}

/* y = f(x); y may be x. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_activate(int function, const float* x, float* y, int n) {
    SL_EW_LOOP(i, n) {
        y[i] = sl_activation(function, x[i]);
    }
}

/* dx (+)= dy * f'(x, y) (also the K-Winners backward pass: RELU with the mask as x and y). */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_activate_backward(int function, const float* __restrict__ x, const float* __restrict__ y,
                     const float* __restrict__ dy, float* __restrict__ dx, int n, int accumulate) {
    SL_EW_LOOP(i, n) {
        const float g = dy[i] * sl_activation_derivative(function, x[i], y[i]);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

/* y += alpha * x. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_axpy(float alpha, const float* __restrict__ x, float* __restrict__ y, int n) {
    SL_EW_LOOP(i, n) {
        y[i] += alpha * x[i];
    }
}

/* x *= alpha. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_scale(float* x, float alpha, int n) {
    SL_EW_LOOP(i, n) {
        x[i] *= alpha;
    }
}

/*
 * Inverted dropout, y (+)= x * (m * scale): m is 1 where the top 24 bits of SplitMix64's output function of
 * key + (r * columns + c + 1) * 0x9E3779B97F4A7C15 are at or above threshold (DropoutMask on the host, bit for bit);
 * element i is (i % rows, i / rows). The key comes as two 32-bit halves. The product is rounded before the sum
 * (__fmul_rn), as on the host, so that no fused multiply-add changes the last bit.
 */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_dropout(const float* x, float* y, int rows, int columns, int keyLow, int keyHigh, int threshold, float scale,
           int accumulate, int n) {
    const unsigned long long key = ((unsigned long long) (unsigned) keyHigh << 32) | (unsigned) keyLow;
    SL_EW_LOOP(i, n) {
        const unsigned long long index =
            (unsigned long long) (i % (unsigned) rows) * (unsigned) columns + i / (unsigned) rows;
        unsigned long long z = key + (index + 1ULL) * 0x9E3779B97F4A7C15ULL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        const float v = __fmul_rn(x[i], (long long) (z >> 40) >= (long long) threshold ? scale : 0.0f);
        y[i] = accumulate ? __fadd_rn(y[i], v) : v;
    }
}

/* y[r, c] += row[c]: feature-major, element i belongs to feature i / rows. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_add_row_vector(float* __restrict__ y, const float* __restrict__ row, int rows, int n) {
    SL_EW_LOOP(i, n) {
        y[i] += row[i / (unsigned) rows];
    }
}

/* dLogits (+)= dLoss[0] / rows * (p - onehot(labels)): element i is (r, c) = (i % rows, i / rows). */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_softmax_xent_backward(const float* __restrict__ probabilities, const int* __restrict__ labels,
                         const float* __restrict__ dLoss, float* __restrict__ dLogits, int rows, int n,
                         int accumulate) {
    const float factor = dLoss[0] / (float) rows;
    SL_EW_LOOP(i, n) {
        const int r = (int) (i % (unsigned) rows);
        const int c = (int) (i / (unsigned) rows);
        const float g = factor * (probabilities[i] - (labels[r] == c ? 1.0f : 0.0f));
        dLogits[i] = accumulate ? dLogits[i] + g : g;
    }
}

/* dPrediction (+)= 2 * scale * dLoss[0] * (prediction - target). */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_squared_error_backward(const float* __restrict__ prediction, const float* __restrict__ target, float scale,
                          const float* __restrict__ dLoss, float* __restrict__ dPrediction, int n, int accumulate) {
    const float factor = 2.0f * scale * dLoss[0];
    SL_EW_LOOP(i, n) {
        const float g = factor * (prediction[i] - target[i]);
        dPrediction[i] = accumulate ? dPrediction[i] + g : g;
    }
}

/* boost[f] = exp(strength * (density - dutyCycle[f])); dutyCycle may be boost. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_boost_factors(const float* dutyCycle, float density, float strength, float* boost, int n) {
    SL_EW_LOOP(i, n) {
        boost[i] = expf(strength * (density - dutyCycle[i]));
    }
}

/* target[j] = positions[j] >= 0 ? source[positions[j]] : 0. */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_gather(const float* __restrict__ source, const int* __restrict__ positions, float* __restrict__ target, int n) {
    SL_EW_LOOP(j, n) {
        const int from = positions[j];
        target[j] = from >= 0 ? source[from] : 0.0f;
    }
}

/*
 * One SGD update, PyTorch's semantics without dampening: d = g + weightDecay * p; with momentum,
 * v = momentum * v + d and d = nesterov ? d + momentum * v : v; p -= learningRate * d.
 */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_sgd_step(float* __restrict__ parameter, const float* __restrict__ gradient, float* __restrict__ velocity,
            int hasVelocity, float learningRate, float momentum, float weightDecay, int nesterov, int n) {
    SL_EW_LOOP(i, n) {
        const float p = parameter[i];
        float d = gradient[i] + weightDecay * p;
        if (hasVelocity) {
            const float v = momentum * velocity[i] + d;
            velocity[i] = v;
            d = nesterov ? d + momentum * v : v;
        }
        parameter[i] = p - learningRate * d;
    }
}

/*
 * One Adam update: g += weightDecay * p; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= stepSize * m / (sqrt(v) / rootCorrection2 + epsilon), with stepSize = lr / (1 - b1^t) and
 * rootCorrection2 = sqrt(1 - b2^t) computed on the host for the step t.
 */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_adam_step(float* __restrict__ parameter, const float* __restrict__ gradient, float* __restrict__ firstMoment,
             float* __restrict__ secondMoment, float beta1, float beta2, float epsilon, float weightDecay,
             float stepSize, float rootCorrection2, int n) {
    SL_EW_LOOP(i, n) {
        const float p = parameter[i];
        const float g = gradient[i] + weightDecay * p;
        const float m = beta1 * firstMoment[i] + (1.0f - beta1) * g;
        const float v = beta2 * secondMoment[i] + (1.0f - beta2) * g * g;
        firstMoment[i] = m;
        secondMoment[i] = v;
        parameter[i] = p - stepSize * m / (sqrtf(v) / rootCorrection2 + epsilon);
    }
}

/*
 * One Adagrad update (Duchi, Hazan and Singer 2011; PyTorch semantics): g += weightDecay * p; sum += g^2;
 * p -= stepSize * g / (sqrt(sum) + epsilon), with stepSize = lr / (1 + (t - 1) * lrDecay) computed on the host for
 * the step t. An entry with g exactly 0 would keep its value and sum bit for bit, so it is not written.
 */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_adagrad_step(float* __restrict__ parameter, const float* __restrict__ gradient, float* __restrict__ sum,
                float weightDecay, float epsilon, float stepSize, int n) {
    SL_EW_LOOP(i, n) {
        const float g = weightDecay == 0.0f ? gradient[i] : gradient[i] + weightDecay * parameter[i];
        if (g != 0.0f) {
            const float accumulated = sum[i] + g * g;
            sum[i] = accumulated;
            parameter[i] -= stepSize * (g / (sqrtf(accumulated) + epsilon));
        }
    }
}

/*
 * out = in^T for a row-major (inRows, inCols) matrix: out[c * inRows + r] = in[r * inCols + c]. Converts a
 * row-major upload to the feature-major layout (inRows = batch) and back for a download (inRows = features).
 * Blocks of 32 x 8 threads move 32 x 32 tiles through shared memory (padded against bank conflicts), reading and
 * writing along rows; blockIdx.x walks the column tiles, blockIdx.y (with a stride loop past 65,535) the row tiles.
 */
extern "C" __global__ void __launch_bounds__(SL_EW_THREADS)
sl_transpose(const float* __restrict__ in, float* __restrict__ out, int inRows, int inCols) {
    __shared__ float tile[32][33];
    const int rowTiles = (inRows + 31) / 32;
    const int c0 = blockIdx.x * 32;
    for (int tileRow = blockIdx.y; tileRow < rowTiles; tileRow += gridDim.y) {
        const int r0 = tileRow * 32;
        for (int j = threadIdx.y; j < 32; j += 8) {
            const int r = r0 + j;
            const int c = c0 + threadIdx.x;
            if (r < inRows && c < inCols) {
                tile[j][threadIdx.x] = in[r * inCols + c];
            }
        }
        __syncthreads();
        for (int j = threadIdx.y; j < 32; j += 8) {
            const int c = c0 + j;
            const int r = r0 + threadIdx.x;
            if (c < inCols && r < inRows) {
                out[c * inRows + r] = tile[threadIdx.x][j];
            }
        }
        __syncthreads();
    }
}
