package org.sparselinear.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * An append-only array of primitives ({@code float[]} or {@code int[]} as {@code A}) indexed by
 * {@code long}, stored in chunks of {@code chunkSize} elements so that it may hold more than the
 * 2^31 elements of one Java array. Every chunk but the last is full; the last grows geometrically
 * up to {@code chunkSize}, so a small array costs little memory.
 */
final class ChunkedArray<A> {

    /** The default chunk length: 2^24 elements, 64 MiB of floats. */
    static final int DEFAULT_CHUNK_SIZE = 1 << 24;

    private static final int FIRST_CAPACITY = 16;

    private final IntFunction<A> allocate;
    private final int chunkSize;
    private final List<A> chunks = new ArrayList<>();
    private int lastCapacity;
    private long size;

    /**
     * An empty array.
     *
     * @param allocate makes a primitive array of the given length, e.g. {@code float[]::new}
     * @param chunkSize the length of a full chunk, positive
     */
    ChunkedArray(IntFunction<A> allocate, int chunkSize) {
        this.allocate = Objects.requireNonNull(allocate, "allocate");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be positive, got " + chunkSize);
        }
        this.chunkSize = chunkSize;
    }

    /** Number of elements. */
    long size() {
        return size;
    }

    /** Appends {@code length} elements of {@code source} from {@code from}. */
    void append(A source, int from, int length) {
        int done = 0;
        while (done < length) {
            int offset = (int) (size % chunkSize);
            if (offset == 0 && size / chunkSize == chunks.size()) {
                lastCapacity = Math.min(chunkSize, Math.max(FIRST_CAPACITY, length - done));
                chunks.add(allocate.apply(lastCapacity));
            }
            int room = chunkSize - offset;
            int count = Math.min(room, length - done);
            ensureLastCapacity(offset + count);
            System.arraycopy(source, from + done, chunks.get(chunks.size() - 1), offset, count);
            done += count;
            size += count;
        }
    }

    private void ensureLastCapacity(int needed) {
        if (needed <= lastCapacity) {
            return;
        }
        int capacity = (int) Math.min(chunkSize, Math.max(needed, 2L * lastCapacity));
        A grown = allocate.apply(capacity);
        int last = chunks.size() - 1;
        System.arraycopy(chunks.get(last), 0, grown, 0, lastCapacity);
        chunks.set(last, grown);
        lastCapacity = capacity;
    }

    /** Copies the {@code length} elements from {@code position} into {@code target} at {@code offset}. */
    void copyTo(long position, A target, int offset, int length) {
        Objects.checkFromIndexSize(position, length, size);
        int done = 0;
        while (done < length) {
            long at = position + done;
            int chunkOffset = (int) (at % chunkSize);
            int count = Math.min(chunkSize - chunkOffset, length - done);
            System.arraycopy(chunks.get((int) (at / chunkSize)), chunkOffset, target, offset + done, count);
            done += count;
        }
    }

    /** The {@code length} elements from {@code position} in a new array. */
    A copy(long position, int length) {
        A copy = allocate.apply(length);
        copyTo(position, copy, 0, length);
        return copy;
    }

    /** The number of chunks allocated (for tests of the chunk boundaries). */
    int chunkCount() {
        return chunks.size();
    }
}
