package org.sparselinear.tck;

import java.util.ArrayList;
import java.util.List;
import org.sparselinear.tck.reference.Patterns;

/**
 * The patterns every sparse product is checked on: the edges docs/ARCHITECTURE.md names (a row with no
 * connections, a column with no connections, nnz = 0, in != out), a skewed pattern with one
 * fully connected row (and its transpose, one fully connected column), which breaks kernels that
 * split work by rows or by nnz wrongly, and a 20,000 x 20,000 layer at 99 % sparsity (about 4 M
 * connections) run at a small batch.
 */
final class SparseCases {

    /**
     * Batch sizes of the small patterns: one sample, odd batches, a full one of 64, and the edges of
     * the vector blocks (8, 63, 65: tails of a 16-lane block and of a 64-float block).
     */
    static final List<Integer> BATCHES = List.of(1, 7, 8, 63, 64, 65);

    /** Batch size of the large layer, small enough to keep its reference quick. */
    static final int LARGE_BATCH = 4;

    private static final List<SparsePattern> SMALL = List.of(
            new SparsePattern("random 30x50, 20 % dense", () -> Patterns.random(30, 50, 0.2, 11)),
            new SparsePattern("random 50x30, 20 % dense", () -> Patterns.random(50, 30, 0.2, 12)),
            new SparsePattern(
                    "40x61 with empty rows and empty columns", () -> Patterns.emptyRowsAndColumns(40, 61, 0.3, 13)),
            new SparsePattern("5x7 with no connections", () -> Patterns.empty(5, 7)),
            new SparsePattern("fully connected 9x13", () -> Patterns.full(9, 13)),
            new SparsePattern("single connection 1x1", () -> Patterns.full(1, 1)),
            new SparsePattern("single output 1x40, 50 % dense", () -> Patterns.random(1, 40, 0.5, 14)),
            new SparsePattern("single input 40x1, 50 % dense", () -> Patterns.random(40, 1, 0.5, 15)),
            new SparsePattern("64x5000 with one full row", () -> Patterns.oneDenseRow(64, 5000, 17, 3, 16)),
            new SparsePattern(
                    "5000x64 with one full column",
                    () -> Patterns.transpose(Patterns.oneDenseRow(64, 5000, 17, 3, 16))));

    private static final SparsePattern LARGE =
            new SparsePattern("20000x20000 at 99 % sparsity", () -> Patterns.random(20_000, 20_000, 0.01, 17));

    private SparseCases() {}

    /** Every distinct pattern. */
    static List<SparsePattern> patterns() {
        List<SparsePattern> all = new ArrayList<>(SMALL);
        all.add(LARGE);
        return all;
    }

    /** Every small pattern at every batch size, then the large layer at its batch. */
    static List<SparseCase> all() {
        List<SparseCase> cases = new ArrayList<>();
        for (SparsePattern pattern : SMALL) {
            for (int batch : BATCHES) {
                cases.add(new SparseCase(pattern, batch));
            }
        }
        cases.add(new SparseCase(LARGE, LARGE_BATCH));
        return cases;
    }
}
