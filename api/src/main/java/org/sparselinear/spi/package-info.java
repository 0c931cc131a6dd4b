/**
 * The service-provider interface for backend writers: the families of operations a
 * {@link org.sparselinear.api.Backend} is made of, each with its contract.
 *
 * <ul>
 *   <li>{@link org.sparselinear.spi.MemoryOps}: matrices, patterns and scopes;</li>
 *   <li>{@link org.sparselinear.spi.SparseProducts}: the sparse layer's products;</li>
 *   <li>{@link org.sparselinear.spi.DenseProducts}: GEMM and the bias products;</li>
 *   <li>{@link org.sparselinear.spi.ElementwiseOps}: activations over
 *       {@link org.sparselinear.api.Activation}, axpy and scaling;</li>
 *   <li>{@link org.sparselinear.spi.NormalizationAndLossOps}: layer normalisation, losses,
 *       argmax;</li>
 *   <li>{@link org.sparselinear.spi.OptimizerOps}: fused optimizer updates;</li>
 *   <li>{@link org.sparselinear.spi.SparsityOps}: K-Winners and rewiring, an optional
 *       family, with host fallbacks;</li>
 *   <li>{@link org.sparselinear.spi.Bf16Products}: inference over bfloat16 weights, whose
 *       kernels have a float32 default ({@link org.sparselinear.spi.Bfloat16} rounds).</li>
 * </ul>
 *
 * A backend extends {@link org.sparselinear.spi.AbstractBackend}, which checks every argument and
 * calls one kernel method per operation; the conformance kit ({@code sparselinear-tck}) has one
 * contract per family.
 *
 * <p>For topology plugins, {@link org.sparselinear.spi.TopologyParameters} checks the named parameters a
 * provider is given exactly as the built-in topologies do.
 */
package org.sparselinear.spi;
