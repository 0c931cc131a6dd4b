package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which driver a PTX ISA needs, and the plan for loading the kernels. */
class KernelLoadingTest {

    @Test
    void theDriverEachPtxIsaNeeds() {
        String[][] table = {
            {"9.0", "13000"},
            {"9.1", "13010"},
            {"8.8", "12090"},
            {"8.7", "12080"},
            {"8.6", "12070"},
            {"8.5", "12050"},
            {"8.4", "12040"},
            {"8.0", "12000"},
            {"7.8", "11080"},
            {"7.0", "11000"},
            {"6.4", "10000"},
            {"nonsense", "13000"}
        };
        for (String[] row : table) {
            assertEquals(Integer.parseInt(row[1]), KernelLoading.requiredDriverVersion(row[0]), "ISA " + row[0]);
        }
    }

    @Test
    void aDriverThatSupportsTheIsaTakesTheShippedPtxWithoutAskingForNvrtc() {
        KernelLoading.Plan plan = KernelLoading.plan("9.0", 13000, () -> {
            throw new AssertionError("NVRTC must not be loaded");
        });
        assertEquals(KernelLoading.Source.SHIPPED_PTX, plan.source());
        assertEquals("kernels: shipped PTX (ISA 9.0), compiled by the driver", plan.detail());
        assertEquals(
                KernelLoading.Source.SHIPPED_PTX,
                KernelLoading.plan("9.0", 13020, () -> null).source());
    }

    @Test
    void anOlderDriverTakesNvrtcWhenItLoads() {
        KernelLoading.Plan plan = KernelLoading.plan("9.0", 12080, () -> new Nvrtc.Status(true, "12.8", ""));
        assertEquals(KernelLoading.Source.NVRTC, plan.source());
        assertTrue(plan.detail().startsWith("kernels: compiled from source by NVRTC 12.8"), plan.detail());
    }

    @Test
    void anOlderDriverWithoutNvrtcCannotRunTheKernels() {
        KernelLoading.Plan plan = KernelLoading.plan(
                "9.0", 12020, () -> new Nvrtc.Status(false, "", "libnvrtc.so.12 could not be loaded: missing"));
        assertFalse(plan.possible());
        assertTrue(
                plan.detail()
                        .startsWith("CUDA unavailable: driver too old for the shipped kernels: the shipped "
                                + "kernels are PTX ISA 9.0, which needs a CUDA 13.0 driver (580 series) or newer; this driver supports "
                                + "CUDA 12.2 (cuDriverGetVersion 12020)"),
                plan.detail());
        assertTrue(plan.detail().contains("libnvrtc.so.12 could not be loaded: missing"), plan.detail());
    }

    @Test
    void withoutNvrtcOnThisMachineItsReasonIsKept() {
        Nvrtc.Status status = Nvrtc.status();
        assertTrue(
                status.available() || status.reason().startsWith("libnvrtc.so.12 could not be loaded"),
                status.reason());
    }
}
