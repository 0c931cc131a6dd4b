/*
 * Dense matrix product for Linear layers: C (+)= op(A) op(B).
 *
 * Every matrix is feature-major, which is column-major: a (rows, columns) matrix has element (r, c) at
 * c * rows + r, leading dimension rows. op(A) is (m, k): A itself (lda = m) or, transposed, A is (k, m) and
 * op(A)[i, p] = A[p, i] at i * lda + p (lda = k). Likewise op(B) is (k, n).
 */
#include "common.cuh"

#define SL_GEMM_TILE 64
#define SL_GEMM_DEPTH 16
#define SL_GEMM_THREADS 256

/*
 * One block of 256 threads per 64 x 64 tile of C (blockIdx.x along m, blockIdx.y along n). The inner dimension
 * is walked in slices of 16: a 64 x 16 slice of op(A) and a 16 x 64 slice of op(B) are staged in shared memory,
 * each loaded along the dimension that is contiguous in memory for its transpose flag (coalesced), zero-padded
 * past the edges. Thread (tx, ty) = (t % 16, t / 16) accumulates the 4 x 4 outputs (tx + 16 r, ty + 16 c) in
 * registers; C is written along its contiguous dimension.
 */
extern "C" __global__ void __launch_bounds__(SL_GEMM_THREADS)
sl_gemm_tiled(const float* __restrict__ a, int lda, int transposeA, const float* __restrict__ b, int ldb,
              int transposeB, float* __restrict__ c, int m, int n, int k, int accumulate) {
    __shared__ float tileA[SL_GEMM_DEPTH][SL_GEMM_TILE + 1];
    __shared__ float tileB[SL_GEMM_DEPTH][SL_GEMM_TILE + 1];
    const int t = threadIdx.x;
    const int tx = t & 15;
    const int ty = t >> 4;
    const int i0 = blockIdx.x * SL_GEMM_TILE;
    const int j0 = blockIdx.y * SL_GEMM_TILE;
    float acc[4][4];
    for (int r = 0; r < 4; r++) {
        for (int q = 0; q < 4; q++) {
            acc[r][q] = 0.0f;
        }
    }
    for (int p0 = 0; p0 < k; p0 += SL_GEMM_DEPTH) {
        for (int l = t; l < SL_GEMM_TILE * SL_GEMM_DEPTH; l += SL_GEMM_THREADS) {
            int i;
            int p;
            if (transposeA) {
                p = l & (SL_GEMM_DEPTH - 1);
                i = l / SL_GEMM_DEPTH;
            } else {
                i = l & (SL_GEMM_TILE - 1);
                p = l / SL_GEMM_TILE;
            }
            const int gi = i0 + i;
            const int gp = p0 + p;
            float v = 0.0f;
            if (gi < m && gp < k) {
                v = transposeA ? a[gi * lda + gp] : a[gp * lda + gi];
            }
            tileA[p][i] = v;
        }
        for (int l = t; l < SL_GEMM_TILE * SL_GEMM_DEPTH; l += SL_GEMM_THREADS) {
            int j;
            int p;
            if (transposeB) {
                j = l & (SL_GEMM_TILE - 1);
                p = l / SL_GEMM_TILE;
            } else {
                p = l & (SL_GEMM_DEPTH - 1);
                j = l / SL_GEMM_DEPTH;
            }
            const int gj = j0 + j;
            const int gp = p0 + p;
            float v = 0.0f;
            if (gj < n && gp < k) {
                v = transposeB ? b[gp * ldb + gj] : b[gj * ldb + gp];
            }
            tileB[p][j] = v;
        }
        __syncthreads();
        for (int p = 0; p < SL_GEMM_DEPTH; p++) {
            float fromA[4];
            float fromB[4];
            for (int r = 0; r < 4; r++) {
                fromA[r] = tileA[p][tx + 16 * r];
                fromB[r] = tileB[p][ty + 16 * r];
            }
            for (int r = 0; r < 4; r++) {
                for (int q = 0; q < 4; q++) {
                    acc[r][q] += fromA[r] * fromB[q];
                }
            }
        }
        __syncthreads();
    }
    for (int q = 0; q < 4; q++) {
        const int j = j0 + ty + 16 * q;
        for (int r = 0; r < 4; r++) {
            const int i = i0 + tx + 16 * r;
            if (i < m && j < n) {
                const int o = j * m + i;
                c[o] = accumulate ? c[o] + acc[r][q] : acc[r][q];
            }
        }
    }
}
