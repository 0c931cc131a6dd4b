/*
 * RigL's grow step: the top k of |g[o, i]| over the positions not stored in the pattern, where
 * g[o, i] = sum_b dy[b, o] * x[b, i] is the dense weight gradient. The host walks the gradient in blocks of whole
 * rows; for each block the device
 *   1. computes the order key of every position's magnitude (sl_grow_keys), without storing the gradient,
 *   2. selects the block's best `need` = min(k, candidates) positions by a radix select over a 64-bit key
 *      (magnitude key, then the complement of the position, so that equal magnitudes prefer the lower position and
 *      every key is distinct): eight passes of sl_grow_histogram and sl_grow_choose, all on the device,
 *   3. appends exactly those positions to a candidate list (sl_grow_compact).
 * The host reads the few candidates and merges them into its running top k (org.sparselinear.api.RunningTopK),
 * which orders the result. Device memory is O(block + k).
 *
 * The state is 8 unsigned 64-bit words (the host zeroes them before each block):
 */
#include "common.cuh"

#define SL_GROW_THREADS 256
#define SL_GROW_PREFIX 0    /* the key bits chosen so far */
#define SL_GROW_MASK 1      /* which bits of the key are chosen */
#define SL_GROW_NEED 2      /* how many keys are still to be taken at or below the prefix */
#define SL_GROW_INCLUDED 3  /* positions of the block that are candidates (key != 0) */
#define SL_GROW_COUNT 4     /* candidates appended by sl_grow_compact */
#define SL_GROW_TAKE 5      /* how many the block contributes: min(k, included) */

/* The 64-bit selection key of position e with 32-bit magnitude key `key`: larger is better, all distinct. */
__device__ __forceinline__ unsigned long long sl_grow_composite(unsigned key, unsigned e) {
    return ((unsigned long long) key << 32) | (unsigned long long) (0xffffffffu - e);
}

/*
 * keys[e] for the positions e < elements of the block of rows starting at row0 (e = (o - row0) * in + i):
 * 0 for a position stored in the pattern (binary search of its CSR row) or one that cannot beat the host's
 * running threshold (hasThreshold: rank <= thresholdRank; later blocks hold later positions, so a tie cannot win),
 * 1 for a NaN magnitude, else sl_order_key(|g|) (at least 0x80000000). One thread per position; the gradient is a
 * contiguous dot product of two batches. Counts the candidates into state[SL_GROW_INCLUDED].
 */
extern "C" __global__ void __launch_bounds__(SL_GROW_THREADS)
sl_grow_keys(const float* __restrict__ dy, const float* __restrict__ x, const int* __restrict__ rowPointers,
             const int* __restrict__ columnIndices, int batch, int in, int row0, int elements, int hasThreshold,
             int thresholdRank, unsigned* __restrict__ keys, unsigned long long* __restrict__ state) {
    const long long position = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    unsigned key = 0u;
    if (position < elements) {
        const int e = (int) position;
        const int o = row0 + e / in;
        const int i = e % in;
        int low = rowPointers[o];
        int high = rowPointers[o + 1];
        int stored = 0;
        while (low < high) {
            const int middle = (low + high) >> 1;
            const int column = columnIndices[middle];
            if (column == i) {
                stored = 1;
                break;
            }
            if (column < i) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if (!stored) {
            const float* __restrict__ gradient = dy + o * batch;
            const float* __restrict__ input = x + i * batch;
            float g = 0.0f;
            for (int b = 0; b < batch; b++) {
                g += gradient[b] * input[b];
            }
            const float magnitude = fabsf(g);
            key = magnitude != magnitude ? 1u : sl_order_key(magnitude);
            if (hasThreshold && (key == 1u || (int) (key ^ 0x80000000u) <= thresholdRank)) {
                key = 0u;
            }
        }
        keys[e] = key;
    }
    const int included = __syncthreads_count(key != 0u);
    if (threadIdx.x == 0 && included > 0) {
        atomicAdd(&state[SL_GROW_INCLUDED], (unsigned long long) included);
    }
}

/* One thread: need = take = min(k, included); the selection starts from an empty prefix. */
extern "C" __global__ void sl_grow_select_init(unsigned long long* state, int k) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        const unsigned long long included = state[SL_GROW_INCLUDED];
        const unsigned long long take = included < (unsigned long long) k ? included : (unsigned long long) k;
        state[SL_GROW_PREFIX] = 0ull;
        state[SL_GROW_MASK] = 0ull;
        state[SL_GROW_NEED] = take;
        state[SL_GROW_TAKE] = take;
        state[SL_GROW_COUNT] = 0ull;
    }
}

