package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link NonZeroRanges}: lines of a pattern, unions, and each element visited once whatever the threads. */
class NonZeroRangesTest {

    /** Pointers of a pattern of 6 lines of lengths 2, 0, 3, 1, 4, 2. */
    private static final int[] POINTERS = {0, 2, 2, 5, 6, 10, 12};

    @Test
    void linesBecomeRangesWithAdjacentOnesJoinedAndEmptyOnesLeftOut() {
        assertEquals("[0, 2) [5, 10)", describe(NonZeroRanges.ofLines(new int[] {0, 1, 3, 4}, i -> POINTERS[i])));
        assertEquals("[0, 6)", describe(NonZeroRanges.ofLines(new int[] {0, 1, 2, 3}, i -> POINTERS[i])));
        assertEquals("", describe(NonZeroRanges.ofLines(new int[] {1}, i -> POINTERS[i])));
        assertEquals(
                5, NonZeroRanges.ofLines(new int[] {0, 2}, i -> POINTERS[i]).length());
    }

    @Test
    void aUnionMergesOverlappingAndTouchingRanges() {
        NonZeroRanges a = NonZeroRanges.ofLines(new int[] {0, 4}, i -> POINTERS[i]); // [0, 2) [6, 10)
        NonZeroRanges b = NonZeroRanges.ofLines(new int[] {2, 5}, i -> POINTERS[i]); // [2, 5) [10, 12)
        assertEquals("[0, 5) [6, 12)", describe(a.union(b)));
        assertEquals("[0, 5) [6, 12)", describe(b.union(a)));
        assertEquals("[0, 2) [6, 10)", describe(a.union(a)));
        assertEquals("[0, 2) [6, 10)", describe(a.union(NonZeroRanges.NONE)));
        assertEquals("[0, 2) [6, 10)", describe(NonZeroRanges.NONE.union(a)));
        NonZeroRanges inside = NonZeroRanges.ofLines(new int[] {4}, i -> i < 5 ? 7 : 8);
        assertEquals(
                "[6, 10)",
                describe(NonZeroRanges.ofLines(new int[] {4}, i -> POINTERS[i]).union(inside)));
    }

    @Test
    void everyElementOfTheRangesIsVisitedOnceOnAnyNumberOfThreads() {
        int[] pointers = new int[2001];
        for (int line = 0; line < 2000; line++) {
            pointers[line + 1] = pointers[line] + line % 7 * 40;
        }
        int[] lines = new int[700];
        for (int k = 0; k < lines.length; k++) {
            lines[k] = k * 2 + k % 2; // ascending, some adjacent
        }
        NonZeroRanges ranges = NonZeroRanges.ofLines(lines, i -> pointers[i]);
        for (int threads : new int[] {1, 2, 3, 7}) {
            try (WorkerPool pool = new WorkerPool(threads, 0)) {
                AtomicIntegerArray visits = new AtomicIntegerArray(pointers[2000]);
                ranges.forEach(pool, (start, end) -> {
                    for (int i = start; i < end; i++) {
                        visits.incrementAndGet(i);
                    }
                });
                boolean[] inRanges = new boolean[visits.length()];
                for (int line : lines) {
                    for (int i = pointers[line]; i < pointers[line + 1]; i++) {
                        inRanges[i] = true;
                    }
                }
                for (int i = 0; i < visits.length(); i++) {
                    assertEquals(inRanges[i] ? 1 : 0, visits.get(i), threads + " threads, element " + i);
                }
            }
        }
    }

    private static String describe(NonZeroRanges ranges) {
        StringBuilder text = new StringBuilder();
        try (WorkerPool pool = new WorkerPool(1, 0)) {
            ranges.forEach(pool, (start, end) -> text.append(text.length() == 0 ? "" : " ")
                    .append('[')
                    .append(start)
                    .append(", ")
                    .append(end)
                    .append(')'));
        }
        return text.toString();
    }
}
