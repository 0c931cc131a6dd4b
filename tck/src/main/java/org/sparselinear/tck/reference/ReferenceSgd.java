package org.sparselinear.tck.reference;

import org.sparselinear.spi.SgdSettings;

/**
 * A reference SGD optimizer over one parameter matrix, in double, with PyTorch's semantics as
 * {@link SgdSettings} states them. Alongside each value it carries a magnitude (the same
 * recurrence over absolute values), which bounds the drift a float32 optimizer may accumulate
 * over several steps.
 */
public final class ReferenceSgd {

    private final SgdSettings settings;
    private final int rows;
    private final int columns;
    private final double[] parameter;
    private final double[] parameterMagnitude;
    private final double[] velocity;
    private final double[] velocityMagnitude;

    /** Starts from {@code parameter} and a zero velocity. */
    public ReferenceSgd(HostMatrix parameter, SgdSettings settings) {
        this.settings = settings;
        this.rows = parameter.rows();
        this.columns = parameter.columns();
        int n = parameter.values().length;
        this.parameter = new double[n];
        this.parameterMagnitude = new double[n];
        for (int i = 0; i < n; i++) {
            this.parameter[i] = parameter.values()[i];
            this.parameterMagnitude[i] = Math.abs(parameter.values()[i]);
        }
        this.velocity = new double[n];
        this.velocityMagnitude = new double[n];
    }

    /** {@code d = g + wd p; v = mu v + d; d = nesterov ? d + mu v : v; p -= lr d}. */
    public void step(HostMatrix gradient) {
        double learningRate = settings.learningRate();
        double momentum = settings.momentum();
        double weightDecay = settings.weightDecay();
        for (int i = 0; i < parameter.length; i++) {
            double g = gradient.values()[i];
            double direction = g + weightDecay * parameter[i];
            double directionMagnitude = Math.abs(g) + weightDecay * parameterMagnitude[i];
            if (momentum > 0) {
                velocity[i] = momentum * velocity[i] + direction;
                velocityMagnitude[i] = momentum * velocityMagnitude[i] + directionMagnitude;
                if (settings.nesterov()) {
                    direction += momentum * velocity[i];
                    directionMagnitude += momentum * velocityMagnitude[i];
                } else {
                    direction = velocity[i];
                    directionMagnitude = velocityMagnitude[i];
                }
            }
            parameter[i] -= learningRate * direction;
            parameterMagnitude[i] += learningRate * directionMagnitude;
        }
    }

    public Expected parameter() {
        return Expected.of(rows, columns, parameter, parameterMagnitude);
    }

    public Expected velocity() {
        return Expected.of(rows, columns, velocity, velocityMagnitude);
    }
}
