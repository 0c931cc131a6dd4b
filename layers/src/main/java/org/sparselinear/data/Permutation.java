package org.sparselinear.data;

import java.util.SplittableRandom;

/** Orders of sample indices, shuffled by the Fisher-Yates algorithm (Durstenfeld's in-place variant). */
final class Permutation {

    private Permutation() {}

    /** {@code 0 .. n-1} in order, or shuffled uniformly by {@code random} when it is not null. */
    static int[] of(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }
}
