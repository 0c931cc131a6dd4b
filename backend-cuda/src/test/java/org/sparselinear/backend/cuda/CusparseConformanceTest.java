package org.sparselinear.backend.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sparselinear.api.Backend;
import org.sparselinear.spi.Availability;
import org.sparselinear.tck.BackendConformanceTest;

/**
 * Runs the conformance kit with every sparse product on cuSPARSE ({@code -Dsparselinear.cuda.cusparse=always}), so
 * that both paths pass it. Needs a GPU and {@code libcusparse.so.12} (a CUDA 12 installation); skipped otherwise,
 * with the reason.
 */
@CusparseConformanceTest.RequiresCusparse
class CusparseConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend backend() {
        return new CudaBackend(DriverDevice.open(null), SparseRoute.Mode.ALWAYS, false, -1);
    }

    /** Skips the class unless CUDA is available and cuSPARSE's library loads. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(RequiresCusparse.Condition.class)
    @interface RequiresCusparse {

        /** The probe, then cuSPARSE's loading. */
        final class Condition implements ExecutionCondition {

            @Override
            public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
                Availability cuda = new CudaBackendProvider().availability();
                if (!cuda.available()) {
                    return ConditionEvaluationResult.disabled(cuda.detail());
                }
                CusparseProducts.Status cusparse = CusparseProducts.status();
                return cusparse.loaded()
                        ? ConditionEvaluationResult.enabled("cuSPARSE loaded")
                        : ConditionEvaluationResult.disabled("cuSPARSE unavailable: " + cusparse.reason());
            }
        }
    }
}
