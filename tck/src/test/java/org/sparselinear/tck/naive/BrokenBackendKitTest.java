package org.sparselinear.tck.naive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.sparselinear.api.Backend;
import org.sparselinear.tck.BackendConformanceTest;
import org.sparselinear.tck.naive.BrokenNaiveBackend.Family;

/**
 * The kit's self-test: each family's contract, run through the JUnit Platform launcher on a
 * backend with one operation of that family broken ({@link BrokenNaiveBackend}), reports
 * failures, and passes on the same backend with nothing broken.
 */
class BrokenBackendKitTest {

    @ParameterizedTest
    @EnumSource(Family.class)
    void theFamilysContractFailsOnABackendThatBreaksOneOfItsOperations(Family family) {
        TestExecutionSummary summary = runContract(family, family);

        assertTrue(
                summary.getTestsFailedCount() > 0,
                () -> "the " + family.contract() + " contract passed a backend " + "that breaks one of its operations: "
                        + summary.getTestsSucceededCount() + " tests passed");
    }

    @Test
    void theContractsPassWhenAnotherFamilyIsBroken() {
        for (Family family : Family.values()) {
            Family other = family == Family.ELEMENTWISE ? Family.OPTIMIZERS : Family.ELEMENTWISE;
            TestExecutionSummary summary = runContract(family, other);
            assertEquals(
                    0,
                    summary.getTestsFailedCount(),
                    () -> "the " + family.contract() + " contract failed with only " + other.contract() + " broken: "
                            + summary.getFailures());
            assertTrue(summary.getTestsSucceededCount() > 0, family.contract() + " ran no test");
        }
    }

    /** Runs the kit's nested contract of {@code family} on a naive backend with {@code broken} broken. */
    private static TestExecutionSummary runContract(Family family, Family broken) {
        BrokenKit.broken = broken;
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectUniqueId("[engine:junit-jupiter]/[class:" + BrokenKit.class.getName()
                        + "]/[nested-class:" + family.contract() + "]"))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        assertTrue(summary.getTestsFoundCount() > 0, "found no test in the kit's " + family.contract() + " contract");
        return summary;
    }

    /** The kit on a {@link BrokenNaiveBackend}; run only through {@link #runContract}. */
    static class BrokenKit extends BackendConformanceTest {

        static volatile Family broken;

        @Override
        protected Backend backend() {
            return new BrokenNaiveBackend(broken);
        }
    }
}
