package org.sparselinear.tck;

import java.util.ArrayList;
import java.util.List;
import org.sparselinear.tck.reference.Patterns;

/**
 * The cases every {@link org.sparselinear.spi.SparseInputProducts} operation is checked on. Sparse
 * batches of 40 features: one sample; 64 samples with every third row empty and the odd features
 * never seen; 64 samples sharing one feature; 64 empty samples (nnz = 0). Each meets weights
 * (out, 40) that are random, have empty rows and columns, are fully connected, or have no
 * connection. Then a text-like case: 64 rows of 5,000 features with 11 Zipf-distributed
 * non-zeros each (a few features in most rows, most in none) into a 300 x 5,000 weight at 90 %
 * sparsity.
 */
final class SparseInputCases {

    /** Number of features of the small batches. */
    static final int FEATURES = 40;

    /** The feature every sample of the shared-feature batch holds. */
    static final int SHARED_FEATURE = 3;

    static final SparsePattern ONE_SAMPLE = new SparsePattern(
            "1 sample with 6 of 40 features", () -> Patterns.withRowSizes(FEATURES, new int[] {6}, 21));

    private static final List<SparsePattern> INPUTS = List.of(
            ONE_SAMPLE,
            new SparsePattern(
                    "64 samples, every third empty, odd features never seen",
                    () -> Patterns.emptyRowsAndColumns(64, FEATURES, 0.15, 22)),
            new SparsePattern(
                    "64 samples all holding feature " + SHARED_FEATURE,
                    () -> Patterns.withColumnInEveryRow(64, FEATURES, SHARED_FEATURE, 4, 23)),
            new SparsePattern("64 empty samples (nnz = 0)", () -> Patterns.empty(64, FEATURES)));

    private static final List<SparsePattern> WEIGHTS = List.of(
            new SparsePattern("random 30x40 weight, 20 % dense", () -> Patterns.random(30, FEATURES, 0.2, 24)),
            new SparsePattern(
                    "30x40 weight with empty rows and columns",
                    () -> Patterns.emptyRowsAndColumns(30, FEATURES, 0.3, 25)),
            new SparsePattern("fully connected 7x40 weight", () -> Patterns.full(7, FEATURES)),
            new SparsePattern("5x40 weight with no connections", () -> Patterns.empty(5, FEATURES)));

    private static final SparseInputCase TEXT = new SparseInputCase(
            new SparsePattern("64 text-like rows of 5000 features, 11 each", () -> Patterns.zipfRows(64, 5000, 11, 26)),
            new SparsePattern("300x5000 weight at 90 % sparsity", () -> Patterns.random(300, 5000, 0.1, 27)));

    private SparseInputCases() {}

    /** Every small batch with every weight, then the text-like case. */
    static List<SparseInputCase> all() {
        List<SparseInputCase> cases = new ArrayList<>();
        for (SparsePattern input : INPUTS) {
            for (SparsePattern weight : WEIGHTS) {
                cases.add(new SparseInputCase(input, weight));
            }
        }
        cases.add(TEXT);
        return cases;
    }
}
