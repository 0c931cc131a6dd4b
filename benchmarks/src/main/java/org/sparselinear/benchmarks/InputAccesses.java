package org.sparselinear.benchmarks;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The memory accesses a sparse layer's products cannot avoid, and nothing else: what is left of the
 * forward and of the backward when the weight values and the arithmetic are taken away. Run over a
 * pattern in its row order (CSR), they measure the least time that kernels walking the pattern in
 * that order, as the CPU backend's do (the input gradient in its scatter form), could take on this
 * machine, as {@link MemoryBandwidthBenchmark} measures the least time of a streaming read. They matter where the inputs a connection multiplies are scattered: at batch 1 each
 * connection reads one float of {@code x} at a random place, and at batch 64 a random column of
 * 256 bytes, which come from the caches (L2 or L3) at the rate their random access allows, not at
 * the memory's streaming bandwidth.
 *
 * <p>The input is feature-major as the CPU backend holds it: {@code x[column * batch + b]}. Column
 * indices are 16-bit ({@code char}), as the CPU backend stores them for layers at most 65,536
 * inputs wide. A batch of one is read with scalar loads (on the AMD Zen 4 this was written on, four
 * independent scalar sums read faster than the Vector API's gather); larger batches with 512-bit
 * (or the machine's widest) vectors, four at a time, as the backend's kernels do.
 */
public final class InputAccesses {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private InputAccesses() {}

    /**
     * The forward's reads: for every connection of rows {@code [fromRow, toRow)}, the input column
     * it multiplies, {@code x[column * batch : (column + 1) * batch]}, summed so that no read can
     * be left out.
     *
     * @return the sum of every entry read (a connection's column counted once per connection)
     */
    public static double readColumns(int[] rowPointers, char[] columns, float[] x, int batch, int fromRow, int toRow) {
        double total = 0;
        for (int row = fromRow; row < toRow; row++) {
            total += readRow(columns, x, batch, rowPointers[row], rowPointers[row + 1]);
        }
        return total;
    }

    /**
     * The backward's accesses: for every connection of rows {@code [fromRow, toRow)}, the input
     * column it multiplies is read (the weight gradient's reads, summed) and the row's output
     * gradient is added into the connection's column of {@code dx} (the input gradient's
     * read-modify-write), a row's reads before its updates. Values, products and the weight
     * gradient's stores are left out.
     *
     * @return the sum of the input entries read, so that no read can be left out
     */
    public static double readAndScatterColumns(
            int[] rowPointers, char[] columns, float[] x, float[] dy, float[] dx, int batch, int fromRow, int toRow) {
        double total = 0;
        for (int row = fromRow; row < toRow; row++) {
            int start = rowPointers[row];
            int end = rowPointers[row + 1];
            total += readRow(columns, x, batch, start, end);
            addRow(columns, dy, row * batch, dx, batch, start, end);
        }
        return total;
    }

    /**
     * The input columns of one row's connections {@code [start, end)}: four vectors of the batch at a
     * time, or at batch 1 four scalar sums.
     */
    private static double readRow(char[] columns, float[] x, int batch, int start, int end) {
        if (batch == 1) {
            return readSingles(columns, x, start, end);
        }
        double total = 0;
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            total += readBlock(columns, x, batch, start, end, b);
        }
        for (; b < batch; b++) {
            float sum = 0;
            for (int k = start; k < end; k++) {
                sum += x[columns[k] * batch + b];
            }
            total += sum;
        }
        return total;
    }

    /**
     * One row's reads of four vectors of the batch, in four sums that start at zero for the row, as
     * the forward's accumulators do (one long chain of additions across rows would wait on itself).
     */
    private static double readBlock(char[] columns, float[] x, int batch, int start, int end, int b) {
        FloatVector a0 = FloatVector.zero(SPECIES);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int k = start; k < end; k++) {
            int source = columns[k] * batch + b;
            a0 = a0.add(FloatVector.fromArray(SPECIES, x, source));
            a1 = a1.add(FloatVector.fromArray(SPECIES, x, source + LANES));
            a2 = a2.add(FloatVector.fromArray(SPECIES, x, source + 2 * LANES));
            a3 = a3.add(FloatVector.fromArray(SPECIES, x, source + 3 * LANES));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    /** Adds the row's output gradient {@code dy[dyOffset : dyOffset + batch]} into the column of {@code dx} of each connection. */
    private static void addRow(char[] columns, float[] dy, int dyOffset, float[] dx, int batch, int start, int end) {
        int b = 0;
        for (; b + 4 * LANES <= batch; b += 4 * LANES) {
            int d = dyOffset + b;
            FloatVector d0 = FloatVector.fromArray(SPECIES, dy, d);
            FloatVector d1 = FloatVector.fromArray(SPECIES, dy, d + LANES);
            FloatVector d2 = FloatVector.fromArray(SPECIES, dy, d + 2 * LANES);
            FloatVector d3 = FloatVector.fromArray(SPECIES, dy, d + 3 * LANES);
            for (int k = start; k < end; k++) {
                int t = columns[k] * batch + b;
                d0.add(FloatVector.fromArray(SPECIES, dx, t)).intoArray(dx, t);
                d1.add(FloatVector.fromArray(SPECIES, dx, t + LANES)).intoArray(dx, t + LANES);
                d2.add(FloatVector.fromArray(SPECIES, dx, t + 2 * LANES)).intoArray(dx, t + 2 * LANES);
                d3.add(FloatVector.fromArray(SPECIES, dx, t + 3 * LANES)).intoArray(dx, t + 3 * LANES);
            }
        }
        for (; b < batch; b++) {
            float d = dy[dyOffset + b];
            for (int k = start; k < end; k++) {
                dx[columns[k] * batch + b] += d;
            }
        }
    }

    /** Batch of one: four independent scalar sums, so that the loop waits on the loads, not on the adds. */
    private static double readSingles(char[] columns, float[] x, int start, int end) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int k = start;
        for (; k + 3 < end; k += 4) {
            s0 += x[columns[k]];
            s1 += x[columns[k + 1]];
            s2 += x[columns[k + 2]];
            s3 += x[columns[k + 3]];
        }
        for (; k < end; k++) {
            s0 += x[columns[k]];
        }
        return (double) s0 + s1 + s2 + s3;
    }
}
