package org.sparselinear.topology;

import java.util.SplittableRandom;
import org.sparselinear.api.Connectivity;

/**
 * Draws a uniformly random subset of exactly {@code nnz} of the {@code rows x columns} positions,
 * in O(nnz) time and memory, written straight into sorted CSR arrays.
 *
 * <p>Bernoulli sampling with geometric skips, then Knuth's selection sampling (Algorithm S,
 * TAOCP vol. 2, section 3.4.2):
 * <ol>
 *   <li>Each of the {@code N = rows * columns} positions (row-major) is a candidate with
 *       probability {@code p = min(1, (nnz + 8 sqrt(nnz) + 16) / N)}. The walk jumps from one
 *       candidate to the next by a geometric gap {@code floor(ln U / ln(1 - p))}, {@code U} uniform
 *       in {@code (0, 1]}, so it costs O(candidates), not O(N). A first pass only counts the
 *       candidates, {@code m}; when {@code m < nnz} (about eight standard deviations below the
 *       mean, so rare) the walk is redrawn with the next seed.</li>
 *   <li>A second pass replays the same walk and keeps each candidate with probability
 *       {@code (nnz - kept) / (m - seen)}, which picks a uniform {@code nnz}-subset of the
 *       {@code m} candidates, in increasing order.</li>
 * </ol>
 * Given {@code m}, the candidates are a uniform {@code m}-subset of all positions, so the result
 * is a uniform {@code nnz}-subset of all positions, whatever {@code m} was. Memory is the output
 * only: the candidates are never stored.
 */
final class UniformSubsetSampler {

    private UniformSubsetSampler() {}

    /**
     * A uniform subset of {@code nnz} positions of a {@code rows x columns} matrix, with
     * {@code nnz < rows * columns}.
     */
    static Connectivity sample(int rows, int columns, int nnz, long seed) {
        double p = Math.min(1.0, (nnz + 8 * Math.sqrt(nnz) + 16) / ((double) rows * columns));
        return sample(rows, columns, nnz, p, seed);
    }

    /**
     * The same with a chosen candidate probability {@code p}: any {@code p} in {@code (0, 1]} gives
     * a uniform subset; a small one makes redraws frequent, a large one makes the walk long.
     */
    static Connectivity sample(int rows, int columns, int nnz, double p, long seed) {
        long size = (long) rows * columns;
        SplittableRandom seeds = new SplittableRandom(seed);
        while (true) {
            long walkSeed = seeds.nextLong();
            long selectSeed = seeds.nextLong();
            long candidates = count(new GeometricWalk(size, p, walkSeed));
            if (candidates >= nnz) {
                return select(
                        rows,
                        columns,
                        nnz,
                        candidates,
                        new GeometricWalk(size, p, walkSeed),
                        new SplittableRandom(selectSeed));
            }
        }
    }

    private static long count(GeometricWalk walk) {
        long candidates = 0;
        while (walk.next() < walk.size()) {
            candidates++;
        }
        return candidates;
    }

    private static Connectivity select(
            int rows, int columns, int nnz, long candidates, GeometricWalk walk, SplittableRandom random) {
        int[] rowPointers = new int[rows + 1];
        int[] columnIndices = new int[nnz];
        int row = 0;
        long rowStart = 0;
        int kept = 0;
        for (long seen = 0; kept < nnz; seen++) {
            long position = walk.next();
            if ((candidates - seen) * random.nextDouble() < nnz - kept) {
                while (position - rowStart >= columns) {
                    rowPointers[++row] = kept;
                    rowStart += columns;
                }
                columnIndices[kept++] = (int) (position - rowStart);
            }
        }
        while (row < rows) {
            rowPointers[++row] = nnz;
        }
        return Connectivity.ofTrustedCsr(rows, columns, rowPointers, columnIndices);
    }
}
