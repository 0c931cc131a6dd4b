/*
 * Per-feature reductions over the batch (contiguous in the feature-major layout): one work-group of
 * RED_WG work-items per feature, each summing a strided part of the feature's batch, then a tree in
 * local memory. Also the two-stage reduction of a whole matrix to one number (the losses).
 */

/* sums[c] (+)= sum_r x[c * rows + r] (bias gradient). */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void column_sums(__global const float* x, __global float* sums, int rows, int accumulate) {
    __local float s[RED_WG];
    const int lid = get_local_id(0);
    const int c = get_group_id(0);
    const int offset = c * rows;
    float sum = 0.0f;
    for (int r = lid; r < rows; r += RED_WG) {
        sum += x[offset + r];
    }
    s[lid] = sum;
    reduce_sum_lanes(s, lid, 1, RED_WG);
    if (lid == 0) {
        sums[c] = accumulate ? sums[c] + s[0] : s[0];
    }
}

/* Parameter gradients of layer normalisation, accumulated: dGamma[f] += sum_r dy * xhat, dBeta[f] += sum_r dy. */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void layer_norm_parameter_grads(__global const float* x, __global const float* mean, __global const float* rstd,
                                __global const float* dy, __global float* dGamma, int wantGamma,
                                __global float* dBeta, int wantBeta, int rows) {
    __local float sx[RED_WG];
    __local float sd[RED_WG];
    const int lid = get_local_id(0);
    const int f = get_group_id(0);
    const int offset = f * rows;
    float sumDyXhat = 0.0f;
    float sumDy = 0.0f;
    for (int r = lid; r < rows; r += RED_WG) {
        const float d = dy[offset + r];
        sumDyXhat += d * (x[offset + r] - mean[r]) * rstd[r];
        sumDy += d;
    }
    sx[lid] = sumDyXhat;
    sd[lid] = sumDy;
    reduce_sum_lanes(sx, lid, 1, RED_WG);
    reduce_sum_lanes(sd, lid, 1, RED_WG);
    if (lid == 0) {
        if (wantGamma) {
            dGamma[f] += sx[0];
        }
        if (wantBeta) {
            dBeta[f] += sd[0];
        }
    }
}

/* First stage of the squared error: each work-group writes the sum of (prediction - target)^2 over its grid-stride share. */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void squared_error_partials(__global const float* prediction, __global const float* target, __global float* partials,
                            int n) {
    __local float s[RED_WG];
    const int lid = get_local_id(0);
    float sum = 0.0f;
    for (int i = get_global_id(0); i < n; i += get_global_size(0)) {
        const float d = prediction[i] - target[i];
        sum += d * d;
    }
    s[lid] = sum;
    reduce_sum_lanes(s, lid, 1, RED_WG);
    if (lid == 0) {
        partials[get_group_id(0)] = s[0];
    }
}

/* out[0] = scale * sum of values[0 .. n): one work-group (the last stage of a loss). */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void sum_scaled(__global const float* values, int n, float scale, __global float* out) {
    __local float s[RED_WG];
    const int lid = get_local_id(0);
    float sum = 0.0f;
    for (int i = lid; i < n; i += RED_WG) {
        sum += values[i];
    }
    s[lid] = sum;
    reduce_sum_lanes(s, lid, 1, RED_WG);
    if (lid == 0) {
        out[0] = scale * s[0];
    }
}
