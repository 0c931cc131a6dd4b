package org.sparselinear.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Puts the test's display name (the operation and the case, for instance "spmm overwrites y with
 * x W^T, 64x5000 with one full row, batch 7") in front of every failure, since build tools such as
 * Surefire name a parameterized invocation by its index only. An exception thrown by the backend
 * becomes a failure with the same cause.
 */
final class NamedFailures implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (thrown instanceof TestAbortedException || thrown instanceof VirtualMachineError) {
            throw thrown;
        }
        String name = context.getParent()
                .filter(template -> template.getTestMethod().isPresent())
                .map(template -> template.getDisplayName() + ", " + context.getDisplayName())
                .orElse(context.getDisplayName());
        String what = thrown instanceof AssertionError ? thrown.getMessage() : "the backend threw " + thrown;
        throw new AssertionFailedError(name + ": " + what, thrown);
    }
}
