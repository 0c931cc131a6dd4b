package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * The content of an IDX file of unsigned bytes (the format of the MNIST files): its dimensions,
 * the first being the number of items, and its elements in row-major order. Immutable. Read one
 * with {@link IdxReader#read}.
 */
public final class IdxFile {

    private final int[] dimensions;
    private final int itemSize;
    private final byte[] data;

    /** Takes ownership of {@code data}, whose length the caller has checked against the dimensions. */
    IdxFile(int[] dimensions, int itemSize, byte[] data) {
        this.dimensions = Objects.requireNonNull(dimensions, "dimensions").clone();
        this.itemSize = itemSize;
        this.data = Objects.requireNonNull(data, "data");
        if (dimensions.length == 0 || (long) dimensions[0] * itemSize != data.length) {
            throw new IllegalArgumentException("dimensions " + Arrays.toString(dimensions) + " with items of "
                    + itemSize + " elements do not fit " + data.length + " elements");
        }
    }

    /** The dimensions, e.g. {@code [60000, 28, 28]} for images or {@code [60000]} for labels. */
    public int[] dimensions() {
        return dimensions.clone();
    }

    /** The number of items: the first dimension. */
    public int count() {
        return dimensions[0];
    }

    /** The number of elements of one item: the product of the dimensions after the first. */
    public int itemSize() {
        return itemSize;
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** Element {@code index} (row-major), as a value in [0, 255]. */
    public int get(int index) {
        return data[index] & 0xff;
    }

    @Override
    public String toString() {
        return "IdxFile(dimensions=" + Arrays.toString(dimensions) + ")";
    }
}
