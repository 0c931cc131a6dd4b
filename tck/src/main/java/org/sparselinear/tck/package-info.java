/**
 * The backend conformance kit. A backend module subclasses {@link
 * org.sparselinear.tck.BackendConformanceTest} in its tests and implements {@code backend()};
 * everything else here supports it: one contract per operation family of
 * {@link org.sparselinear.spi} ({@code MemoryOpsContract}, {@code SparseProductsContract}, ...)
 * and the argument checks, and the seeded cases (dense shapes, sparsity patterns). The references
 * the contracts compare with, the tolerance and the input generators are public in
 * {@link org.sparselinear.tck.reference}, for a backend's own tests.
 */
package org.sparselinear.tck;
