package org.sparselinear.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

@SuppressWarnings("try") // the handles exist only to be closed, as GradMode documents
class GradModeTest {

    @Test
    void enabledByDefaultAndRestoredOnClose() {
        assertTrue(GradMode.isEnabled());
        try (GradMode off = GradMode.disable()) {
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void nestedDisableRestoresTheOuterState() {
        try (GradMode outer = GradMode.disable()) {
            try (GradMode inner = GradMode.disable()) {
                assertFalse(GradMode.isEnabled());
            }
            assertFalse(GradMode.isEnabled(), "closing the inner handle must keep the outer one in force");
        }
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void closingTwiceKeepsThePreviousState() {
        GradMode off = GradMode.disable();
        off.close();
        off.close();
        assertTrue(GradMode.isEnabled());
    }

    @Test
    void isPerThread() throws InterruptedException {
        AtomicBoolean otherThreadEnabled = new AtomicBoolean(false);
        try (GradMode off = GradMode.disable()) {
            Thread other = new Thread(() -> otherThreadEnabled.set(GradMode.isEnabled()));
            other.start();
            other.join();
            assertFalse(GradMode.isEnabled());
        }
        assertTrue(otherThreadEnabled.get(), "disabling on one thread must not affect another");
    }
}
