package org.sparselinear.api;

import java.util.List;

/**
 * A building block of a network, ours or a third party's: it maps an input tensor to an
 * output tensor (recording what backward needs), owns its trainable {@link Parameter}s, and has
 * a training and an evaluation mode (layers such as K-Winners or dropout behave differently).
 */
public interface Layer {

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
}
