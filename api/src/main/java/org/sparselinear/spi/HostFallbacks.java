package org.sparselinear.spi;

import java.lang.reflect.Method;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;

/**
 * The host fallbacks of {@link AbstractBackend}'s optional operations (the
 * {@link org.sparselinear.spi.SparsityOps} family): which of them a backend class leaves to the
 * host, found from the kernel methods it does not override, and a warning, once per backend and
 * operation, when one runs on a backend whose memory is not the host's. Also whether a backend class
 * has its own {@link Bf16Products} kernels or the float32 default.
 */
final class HostFallbacks {

    private static final System.Logger LOG = System.getLogger("org.sparselinear.spi.HostFallback");

    /** The kernel method behind each optional operation, by the operation's name. */
    private static final Map<String, Method> KERNELS = kernels();

    private static final ClassValue<Set<String>> HOST_OPERATIONS = new ClassValue<>() {
        @Override
        protected Set<String> computeValue(Class<?> type) {
            Set<String> onHost = new TreeSet<>();
            KERNELS.forEach((operation, kernel) -> {
                if (!overrides(type, kernel)) {
                    onHost.add(operation);
                }
            });
            return Collections.unmodifiableSet(onHost);
        }
    };

    /** The kernel whose override means a backend stores bfloat16 itself: {@code AbstractBackend.toBf16Impl}. */
    private static final Method BF16_KERNEL = bf16Kernel();

    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The optional operations that {@code backendClass} runs with the host fallback. */
    static Set<String> hostOperations(Class<? extends AbstractBackend> backendClass) {
        return HOST_OPERATIONS.get(backendClass);
    }

    /**
     * Records that {@code operation} ran on the host for {@code backend}; the first time, on a
     * backend whose memory is not the Java heap, logs one warning line.
     */
    void ran(AbstractBackend backend, String operation) {
        if (!backend.usesHostMemory() && warned.add(operation)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "backend ''{0}'' has no kernel for {1} and runs it on the host "
                            + "(download, compute, upload): correct but slower; see Backend.hostOperations()",
                    backend.name(),
                    operation);
        }
    }

    /** Whether {@code backendClass} overrides {@code toBf16Impl}, so has its own bfloat16 storage and kernels. */
    static boolean overridesBf16Kernels(Class<? extends AbstractBackend> backendClass) {
        return overrides(backendClass, BF16_KERNEL);
    }

    /** Whether {@code type} or a superclass below {@link AbstractBackend} declares {@code kernel}. */
    private static boolean overrides(Class<?> type, Method kernel) {
        for (Class<?> c = type; c != null && c != AbstractBackend.class; c = c.getSuperclass()) {
            try {
                c.getDeclaredMethod(kernel.getName(), kernel.getParameterTypes());
                return true;
            } catch (NoSuchMethodException notHere) {
                // look in the superclass
            }
        }
        return false;
    }

    private static Method bf16Kernel() {
        try {
            return AbstractBackend.class.getDeclaredMethod("toBf16Impl", DenseMatrix.class);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("AbstractBackend lost its bfloat16 kernel method: " + e.getMessage());
        }
    }

    private static Map<String, Method> kernels() {
        Map<String, Method> kernels = new LinkedHashMap<>();
        try {
            kernels.put(
                    "kWinners",
                    AbstractBackend.class.getDeclaredMethod(
                            "kWinnersImpl",
                            DenseMatrix.class,
                            DenseMatrix.class,
                            int.class,
                            DenseMatrix.class,
                            DenseMatrix.class));
            kernels.put(
                    "boostFactors",
                    AbstractBackend.class.getDeclaredMethod(
                            "boostFactorsImpl", DenseMatrix.class, float.class, float.class, DenseMatrix.class));
            kernels.put(
                    "topKAbsDenseGradient",
                    AbstractBackend.class.getDeclaredMethod(
                            "topKAbsDenseGradientImpl",
                            DenseMatrix.class,
                            DenseMatrix.class,
                            SparseMatrix.class,
                            int.class));
            kernels.put(
                    "gather",
                    AbstractBackend.class.getDeclaredMethod(
                            "gatherImpl", DenseMatrix.class, int[].class, DenseMatrix.class));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError("AbstractBackend lost a fallback kernel method: " + e.getMessage());
        }
        return Map.copyOf(kernels);
    }
}
