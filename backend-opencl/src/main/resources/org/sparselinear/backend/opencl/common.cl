/*
 * Shared helpers of the SparseLinear OpenCL kernels (OpenCL C 1.2).
 *
 * Data layout: a dense (rows, columns) = (batch, features) matrix is stored feature-major,
 * element (r, c) at c * rows + r, so the batch of one feature is contiguous.
 *
 * Build options (set by the backend from the device's limits):
 *   RED_WG    work-group size of the reductions and element-wise kernels, a power of two >= 64
 *   SPMM_WG   work-group size of the sparse gathers, a power of two >= 64 and <= RED_WG
 *   GEMM_TS   GEMM tile edge (32 or 16), GEMM_WPT outputs per work-item (GEMM_TS / GEMM_WPT rows of work-items)
 *
 * Every kernel that uses local memory is launched with a fixed work-group size (reqd_work_group_size),
 * and its work-items outside the data still reach every barrier.
 */

/*
 * Tree sum over "lanes": on entry s[lane * stride + j] holds lane's partial for slot j (stride slots,
 * lanes a power of two, lanes * stride <= the group size); on return s[j] holds the total of slot j.
 * Every work-item of the group must call it. A barrier is needed before s is written again.
 */
void reduce_sum_lanes(__local float* s, int lid, int stride, int lanes) {
    for (int span = lanes >> 1; span > 0; span >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < span * stride) {
            s[lid] += s[lid + span * stride];
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

/* The same tree, taking the maximum. */
void reduce_max_lanes(__local float* s, int lid, int stride, int lanes) {
    for (int span = lanes >> 1; span > 0; span >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lid < span * stride) {
            s[lid] = fmax(s[lid], s[lid + span * stride]);
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}

/*
 * Tree sum within contiguous segments: on entry s[segment * width + lane]; on return
 * s[segment * width] holds the segment's total (width a power of two dividing the group size).
 */
void reduce_sum_segments(__local float* s, int lid, int width) {
    const int lane = lid & (width - 1);
    for (int span = width >> 1; span > 0; span >>= 1) {
        barrier(CLK_LOCAL_MEM_FENCE);
        if (lane < span) {
            s[lid] += s[lid + span];
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
}
