package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.BackendException;
import org.sparselinear.device.KernelParameter;

/**
 * The kernels in the jar agree with the backend without a GPU: every kernel the backend launches is an entry of
 * the shipped PTX with the parameters the backend passes, every entry is launched, and the sources NVRTC would
 * compile are complete and include no system header.
 */
class KernelModulesTest {

    private final KernelModules shipped = KernelModules.shipped();

    @Test
    void everyKernelIsInThePtxWithTheParametersTheBackendPasses() {
        shipped.checkSignatures();
        for (Kernel kernel : Kernel.values()) {
            assertEquals(
                    kernel.parameters(),
                    shipped.entries(shipped.moduleOf(kernel)).get(kernel.symbol()),
                    kernel.symbol());
        }
    }

    @Test
    void everyEntryOfThePtxIsLaunchedByTheBackend() {
        Set<String> launched = new HashSet<>();
        for (Kernel kernel : Kernel.values()) {
            launched.add(kernel.symbol());
        }
        for (String module : shipped.modules()) {
            for (String entry : shipped.entries(module).keySet()) {
                assertTrue(launched.contains(entry), entry + " in " + module + ".ptx is not a Kernel of the backend");
            }
        }
    }

    @Test
    void theManifestDescribesThePtx() {
        assertTrue(shipped.isa().matches("\\d+\\.\\d+"), shipped.isa());
        assertEquals(shipped.manifest().getProperty("ptx.isa"), shipped.isa());
        assertEquals(
                List.of("columns", "elementwise", "gemm", "kwinners", "rigl", "rows", "sparse", "sparse_input"),
                shipped.modules());
        assertTrue(shipped.manifest().getProperty("nvcc.options").contains("-arch=compute_75"));
        for (String module : shipped.modules()) {
            assertTrue(shipped.ptx(module).contains(".target sm_75"), module + ".ptx targets sm_75");
        }
    }

    @Test
    void theSourcesForNvrtcAreInTheJarAndSelfContained() {
        for (String module : shipped.modules()) {
            String source = KernelModules.source(module);
            assertFalse(
                    source.matches("(?s).*#include\\s*<.*"),
                    module + ".cu includes a system header, which NVRTC " + "does not have");
            Map<String, String> headers = KernelModules.headers(source);
            assertEquals(Set.of("common.cuh"), headers.keySet(), module + ".cu's headers");
            assertFalse(headers.get("common.cuh").matches("(?s).*#include.*"), "common.cuh includes nothing");
            for (String entry : shipped.entries(module).keySet()) {
                assertTrue(
                        source.contains("extern \"C\" __global__") && source.contains(entry + "("),
                        entry + " is an extern \"C\" kernel of " + module + ".cu");
            }
        }
    }

    @Test
    void parsesEntriesAndTheirParameterTypes() {
        String ptx = ".version 9.0\n.target sm_75\n.address_size 64\n\n"
                + ".visible .entry k(\n\t.param .u64 k_param_0,\n\t.param .u32 k_param_1,\n\t.param .f32 k_param_2\n)\n"
                + "{\n\tret;\n}\n"
                + ".visible .entry other(\n\t.param .u64 .ptr .align 4 other_param_0\n)\n{\n\tret;\n}\n";
        Map<String, List<KernelParameter>> entries = KernelModules.parseEntries(ptx);
        assertEquals(List.of(KernelParameter.BUFFER, KernelParameter.INT, KernelParameter.FLOAT), entries.get("k"));
        assertEquals(List.of(KernelParameter.BUFFER), entries.get("other"));
    }

    @Test
    void aSignatureThatChangedIsReported() {
        Map<String, String> ptx = new LinkedHashMap<>();
        for (String module : shipped.modules()) {
            ptx.put(module, shipped.ptx(module));
        }
        ptx.put(
                "elementwise",
                ptx.get("elementwise").replace(".param .f32 sl_axpy_param_0", ".param .u32 sl_axpy_param_0"));
        KernelModules changed = KernelModules.of(shipped.manifest(), ptx);
        BackendException e = assertThrows(BackendException.class, changed::checkSignatures);
        assertEquals(
                "kernel sl_axpy declares the parameters [INT, BUFFER, BUFFER, INT] in its compiled program, the "
                        + "backend passes [FLOAT, BUFFER, BUFFER, INT]; the kernels and the backend disagree: rebuild the PTX "
                        + "with backend-cuda/build-ptx.sh",
                e.getMessage());
    }

    @Test
    void aMissingKernelIsReported() {
        Map<String, String> ptx = new LinkedHashMap<>();
        ptx.put("sparse", shipped.ptx("sparse"));
        KernelModules partial = KernelModules.of(shipped.manifest(), ptx);
        BackendException e = assertThrows(BackendException.class, () -> partial.moduleOf(Kernel.GEMM_TILED));
        assertTrue(
                e.getMessage().startsWith("kernel sl_gemm_tiled is in none of the CUDA backend's PTX modules"),
                e.getMessage());
    }
}
