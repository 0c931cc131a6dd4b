package org.sparselinear.nn;

import java.util.Map;
import org.sparselinear.io.LayerProvider;
import org.sparselinear.io.OptimizerProvider;

/**
 * The layer and optimizer kinds of this library, registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services}) exactly as a third party registers its own: each kind name with the
 * static {@code read} of its class.
 */
public final class BuiltInKinds implements LayerProvider, OptimizerProvider {

    @Override
    public Map<String, LayerProvider.Kind> layerKinds() {
        return Map.of(Sequential.KIND, Sequential::read, SparseLinear.KIND, SparseLinear::read,
                Linear.KIND, Linear::read, LayerNorm.KIND, LayerNorm::read, FeatureAffine.KIND, FeatureAffine::read,
                KWinners.KIND, KWinners::read, FixedSparseMap.KIND, FixedSparseMap::read,
                ReLU.KIND, reader -> StatelessLayer.saved(ReLU::new), Flatten.KIND,
                reader -> StatelessLayer.saved(Flatten::new));
    }

    @Override
    public Map<String, OptimizerProvider.Kind> optimizerKinds() {
        return Map.of(SGD.KIND, SGD::read, Adam.KIND, Adam::read);
    }
}
