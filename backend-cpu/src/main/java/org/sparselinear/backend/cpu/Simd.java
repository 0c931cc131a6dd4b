package org.sparselinear.backend.cpu;

/**
 * Chooses the inner loops: the Vector API ones when the JVM has the
 * {@code jdk.incubator.vector} module (start it with {@code --add-modules jdk.incubator.vector};
 * the {@code ./sparselinear} launcher, the tests and the benchmarks do) and the system property
 * {@value #PROPERTY} is not {@code false}; the scalar ones otherwise.
 */
final class Simd {

    /** System property: {@code false} forces the scalar loops. */
    static final String PROPERTY = "sparselinear.cpu.simd";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private Simd() {
    }

    /** Whether the Vector API module is in the JVM's boot layer. */
    static boolean vectorApiPresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /** Whether the property allows SIMD (default yes). */
    static boolean requested() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").trim());
    }

    /** The Vector API loops when {@code useVectorApi} and the module is present, else the scalar ones. */
    static RowKernels rowKernels(boolean useVectorApi) {
        if (useVectorApi && vectorApiPresent()) {
            try {
                // By name, so that a JVM without the module never links the class.
                return (RowKernels) Class.forName(Simd.class.getPackageName() + ".VectorRowKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                return new ScalarRowKernels();
            }
        }
        return new ScalarRowKernels();
    }

    /** A few words on the loops in use, for the backend's description. */
    static String describe(RowKernels kernels) {
        if (kernels instanceof ScalarRowKernels) {
            return vectorApiPresent() ? "scalar loops (SIMD turned off by -D" + PROPERTY + "=false)"
                    : "scalar loops (start the JVM with --add-modules " + VECTOR_MODULE + " for SIMD)";
        }
        return "SIMD via the Vector API, " + VectorRowKernels.lanes() * 32 + "-bit";
    }
}
