package org.sparselinear.nn;

import java.util.Map;
import org.sparselinear.io.LayerProvider;

/**
 * The layer kinds of this library, registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.sparselinear.io.LayerProvider}) exactly as a third party registers its own: each
 * kind name with the static {@code read} of its class. The optimizers' are in
 * {@link org.sparselinear.nn.optim.BuiltInOptimizers}.
 */
public final class BuiltInLayers implements LayerProvider {

    @Override
    public Map<String, LayerProvider.Kind> layerKinds() {
        return Map.ofEntries(
                Map.entry(Sequential.KIND, Sequential::read),
                Map.entry(SparseLinear.KIND, SparseLinear::read),
                Map.entry(Linear.KIND, Linear::read),
                Map.entry(LayerNorm.KIND, LayerNorm::read),
                Map.entry(FeatureAffine.KIND, FeatureAffine::read),
                Map.entry(KWinners.KIND, KWinners::read),
                Map.entry(FixedSparseMap.KIND, FixedSparseMap::read),
                Map.entry(ReLU.KIND, reader -> StatelessLayer.saved(ReLU::new)),
                Map.entry(Sigmoid.KIND, reader -> StatelessLayer.saved(Sigmoid::new)),
                Map.entry(Tanh.KIND, reader -> StatelessLayer.saved(Tanh::new)),
                Map.entry(GELU.KIND, reader -> StatelessLayer.saved(GELU::new)),
                Map.entry(Flatten.KIND, reader -> StatelessLayer.saved(Flatten::new)),
                Map.entry(Dropout.KIND, Dropout::read),
                Map.entry(Residual.KIND, Residual::read),
                Map.entry(Concat.KIND, Concat::read));
    }
}
