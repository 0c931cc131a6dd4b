package org.sparselinear.tck.reference;

import org.sparselinear.spi.AdamSettings;

/**
 * A reference Adam optimizer over one parameter matrix, in double, with PyTorch's semantics as
 * {@link AdamSettings} states them (L2 weight decay added to the gradient, bias correction by
 * the 1-based step). Like {@link ReferenceSgd} it carries magnitudes for the tolerance: the
 * first moment's over |gradient|, and the update's scaled by how far the second moment's
 * magnitude exceeds its value.
 */
public final class ReferenceAdam {

    private final AdamSettings settings;
    private final int rows;
    private final int columns;
    private final double[] parameter;
    private final double[] parameterMagnitude;
    private final double[] first;
    private final double[] firstMagnitude;
    private final double[] second;
    private final double[] secondMagnitude;

    public ReferenceAdam(HostMatrix parameter, HostMatrix firstMoment, HostMatrix secondMoment, AdamSettings settings) {
        this.settings = settings;
        this.rows = parameter.rows();
        this.columns = parameter.columns();
        int n = parameter.values().length;
        this.parameter = new double[n];
        this.parameterMagnitude = new double[n];
        this.first = new double[n];
        this.firstMagnitude = new double[n];
        this.second = new double[n];
        this.secondMagnitude = new double[n];
        for (int i = 0; i < n; i++) {
            this.parameter[i] = parameter.values()[i];
            this.parameterMagnitude[i] = Math.abs(parameter.values()[i]);
            this.first[i] = firstMoment.values()[i];
            this.firstMagnitude[i] = Math.abs(firstMoment.values()[i]);
            this.second[i] = secondMoment.values()[i];
            this.secondMagnitude[i] = Math.abs(secondMoment.values()[i]);
        }
    }

    /** One update at the 1-based {@code step}. */
    public void step(HostMatrix gradient, long step) {
        double beta1 = settings.beta1();
        double beta2 = settings.beta2();
        double learningRate = settings.learningRate();
        double weightDecay = settings.weightDecay();
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < parameter.length; i++) {
            double g = gradient.values()[i] + weightDecay * parameter[i];
            double gMagnitude = Math.abs(gradient.values()[i]) + weightDecay * parameterMagnitude[i];
            first[i] = beta1 * first[i] + (1 - beta1) * g;
            firstMagnitude[i] = beta1 * firstMagnitude[i] + (1 - beta1) * gMagnitude;
            second[i] = beta2 * second[i] + (1 - beta2) * g * g;
            secondMagnitude[i] = beta2 * secondMagnitude[i] + (1 - beta2) * gMagnitude * gMagnitude;
            double denominator = Math.sqrt(second[i] / correction2) + settings.epsilon();
            double secondExcess = second[i] > 0 ? secondMagnitude[i] / second[i] : 1;
            parameter[i] -= learningRate * (first[i] / correction1) / denominator;
            parameterMagnitude[i] +=
                    learningRate * (firstMagnitude[i] / correction1) / denominator * (1 + secondExcess);
        }
    }

    public Expected parameter() {
        return Expected.of(rows, columns, parameter, parameterMagnitude);
    }

    public Expected firstMoment() {
        return Expected.of(rows, columns, first, firstMagnitude);
    }

    public Expected secondMoment() {
        return Expected.of(rows, columns, second, secondMagnitude);
    }
}
