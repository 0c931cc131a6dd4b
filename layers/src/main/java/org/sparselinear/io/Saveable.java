package org.sparselinear.io;

/**
 * The one contract through which a layer or an optimizer describes itself to a file, in the
 * spirit of PyTorch's {@code state_dict} and DJL's {@code saveParameters}/{@code saveMetadata}: a
 * {@linkplain #kind() kind name}, a configuration tree and named tensors, written into a
 * {@link StateWriter}. Reading goes the other way through the {@link LayerProvider} or
 * {@link OptimizerProvider} (registered with {@link java.util.ServiceLoader}) that offers the same kind name
 * ({@code META-INF/services}), so a layer or optimizer defined outside the library saves, loads
 * and resumes like the built-in ones. The description's schema is in {@code docs/MODEL-FORMAT.md}.
 *
 * <p>A layer that does not implement this is still saved (each parameter under its own name) and
 * can be loaded into a model built in code, but a file cannot rebuild it.
 */
public interface Saveable {

    /**
     * The name a file records for this object's type and its provider is registered under, e.g.
     * {@code "SparseLinear"} or {@code "com.example.GatedScale"}: unique among all providers
     * (a third party should use its class's full name) and never changed once files exist.
     */
    String kind();

    /**
     * Writes the configuration (sizes, options and scalar state such as counters) and the tensors
     * (parameters, buffers; for an optimizer, its per-parameter state) that the provider of
     * {@link #kind()} needs to rebuild or restore this object exactly.
     */
    void describe(StateWriter out);
}
