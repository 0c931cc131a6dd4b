package org.sparselinear.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the partitions' grow candidates of one sparse layer (RigL's top-k positions of the
 * gradient magnitude, each list best first) into one list: a Borda count. A position ranked
 * {@code r} (0 = best) in a list of {@code k} gets {@code k - r} points; the merged list is the
 * {@code k} positions with most points, ties broken by row then column. Positions every partition
 * ranks high win; the result does not depend on the order in which partitions report. The
 * library's top-k lists carry no gradient values, so this rank vote stands in for the top-k of
 * the summed gradient (which it equals when the partitions agree).
 */
final class CandidateVotes implements Serializable {

    private final Map<Long, Long> points = new HashMap<>();
    private int listLength;

    /** Adds one partition's list: {@code rows[i], columns[i]}, best first. */
    void add(int[][] candidates) {
        int k = candidates[0].length;
        listLength = Math.max(listLength, k);
        for (int r = 0; r < k; r++) {
            points.merge(key(candidates[0][r], candidates[1][r]), (long) (k - r), Long::sum);
        }
    }

    /** Adds another partition group's votes. */
    void addAll(CandidateVotes other) {
        listLength = Math.max(listLength, other.listLength);
        other.points.forEach((position, p) -> points.merge(position, p, Long::sum));
    }

    /** The merged list, best first: {@code (2, m)} rows then columns, m at most the longest list. */
    int[][] merged() {
        List<Map.Entry<Long, Long>> entries = new ArrayList<>(points.entrySet());
        entries.sort((a, b) -> {
            int byPoints = Long.compare(b.getValue(), a.getValue());
            return byPoints != 0 ? byPoints : Long.compare(a.getKey(), b.getKey());
        });
        int m = Math.min(listLength, entries.size());
        int[][] out = new int[2][m];
        for (int i = 0; i < m; i++) {
            long key = entries.get(i).getKey();
            out[0][i] = (int) (key >>> 32);
            out[1][i] = (int) key;
        }
        return out;
    }

    private static long key(int row, int column) {
        return ((long) row << 32) | (column & 0xFFFFFFFFL);
    }
}
