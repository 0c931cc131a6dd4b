package org.sparselinear.tck;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.sparselinear.api.Backend;

/**
 * The contract of {@link org.sparselinear.spi.OptimizerOps}: several consecutive SGD, Adam and Adagrad steps of every
 * variant against double-precision reference optimizers.
 */
abstract class OptimizerOpsContract {

    /** The backend under test, the same instance for every test of a run. */
    abstract Backend backend();

    @Nested
    @DisplayName("sgdStep")
    class Sgd extends SgdContract {
        @Override
        Backend backend() {
            return OptimizerOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("adamStep")
    class Adam extends AdamContract {
        @Override
        Backend backend() {
            return OptimizerOpsContract.this.backend();
        }
    }

    @Nested
    @DisplayName("adagradStep")
    class Adagrad extends AdagradContract {
        @Override
        Backend backend() {
            return OptimizerOpsContract.this.backend();
        }
    }
}
