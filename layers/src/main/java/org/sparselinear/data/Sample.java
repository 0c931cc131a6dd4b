package org.sparselinear.data;

import java.util.Objects;

/**
 * One sample: its features, dense ({@code values}, one per feature) or sparse (the 0-based
 * {@code indices} of the features present, ascending, and their {@code values}), and its target, a
 * class label or a float vector (regression).
 *
 * <p>The arrays are owned by the sample, not copied, so that reading millions of samples costs no
 * extra copies: do not modify an array passed in or returned. A sample checks only that its arrays
 * exist and agree in length; the {@link Dataset} or {@link DatasetBuilder} that receives it checks
 * it against the data set's width and targets.
 */
public final class Sample {

    private final int[] indices;
    private final float[] values;
    private final int label;
    private final float[] target;

    private Sample(int[] indices, float[] values, int label, float[] target) {
        this.indices = indices;
        this.values = Objects.requireNonNull(values, "values");
        this.label = label;
        this.target = target;
    }

    /** A dense sample with class label {@code label} (checked by the data set that receives it). */
    public static Sample dense(float[] values, int label) {
        return new Sample(null, values, label, null);
    }

    /** A dense sample with the target vector {@code target} (regression). */
    public static Sample dense(float[] values, float[] target) {
        return new Sample(null, values, 0, Objects.requireNonNull(target, "target"));
    }

    /**
     * A sparse sample with class label {@code label}.
     *
     * @param indices the 0-based features present, ascending and without duplicates
     * @param values their values, as many as {@code indices}
     */
    public static Sample sparse(int[] indices, float[] values, int label) {
        return new Sample(checkSparse(indices, values), values, label, null);
    }

    /** A sparse sample (see {@link #sparse(int[], float[], int)}) with the target vector {@code target}. */
    public static Sample sparse(int[] indices, float[] values, float[] target) {
        return new Sample(checkSparse(indices, values), values, 0, Objects.requireNonNull(target, "target"));
    }

    private static int[] checkSparse(int[] indices, float[] values) {
        Objects.requireNonNull(indices, "indices");
        Objects.requireNonNull(values, "values");
        if (indices.length != values.length) {
            throw new IllegalArgumentException("a sparse sample needs one value per index, got " + indices.length
                    + " indices and " + values.length + " values");
        }
        return indices;
    }

    /** Whether the features are sparse ({@link #indices()} and {@link #values()}). */
    public boolean isSparse() {
        return indices != null;
    }

    /** The feature values: all of them when dense, those at {@link #indices()} when sparse. Do not modify. */
    public float[] values() {
        return values;
    }

    /**
     * The 0-based indices of the features present, ascending. Do not modify.
     *
     * @throws IllegalStateException for a dense sample
     */
    public int[] indices() {
        if (indices == null) {
            throw new IllegalStateException(
                    "this sample is dense (" + values.length + " values) and has no indices; check isSparse()");
        }
        return indices;
    }

    /** The number of stored values: every feature when dense, the features present when sparse. */
    public int nnz() {
        return values.length;
    }

    /** Whether the target is a class label ({@link #label()}) rather than a vector ({@link #target()}). */
    public boolean hasLabel() {
        return target == null;
    }

    /**
     * The class label.
     *
     * @throws IllegalStateException when the target is a float vector; use {@link #target()}
     */
    public int label() {
        if (target != null) {
            throw new IllegalStateException("this sample has a target vector of " + target.length
                    + " values, not a class label; use target(), or check hasLabel()");
        }
        return label;
    }

    /**
     * The target vector (regression). Do not modify.
     *
     * @throws IllegalStateException when the target is a class label; use {@link #label()}
     */
    public float[] target() {
        if (target == null) {
            throw new IllegalStateException("this sample has the class label " + label
                    + ", not a target vector; use label(), or check hasLabel()");
        }
        return target;
    }

    @Override
    public String toString() {
        return "Sample(" + (isSparse() ? "sparse, nnz=" + values.length : "dense, " + values.length + " values")
                + (hasLabel() ? ", label=" + label : ", target of " + target.length) + ")";
    }
}
