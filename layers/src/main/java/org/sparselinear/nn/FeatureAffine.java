package org.sparselinear.nn;

import java.util.List;
import java.util.Locale;

import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;

/**
 * A learnable scale and shift per feature, {@code y[:, f] = x[:, f] * scale[f] + shift[f]},
 * starting as the identity (scale 1, shift 0): the reference notebook's
 * {@code input_scaling * x + input_shifting}. Built on a diagonal {@link SparseLinear}, so it runs
 * on the sparse kernels of any backend; its parameters are {@code "weight"} (the scales) and
 * {@code "bias"} (the shifts).
 */
public final class FeatureAffine extends AbstractLayer {

    private final SparseLinear diagonal;

    /** An identity-initialised affine map of {@code features} features. */
    public FeatureAffine(int features) {
        int[] index = new int[features];
        for (int f = 0; f < features; f++) {
            index[f] = f;
        }
        this.diagonal = new SparseLinear(features, features, SparseLinear.options().connectivity(new int[][] {index, index}));
        List<Parameter> parameters = diagonal.parameters();
        parameters.get(0).backend().fill(parameters.get(0).value(), 1f);
        parameters.get(1).backend().fill(parameters.get(1).value(), 0f);
    }

    @Override
    public Tensor forward(Tensor input) {
        return diagonal.forward(input);
    }

    @Override
    public List<Parameter> parameters() {
        return diagonal.parameters();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FeatureAffine(features=%d)", diagonal.inFeatures());
    }
}
