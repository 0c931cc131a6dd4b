package org.sparselinear.examples;

import java.util.List;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.optim.Adagrad;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/** The optimizers the {@code train} and {@code text} commands offer. */
public enum OptimizerKind {

    /** SGD with momentum, the reference notebook's; the learning rate defaults to the model's. */
    sgd,

    /** Adam with PyTorch's betas and epsilon (Kingma and Ba 2015); learning rate 0.001 by default. */
    adam,

    /**
     * Adagrad with PyTorch's defaults (Duchi, Hazan and Singer 2011); learning rate 0.01 by default.
     * It leaves entries of zero gradient untouched, so a sparse-input first layer's step is cheap.
     */
    adagrad;

    /** Adam's default learning rate, PyTorch's. */
    static final double ADAM_LEARNING_RATE = 0.001;

    /** Adagrad's default learning rate, PyTorch's. */
    static final double ADAGRAD_LEARNING_RATE = 0.01;

    /** The default learning rate of this optimizer for {@code model}. */
    double defaultLearningRate(ModelKind model) {
        return switch (this) {
            case sgd -> model.defaultLearningRate();
            case adam -> ADAM_LEARNING_RATE;
            case adagrad -> ADAGRAD_LEARNING_RATE;
        };
    }

    /** A new optimizer of this kind over {@code parameters} with {@code config}'s learning rate (and momentum). */
    Optimizer create(List<Parameter> parameters, RunConfig config) {
        return create(parameters, config.learningRate(), config.momentum());
    }

    /** A new optimizer of this kind over {@code parameters}; {@code momentum} is SGD's only. */
    Optimizer create(List<Parameter> parameters, double learningRate, double momentum) {
        return switch (this) {
            case sgd -> new SGD(parameters, learningRate, momentum);
            case adam -> new Adam(parameters, learningRate);
            case adagrad -> new Adagrad(parameters, learningRate);
        };
    }
}
