/**
 * The kit's references and the seeded inputs they are checked on, public so that a backend's own
 * tests (larger shapes, device-specific routes) compare with the same code as the kit: plain
 * double-precision loops over row-major host matrices ({@link org.sparselinear.tck.reference.HostMatrix}),
 * whose results ({@link org.sparselinear.tck.reference.Expected}) carry the magnitudes that
 * {@link org.sparselinear.tck.reference.Tolerance} allows float32 rounding against.
 *
 * <ul>
 *   <li>{@link org.sparselinear.tck.reference.ReferenceOps}: sparse and dense products,
 *       activations, axpy, scale, argmax;</li>
 *   <li>{@link org.sparselinear.tck.reference.ReferenceLayerNorm},
 *       {@link org.sparselinear.tck.reference.ReferenceLosses}: row reductions;</li>
 *   <li>{@link org.sparselinear.tck.reference.ReferenceSgd},
 *       {@link org.sparselinear.tck.reference.ReferenceAdam},
 *       {@link org.sparselinear.tck.reference.ReferenceAdagrad}: optimizer recurrences;</li>
 *   <li>{@link org.sparselinear.tck.reference.ReferenceSparsityOps}: K-Winners and rewiring;</li>
 *   <li>{@link org.sparselinear.tck.reference.TestData},
 *       {@link org.sparselinear.tck.reference.Patterns}: seeded inputs and sparsity patterns.</li>
 * </ul>
 */
package org.sparselinear.tck.reference;
