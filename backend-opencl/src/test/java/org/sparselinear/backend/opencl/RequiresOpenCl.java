package org.sparselinear.backend.opencl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.sparselinear.spi.Availability;

/**
 * Skips a test class (and its nested classes) when OpenCL is unavailable, with the provider's
 * reason ("OpenCL unavailable: ...") as the skip message.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresOpenCl.Condition.class)
@interface RequiresOpenCl {

    /** Evaluates the provider's probe (cached) once per container. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Availability availability = new OpenClBackendProvider().availability();
            return availability.available()
                    ? ConditionEvaluationResult.enabled("OpenCL available: " + availability.detail())
                    : ConditionEvaluationResult.disabled(availability.detail());
        }
    }
}
