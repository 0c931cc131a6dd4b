package org.sparselinear.backend.cuda;

/**
 * A launch configuration (grid and block dimensions) and the rules that give each kernel its own, kept apart
 * from the launches so that they are unit-tested without a GPU. The block sizes are those the kernels are
 * written for ({@code __launch_bounds__} in {@code src/main/cuda}).
 *
 * @param gridX blocks along x (at most 2^31 - 1)
 * @param gridY blocks along y (at most 65,535)
 * @param gridZ blocks along z (at most 65,535)
 * @param blockX threads along x
 * @param blockY threads along y
 * @param blockZ threads along z
 */
record LaunchConfig(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ) {

    /** Threads per block of the element-wise kernels, the reductions and most others. */
    static final int THREADS = 256;

    /** Threads per block of the sparse gathers ({@code SL_SPMM_THREADS}). */
    static final int SPMM_THREADS = 128;

    /** Output rows per block of the warp-per-row product (one per warp of {@link #SPMM_THREADS}). */
    static final int SPMM_WARP_ROWS_PER_BLOCK = SPMM_THREADS / 32;

    /** A batch-of-one product uses a warp per row while rows hold at most this many entries on average. */
    static final int WARP_ROWS_MAX_AVERAGE_LENGTH = 64;

    /** Edge of the tile of C one GEMM block computes. */
    static final int GEMM_TILE = 64;

    /** Features per block of the per-feature reductions (a warp each). */
    static final int COLUMNS_PER_BLOCK = THREADS / 32;

    /** The element-wise kernels loop over the data with at most this many blocks. */
    static final int MAX_ELEMENTWISE_BLOCKS = 1 << 16;

    /** At most this many blocks produce partial sums of the squared error. */
    static final int MAX_PARTIALS = 64;

    /** The grow step's histogram and compaction kernels loop with at most this many blocks. */
    static final int MAX_GROW_BLOCKS = 1024;

    /** The largest grid dimension along y and z. */
    static final int MAX_GRID_YZ = 65_535;

