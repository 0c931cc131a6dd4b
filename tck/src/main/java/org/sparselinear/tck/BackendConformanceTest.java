package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparselinear.api.Backend;
import org.sparselinear.spi.SparsityOps;

/**
 * The backend conformance kit: checks every operation of {@link Backend} against plain
 * references (straight loops over row-major arrays, accumulated in double) on fixed-seed inputs,
 * at shapes that include the edges: batch 1, odd batches, in != out, rows and columns with no
 * connections, nnz = 0, one fully connected row or column among sparse ones, and a 20,000 x
 * 20,000 layer at 99 % sparsity; sparse input batches with empty rows, features never seen, a
 * feature in every sample, and text-like rows into a 90 %-sparse layer. It also checks memory scopes and that bad arguments are refused
 * with clear messages. Results must agree within {@link org.sparselinear.tck.reference.Tolerance}.
 *
 * <p>A backend module runs the kit against itself by adding {@code sparselinear-tck} as a test
 * dependency and subclassing this class in its tests:
 * <pre>{@code
 * class CpuBackendConformanceTest extends BackendConformanceTest {
 *     @Override
 *     protected Backend backend() {
 *         return new CpuBackend(2);
 *     }
 * }
 * }</pre>
 * {@link #backend()} is called once per test class; the kit closes the backend after the last
 * test. The checks are grouped in nested classes, one contract per family of operations of
 * {@link org.sparselinear.spi} (and one for the argument checks), so that a report names the
 * family, the operation and the case of every failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {

    private Backend backend;

    /** Creates the backend under test. Called once for the whole kit; the kit closes it at the end. */
    protected abstract Backend backend();

    /** The backend under test, created on first use and shared by every test of the kit. */
    protected final synchronized Backend backendUnderTest() {
        if (backend == null) {
            backend = backend();
            assertNotNull(backend, "backend() returned null");
        }
        return backend;
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    @DisplayName("the backend has a name and a description")
    final void backendDescribesItself() {
        assertFalse(backendUnderTest().name().isBlank(), "name");
        assertFalse(backendUnderTest().description().isBlank(), "description");
    }

    @Test
    @DisplayName("only operations of the optional family run on the host")
    final void onlyOptionalOperationsRunOnTheHost() {
        Set<String> optional = Arrays.stream(SparsityOps.class.getMethods())
                .map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> onHost = backendUnderTest().hostOperations();
        assertTrue(
                optional.containsAll(onHost),
                () -> "hostOperations() " + onHost + " names operations outside the " + "optional SparsityOps family "
                        + optional + "; every other family needs device kernels");
    }

    @Nested
    @DisplayName("MemoryOps: zeros, upload, download, copy, fill, scopes")
    class Memory extends MemoryOpsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("SparseProducts: spmm, spmmTransposed, sddmm, sparseBackward")
    class SparseProducts extends SparseProductsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("SparseInputProducts: sparse input times a dense or sparse weight, with both gradients")
    class SparseInputProducts extends SparseInputProductsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("DenseProducts: gemm, addRowVector, columnSums")
    class DenseProducts extends DenseProductsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("ElementwiseOps: activate, activateBackward, axpy, scale, dropout")
    class Elementwise extends ElementwiseOpsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("NormalizationAndLossOps: layerNorm, losses, argmaxRows")
    class NormalizationAndLoss extends NormalizationAndLossOpsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("OptimizerOps: sgdStep, adamStep, adagradStep")
    class Optimizers extends OptimizerOpsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("SparsityOps: kWinners, boostFactors, topKAbsDenseGradient, gather")
    class Sparsity extends SparsityOpsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("Bf16Products: toBf16, fromBf16, spmmBf16")
    class Bf16Products extends Bf16ProductsContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("argument checks")
    class Arguments extends ArgumentContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }
}
