package org.sparselinear.tck.reference;

import org.sparselinear.spi.AdagradSettings;

/**
 * A reference Adagrad optimizer over one parameter matrix, in double, with PyTorch's semantics as
 * {@link AdagradSettings} states them (learning-rate decay by the 1-based step, L2 weight decay
 * added to the gradient). Like {@link ReferenceAdam} it carries magnitudes for the tolerance: the
 * sum's over |gradient|, and the update's scaled by how far the sum's magnitude exceeds its value.
 */
public final class ReferenceAdagrad {

    private final AdagradSettings settings;
    private final int rows;
    private final int columns;
    private final double[] parameter;
    private final double[] parameterMagnitude;
    private final double[] sum;
    private final double[] sumMagnitude;

    public ReferenceAdagrad(HostMatrix parameter, HostMatrix sum, AdagradSettings settings) {
        this.settings = settings;
        this.rows = parameter.rows();
        this.columns = parameter.columns();
        int n = parameter.values().length;
        this.parameter = new double[n];
        this.parameterMagnitude = new double[n];
        this.sum = new double[n];
        this.sumMagnitude = new double[n];
        for (int i = 0; i < n; i++) {
            this.parameter[i] = parameter.values()[i];
            this.parameterMagnitude[i] = Math.abs(parameter.values()[i]);
            this.sum[i] = sum.values()[i];
            this.sumMagnitude[i] = Math.abs(sum.values()[i]);
        }
    }

    /** One update at the 1-based {@code step}. */
    public void step(HostMatrix gradient, long step) {
        double learningRate = settings.learningRate() / (1 + (step - 1) * (double) settings.learningRateDecay());
        double weightDecay = settings.weightDecay();
        for (int i = 0; i < parameter.length; i++) {
            double g = gradient.values()[i] + weightDecay * parameter[i];
            double gMagnitude = Math.abs(gradient.values()[i]) + weightDecay * parameterMagnitude[i];
            sum[i] += g * g;
            sumMagnitude[i] += gMagnitude * gMagnitude;
            double denominator = Math.sqrt(sum[i]) + settings.epsilon();
            double sumExcess = sum[i] > 0 ? sumMagnitude[i] / sum[i] : 1;
            parameter[i] -= learningRate * g / denominator;
            parameterMagnitude[i] += learningRate * gMagnitude / denominator * (1 + sumExcess);
        }
    }

    public Expected parameter() {
        return Expected.of(rows, columns, parameter, parameterMagnitude);
    }

    public Expected sum() {
        return Expected.of(rows, columns, sum, sumMagnitude);
    }
}
