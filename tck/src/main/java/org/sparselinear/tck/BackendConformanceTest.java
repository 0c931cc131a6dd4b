package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sparselinear.api.Backend;

/**
 * The backend conformance kit: checks every operation of {@link Backend} against plain
 * references (straight loops over row-major arrays, accumulated in double) on fixed-seed inputs,
 * at shapes that include the edges: batch 1, odd batches, in != out, rows and columns with no
 * connections, nnz = 0, one fully connected row or column among sparse ones, and a 20,000 x
 * 20,000 layer at 99 % sparsity. It also checks memory scopes and that bad arguments are refused
 * with clear messages. Results must agree within {@link Tolerance}.
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
 * test. The checks are grouped in nested classes, one per family of operations, so that a
 * report names the family, the operation and the case of every failure.
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

    @Nested
    @DisplayName("memory: zeros, upload, download, copy, fill")
    class Memory extends MemoryContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("memory scopes")
    class Scopes extends ScopeContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("sparse products: spmm, spmmTransposed, sddmm")
    class SparseProducts extends SparseProductContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("gemm")
    class Gemm extends GemmContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("element-wise: addRowVector, columnSums, relu, reluBackward, axpy, scale")
    class Elementwise extends ElementwiseContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("argmaxRows")
    class Argmax extends ArgmaxContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("layer normalisation")
    class LayerNorm extends LayerNormContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("losses: softmax cross-entropy, squared error")
    class Losses extends LossContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("sgdStep")
    class Sgd extends SgdContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("adamStep")
    class Adam extends AdamContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("activation sparsity: kWinners, boostFactors")
    class KWinners extends KWinnersContract {
        @Override
        Backend backend() {
            return backendUnderTest();
        }
    }

    @Nested
    @DisplayName("rewiring: topKAbsDenseGradient, gather")
    class Rewiring extends RewiringContract {
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
