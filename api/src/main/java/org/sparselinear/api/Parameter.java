package org.sparselinear.api;

import java.util.Objects;

/**
 * A trainable tensor owned by a layer: a leaf of the autograd graph whose gradient buffer
 * lives as long as the parameter and is accumulated into by every backward pass until
 * {@link #zeroGrad()}. Create parameters (and so layers) outside any {@link MemoryScope}.
 *
 * <p>For a sparse layer the weight parameter is the {@code (1, nnz)} vector of the existing
 * connections only, so an optimizer can never move a connection that does not exist.
 */
public class Parameter extends Tensor {

    private final String name;

    /** A parameter named {@code name} (e.g. {@code "weight"}) holding {@code value}. */
    public Parameter(String name, DenseMatrix value) {
        super(value, new int[] {value.rows(), value.columns()}, true, java.util.List.of(), null);
        this.name = Objects.requireNonNull(name, "name");
        setGrad(value.backend().zeros(value.rows(), value.columns()));
    }

    /** The name within its layer, e.g. {@code "weight"} or {@code "bias"}. */
    public String name() {
        return name;
    }

    /** Sets the gradient to zero. */
    public void zeroGrad() {
        backend().fill(grad(), 0f);
    }

    /** Number of scalars. */
    public long numel() {
        return value().size();
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + value().shapeString() + ")";
    }
}
