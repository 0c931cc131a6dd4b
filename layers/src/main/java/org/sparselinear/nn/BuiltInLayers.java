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
        return Map.of(
                Sequential.KIND,
                Sequential::read,
                SparseLinear.KIND,
                SparseLinear::read,
                Linear.KIND,
                Linear::read,
                LayerNorm.KIND,
                LayerNorm::read,
                FeatureAffine.KIND,
                FeatureAffine::read,
                KWinners.KIND,
                KWinners::read,
                FixedSparseMap.KIND,
                FixedSparseMap::read,
                ReLU.KIND,
                reader -> StatelessLayer.saved(ReLU::new),
                Flatten.KIND,
                reader -> StatelessLayer.saved(Flatten::new),
                Dropout.KIND,
                Dropout::read);
    }
}
