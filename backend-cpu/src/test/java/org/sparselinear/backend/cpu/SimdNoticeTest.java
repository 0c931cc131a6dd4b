package org.sparselinear.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A CPU backend that starts without the Vector API module says so once on standard error, unless
 * SIMD was turned off on purpose.
 */
class SimdNoticeTest {

    @Test
    void aMissingModuleIsSaidOnceForEveryBackendThatStarts() {
        List<String> lines = new ArrayList<>();
        OnceNotice notice = new OnceNotice(lines::add);
        assertInstanceOf(ScalarRowKernels.class, Simd.rowKernels(true, false, notice));
        assertInstanceOf(ScalarRowKernels.class, Simd.rowKernels(true, false, notice));
        assertEquals(List.of(Simd.MISSING_MODULE_NOTICE), lines);
        assertTrue(
                Simd.MISSING_MODULE_NOTICE.contains("--add-modules jdk.incubator.vector")
                        && Simd.MISSING_MODULE_NOTICE.contains("2-4x slower"),
                Simd.MISSING_MODULE_NOTICE);
    }

    @Test
    void nothingIsSaidWhenSimdIsTurnedOffOrAvailable() {
        List<String> lines = new ArrayList<>();
        OnceNotice notice = new OnceNotice(lines::add);
        assertInstanceOf(ScalarRowKernels.class, Simd.rowKernels(false, false, notice));
        assertInstanceOf(ScalarRowKernels.class, Simd.rowKernels(false, true, notice));
        assertTrue(Simd.vectorApiPresent(), "the tests run with --add-modules jdk.incubator.vector");
        assertInstanceOf(VectorRowKernels.class, Simd.rowKernels(true, true, notice));
        assertEquals(List.of(), lines);
    }

    /** Starts backends in a JVM without the module; prints nothing itself. */
    static final class StartBackends {
        public static void main(String[] args) {
            new CpuBackend(1).close();
            new CpuBackend(2).close();
            new CpuBackendProvider().create().close();
        }
    }

    @Test
    void aJvmWithoutTheModulePrintsOneLineOnStandardError() throws Exception {
        assertEquals(List.of(Simd.MISSING_MODULE_NOTICE), standardErrorOfBackendsStartedWith());
    }

    @Test
    void aJvmWithSimdTurnedOffPrintsNothing() throws Exception {
        assertEquals(List.of(), standardErrorOfBackendsStartedWith("-D" + Simd.PROPERTY + "=false"));
    }

    private static List<String> standardErrorOfBackendsStartedWith(String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), StartBackends.class.getName()));
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the JVM did not end");
        assertEquals(0, process.exitValue(), stderr);
        return stderr.lines().toList();
    }
}
