package org.sparselinear.backend.opencl;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Guards the JVM against OpenCL drivers that replace its signal handlers.
 *
 * <p>The JVM handles {@code SIGSEGV} itself: safepoint polls, implicit null checks and stack
 * banging in compiled code fault on purpose. PoCL (checked with PoCL 3.1 and LLVM 15) installs
 * LLVM's crash handlers over the JVM's for {@code SIGSEGV}, {@code SIGBUS}, {@code SIGFPE} and
 * {@code SIGILL} when its devices are listed ({@code clGetDeviceIDs}); from then on the first such
 * fault kills the process without an error report, typically at the next garbage collection.
 * Listing platforms and reading their names is harmless, so the probe reads the names first and
 * opens such a platform's devices only when the JVM chains signals (started with
 * {@code LD_PRELOAD=$JAVA_HOME/lib/libjsig.so}, which keeps the JVM's handlers in place and
 * passes other faults on to the driver's), or when {@value #ALLOW_PROPERTY} is {@code true}.
 */
final class SignalChaining {

    /** System property that opens such platforms even without signal chaining (at the risk above). */
    static final String ALLOW_PROPERTY = "sparselinear.opencl.allowSignalHandlerReplacement";

    private static Boolean chained;

    private SignalChaining() {}

    /** Whether a platform of this name is known to replace the JVM's signal handlers when its devices are opened. */
    static boolean replacesJvmHandlers(String platformName) {
        String name = platformName.toLowerCase(Locale.ROOT);
        return name.contains("portable computing language") || name.contains("pocl");
    }

    /** Whether this JVM runs with the signal-chaining library {@code libjsig} preloaded (read once from /proc/self/maps). */
    static synchronized boolean jvmChainsSignals() {
        if (chained == null) {
            chained = mapsMention(Path.of("/proc/self/maps"), "libjsig");
        }
        return chained;
    }

    static boolean mapsMention(Path maps, String library) {
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.anyMatch(line -> line.contains("/" + library + "."));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the devices of {@code platformName} may be opened in this JVM. */
    static boolean mayOpen(String platformName) {
        return mayOpen(platformName, jvmChainsSignals(), Boolean.getBoolean(ALLOW_PROPERTY));
    }

    static boolean mayOpen(String platformName, boolean chainsSignals, boolean allowed) {
        return chainsSignals || allowed || !replacesJvmHandlers(platformName);
    }

    /** Why a platform's devices were not opened, and the two ways to open them. */
    static String refusal(String platformName) {
        String library =
                Path.of(System.getProperty("java.home"), "lib", "libjsig.so").toString();
        return "platform '" + platformName
                + "' (PoCL) replaces the JVM's SIGSEGV/SIGBUS/SIGFPE/SIGILL handlers when its "
                + "devices are opened, after which the JVM dies at its next safepoint; start Java with LD_PRELOAD="
                + library + " (JVM signal chaining) to use it, or set -D" + ALLOW_PROPERTY + "=true to take the risk";
    }
}
