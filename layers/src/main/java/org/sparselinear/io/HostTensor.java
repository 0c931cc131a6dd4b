package org.sparselinear.io;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.io.SafeTensors.DType;

/**
 * A named tensor's values on the host, as a layer or optimizer hands them to a file
 * ({@link StateWriter#tensor}): float32, int32 or int64 data in row-major order with its shape.
 * The arrays are not copied; do not change them until the file is written.
 *
 * @param dtype {@link DType#F32}, {@link DType#I32} or {@link DType#I64}
 * @param shape the sizes, whose product is the number of values
 * @param data a {@code float[]} (F32), {@code int[]} (I32), {@code long[]} (I64), or {@code int[][]}
 *        rows of equal length written as one I64 tensor (see {@link #int64Rows})
 */
public record HostTensor(DType dtype, long[] shape, Object data) {

    /** Checks that the data fits the dtype and the shape. */
    public HostTensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(data, "data");
        shape = Objects.requireNonNull(shape, "shape").clone();
        long length;
        if (data instanceof float[] values && dtype == DType.F32) {
            length = values.length;
        } else if (data instanceof int[] values && dtype == DType.I32) {
            length = values.length;
        } else if (data instanceof long[] values && dtype == DType.I64) {
            length = values.length;
        } else if (data instanceof int[][] rows && dtype == DType.I64) {
            length = rows.length == 0 ? 0 : (long) rows.length * rows[0].length;
        } else {
            throw new IllegalArgumentException("a " + dtype + " tensor cannot hold a "
                    + data.getClass().getSimpleName() + "; use float[] for F32, int[] for I32, long[] for I64");
        }
        long numel = 1;
        for (long size : shape) {
            if (size < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative size");
            }
            numel = Math.multiplyExact(numel, size);
        }
        if (numel != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + numel + " elements but "
                    + length + " values were given");
        }
    }

    /** Float32 values of this shape. */
    public static HostTensor f32(float[] values, long... shape) {
        return new HostTensor(DType.F32, shape, values);
    }

    /** Int32 values of this shape. */
    public static HostTensor i32(int[] values, long... shape) {
        return new HostTensor(DType.I32, shape, values);
    }

    /** Int64 values of this shape. */
    public static HostTensor i64(long[] values, long... shape) {
        return new HostTensor(DType.I64, shape, values);
    }

    /**
     * An int64 tensor of shape {@code (rows.length, n)} from int rows of equal length {@code n},
     * widened when written: e.g. the {@code (2, nnz)} connection indices, output rows then input
     * columns, as PyTorch's sparse COO {@code indices()}.
     */
    public static HostTensor int64Rows(int[]... rows) {
        Objects.requireNonNull(rows, "rows");
        int n = rows.length == 0 ? 0 : Objects.requireNonNull(rows[0], "row 0").length;
        for (int r = 0; r < rows.length; r++) {
            if (Objects.requireNonNull(rows[r], "row " + r).length != n) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has " + n);
            }
        }
        return new HostTensor(DType.I64, new long[] {rows.length, n}, rows.clone());
    }

    /** The shape, copied. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as the file header writes it, e.g. {@code [2, 96]}. */
    public String shapeString() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostTensor that
                && dtype == that.dtype
                && Arrays.equals(shape, that.shape)
                && data == that.data;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, Arrays.hashCode(shape), System.identityHashCode(data));
    }

    @Override
    public String toString() {
        return "HostTensor(" + dtype + " " + shapeString() + ")";
    }
}
