package org.sparselinear.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class CandidateVotesTest {

    @Test
    void positionsRankedHighByMostPartitionsWinAndTheOrderOfReportsDoesNotMatter() {
        int[][] a = {{0, 1, 2}, {5, 5, 5}}; // (0,5) best, then (1,5), then (2,5)
        int[][] b = {{1, 3, 0}, {5, 4, 5}}; // (1,5) best, then (3,4), then (0,5)
        // points: (0,5) 3+1 = 4, (1,5) 2+3 = 5, (2,5) 1, (3,4) 2
        CandidateVotes ab = new CandidateVotes();
        ab.add(a);
        ab.add(b);
        CandidateVotes ba = new CandidateVotes();
        CandidateVotes onlyB = new CandidateVotes();
        onlyB.add(b);
        CandidateVotes onlyA = new CandidateVotes();
        onlyA.add(a);
        ba.addAll(onlyB);
        ba.addAll(onlyA);
        int[][] expected = {{1, 0, 3}, {5, 5, 4}};
        assertArrayEquals(expected[0], ab.merged()[0]);
        assertArrayEquals(expected[1], ab.merged()[1]);
        assertArrayEquals(expected[0], ba.merged()[0]);
        assertArrayEquals(expected[1], ba.merged()[1]);
    }

    @Test
    void tiesGoToTheLowerRowThenColumn() {
        CandidateVotes votes = new CandidateVotes();
        votes.add(new int[][] {{4}, {1}});
        votes.add(new int[][] {{2}, {7}});
        int[][] merged = votes.merged();
        assertArrayEquals(new int[] {2}, merged[0]);
        assertArrayEquals(new int[] {7}, merged[1]);
    }
}
