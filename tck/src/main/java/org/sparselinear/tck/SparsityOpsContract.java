package org.sparselinear.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.sparselinear.api.Backend;

/**
 * The contract of {@link org.sparselinear.spi.SparsityOps}: K-Winners and its boost factors, RigL's gradient
 * top-k and gather, with their exact tie rules. A backend that leaves these operations to the
 * host fallbacks passes it too.
 */
abstract class SparsityOpsContract {

    /** The backend under test, the same instance for every test of a run. */
    abstract Backend backend();

    @Nested
    @DisplayName("activation sparsity: kWinners, boostFactors")
    class KWinners extends KWinnersContract {
        @Override
        Backend backend() {
            return SparsityOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("rewiring: topKAbsDenseGradient, gather")
    class Rewiring extends RewiringContract {
        @Override
        Backend backend() {
            return SparsityOpsContract.this.backend();
        }
    }
}
