package org.sparselinear.examples;

import java.util.List;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/** The optimizers the {@code train} command offers. */
public enum OptimizerKind {

    /** SGD with momentum, the reference notebook's; the learning rate defaults to the model's. */
    sgd,

    /** Adam with PyTorch's betas and epsilon (Kingma and Ba 2015); learning rate 0.001 by default. */
    adam;

    /** Adam's default learning rate, PyTorch's. */
    static final double ADAM_LEARNING_RATE = 0.001;

    /** The default learning rate of this optimizer for {@code model}. */
    double defaultLearningRate(ModelKind model) {
        return this == adam ? ADAM_LEARNING_RATE : model.defaultLearningRate();
    }

    /** A new optimizer of this kind over {@code parameters} with {@code config}'s learning rate (and momentum). */
    Optimizer create(List<Parameter> parameters, RunConfig config) {
        return this == adam
                ? new Adam(parameters, config.learningRate())
                : new SGD(parameters, config.learningRate(), config.momentum());
    }
}
