package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChunkedArrayTest {

    @Test
    void appendsAndCopiesAcrossChunkBoundaries() {
        for (int chunkSize : new int[] {1, 2, 3, 5, 7, 64}) {
            SplittableRandom random = new SplittableRandom(chunkSize);
            ChunkedArray<int[]> chunked = new ChunkedArray<>(int[]::new, chunkSize);
            int[] reference = new int[0];
            for (int step = 0; step < 40; step++) {
                int[] piece = random.ints(random.nextInt(0, 12), -100, 100).toArray();
                int from = random.nextInt(0, 3);
                int[] padded = new int[piece.length + from + 2];
                System.arraycopy(piece, 0, padded, from, piece.length);
                chunked.append(padded, from, piece.length);
                int old = reference.length;
                reference = Arrays.copyOf(reference, old + piece.length);
                System.arraycopy(piece, 0, reference, old, piece.length);
                assertEquals(reference.length, chunked.size());
            }
            assertEquals((reference.length + chunkSize - 1) / chunkSize, chunked.chunkCount(), "full chunks only");
            for (int start = 0; start < reference.length; start += 3) {
                for (int length : new int[] {0, 1, chunkSize, chunkSize + 1, 2 * chunkSize + 3}) {
                    if (start + length <= reference.length) {
                        assertArrayEquals(
                                Arrays.copyOfRange(reference, start, start + length),
                                chunked.copy(start, length),
                                "chunk size " + chunkSize + ", start " + start + ", length " + length);
                    }
                }
            }
            int[] target = new int[reference.length + 4];
            chunked.copyTo(0, target, 4, reference.length);
            assertArrayEquals(reference, Arrays.copyOfRange(target, 4, target.length));
        }
    }

    @Test
    void readingPastTheEndIsAnError() {
        ChunkedArray<float[]> chunked = new ChunkedArray<>(float[]::new, 4);
        chunked.append(new float[6], 0, 6);
        assertThrows(IndexOutOfBoundsException.class, () -> chunked.copy(3, 4));
        assertThrows(IllegalArgumentException.class, () -> new ChunkedArray<>(float[]::new, 0));
    }
}
