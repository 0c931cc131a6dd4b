package com.example.thirdparty;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparselinear.api.Backend;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Adagrad (Duchi, Hazan and Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization") with PyTorch's {@code optim.Adagrad} update without learning-rate decay:
 * {@code sum += g^2; p -= lr g / (sqrt(sum) + eps)}. Its per-parameter state, the running
 * {@code "sum"} of squared gradients, is kept on the host; it follows a sparse layer's connections
 * when the layer is rewired. Written against the library's public API only, as a third party
 * would: it checkpoints through {@link Saveable} and is restored through {@link ThirdPartyKinds}.
 */
public final class Adagrad implements Optimizer, Saveable {

    /** The kind name checkpoints record. */
    public static final String KIND = "com.example.thirdparty.Adagrad";

    /** The name of the per-parameter state, PyTorch's. */
    static final String SUM = "sum";

    private final List<Parameter> parameters;
    final List<float[]> sums = new ArrayList<>();
    private final float learningRate;
    private final float eps;
    long steps;

    /** Adagrad over {@code parameters} with learning rate {@code lr} and PyTorch's eps 1e-10. */
    public Adagrad(List<Parameter> parameters, double lr) {
        if (parameters.isEmpty() || !(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Adagrad needs parameters and a finite lr > 0, got " + parameters.size()
                    + " parameters and lr=" + lr);
        }
        this.parameters = List.copyOf(parameters);
        this.learningRate = (float) lr;
        this.eps = 1e-10f;
        for (Parameter parameter : this.parameters) {
            sums.add(new float[(int) parameter.numel()]);
            parameter.trackState(this);
        }
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public void step() {
        steps++;
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            Backend backend = parameter.backend();
            float[] gradient = backend.download(parameter.grad());
            float[] values = backend.download(parameter.value());
            float[] sum = sums.get(p);
            for (int i = 0; i < values.length; i++) {
                sum[i] += gradient[i] * gradient[i];
                values[i] -= learningRate * gradient[i] / ((float) Math.sqrt(sum[i]) + eps);
            }
            try (MemoryScope scope = backend.newScope()) {
                backend.copy(backend.upload(values, parameter.rows(), parameter.columns()), parameter.value());
            }
        }
        Parameters.afterUpdate(parameters); // reports the step: rewiring layers advance with it
    }

    @Override
    public void zeroGrad() {
        parameters.forEach(Parameter::zeroGrad);
    }

    @Override
    public void remapState(Parameter parameter, int[] sourcePositions) {
        for (int p = 0; p < parameters.size(); p++) {
            if (parameters.get(p) == parameter) {
                float[] old = sums.get(p);
                float[] remapped = new float[old.length];
                for (int j = 0; j < remapped.length; j++) {
                    remapped[j] = sourcePositions[j] < 0 ? 0f : old[sourcePositions[j]];
                }
                sums.set(p, remapped);
            }
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The step count and learning rate; each parameter's running sum of squared gradients as {@code "sum"}. */
    @Override
    public void describe(StateWriter out) {
        out.config("steps", steps).config("lr", learningRate);
        for (int p = 0; p < parameters.size(); p++) {
            out.parameterState(parameters.get(p), SUM, sums.get(p));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Adagrad(lr=%s, eps=%s)", learningRate, eps);
    }
}
