/*
 * Dense GEMM c (+)= op(a) op(b), every matrix feature-major, i.e. column-major storage of the logical
 * matrix: a (ra, ca) matrix holds element (r, c) at c * ra + r, leading dimension ra.
 *   op(a)[i, p] = transA ? a[i * lda + p] : a[p * lda + i]     (op(a) is m x k)
 *   op(b)[p, j] = transB ? b[p * ldb + j] : b[j * ldb + p]     (op(b) is k x n)
 *   c[i, j] at j * m + i
 *
 * Tiled with local memory and register blocking in both dimensions: a work-group of GEMM_RTS x GEMM_RTS
 * work-items (GEMM_RTS = GEMM_TS / GEMM_WPT) computes a GEMM_TS x GEMM_TS tile of c, each work-item a
 * GEMM_WPT x GEMM_WPT block of it (rows tx + GEMM_RTS * u, columns ty + GEMM_RTS * v), so each value read
 * from local memory feeds GEMM_WPT multiply-adds. For each GEMM_TK-deep slice of k the group stages the
 * slices of op(a) and op(b) in local memory; each operand is loaded along its contiguous dimension whatever
 * the transpose flags, so neighbouring work-items read neighbouring addresses. Tiles past the matrix edges
 * are padded with zeros. k = 0 gives c = 0 (or c unchanged).
 */
#define GEMM_RTS (GEMM_TS / GEMM_WPT)
#define GEMM_GROUP (GEMM_RTS * GEMM_RTS)
#define GEMM_LOADS (GEMM_TS * GEMM_TK / GEMM_GROUP)

__kernel __attribute__((reqd_work_group_size(GEMM_RTS, GEMM_RTS, 1)))
void gemm_tiled(int m, int n, int k, __global const float* a, int lda, int transA, __global const float* b,
                int ldb, int transB, __global float* c, int accumulate) {
    __local float aTile[GEMM_TK][GEMM_TS + 1];   /* aTile[p][i] = op(a)[row0 + i, k0 + p] */
    __local float bTile[GEMM_TK][GEMM_TS + 1];   /* bTile[p][j] = op(b)[k0 + p, col0 + j] */
    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int lid = ty * GEMM_RTS + tx;
    const int row0 = get_group_id(0) * GEMM_TS;
    const int col0 = get_group_id(1) * GEMM_TS;
    float acc[GEMM_WPT][GEMM_WPT];
    for (int u = 0; u < GEMM_WPT; u++) {
        for (int v = 0; v < GEMM_WPT; v++) {
            acc[u][v] = 0.0f;
        }
    }
    for (int k0 = 0; k0 < k; k0 += GEMM_TK) {
        for (int t = 0; t < GEMM_LOADS; t++) {
            const int l = lid + t * GEMM_GROUP;
            if (!transA) {          /* contiguous along i */
                const int i = l % GEMM_TS;
                const int p = l / GEMM_TS;
                aTile[p][i] = (row0 + i < m && k0 + p < k) ? a[(k0 + p) * lda + row0 + i] : 0.0f;
            } else {                /* contiguous along p */
                const int p = l % GEMM_TK;
                const int i = l / GEMM_TK;
                aTile[p][i] = (row0 + i < m && k0 + p < k) ? a[(row0 + i) * lda + k0 + p] : 0.0f;
            }
            if (!transB) {          /* contiguous along p */
                const int p = l % GEMM_TK;
                const int j = l / GEMM_TK;
                bTile[p][j] = (k0 + p < k && col0 + j < n) ? b[(col0 + j) * ldb + k0 + p] : 0.0f;
            } else {                /* contiguous along j */
                const int j = l % GEMM_TS;
                const int p = l / GEMM_TS;
                bTile[p][j] = (k0 + p < k && col0 + j < n) ? b[(k0 + p) * ldb + col0 + j] : 0.0f;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int p = 0; p < GEMM_TK; p++) {
            float aValues[GEMM_WPT];
            float bValues[GEMM_WPT];
            for (int u = 0; u < GEMM_WPT; u++) {
                aValues[u] = aTile[p][tx + u * GEMM_RTS];
                bValues[u] = bTile[p][ty + u * GEMM_RTS];
            }
            for (int u = 0; u < GEMM_WPT; u++) {
                for (int v = 0; v < GEMM_WPT; v++) {
                    acc[u][v] += aValues[u] * bValues[v];
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int v = 0; v < GEMM_WPT; v++) {
        const int j = col0 + ty + v * GEMM_RTS;
        if (j < n) {
            for (int u = 0; u < GEMM_WPT; u++) {
                const int i = row0 + tx + u * GEMM_RTS;
                if (i < m) {
                    const int o = j * m + i;
                    c[o] = accumulate ? c[o] + acc[u][v] : acc[u][v];
                }
            }
        }
    }
}
