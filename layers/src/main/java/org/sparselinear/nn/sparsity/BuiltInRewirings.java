package org.sparselinear.nn.sparsity;

import java.util.Map;
import org.sparselinear.io.RewiringProvider;

/**
 * The rewiring rules of this library, registered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.sparselinear.io.RewiringProvider}) exactly as a third party registers its own: each
 * kind name with the static {@code read} of its class.
 */
public final class BuiltInRewirings implements RewiringProvider {

    @Override
    public Map<String, RewiringProvider.Kind> rewiringKinds() {
        return Map.of(RigL.KIND, RigL::read, SET.KIND, SET::read);
    }
}
