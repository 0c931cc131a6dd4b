package org.sparselinear.topology;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.sparselinear.api.Connectivity;

/**
 * Builds a pattern row by row, in parallel over blocks of {@value #BLOCK_ROWS} rows. Block
 * {@code b} draws from its own random stream, seeded with the {@code b}-th number of a generator
 * seeded with the pattern's seed, so the pattern depends on the seed alone, never on the number of
 * threads or their timing.
 *
 * <p>Each block appends its columns to its own {@link ColumnBuffer}, sized from the rows'
 * expected lengths; the buffers are then copied into the CSR arrays. Peak memory is therefore
 * about twice the finished pattern (8 bytes per connection), for one pass of drawing.
 */
final class RowBlocks {

    /** Rows per block: the unit of parallel work and of random streams. */
    static final int BLOCK_ROWS = 1024;

    private RowBlocks() {}

    /**
     * Draws the connections of one row at a time. {@link #generate} asks for one per block and
     * uses it on one thread; a sampler without mutable state may serve every block.
     */
    interface RowSampler {

        /** About how many connections {@code row} gets, to size buffers; need not be exact. */
        double expectedLength(int row);

        /** Appends the columns of {@code row}, strictly increasing, drawing only from {@code random}. */
        void appendRow(int row, SplittableRandom random, ColumnBuffer columns);
    }

    /**
     * The {@code rows x columns} pattern whose rows {@code samplers} draw, reproducible per
     * {@code seed}; {@code samplers} gives a fresh sampler for each block.
     */
    static Connectivity generate(int rows, int columns, long seed, Supplier<? extends RowSampler> samplers) {
        int blocks = (rows + BLOCK_ROWS - 1) / BLOCK_ROWS;
        SplittableRandom seeds = new SplittableRandom(seed);
        long[] blockSeeds = new long[blocks];
        for (int b = 0; b < blocks; b++) {
            blockSeeds[b] = seeds.nextLong();
        }
        int[] rowPointers = new int[rows + 1];
        ColumnBuffer[] drawn = new ColumnBuffer[blocks];
        IntStream.range(0, blocks)
                .parallel()
                .forEach(b -> drawn[b] =
                        drawBlock(b, rows, samplers.get(), new SplittableRandom(blockSeeds[b]), rowPointers));
        long nnz = 0;
        for (int r = 0; r < rows; r++) {
            nnz += rowPointers[r + 1];
            if (nnz > Connectivity.MAX_NNZ) {
                throw new IllegalArgumentException(String.format(
                        Locale.ROOT,
                        "the pattern drew more connections than int32 indexing allows (max %d); raise the sparsity "
                                + "or split the layer",
                        Connectivity.MAX_NNZ));
            }
            rowPointers[r + 1] = (int) nnz;
        }
        int[] columnIndices = new int[(int) nnz];
        IntStream.range(0, blocks).parallel().forEach(b -> {
            drawn[b].copyTo(columnIndices, rowPointers[b * BLOCK_ROWS]);
            drawn[b] = null;
        });
        return Connectivity.ofTrustedCsr(rows, columns, rowPointers, columnIndices);
    }

    /** Draws block {@code b}; leaves the length of each row {@code r} in {@code rowLengths[r + 1]}. */
    private static ColumnBuffer drawBlock(
            int b, int rows, RowSampler sampler, SplittableRandom random, int[] rowLengths) {
        int first = b * BLOCK_ROWS;
        int end = Math.min(rows, first + BLOCK_ROWS);
        double expected = 0;
        for (int r = first; r < end; r++) {
            expected += sampler.expectedLength(r);
        }
        ColumnBuffer columns = new ColumnBuffer((long) Math.ceil(expected + 4 * Math.sqrt(expected) + 16));
        for (int r = first; r < end; r++) {
            int before = columns.size();
            sampler.appendRow(r, random, columns);
            rowLengths[r + 1] = columns.size() - before;
        }
        return columns;
    }
}
