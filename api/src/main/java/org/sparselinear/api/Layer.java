package org.sparselinear.api;

import java.util.List;

/**
 * A building block of a network, ours or a third party's: it maps an input tensor to an
 * output tensor (recording what backward needs), owns its trainable {@link Parameter}s, and has
 * a training and an evaluation mode (layers such as K-Winners or dropout behave differently).
 *
 * <p>A layer holds device memory (its parameters and gradients, and for some layers patterns or
 * running statistics) until {@link #close()}; a model is closed as a whole, with its sub-layers.
 */
public interface Layer extends AutoCloseable {

    /** Computes the output for {@code input}; records the graph when gradients are needed. */
    Tensor forward(Tensor input);

    /** The trainable parameters, including those of sub-layers; empty by default. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Sets training ({@code true}) or evaluation ({@code false}) mode, for sub-layers too. */
    void setTraining(boolean training);

    /** Whether the layer is in training mode. */
    boolean isTraining();

    /** Switches to training mode; returns this layer. */
    default Layer train() {
        setTraining(true);
        return this;
    }

    /** Switches to evaluation mode; returns this layer. */
    default Layer eval() {
        setTraining(false);
        return this;
    }

    /**
     * Frees the device memory this layer holds, that of its sub-layers included; afterwards using
     * the layer, or any of its parameters, fails with {@link IllegalStateException}. Closing twice
     * does nothing. Optimizers built on the parameters are not closed: close them too.
     *
     * <p>By default closes every parameter (values and gradients); a layer that holds other device
     * memory overrides this to free that as well.
     */
    @Override
    default void close() {
        for (Parameter parameter : parameters()) {
            parameter.close();
        }
    }

    /**
     * This layer on {@code backend}: a new, independent layer with the same structure, bit for bit
     * the same parameters and state, the same connections and the same training mode. This layer is
     * left as it is, so close it when it is no longer needed. An optimizer's state does not move:
     * build a new optimizer on the moved layer's parameters.
     *
     * @throws UnsupportedOperationException by default: the layer does not know how to rebuild
     *         itself; extend {@code org.sparselinear.nn.AbstractLayer}, which moves every layer a
     *         model file can hold, or override this method
     */
    default Layer to(Backend backend) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot move itself to another backend: "
                + "extend org.sparselinear.nn.AbstractLayer (which moves any layer a model file can hold) or "
                + "override Layer.to(Backend); or build the layer again on the backend and copy its state with "
                + "org.sparselinear.io.ModelFile.loadInto");
    }
}
