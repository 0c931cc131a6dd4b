package org.sparselinear.backend.cuda;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a test class (and its nested classes) when the CPU emulator of the kernels cannot be built (no g++, no
 * JNI headers), with the reason as the skip message.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresEmulator.Condition.class)
@interface RequiresEmulator {

    /** Builds and loads the emulator once per JVM. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Emulator.Status status = Emulator.status();
            return status.loaded()
                    ? ConditionEvaluationResult.enabled(status.detail())
                    : ConditionEvaluationResult.disabled(status.detail());
        }
    }
}
