package org.sparselinear.data;

import java.util.Arrays;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Tensor;
import org.sparselinear.spi.Checks;

/**
 * A mini-batch on the host: {@code size} samples of shape {@code sampleShape}, row-major, and
 * their labels. Immutable: arrays are copied in and out.
 *
 * @param features {@code size * product(sampleShape)} values, sample after sample
 * @param labels one class per sample
 * @param size the number of samples, positive
 * @param sampleShape the shape of one sample, e.g. {@code {1, 28, 28}}
 */
public record Batch(float[] features, int[] labels, int size, int[] sampleShape) {

    /** Checks that the arrays agree with {@code size} and {@code sampleShape}, and copies them. */
    public Batch {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(sampleShape, "sampleShape");
        Checks.positive(size, "batch size");
        long perSample = 1;
        for (int d = 0; d < sampleShape.length; d++) {
            perSample *= Checks.positive(sampleShape[d], "sampleShape dimension " + d);
        }
        if (labels.length != size || perSample * size != features.length) {
            throw new IllegalArgumentException(
                    "a batch of " + size + " samples of shape " + Arrays.toString(sampleShape)
                            + " needs " + size + " labels and " + perSample * size + " feature values, got "
                            + labels.length + " and " + features.length);
        }
        features = features.clone();
        labels = labels.clone();
        sampleShape = sampleShape.clone();
    }

    /** A copy of the features, row-major. */
    @Override
    public float[] features() {
        return features.clone();
    }

    /** A copy of the labels. */
    @Override
    public int[] labels() {
        return labels.clone();
    }

    /** A copy of the sample shape. */
    @Override
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /**
     * The features uploaded to {@code backend} as a constant tensor of shape
     * {@code (size, sampleShape...)}, stored as a {@code (size, product(sampleShape))} matrix in the
     * current memory scope.
     */
    public Tensor features(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = size;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Tensor.constant(backend.upload(features, size, features.length / size), shape);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Batch that
                && size == that.size
                && Arrays.equals(features, that.features)
                && Arrays.equals(labels, that.labels)
                && Arrays.equals(sampleShape, that.sampleShape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(features) + Arrays.hashCode(labels)) + Arrays.hashCode(sampleShape);
    }

    @Override
    public String toString() {
        return "Batch(size=" + size + ", sampleShape=" + Arrays.toString(sampleShape) + ")";
    }
}