    /** Checks the dimensions against CUDA's limits. */
    LaunchConfig {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > MAX_GRID_YZ || gridZ > MAX_GRID_YZ) {
            throw new IllegalArgumentException("grid (" + gridX + ", " + gridY + ", " + gridZ + ") is outside CUDA's "
                    + "limits (x in [1, 2^31 - 1], y and z in [1, 65535])");
        }
        if (blockX < 1 || blockY < 1 || blockZ < 1 || (long) blockX * blockY * blockZ > 1024) {
            throw new IllegalArgumentException("block (" + blockX + ", " + blockY + ", " + blockZ + ") is outside "
                    + "CUDA's limits (at most 1024 threads)");
        }
    }

    /** A one-dimensional launch of {@code blocks} blocks of {@code threads}. */
    static LaunchConfig linear(long blocks, int threads) {
        return new LaunchConfig(toGrid(blocks), 1, 1, threads, 1, 1);
    }

    /** {@code "<<<(gx, gy, gz), (bx, by, bz)>>>"}, for messages. */
    @Override
    public String toString() {
        return "<<<(" + gridX + ", " + gridY + ", " + gridZ + "), (" + blockX + ", " + blockY + ", " + blockZ + ")>>>";
    }

    // ---- the rules -----------------------------------------------------------------------

    /** Element-wise kernels (grid-stride loops): blocks of 256, as many as cover n, at most 65,536. */
    static LaunchConfig elementwise(long n) {
        return linear(Math.max(1, Math.min(ceilDiv(n, THREADS), MAX_ELEMENTWISE_BLOCKS)), THREADS);
    }

    /**
     * Batch entries one block of {@code sl_spmm_block_rows} covers: the batch rounded up to a power of two, at
     * most 128 (the threads left over split the row's entries).
     */
    static int spmmBatchLanes(int batch) {
        return Math.min(ceilPowerOfTwo(batch), SPMM_THREADS);
    }

    /** {@code sl_spmm_block_rows}: a block of 128 per output row and chunk of {@link #spmmBatchLanes} batch entries. */
    static LaunchConfig spmmBlockRows(int outputRows, int batch) {
        return new LaunchConfig(
                outputRows, toGridYZ(ceilDiv(batch, spmmBatchLanes(batch)), "batch chunks"), 1, SPMM_THREADS, 1, 1);
    }

    /** Whether a product uses {@code sl_spmm_warp_rows}: batch 1 and short rows (at most 64 entries on average). */
    static boolean useWarpRows(int batch, int outputRows, long nnz) {
        return batch == 1 && nnz <= (long) WARP_ROWS_MAX_AVERAGE_LENGTH * outputRows;
    }

    /** {@code sl_spmm_warp_rows}: a warp per output row, 4 per block of 128. */
    static LaunchConfig spmmWarpRows(int outputRows) {
        return linear(ceilDiv(outputRows, SPMM_WARP_ROWS_PER_BLOCK), SPMM_THREADS);
    }

    /**
     * Lanes per entry of {@code sl_sddmm_groups}, whose dot products have {@code length} terms (the batch for a
     * weight gradient, the outputs for a sparse input's gradient): 1 below 8 (a thread per entry), else the power
     * of two at most a quarter of the length, at most 32 (a warp per entry from 128), so that each lane multiplies
     * at least four pairs.
     */
    static int sddmmGroupLanes(int length) {
        if (length < 8) {
            return 1;
        }
        return Math.min(32, Integer.highestOneBit(length / 4));
    }

    /** {@code sl_sddmm_groups}: blocks of 256, {@code 256 / groupLanes} entries each. */
    static LaunchConfig sddmm(long nnz, int length) {
        return linear(ceilDiv(nnz, THREADS / sddmmGroupLanes(length)), THREADS);
    }

    /**
     * The sparse-input kernels ({@code sl_sparse_lines_dense}, {@code sl_sparse_rows_through_columns},
     * {@code sl_sparse_column_dots}): a thread per item, blocks of 256.
     */
    static LaunchConfig sparseInput(long items) {
        return linear(ceilDiv(items, THREADS), THREADS);
    }

    /** {@code sl_gemm_tiled}: a block of 256 per 64 x 64 tile of the (m, n) output. */
    static LaunchConfig gemm(int m, int n) {
        return new LaunchConfig(
                toGrid(ceilDiv(m, GEMM_TILE)), toGridYZ(ceilDiv(n, GEMM_TILE), "GEMM column tiles"), 1, THREADS, 1, 1);
    }

    /** Rows one block of the per-row kernels handles: the number of rows rounded up to a power of two, at most 32. */
    static int rowLanes(int rows) {
        return Math.min(ceilPowerOfTwo(rows), 32);
    }

    /** The per-row kernels (layer norm, softmax, argmax): a block of 256 per {@link #rowLanes} rows. */
    static LaunchConfig perRow(int rows) {
        return linear(ceilDiv(rows, rowLanes(rows)), THREADS);
    }

    /** The per-feature reductions (column sums, layer-norm parameter gradients): a warp per feature. */
    static LaunchConfig perColumn(int columns) {
        return linear(ceilDiv(columns, COLUMNS_PER_BLOCK), THREADS);
    }

    /** {@code sl_k_winners_rows}: a block of 256 per row. */
    static LaunchConfig kWinners(int rows) {
        return linear(rows, THREADS);
    }

    /** One block of 256, for the final reductions ({@code sl_sum_scaled}). */
    static LaunchConfig singleBlock() {
        return linear(1, THREADS);
    }

    /** One thread ({@code sl_grow_select_init}, {@code sl_grow_choose}). */
    static LaunchConfig singleThread() {
        return linear(1, 1);
    }

    /** Number of partial sums of the squared error over n elements: one per 256, between 1 and 64. */
    static int squaredErrorPartials(long n) {
        return (int) Math.max(1, Math.min(ceilDiv(n, THREADS), MAX_PARTIALS));
    }

    /**
     * {@code sl_transpose} of a row-major (inRows, inCols) matrix: blocks of 32 x 8 threads per 32 x 32 tile,
     * x along the column tiles, y along the row tiles (the kernel loops past 65,535 of them).
     */
    static LaunchConfig transpose(int inRows, int inCols) {
        return new LaunchConfig(
                toGrid(ceilDiv(inCols, 32)), (int) Math.min(ceilDiv(inRows, 32), MAX_GRID_YZ), 1, 32, 8, 1);
    }

    /** {@code sl_grow_keys}: a thread per position of the block. */
    static LaunchConfig growKeys(int elements) {
        return linear(ceilDiv(elements, THREADS), THREADS);
    }

    /** {@code sl_grow_histogram} and {@code sl_grow_compact} (grid-stride): at most 1,024 blocks. */
    static LaunchConfig growScan(int elements) {
        return linear(Math.max(1, Math.min(ceilDiv(elements, THREADS), MAX_GROW_BLOCKS)), THREADS);
    }

    // ---- arithmetic ----------------------------------------------------------------------

    static long ceilDiv(long value, long divisor) {
        return (value + divisor - 1) / divisor;
    }

    static int ceilPowerOfTwo(int value) {
        return value <= 1 ? 1 : Integer.highestOneBit(value - 1) << 1;
    }

    private static int toGrid(long blocks) {
        if (blocks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(blocks + " blocks are more than CUDA's grid allows along x (2^31 - 1)");
        }
        return (int) blocks;
    }

    private static int toGridYZ(long blocks, String what) {
        if (blocks > MAX_GRID_YZ) {
            throw new IllegalArgumentException(
                    blocks + " " + what + " are more than CUDA's grid allows along y (65535)");
        }
        return (int) blocks;
    }
}
