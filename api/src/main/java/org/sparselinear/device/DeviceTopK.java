package org.sparselinear.device;

import org.sparselinear.spi.RunningTopK;

/**
 * The host side of RigL's grow step on a device ({@link org.sparselinear.api.Backend#topKAbsDenseGradient}):
 * the dense gradient {@code dy^T x} is never stored; the device scans it in blocks of whole rows of at most
 * {@link #GROW_BLOCK_ELEMENTS} positions and sends back only the few candidates of each block that can still
 * enter the top k, which this loop merges into a {@link RunningTopK}. Memory is O(block + k) on the device and
 * O(k) on the host. The backends differ only in how a block is scanned ({@link BlockScan}).
 *
 * <p>RigL: Evci et al., "Rigging the Lottery: Making All Tickets Winners", ICML 2020.
 */
public final class DeviceTopK {

    /** The dense gradient is scanned in blocks of whole rows of at most this many positions. */
    public static final int GROW_BLOCK_ELEMENTS = 1 << 20;

    private DeviceTopK() {}

    /** The device's scan of one block of rows, with the device memory it needs from open to close. */
    public interface BlockScan extends AutoCloseable {

        /**
         * The candidates of the {@code elements} positions from row {@code row0} on (whole rows): the unstored
         * positions whose rank ({@link RunningTopK#rank} of the gradient's magnitude) may enter the selection,
         * as pairs {@code (rank, offset from the block's first position)}. While {@code full} is false every
         * unstored position qualifies; once it is true only those above {@code thresholdRank}. A scan may return
         * fewer (its own best), never one that would be rejected but not reported.
         */
        int[] candidates(int row0, int elements, boolean full, int thresholdRank);

        /** Returns the scan's device memory. */
        @Override
        void close();
    }

    /** Opens a scan for blocks of {@code blockRows} rows that selects at most {@code capacity} positions. */
    @FunctionalInterface
    public interface ScanOpener {
        BlockScan open(int blockRows, int capacity);
    }

    /** Rows per block of a {@code rows x columns} gradient: as many whole rows as fit in a block, at least one. */
    public static int blockRows(int rows, int columns) {
        return Math.max(1, Math.min(rows, GROW_BLOCK_ELEMENTS / Math.max(1, columns)));
    }

    /**
     * The best {@code min(k, unstored)} positions of a {@code rows x columns} gradient with {@code stored}
     * positions already connected, best first, as {@code {rows, columns}}.
     */
    public static int[][] select(int rows, int columns, long stored, int k, ScanOpener opener) {
        int capacity = (int) Math.min(k, (long) rows * columns - stored);
        if (capacity <= 0) {
            return new int[][] {new int[0], new int[0]};
        }
        int blockRows = blockRows(rows, columns);
        RunningTopK best = new RunningTopK(capacity);
        try (BlockScan scan = opener.open(blockRows, capacity)) {
            for (int row0 = 0; row0 < rows; row0 += blockRows) {
                int elements = Math.min(blockRows, rows - row0) * columns;
                int[] found = scan.candidates(row0, elements, best.size() == capacity, best.thresholdRank());
                long first = (long) row0 * columns;
                for (int j = 0; j < found.length; j += 2) {
                    best.offerRanked(found[j], first + found[j + 1]);
                }
            }
        }
        return rowsAndColumns(best.drainBestFirst(), columns);
    }

    /** Row-major positions in a matrix of {@code columns} columns as {@code {rows, columns}}. */
    public static int[][] rowsAndColumns(long[] positions, int columns) {
        int[] rowOf = new int[positions.length];
        int[] columnOf = new int[positions.length];
        for (int j = 0; j < positions.length; j++) {
            rowOf[j] = (int) (positions[j] / columns);
            columnOf[j] = (int) (positions[j] % columns);
        }
        return new int[][] {rowOf, columnOf};
    }
}
