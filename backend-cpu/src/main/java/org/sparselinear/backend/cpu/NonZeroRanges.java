package org.sparselinear.backend.cpu;

import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * Where a matrix's array may hold non-zeros: sorted, disjoint ranges {@code [starts[k], ends[k])}, every element
 * outside them being zero. A first layer fed sparse batches has a gradient that is non-zero only at the batch's
 * features: in the rows of {@code W^T} of a sparse weight held input-major
 * ({@link SparseInputKernels#transposedWeightGradient}), about 5 % of the text model's 4.2 million connections, or
 * in the columns of a dense weight ({@link SparseInputKernels#denseWeightGradient}); knowing it, clearing
 * the gradient and Adagrad's step (which leaves the elements of zero gradient as they are) visit those ranges
 * only, where each was a pass over the whole array. {@link CpuDenseMatrix} keeps one, and forgets it when its
 * array is handed to any other kernel.
 */
final class NonZeroRanges {

    /** No non-zeros: a matrix just allocated or cleared. */
    static final NonZeroRanges NONE = new NonZeroRanges(new int[0], new int[0]);

    private final int[] starts;
    private final int[] ends;
    /** {@code offsets[k]}: the elements of the ranges before range {@code k}; {@code offsets[count]} is all of them. */
    private final long[] offsets;

    private NonZeroRanges(int[] starts, int[] ends) {
        this.starts = starts;
        this.ends = ends;
        this.offsets = new long[starts.length + 1];
        for (int k = 0; k < starts.length; k++) {
            offsets[k + 1] = offsets[k] + ends[k] - starts[k];
        }
    }

    /**
     * The lines {@code [startOf(r), startOf(r + 1))} of the ascending {@code lines}: of a CSR pattern
     * ({@code startOf} its pointers) or of a dense matrix stored line after line ({@code r * width}); adjacent ones
     * joined and empty ones left out.
     */
    static NonZeroRanges ofLines(int[] lines, IntUnaryOperator startOf) {
        int[] starts = new int[lines.length];
        int[] ends = new int[lines.length];
        int count = 0;
        for (int line : lines) {
            int start = startOf.applyAsInt(line);
            int end = startOf.applyAsInt(line + 1);
            if (start == end) {
                continue;
            }
            if (count > 0 && ends[count - 1] == start) {
                ends[count - 1] = end;
            } else {
                starts[count] = start;
                ends[count] = end;
                count++;
            }
        }
        return new NonZeroRanges(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count));
    }

    /** The elements in either (ranges merged). */
    NonZeroRanges union(NonZeroRanges other) {
        if (other.starts.length == 0) {
            return this;
        }
        if (starts.length == 0) {
            return other;
        }
        int[] mergedStarts = new int[starts.length + other.starts.length];
        int[] mergedEnds = new int[mergedStarts.length];
        int count = 0;
        int a = 0;
        int b = 0;
        while (a < starts.length || b < other.starts.length) {
            boolean takeA = b == other.starts.length || (a < starts.length && starts[a] <= other.starts[b]);
            int start = takeA ? starts[a] : other.starts[b];
            int end = takeA ? ends[a++] : other.ends[b++];
            if (count > 0 && start <= mergedEnds[count - 1]) {
                mergedEnds[count - 1] = Math.max(mergedEnds[count - 1], end);
            } else {
                mergedStarts[count] = start;
                mergedEnds[count] = end;
                count++;
            }
        }
        return new NonZeroRanges(Arrays.copyOf(mergedStarts, count), Arrays.copyOf(mergedEnds, count));
    }

    /** Elements in the ranges. */
    long length() {
        return offsets[starts.length];
    }

    /**
     * Runs {@code body.run(start, end)} over every range, or the pieces of them, in parts of about equal length on
     * the pool's threads (each element in exactly one call).
     */
    void forEach(WorkerPool pool, WorkerPool.RangeBody body) {
        long length = length();
        int parts = pool.partsFor(length, (int) Math.min(Integer.MAX_VALUE, length));
        pool.run(parts, p -> forEachIn(length * p / parts, length * (p + 1) / parts, body));
    }

    /** {@code body} over the elements numbered {@code [from, to)} in the ranges' order. */
    private void forEachIn(long from, long to, WorkerPool.RangeBody body) {
        int k = Arrays.binarySearch(offsets, from);
        k = k >= 0 ? k : -k - 2;
        for (; k < starts.length && offsets[k] < to; k++) {
            long first = Math.max(from, offsets[k]);
            long last = Math.min(to, offsets[k + 1]);
            if (first < last) {
                body.run(starts[k] + (int) (first - offsets[k]), starts[k] + (int) (last - offsets[k]));
            }
        }
    }
}
