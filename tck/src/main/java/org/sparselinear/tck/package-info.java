/**
 * The backend conformance kit. A backend module subclasses {@link
 * org.sparselinear.tck.BackendConformanceTest} in its tests and implements {@code backend()};
 * everything else here supports it: the contracts (one class per family of operations), the
 * references they compare with ({@code Reference...}, plain loops in double), the tolerance, and
 * the seeded cases (dense shapes, sparsity patterns, inputs).
 */
package org.sparselinear.tck;
