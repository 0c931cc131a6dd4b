package org.sparselinear.backend.cuda;

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
 * Skips a test class (and its nested classes) when CUDA is unavailable, with the provider's reason
 * ({@code "CUDA unavailable: ..."}) as the skip message. A class-level condition, evaluated before any nested
 * class of the conformance kit starts: an assumption failing inside {@code backend()} would abort each test in the
 * kit's {@code @BeforeEach}, whose {@code @AfterEach} then fails on the scope it never opened.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresCuda.Condition.class)
@interface RequiresCuda {

    /** Evaluates the provider's probe (cached). */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Availability availability = new CudaBackendProvider().availability();
            return availability.available()
                    ? ConditionEvaluationResult.enabled("CUDA available: " + availability.detail())
                    : ConditionEvaluationResult.disabled(availability.detail());
        }
    }
}
