package org.sparselinear.api;

import java.util.Set;
import org.sparselinear.spi.AbstractBackend;
import org.sparselinear.spi.BackendProvider;
import org.sparselinear.spi.Bf16Products;
import org.sparselinear.spi.DenseProducts;
import org.sparselinear.spi.ElementwiseOps;
import org.sparselinear.spi.MemoryOps;
import org.sparselinear.spi.NormalizationAndLossOps;
import org.sparselinear.spi.OptimizerOps;
import org.sparselinear.spi.SparseInputProducts;
import org.sparselinear.spi.SparseProducts;
import org.sparselinear.spi.SparsityOps;

/**
 * A compute device with its memory and kernels: everything a sparse network needs to train.
 * Obtain one with {@link Backends#get()}; implement one by extending {@link AbstractBackend},
 * which checks every argument and leaves the kernels to the subclass.
 *
 * <p>Conventions: matrices are {@code (rows, columns)} = {@code (batch, features)}; a vector
 * is a one-row matrix. A sparse weight of a layer with {@code in} inputs and {@code out}
 * outputs is a pattern {@code W} of shape {@code (out, in)} plus a {@code (1, nnz)} value
 * vector in the pattern's order. Methods named with {@code accumulate} add into their output
 * when it is true and overwrite it when false. An output must not be one of the inputs unless
 * the method says it may (the products reject it). All methods are asynchronous with respect to
 * the host where the device allows it, except those that return host data.
 *
 * <p>The operations come in families, one interface each in {@link org.sparselinear.spi}, each
 * with its contract and its part of the conformance kit: {@link MemoryOps},
 * {@link SparseProducts}, {@link SparseInputProducts}, {@link DenseProducts}, {@link ElementwiseOps},
 * {@link NormalizationAndLossOps}, {@link OptimizerOps}, the optional {@link SparsityOps} and
 * {@link Bf16Products} (inference with bfloat16 weights, with a float32 default).
 */
public interface Backend
        extends MemoryOps,
                SparseProducts,
                SparseInputProducts,
                DenseProducts,
                ElementwiseOps,
                NormalizationAndLossOps,
                OptimizerOps,
                SparsityOps,
                Bf16Products,
                AutoCloseable {

    /** The name it is selected by, as its {@link BackendProvider#name()}. */
    String name();

    /** One line on the device and its settings (threads, device name, memory). */
    String description();

    /**
     * The operations of the optional families that this backend runs on the host (download,
     * compute, upload) because it has no kernel for them, by name ({@code "kWinners"}); empty
     * (the default) when every operation runs on the device.
     */
    default Set<String> hostOperations() {
        return Set.of();
    }

    /**
     * Releases the device (thread pools, contexts); the backend and its matrices become unusable.
     * {@link Backends} then creates a new one on the next {@link Backends#get()}.
     */
    @Override
    void close();

    /**
     * Waits until every operation queued on this backend has finished. Results never need it
     * (downloads wait for them); timings of asynchronous devices do. No-op by default.
     */
    default void synchronize() {}

    /** Whether {@link #close()} has been called. */
    default boolean isClosed() {
        return false;
    }
}
