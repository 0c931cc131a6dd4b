/*
 * Element-wise kernels: one work-item per element, launched in groups of RED_WG with the global
 * size rounded up, so each checks its index against n. Layout does not matter to them, except
 * where a column or row index is recovered from the feature-major index i = c * rows + r.
 */

__kernel void fill(__global float* x, float value, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        x[i] = value;
    }
}

/*
 * The activations of org.sparselinear.api.Activation, selected by its kernelCode(): one case per
 * entry, in the enum's order. An unknown code gives NaN, which the conformance kit reports.
 */
#define GELU_SCALE 0.7978845608028654f /* sqrt(2 / pi) */
#define GELU_CUBIC 0.044715f

float activation(int function, float x) {
    switch (function) {
    case 0: return fmax(x, 0.0f);                                                    /* RELU */
    case 1: return x > 0.0f ? x : 0.01f * x;                                         /* LEAKY_RELU */
    case 2: return 1.0f / (1.0f + exp(-x));                                          /* SIGMOID */
    case 3: return tanh(x);                                                          /* TANH */
    case 4: return 0.5f * x * (1.0f + tanh(GELU_SCALE * (x + GELU_CUBIC * x * x * x))); /* GELU */
    case 5: return fmax(x, 0.0f) + log1p(exp(-fabs(x)));                             /* SOFTPLUS */
    default: return NAN;
    }
}

/* f'(x), given x and y = f(x). */
float activation_derivative(int function, float x, float y) {
    switch (function) {
    case 0: return y > 0.0f ? 1.0f : 0.0f;
    case 1: return x > 0.0f ? 1.0f : 0.01f;
    case 2: return y * (1.0f - y);
    case 3: return 1.0f - y * y;
    case 4: {
        const float t = tanh(GELU_SCALE * (x + GELU_CUBIC * x * x * x));
        return 0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * GELU_SCALE * (1.0f + 3.0f * GELU_CUBIC * x * x);
    }
    case 5: return 1.0f / (1.0f + exp(-x));
    default: return NAN;
    }
}

/* y = f(x); y may be x. */
__kernel void activate(int function, __global const float* x, __global float* y, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] = activation(function, x[i]);
    }
}

/* dx (+)= dy * f'(x, y). */
__kernel void activate_backward(int function, __global const float* x, __global const float* y,
                                __global const float* dy, __global float* dx, int n, int accumulate) {
    const int i = get_global_id(0);
    if (i < n) {
        const float g = dy[i] * activation_derivative(function, x[i], y[i]);
        dx[i] = accumulate ? dx[i] + g : g;
    }
}

/* y += alpha * x. */
__kernel void axpy(float alpha, __global const float* x, __global float* y, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] += alpha * x[i];
    }
}

/* x *= alpha. */
__kernel void scale(__global float* x, float alpha, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        x[i] *= alpha;
    }
}

/*
 * Inverted dropout, y (+)= x * (m * scale): m is 1 where the top 24 bits of SplitMix64's output
 * function of key + (r * columns + c + 1) * 0x9E3779B97F4A7C15 are at or above threshold (DropoutMask
 * on the host, bit for bit); element i is (i % rows, i / rows). The key comes as two 32-bit halves.
 */
__kernel void dropout(__global const float* x, __global float* y, int rows, int columns, int keyLow, int keyHigh,
                      int threshold, float scale, int accumulate, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        const ulong key = ((ulong) (uint) keyHigh << 32) | (uint) keyLow;
        const ulong index = (ulong) (i % rows) * (ulong) columns + (ulong) (i / rows);
        ulong z = key + (index + 1UL) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        const float v = x[i] * ((long) (z >> 40) >= (long) threshold ? scale : 0.0f);
        y[i] = accumulate ? y[i] + v : v;
    }
}

/* y[r, c] += row[c]: feature c = i / rows. */
__kernel void add_row_vector(__global float* y, __global const float* row, int rows, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        y[i] += row[i / rows];
    }
}

/* dPrediction (+)= 2 * scale * dLoss[0] * (prediction - target). */
__kernel void squared_error_backward(__global const float* prediction, __global const float* target, float scale,
                                     __global const float* dLoss, __global float* dPrediction, int n, int accumulate) {
    const int i = get_global_id(0);
    if (i < n) {
        const float g = 2.0f * scale * dLoss[0] * (prediction[i] - target[i]);
        dPrediction[i] = accumulate ? dPrediction[i] + g : g;
    }
}

/* dLogits (+)= dLoss[0] * (p - onehot(labels)) / rows, with r = i % rows and class c = i / rows. */
__kernel void softmax_xent_backward(__global const float* probabilities, __global const int* labels,
                                    __global const float* dLoss, __global float* dLogits, int rows, int n,
                                    int accumulate) {
    const int i = get_global_id(0);
    if (i < n) {
        const int r = i % rows;
        const int c = i / rows;
        const float scale = dLoss[0] / (float) rows;
        const float g = (probabilities[i] - (labels[r] == c ? 1.0f : 0.0f)) * scale;
        dLogits[i] = accumulate ? dLogits[i] + g : g;
    }
}

/*
 * Fused SGD (PyTorch semantics, no dampening): d = g + decay * p; with momentum, v = momentum * v + d
 * and d = nesterov ? d + momentum * v : v; p -= lr * d. Without momentum v is not touched.
 */
__kernel void sgd_step(__global float* p, __global const float* g, __global float* v, int hasVelocity, float lr,
                       float momentum, float decay, int nesterov, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        float d = g[i] + decay * p[i];
        if (hasVelocity) {
            const float velocity = momentum * v[i] + d;
            v[i] = velocity;
            d = nesterov ? d + momentum * velocity : velocity;
        }
        p[i] -= lr * d;
    }
}

/*
 * Fused Adam (PyTorch semantics): d = g + decay * p; m = b1 m + (1 - b1) d; v = b2 v + (1 - b2) d^2;
 * p -= stepSize * m / (sqrt(v) / correction2 + eps), where the host computed
 * stepSize = lr / (1 - b1^t) and correction2 = sqrt(1 - b2^t).
 */
__kernel void adam_step(__global float* p, __global const float* g, __global float* m, __global float* v,
                        float beta1, float beta2, float eps, float decay, float stepSize, float correction2, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        const float d = g[i] + decay * p[i];
        const float first = beta1 * m[i] + (1.0f - beta1) * d;
        const float second = beta2 * v[i] + (1.0f - beta2) * d * d;
        m[i] = first;
        v[i] = second;
        p[i] -= stepSize * first / (sqrt(second) / correction2 + eps);
    }
}

/*
 * Fused Adagrad (Duchi, Hazan and Singer 2011; PyTorch semantics): d = g + decay * p; sum += d^2;
 * p -= stepSize * d / (sqrt(sum) + eps), where the host computed stepSize = lr / (1 + (t - 1) * lrDecay).
 * An entry with d exactly 0 would keep its value and sum bit for bit, so it is not written.
 */
__kernel void adagrad_step(__global float* p, __global const float* g, __global float* sum, float decay, float eps,
                           float stepSize, int n) {
    const int i = get_global_id(0);
    if (i < n) {
        const float d = decay == 0.0f ? g[i] : g[i] + decay * p[i];
        if (d != 0.0f) {
            const float accumulated = sum[i] + d * d;
            sum[i] = accumulated;
            p[i] -= stepSize * (d / (sqrt(accumulated) + eps));
        }
    }
}
