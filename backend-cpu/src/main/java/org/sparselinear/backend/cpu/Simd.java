package org.sparselinear.backend.cpu;

/**
 * Chooses the inner loops: the Vector API ones when the JVM has the
 * {@code jdk.incubator.vector} module (start it with {@code --add-modules jdk.incubator.vector};
 * the {@code ./sparselinear} launcher, the tests and the benchmarks do) and the system property
 * {@value #PROPERTY} is not {@code false}; the scalar ones otherwise. When SIMD was not turned off
 * but the module is missing, the first backend to start says so once on standard error, since the
 * scalar loops are 2-4 times slower and nothing else would tell.
 */
final class Simd {

    /** System property: {@code false} forces the scalar loops. */
    static final String PROPERTY = "sparselinear.cpu.simd";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    /** The one line said when SIMD was wanted but the module is missing. */
    static final String MISSING_MODULE_NOTICE = "sparselinear: the CPU backend runs without SIMD because the JVM "
            + "lacks the " + VECTOR_MODULE + " module, so its sparse kernels are 2-4x slower and its dense products "
            + "run on EJML; start java with "
            + "--add-modules " + VECTOR_MODULE + " (or -D" + PROPERTY + "=false to choose the plain loops silently)";

    /** Says {@link #MISSING_MODULE_NOTICE} on standard error, once per JVM. */
    private static final OnceNotice NOTICE = new OnceNotice(line -> System.err.println(line));

    private Simd() {}

    /** Whether the Vector API module is in the JVM's boot layer. */
    static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Whether the property allows SIMD (default yes). */
    static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /**
     * The Vector API loops when {@code useVectorApi} and the module is present, else the scalar ones; the first
     * call that wants SIMD without the module says so on standard error.
     */
    static RowKernels rowKernels(boolean useVectorApi) {
        return rowKernels(useVectorApi, vectorApiPresent(), NOTICE);
    }

    /** {@link #rowKernels(boolean)} with the module's presence and the notice given, for tests. */
    static RowKernels rowKernels(boolean useVectorApi, boolean modulePresent, OnceNotice notice) {
        if (!useVectorApi) {
            return new ScalarRowKernels();
        }
        if (!modulePresent) {
            notice.say(MISSING_MODULE_NOTICE);
            return new ScalarRowKernels();
        }
        try {
            // By name, so that a JVM without the module never links the class.
            return (RowKernels) Class.forName(Simd.class.getPackageName() + ".VectorRowKernels")
                    .getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            notice.say("sparselinear: the CPU backend runs without SIMD because the Vector API loops failed to load ("
                    + e + "), so its sparse kernels are 2-4x slower");
            return new ScalarRowKernels();
        }
    }

    /** A few words on the loops in use, for the backend's description. */
    static String describe(RowKernels kernels) {
        if (kernels instanceof ScalarRowKernels) {
            return vectorApiPresent()
                    ? "scalar loops (SIMD turned off by -D" + PROPERTY + "=false)"
                    : "scalar loops (start the JVM with --add-modules " + VECTOR_MODULE + " for SIMD)";
        }
        return "SIMD via the Vector API, " + VectorRowKernels.lanes() * 32 + "-bit";
    }
}
