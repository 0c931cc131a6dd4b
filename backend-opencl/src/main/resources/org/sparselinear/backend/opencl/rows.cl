/*
 * Per-sample kernels: each combines the features of a row r (strided by rows in the feature-major
 * layout). A work-group of RED_WG work-items handles lanesR consecutive rows (a power of two <= 32):
 * work-item lid = lf * lanesR + lr takes row r = group * lanesR + lr and the features f = lf, lf + lanesF,
 * ... (lanesF = RED_WG / lanesR), so neighbouring work-items read neighbouring addresses; the partials of
 * a row are combined by a tree in local memory. Work-items past the last row compute nothing but reach
 * every barrier.
 */

/*
 * Layer normalisation: two passes over the row (mean, then the biased variance of x - mean), then
 * y = (x - mean) * rstd * gamma + beta with rstd = 1 / sqrt(var + eps); mean and rstd are stored per row.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void layer_norm_rows(__global const float* x, __global const float* gamma, __global const float* beta, float eps,
                     __global float* y, __global float* mean, __global float* rstd, int rows, int features,
                     int lanesR) {
    __local float s[RED_WG];
    const int lid = get_local_id(0);
    const int lanesF = RED_WG / lanesR;
    const int lr = lid & (lanesR - 1);
    const int lf = lid / lanesR;
    const int r = get_group_id(0) * lanesR + lr;
    const int active = r < rows;

    float sum = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += lanesF) {
            sum += x[f * rows + r];
        }
    }
    s[lid] = sum;
    reduce_sum_lanes(s, lid, lanesR, lanesF);
    const float mu = s[lr] / (float) features;
    barrier(CLK_LOCAL_MEM_FENCE);

    float squares = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += lanesF) {
            const float d = x[f * rows + r] - mu;
            squares += d * d;
        }
    }
    s[lid] = squares;
    reduce_sum_lanes(s, lid, lanesR, lanesF);
    const float rs = 1.0f / sqrt(s[lr] / (float) features + eps);

    if (active) {
        for (int f = lf; f < features; f += lanesF) {
            const int i = f * rows + r;
            y[i] = (x[i] - mu) * rs * gamma[f] + beta[f];
        }
        if (lf == 0) {
            mean[r] = mu;
            rstd[r] = rs;
        }
    }
}

/*
 * Input gradient of layer normalisation, accumulated: with xhat = (x - mean) * rstd and g = dy * gamma,
 * dx += rstd * (g - mean_f(g) - xhat * mean_f(g * xhat)); the two row means are tree sums.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void layer_norm_backward_rows(__global const float* x, __global const float* gamma, __global const float* mean,
                              __global const float* rstd, __global const float* dy, __global float* dx, int rows,
                              int features, int lanesR) {
    __local float sg[RED_WG];
    __local float sgx[RED_WG];
    const int lid = get_local_id(0);
    const int lanesF = RED_WG / lanesR;
    const int lr = lid & (lanesR - 1);
    const int lf = lid / lanesR;
    const int r = get_group_id(0) * lanesR + lr;
    const int active = r < rows;
    const float mu = active ? mean[r] : 0.0f;
    const float rs = active ? rstd[r] : 0.0f;

    float sumG = 0.0f;
    float sumGx = 0.0f;
    if (active) {
        for (int f = lf; f < features; f += lanesF) {
            const int i = f * rows + r;
            const float g = dy[i] * gamma[f];
            sumG += g;
            sumGx += g * (x[i] - mu) * rs;
        }
    }
    sg[lid] = sumG;
    sgx[lid] = sumGx;
    reduce_sum_lanes(sg, lid, lanesR, lanesF);
    reduce_sum_lanes(sgx, lid, lanesR, lanesF);
    const float meanG = sg[lr] / (float) features;
    const float meanGx = sgx[lr] / (float) features;

    if (active) {
        for (int f = lf; f < features; f += lanesF) {
            const int i = f * rows + r;
            const float xhat = (x[i] - mu) * rs;
            dx[i] += rs * (dy[i] * gamma[f] - meanG - xhat * meanGx);
        }
    }
}

/*
 * Row-wise softmax, stable: subtract the row's maximum, exponentiate, divide by the sum. Also writes
 * each row's cross-entropy, log(sum) + max - logit[label], to rowLoss[r]; a second kernel averages them.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void softmax_xent_rows(__global const float* logits, __global const int* labels, __global float* probabilities,
                       __global float* rowLoss, int rows, int classes, int lanesR) {
    __local float s[RED_WG];
    const int lid = get_local_id(0);
    const int lanesF = RED_WG / lanesR;
    const int lr = lid & (lanesR - 1);
    const int lf = lid / lanesR;
    const int r = get_group_id(0) * lanesR + lr;
    const int active = r < rows;

    float top = -INFINITY;
    if (active) {
        for (int c = lf; c < classes; c += lanesF) {
            top = fmax(top, logits[c * rows + r]);
        }
    }
    s[lid] = top;
    reduce_max_lanes(s, lid, lanesR, lanesF);
    const float rowMax = s[lr];
    barrier(CLK_LOCAL_MEM_FENCE);

    float sum = 0.0f;
    if (active) {
        for (int c = lf; c < classes; c += lanesF) {
            const int i = c * rows + r;
            const float e = exp(logits[i] - rowMax);
            probabilities[i] = e;
            sum += e;
        }
    }
    s[lid] = sum;
    reduce_sum_lanes(s, lid, lanesR, lanesF);
    const float total = s[lr];

    if (active) {
        for (int c = lf; c < classes; c += lanesF) {
            probabilities[c * rows + r] /= total;
        }
        if (lf == 0) {
            rowLoss[r] = log(total) + rowMax - logits[labels[r] * rows + r];
        }
    }
}

/* Whether (value, index) beats (best, bestIndex): larger, or equal and earlier; NaN never wins; none < 0 is empty. */
int argmax_better(float value, int index, float best, int bestIndex) {
    if (isnan(value) || index < 0) {
        return 0;
    }
    return bestIndex < 0 || value > best || (value == best && index < bestIndex);
}

/* The column of each row's largest element (the first on ties, NaN never wins; 0 for a row of NaN). */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void argmax_rows(__global const float* x, __global int* result, int rows, int columns, int lanesR) {
    __local float bestValue[RED_WG];
    __local int bestIndex[RED_WG];
    const int lid = get_local_id(0);
    const int lanesF = RED_WG / lanesR;
    const int lr = lid & (lanesR - 1);
    const int lf = lid / lanesR;
    const int r = get_group_id(0) * lanesR + lr;
    const int active = r < rows;

    float best = 0.0f;
    int index = -1;
    if (active) {
        for (int c = lf; c < columns; c += lanesF) {
            const float v = x[c * rows + r];
            if (argmax_better(v, c, best, index)) {
                best = v;
                index = c;
            }
        }
    }
    bestValue[lid] = best;
    bestIndex[lid] = index;
    for (int span = lanesF >> 1; span > 0; span >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lf < span) {
            const int other = lid + span * lanesR;
            if (argmax_better(bestValue[other], bestIndex[other], bestValue[lid], bestIndex[lid])) {
                bestValue[lid] = bestValue[other];
                bestIndex[lid] = bestIndex[other];
            }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    if (active && lf == 0) {
        result[r] = bestIndex[lr] < 0 ? 0 : bestIndex[lr];
    }
}