/*
 * Histogram of the byte at `shift` of the candidates' 64-bit keys that match the prefix chosen so far: per block
 * in shared memory, then added to histogram[256] in global memory (zeroed before the first pass and by
 * sl_grow_choose after each).
 */
extern "C" __global__ void __launch_bounds__(SL_GROW_THREADS)
sl_grow_histogram(const unsigned* __restrict__ keys, int elements, const unsigned long long* __restrict__ state,
                  unsigned* __restrict__ histogram, int shift) {
    __shared__ unsigned local[SL_GROW_THREADS];
    local[threadIdx.x] = 0u;
    __syncthreads();
    const unsigned long long prefix = state[SL_GROW_PREFIX];
    const unsigned long long mask = state[SL_GROW_MASK];
    if (state[SL_GROW_NEED] > 0ull) {
        for (unsigned e = blockIdx.x * blockDim.x + threadIdx.x; e < (unsigned) elements;
             e += blockDim.x * gridDim.x) {
            const unsigned key = keys[e];
            if (key != 0u) {
                const unsigned long long composite = sl_grow_composite(key, e);
                if ((composite & mask) == prefix) {
                    atomicAdd(&local[(unsigned) (composite >> shift) & 255u], 1u);
                }
            }
        }
    }
    __syncthreads();
    const unsigned count = local[threadIdx.x];
    if (count != 0u) {
        atomicAdd(&histogram[threadIdx.x], count);
    }
}

/*
 * One thread: the byte at `shift` of the need-th largest key (walking the bins from the top), added to the prefix;
 * need becomes the number still to take within that bin. Clears the histogram for the next pass.
 */
extern "C" __global__ void sl_grow_choose(unsigned long long* state, unsigned* histogram, int shift) {
    if (threadIdx.x == 0 && blockIdx.x == 0) {
        const unsigned long long need = state[SL_GROW_NEED];
        if (need > 0ull) {
            unsigned long long above = 0ull;
            int digit = 255;
            while (digit > 0 && above + histogram[digit] < need) {
                above += histogram[digit];
                digit--;
            }
            state[SL_GROW_PREFIX] |= (unsigned long long) digit << shift;
            state[SL_GROW_MASK] |= 255ull << shift;
            state[SL_GROW_NEED] = need - above;
        }
        for (int bin = 0; bin < 256; bin++) {
            histogram[bin] = 0u;
        }
    }
}

/*
 * Appends the candidates whose key is at least the selected one (exactly `take` of them, the keys being distinct)
 * as pairs (rank of |g| as RunningTopK.rank, position in the block) through an atomic counter.
 */
extern "C" __global__ void __launch_bounds__(SL_GROW_THREADS)
sl_grow_compact(const unsigned* __restrict__ keys, int elements, unsigned long long* __restrict__ state,
                int* __restrict__ candidates) {
    if (state[SL_GROW_TAKE] == 0ull) {
        return;
    }
    const unsigned long long selected = state[SL_GROW_PREFIX];
    for (unsigned e = blockIdx.x * blockDim.x + threadIdx.x; e < (unsigned) elements; e += blockDim.x * gridDim.x) {
        const unsigned key = keys[e];
        if (key != 0u && sl_grow_composite(key, e) >= selected) {
            const unsigned long long slot = atomicAdd(&state[SL_GROW_COUNT], 1ull);
            candidates[2 * slot] = key == 1u ? SL_INT_MIN : (int) (key ^ 0x80000000u);
            candidates[2 * slot + 1] = (int) e;
        }
    }
}
