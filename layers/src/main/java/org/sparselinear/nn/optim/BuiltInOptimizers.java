package org.sparselinear.nn.optim;

import java.util.Map;
import org.sparselinear.io.OptimizerProvider;

/**
 * The optimizer kinds of this library, registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.sparselinear.io.OptimizerProvider}) exactly as a third party registers its own: each
 * kind name with the static {@code read} of its class. The layers' are in {@link org.sparselinear.nn.BuiltInLayers}.
 */
public final class BuiltInOptimizers implements OptimizerProvider {

    @Override
    public Map<String, OptimizerProvider.Kind> optimizerKinds() {
        return Map.of(SGD.KIND, SGD::read, Adam.KIND, Adam::read, AdamW.KIND, AdamW::read, Adagrad.KIND, Adagrad::read);
    }
}
