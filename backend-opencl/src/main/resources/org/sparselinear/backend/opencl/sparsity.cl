/*
 * Activation sparsity (K-Winners) and dynamic sparsity (RigL's grow step, gather).
 */

/*
 * An unsigned key that orders floats as K-Winners scores and RigL magnitudes are ordered: NaN lowest (key 0),
 * then -infinity up to +infinity, with -0.0 equal to 0.0. As a signed int (key ^ 0x80000000) it is the rank
 * org.sparselinear.api.RunningTopK uses.
 */
uint order_key(float value) {
    if (isnan(value)) {
        return 0u;
    }
    const int bits = as_int(value == 0.0f ? 0.0f : value);
    const int rank = bits < 0 ? bits ^ 0x7fffffff : bits;
    return ((uint) rank) ^ 0x80000000u;
}

/*
 * K-Winners of one row per work-group: the k columns with the largest score x * boost win (equal scores: the
 * lower column; NaN last). The k-th largest key is found by a radix select over the 32-bit key, most
 * significant byte first (a 256-bin histogram in local memory per byte, local atomics); the winners among
 * the keys equal to it are the lowest columns, counted by a prefix sum over the row in chunks of RED_WG.
 * Writes y = x where a column wins, else 0, and mask = 1 where it wins, else 0.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void k_winners_rows(__global const float* x, __global const float* boost, int k, __global float* y,
                    __global float* mask, int rows, int columns) {
    __local int histogram[256];
    __local int scan[RED_WG];
    __local uint digit;
    __local int stillNeeded;
    const int lid = get_local_id(0);
    const int r = get_group_id(0);

    uint threshold = 0u;
    uint thresholdMask = 0u;
    int need = k;
    if (k > 0) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            for (int b = lid; b < 256; b += RED_WG) {
                histogram[b] = 0;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            for (int c = lid; c < columns; c += RED_WG) {
                const uint key = order_key(x[c * rows + r] * boost[c]);
                if ((key & thresholdMask) == threshold) {
                    atomic_inc(&histogram[(key >> shift) & 255u]);
                }
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            if (lid == 0) {
                int above = 0;
                int d = 255;
                while (above + histogram[d] < need) {
                    above += histogram[d];
                    d--;
                }
                digit = (uint) d;
                stillNeeded = need - above;
            }
            barrier(CLK_LOCAL_MEM_FENCE);
            threshold |= digit << shift;
            thresholdMask |= 255u << shift;
            need = stillNeeded;
            barrier(CLK_LOCAL_MEM_FENCE);
        }
    }

    int base = 0;
    for (int c0 = 0; c0 < columns; c0 += RED_WG) {
        const int c = c0 + lid;
        float value = 0.0f;
        uint key = 0u;
        int equal = 0;
        if (c < columns) {
            value = x[c * rows + r];
            key = order_key(value * boost[c]);
            equal = k > 0 && key == threshold;
        }
        scan[lid] = equal;
        for (int offset = 1; offset < RED_WG; offset <<= 1) {
            barrier(CLK_LOCAL_MEM_FENCE);
            const int add = lid >= offset ? scan[lid - offset] : 0;
            barrier(CLK_LOCAL_MEM_FENCE);
            scan[lid] += add;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        const int equalBefore = base + scan[lid] - equal;
        if (c < columns) {
            const int wins = k > 0 && (key > threshold || (equal && equalBefore < need));
            y[c * rows + r] = wins ? value : 0.0f;
            mask[c * rows + r] = wins ? 1.0f : 0.0f;
        }
        base += scan[RED_WG - 1];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

/* boost[f] = exp(strength * (density - dutyCycle[f])); dutyCycle may be boost. */
__kernel void boost_factors(__global const float* dutyCycle, float density, float strength, __global float* boost,
                            int n) {
    const int i = get_global_id(0);
    if (i < n) {
        boost[i] = exp(strength * (density - dutyCycle[i]));
    }
}

/* target[j] = positions[j] >= 0 ? source[positions[j]] : 0. */
__kernel void gather_positions(__global const float* source, __global const int* positions, __global float* target,
                               int n) {
    const int j = get_global_id(0);
    if (j < n) {
        const int from = positions[j];
        target[j] = from >= 0 ? source[from] : 0.0f;
    }
}

/*
 * RigL grow candidates in the block of rows [row0, row0 + blockElements / in) of the dense gradient
 * g[o, i] = sum_b dy[o * batch + b] * x[i * batch + b] (contiguous dot products), one work-item per position,
 * never materialising the block. Positions stored in the pattern are skipped (binary search of the CSR row);
 * the others are appended as (rank of |g|, index in the block) pairs, through an atomic counter, when
 * takeAll is set or their rank exceeds minRank (the host's running top-k threshold).
 */
__kernel void grow_candidates(__global const float* dy, __global const float* x, __global const int* rowPointers,
                              __global const int* columnIndices, int batch, int in, int row0, int blockElements,
                              int takeAll, int minRank, __global int* count, __global int* candidates) {
    const int e = get_global_id(0);
    if (e >= blockElements) {
        return;
    }
    const int o = row0 + e / in;
    const int i = e % in;
    int low = rowPointers[o];
    int high = rowPointers[o + 1];
    while (low < high) {
        const int middle = (low + high) >> 1;
        const int column = columnIndices[middle];
        if (column == i) {
            return;
        }
        if (column < i) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    float g = 0.0f;
    const int dyOffset = o * batch;
    const int xOffset = i * batch;
    for (int b = 0; b < batch; b++) {
        g += dy[dyOffset + b] * x[xOffset + b];
    }
    const int rank = (int) (order_key(fabs(g)) ^ 0x80000000u);
    if (takeAll || rank > minRank) {
        const int slot = atomic_inc(count);
        candidates[2 * slot] = rank;
        candidates[2 * slot + 1] = e;
    }
}
