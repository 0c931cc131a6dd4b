package org.sparselinear.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.sparselinear.api.Backend;

/**
 * The contract of {@link org.sparselinear.spi.NormalizationAndLossOps}: layer normalisation forward and
 * backward, softmax cross-entropy and squared error with their gradients, and argmax, each
 * against a double-precision reference.
 */
abstract class NormalizationAndLossOpsContract {

    /** The backend under test, the same instance for every test of a run. */
    abstract Backend backend();

    @Nested
    @DisplayName("layer normalisation")
    class LayerNorm extends LayerNormContract {
        @Override
        Backend backend() {
            return NormalizationAndLossOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("losses: softmax cross-entropy, squared error")
    class Losses extends LossContract {
        @Override
        Backend backend() {
            return NormalizationAndLossOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("argmaxRows")
    class Argmax extends ArgmaxContract {
        @Override
        Backend backend() {
            return NormalizationAndLossOpsContract.this.backend();
        }
    }
}
