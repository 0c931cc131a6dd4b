package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.Patterns;

/** Checks that the kit's sparse cases contain the edges they are there for, and that generation is repeatable. */
class SparseCasesTest {

    private static boolean anyPattern(Predicate<Connectivity> property) {
        return SparseCases.patterns().stream().map(SparsePattern::connectivity).anyMatch(property);
    }

    private static int longestRow(Connectivity pattern) {
        int longest = 0;
        for (int r = 0; r < pattern.rows(); r++) {
            longest = Math.max(longest, pattern.rowStart(r + 1) - pattern.rowStart(r));
        }
        return longest;
    }

    private static boolean hasEmptyRow(Connectivity pattern) {
        for (int r = 0; r < pattern.rows(); r++) {
            if (pattern.rowStart(r) == pattern.rowStart(r + 1)) {
                return true;
            }
        }
        return false;
    }

    /** At least 5,000 connections in one row, and fewer than that in all the other rows together. */
    private static boolean hasOneDenseRow(Connectivity pattern) {
        int longest = longestRow(pattern);
        return longest >= 5000 && pattern.nnz() < 2 * longest;
    }

    @Test
    void casesCoverTheEdges() {
        assertTrue(anyPattern(p -> p.nnz() == 0), "a pattern with no connections");
        assertTrue(anyPattern(p -> p.nnz() > 0 && hasEmptyRow(p)), "a row with no connections");
        assertTrue(anyPattern(p -> p.nnz() > 0 && hasEmptyRow(Patterns.transpose(p))), "a column with no connections");
        assertTrue(anyPattern(p -> p.rows() != p.columns()), "in != out");
        assertTrue(anyPattern(SparseCasesTest::hasOneDenseRow), "one dense row");
        assertTrue(anyPattern(p -> hasOneDenseRow(Patterns.transpose(p))), "one dense column");
        List<Integer> batches =
                SparseCases.all().stream().map(SparseCase::batch).toList();
        assertTrue(batches.containsAll(List.of(1, 7, 64)), "batch 1, an odd batch and batch 64");
    }

    @Test
    void largeLayerHasFourMillionConnections() {
        Connectivity large = SparseCases.all().get(SparseCases.all().size() - 1).connectivity();

        assertEquals(20_000, large.rows());
        assertEquals(20_000, large.columns());
        assertEquals(4_000_000, large.nnz(), 20_000);
    }

    @Test
    void generationIsRepeatableAndTransposeIsAnInvolution() {
        Connectivity pattern = Patterns.random(300, 200, 0.1, 5);

        assertEquals(pattern, Patterns.random(300, 200, 0.1, 5));
        assertEquals(pattern, Patterns.transpose(Patterns.transpose(pattern)));
        assertEquals(pattern.nnz(), Patterns.transpose(pattern).nnz());
    }
}
