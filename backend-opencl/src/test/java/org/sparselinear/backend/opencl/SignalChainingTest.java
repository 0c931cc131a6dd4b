package org.sparselinear.backend.opencl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which platforms may be opened, with and without JVM signal chaining; no OpenCL needed. */
class SignalChainingTest {

    @Test
    void poclIsRecognisedByName() {
        assertTrue(SignalChaining.replacesJvmHandlers("Portable Computing Language"));
        assertTrue(SignalChaining.replacesJvmHandlers("PoCL"));
        assertFalse(SignalChaining.replacesJvmHandlers("NVIDIA CUDA"));
        assertFalse(SignalChaining.replacesJvmHandlers("Intel(R) OpenCL Graphics"));
    }

    @Test
    void poclOpensOnlyWithSignalChainingOrWhenAllowed() {
        assertFalse(SignalChaining.mayOpen("Portable Computing Language", false, false));
        assertTrue(SignalChaining.mayOpen("Portable Computing Language", true, false));
        assertTrue(SignalChaining.mayOpen("Portable Computing Language", false, true));
        assertTrue(SignalChaining.mayOpen("NVIDIA CUDA", false, false));
    }

    @Test
    void libjsigIsFoundInTheMemoryMap(@TempDir Path directory) throws IOException {
        Path with = directory.resolve("with");
        Files.writeString(
                with,
                "7f00-7f01 r-xp 00000000 08:01 1 /usr/lib/jvm/java-17/lib/libjsig.so\n"
                        + "7f02-7f03 r-xp 00000000 08:01 2 /usr/lib/jvm/java-17/lib/server/libjvm.so\n");
        Path without = directory.resolve("without");
        Files.writeString(without, "7f02-7f03 r-xp 00000000 08:01 2 /usr/lib/jvm/java-17/lib/server/libjvm.so\n");

        assertTrue(SignalChaining.mapsMention(with, "libjsig"));
        assertFalse(SignalChaining.mapsMention(without, "libjsig"));
        assertFalse(SignalChaining.mapsMention(directory.resolve("missing"), "libjsig"));
    }

    @Test
    void theTestJvmOfThisModuleChainsSignals() {
        assertEquals(
                Files.exists(Path.of(System.getProperty("java.home"), "lib", "libjsig.so"))
                        && Files.exists(Path.of("/proc/self/maps")),
                SignalChaining.jvmChainsSignals(),
                "surefire starts the tests with LD_PRELOAD=${java.home}/lib/libjsig.so");
    }
}
