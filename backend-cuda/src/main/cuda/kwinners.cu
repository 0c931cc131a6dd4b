/*
 * Activation sparsity: per-row k-winners-take-all (K-Winners).
 */
#include "common.cuh"

#define SL_KW_THREADS 256

/*
 * One block of 256 threads per row r: the k columns with the largest score x[r, c] * boost[c] win (equal scores:
 * the lower column; NaN last; -0.0 == 0.0). Writes y = x where a column wins, else 0, and mask = 1 where it wins,
 * else 0.
 *
 * The k-th largest score key is found by a radix select over the 32-bit order key, most significant byte first:
 * per byte, a 256-bin histogram in shared memory of the keys that match the bytes chosen so far, then one thread
 * walks the bins from the top to the bin holding the k-th key. The row is read from global memory in each of
 * the four passes (nothing of it is staged), so rows of any width work, 50,000 and more, in 1.3 KB of shared
 * memory. The winners among the keys equal to the k-th are the lowest columns: a block-wide prefix count over
 * the row in column order, 256 columns at a time.
 */
extern "C" __global__ void __launch_bounds__(SL_KW_THREADS)
sl_k_winners_rows(const float* __restrict__ x, const float* __restrict__ boost, int k, float* __restrict__ y,
                  float* __restrict__ mask, int rows, int columns) {
    __shared__ unsigned histogram[SL_KW_THREADS];
    __shared__ int scratch[32];
    __shared__ unsigned chosenDigit;
    __shared__ int chosenNeed;
    const int t = threadIdx.x;
    const int r = blockIdx.x;

    unsigned threshold = 0u;
    unsigned thresholdMask = 0u;
    int need = k;
    if (k > 0) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            histogram[t] = 0u;
            __syncthreads();
            for (int c = t; c < columns; c += SL_KW_THREADS) {
                const unsigned key = sl_order_key(x[c * rows + r] * boost[c]);
                if ((key & thresholdMask) == threshold) {
                    atomicAdd(&histogram[(key >> shift) & 255u], 1u);
                }
            }
            __syncthreads();
            if (t == 0) {
                int above = 0;
                int digit = 255;
                while (digit > 0 && above + (int) histogram[digit] < need) {
                    above += (int) histogram[digit];
                    digit--;
                }
                chosenDigit = (unsigned) digit;
                chosenNeed = need - above;
            }
            __syncthreads();
            threshold |= chosenDigit << shift;
            thresholdMask |= 255u << shift;
            need = chosenNeed;
        }
    }

    int base = 0;
    for (int c0 = 0; c0 < columns; c0 += SL_KW_THREADS) {
        const int c = c0 + t;
        float value = 0.0f;
        unsigned key = 0u;
        int equal = 0;
        if (c < columns) {
            value = x[c * rows + r];
            key = sl_order_key(value * boost[c]);
            equal = k > 0 && key == threshold;
        }
        int equalInChunk;
        const int equalBefore = base + sl_block_exclusive_scan(equal, scratch, &equalInChunk);
        if (c < columns) {
            const int wins = k > 0 && (key > threshold || (equal && equalBefore < need));
            y[c * rows + r] = wins ? value : 0.0f;
            mask[c * rows + r] = wins ? 1.0f : 0.0f;
        }
        base += equalInChunk;
    }
}
