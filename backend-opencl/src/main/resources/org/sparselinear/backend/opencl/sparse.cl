/*
 * Sparse products on feature-major data (the batch of one feature contiguous).
 */

/*
 * Gather over the rows of a compressed matrix: for every row r,
 *   out[r * batch + b] (+)= sum over entries k in [pointers[r], pointers[r + 1]) of value(k) * in[indices[k] * batch + b]
 * with value(k) = values[positions[k]] when usePositions, else values[k].
 *
 * Forward y = x W^T: the CSR of W (rows = outputs), positions unused.
 * Input gradient dx = dy W: the CSC of W (rows = inputs), positions = the transpose map into the CSR values.
 *
 * Two work-group shapes, SPMM_WG work-items per row either way; an empty row writes 0 (or leaves out unchanged).
 *
 * spmm_rows_batch, for batches of at least SPMM_WG: every work-item runs along the batch (neighbouring
 * work-items read neighbouring addresses of in and write neighbouring outputs) and walks the whole row.
 */
__kernel __attribute__((reqd_work_group_size(SPMM_WG, 1, 1)))
void spmm_rows_batch(__global const int* pointers, __global const int* indices, __global const int* positions,
                     int usePositions, __global const float* values, __global const float* in, __global float* out,
                     int batch, int accumulate) {
    const int row = get_group_id(0);
    const int start = pointers[row];
    const int end = pointers[row + 1];
    for (int b = get_local_id(0); b < batch; b += SPMM_WG) {
        float acc = 0.0f;
        if (usePositions) {
            for (int k = start; k < end; k++) {
                acc += values[positions[k]] * in[indices[k] * batch + b];
            }
        } else {
            for (int k = start; k < end; k++) {
                acc += values[k] * in[indices[k] * batch + b];
            }
        }
        const int o = row * batch + b;
        out[o] = accumulate ? out[o] + acc : acc;
    }
}

/*
 * spmm_rows, for smaller batches: lanesB (a power of two, the batch rounded up) work-items run along the batch,
 * the other SPMM_WG / lanesB split the row's entries, and their partial sums are added in local memory, so a
 * long row is spread over many work-items even at batch 1.
 */
__kernel __attribute__((reqd_work_group_size(SPMM_WG, 1, 1)))
void spmm_rows(__global const int* pointers, __global const int* indices, __global const int* positions,
               int usePositions, __global const float* values, __global const float* in, __global float* out,
               int batch, int lanesB, int accumulate) {
    __local float part[SPMM_WG];
    const int row = get_group_id(0);
    const int lid = get_local_id(0);
    const int lb = lid & (lanesB - 1);
    const int lk = lid / lanesB;
    const int lanesK = SPMM_WG / lanesB;
    const int start = pointers[row];
    const int end = pointers[row + 1];
    for (int b0 = 0; b0 < batch; b0 += lanesB) {
        const int b = b0 + lb;
        float acc = 0.0f;
        if (b < batch) {
            if (usePositions) {
                for (int k = start + lk; k < end; k += lanesK) {
                    acc += values[positions[k]] * in[indices[k] * batch + b];
                }
            } else {
                for (int k = start + lk; k < end; k += lanesK) {
                    acc += values[k] * in[indices[k] * batch + b];
                }
            }
        }
        part[lid] = acc;
        reduce_sum_lanes(part, lid, lanesB, lanesK);
        if (lk == 0 && b < batch) {
            const int o = row * batch + b;
            out[o] = accumulate ? out[o] + part[lb] : part[lb];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

/*
 * Sampled dense-dense product (SDDMM) over strided operands (element (line, j) of a at line * aLineStride +
 * j * aStride, likewise b): for every stored entry k,
 *   out[k] (+)= sum_{j < length} a(entryRows[k], j) * b(entryColumns[k], j).
 * Weight gradient of a sparse weight: entries (o, i) of W, a = dy and b = x read by feature (stride 1, length the
 * batch), two contiguous vectors. Input gradient of a sparse input through a dense weight: entries (b, i) of X,
 * a = dy read by sample (stride the batch), b = W read by input feature, length the outputs.
 *
 * sddmm_entries, short lengths: one work-item per entry.
 */
__kernel void sddmm_entries(__global const int* entryRows, __global const int* entryColumns, __global const float* a,
                            int aLineStride, int aStride, __global const float* b, int bLineStride, int bStride,
                            __global float* out, int nnz, int length, int accumulate) {
    const int k = get_global_id(0);
    if (k >= nnz) {
        return;
    }
    const int ra = entryRows[k] * aLineStride;
    const int rb = entryColumns[k] * bLineStride;
    float acc = 0.0f;
    for (int j = 0; j < length; j++) {
        acc += a[ra + j * aStride] * b[rb + j * bStride];
    }
    out[k] = accumulate ? out[k] + acc : acc;
}

/*
 * sddmm_lanes, longer ones: a work-group of RED_WG work-items handles RED_WG / 32 entries, 32 neighbouring
 * work-items per entry striding its length (coalesced reads along a stride-1 operand), their partial dot
 * products added in local memory.
 */
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void sddmm_lanes(__global const int* entryRows, __global const int* entryColumns, __global const float* a,
                 int aLineStride, int aStride, __global const float* b, int bLineStride, int bStride,
                 __global float* out, int nnz, int length, int accumulate) {
    __local float part[RED_WG];
    const int lid = get_local_id(0);
    const int lane = lid & 31;
    const int k = get_group_id(0) * (RED_WG / 32) + (lid >> 5);
    float acc = 0.0f;
    if (k < nnz) {
        const int ra = entryRows[k] * aLineStride;
        const int rb = entryColumns[k] * bLineStride;
        for (int j = lane; j < length; j += 32) {
            acc += a[ra + j * aStride] * b[rb + j * bStride];
        }
    }
    part[lid] = acc;
    reduce_sum_segments(part, lid, 32);
    if (lane == 0 && k < nnz) {
        out[k] = accumulate ? out[k] + part[lid] : part[lid];
    }
}
