package org.sparselinear.backend.cuda;

import java.util.Locale;

/**
 * Which implementation runs a sparse product ({@code spmm}, {@code spmmTransposed}, {@code sddmm}): the backend's
 * own kernels or cuSPARSE's generic API, chosen per call by a documented rule.
 *
 * <p>{@value #PROPERTY} = {@code auto} (the default), {@code never} or {@code always}. cuSPARSE is used only where
 * {@code libcusparse.so.12} loads (CUDA 12 installations; a CUDA-13-only machine has no such library), and never
 * for a pattern without connections. Under {@code auto} it takes the products of at least {@value #THRESHOLD}
 * multiply-adds ({@code nnz * batch}, about 4 million): each cuSPARSE call costs several host calls (descriptors,
 * a buffer-size query), tens of microseconds that a smaller product does not repay, while the own kernels start at
 * once. This is a rule set without measurements (no GPU was available when it was written); {@code always} and
 * {@code never} are there to compare the two on a GPU.
 */
final class SparseRoute {

    /** System property choosing the rule: {@code auto}, {@code never} or {@code always}. */
    static final String PROPERTY = "sparselinear.cuda.cusparse";

    /** Under {@code auto}, products of at least this many multiply-adds ({@code nnz * batch}) go to cuSPARSE. */
    static final long THRESHOLD = 1L << 22;

    /** The three settings of {@value #PROPERTY}. */
    enum Mode {
        /** cuSPARSE for products of at least {@link #THRESHOLD} multiply-adds, own kernels below. */
        AUTO,
        /** Own kernels only. */
        NEVER,
        /** cuSPARSE whenever it is loaded and the pattern has connections. */
        ALWAYS;

        /** The mode a property value names (null or blank is {@link #AUTO}). */
        static Mode parse(String value) {
            if (value == null || value.isBlank()) {
                return AUTO;
            }
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "-D" + PROPERTY + " must be auto, never or always, got '" + value + "'", e);
            }
        }
    }

    private final Mode mode;
    private final boolean cusparseLoaded;

    /** The rule in {@code mode}, with cuSPARSE loaded or not. */
    SparseRoute(Mode mode, boolean cusparseLoaded) {
        this.mode = mode;
        this.cusparseLoaded = cusparseLoaded;
    }

    /** Whether the product of a pattern with {@code nnz} connections and a batch of {@code batch} goes to cuSPARSE. */
    boolean useCusparse(long nnz, int batch) {
        if (!cusparseLoaded || nnz == 0) {
            return false;
        }
        return switch (mode) {
            case NEVER -> false;
            case ALWAYS -> true;
            case AUTO -> nnz * (long) batch >= THRESHOLD;
        };
    }

    /** The mode. */
    Mode mode() {
        return mode;
    }

    /** Whether cuSPARSE is loaded. */
    boolean cusparseLoaded() {
        return cusparseLoaded;
    }

    /** One line for descriptions. */
    String describe(String cusparseVersion) {
        if (!cusparseLoaded || mode == Mode.NEVER) {
            return "sparse products: own kernels" + (mode == Mode.NEVER ? " (-D" + PROPERTY + "=never)" : "");
        }
        return "sparse products: cuSPARSE " + cusparseVersion
                + (mode == Mode.ALWAYS ? " always" : " from nnz * batch >= " + THRESHOLD + ", own kernels below");
    }
}
