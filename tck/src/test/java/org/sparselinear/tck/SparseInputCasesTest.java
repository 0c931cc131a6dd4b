package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.Patterns;

/** Checks that the kit's sparse-input cases contain the edges the issue names, and the generators they use. */
class SparseInputCasesTest {

    private static boolean anyInput(Predicate<Connectivity> property) {
        return SparseInputCases.all().stream().map(SparseInputCase::x).anyMatch(property);
    }

    private static boolean anyWeight(Predicate<Connectivity> property) {
        return SparseInputCases.all().stream().map(SparseInputCase::w).anyMatch(property);
    }

    private static boolean hasEmptyRow(Connectivity pattern) {
        for (int r = 0; r < pattern.rows(); r++) {
            if (pattern.rowStart(r) == pattern.rowStart(r + 1)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasFeatureInEveryRow(Connectivity pattern) {
        Connectivity byFeature = Patterns.transpose(pattern);
        for (int i = 0; i < byFeature.rows(); i++) {
            if (byFeature.rowStart(i + 1) - byFeature.rowStart(i) == pattern.rows()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void casesCoverTheEdges() {
        List<Integer> batches =
                SparseInputCases.all().stream().map(c -> c.x().rows()).toList();
        assertTrue(batches.containsAll(List.of(1, 64)), "batch 1 and batch 64");
        assertTrue(anyInput(x -> x.nnz() > 0 && hasEmptyRow(x)), "an empty sample among others");
        assertTrue(anyInput(x -> x.rows() > 1 && x.nnz() == 0), "an all-empty batch");
        assertTrue(anyInput(x -> x.nnz() > 0 && hasEmptyRow(Patterns.transpose(x))), "a feature never seen");
        assertTrue(anyInput(x -> x.rows() > 1 && hasFeatureInEveryRow(x)), "a feature in every sample");
        assertTrue(anyWeight(w -> w.nnz() > 0 && hasEmptyRow(w)), "a weight with an empty row");
        assertTrue(anyWeight(w -> w.nnz() > 0 && hasEmptyRow(Patterns.transpose(w))), "a weight with an empty column");
        assertTrue(anyWeight(w -> w.nnz() == 0), "a weight with no connection");
        assertTrue(anyWeight(w -> w.nnz() == w.rows() * w.columns()), "a fully connected weight");
        for (SparseInputCase c : SparseInputCases.all()) {
            assertEquals(c.x().columns(), c.w().columns(), () -> c + ": the weight's inputs are the batch's features");
        }
    }

    @Test
    void zipfRowsHaveTheirSizeAndFavourTheFirstFeatures() {
        Connectivity rows = Patterns.zipfRows(200, 5000, 11, 5);
        Connectivity byFeature = Patterns.transpose(rows);

        assertEquals(200 * 11, rows.nnz());
        for (int r = 0; r < rows.rows(); r++) {
            assertEquals(11, rows.rowStart(r + 1) - rows.rowStart(r), "row " + r);
        }
        int first = byFeature.rowStart(1) - byFeature.rowStart(0);
        int lastThousand = byFeature.rowStart(5000) - byFeature.rowStart(4000);
        assertTrue(first > lastThousand, "feature 0 in " + first + " rows, the last 1,000 features in " + lastThousand);
        assertEquals(rows, Patterns.zipfRows(200, 5000, 11, 5), "the same seed gives the same rows");
    }

    @Test
    void withColumnInEveryRowAddsTheColumnToRowsOfTheRequestedSize() {
        Connectivity rows = Patterns.withColumnInEveryRow(30, 12, 11, 3, 9);

        for (int r = 0; r < rows.rows(); r++) {
            assertEquals(4, rows.rowStart(r + 1) - rows.rowStart(r), "row " + r);
            assertTrue(rows.contains(r, 11), "row " + r + " holds column 11");
        }
    }
}
