package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The rule that sends a sparse product to cuSPARSE or to the own kernels. */
class SparseRouteTest {

    @Test
    void withoutCusparseEveryProductUsesTheOwnKernels() {
        for (SparseRoute.Mode mode : SparseRoute.Mode.values()) {
            SparseRoute route = new SparseRoute(mode, false);
            assertFalse(route.useCusparse(100_000_000, 512), mode.toString());
        }
        assertEquals("sparse products: own kernels", new SparseRoute(SparseRoute.Mode.AUTO, false).describe(""));
    }

    @Test
    void autoSendsProductsOfAtLeast4MillionMultiplyAddsToCusparse() {
        SparseRoute route = new SparseRoute(SparseRoute.Mode.AUTO, true);
        assertFalse(route.useCusparse((1 << 22) - 1, 1));
        assertTrue(route.useCusparse(1 << 22, 1));
        assertTrue(route.useCusparse(1 << 20, 4));
        assertFalse(route.useCusparse((1 << 20) - 1, 4));
        assertTrue(route.useCusparse(4_000_000, 64), "the kit's 20,000 x 20,000 layer at batch 64");
        assertFalse(route.useCusparse(0, 1 << 30), "a pattern without connections never goes to cuSPARSE");
        assertEquals(
                "sparse products: cuSPARSE 12.5.4 from nnz * batch >= 4194304, own kernels below",
                route.describe("12.5.4"));
    }

    @Test
    void neverAndAlwaysOverrideTheRule() {
        assertFalse(new SparseRoute(SparseRoute.Mode.NEVER, true).useCusparse(100_000_000, 512));
        SparseRoute always = new SparseRoute(SparseRoute.Mode.ALWAYS, true);
        assertTrue(always.useCusparse(1, 1));
        assertFalse(always.useCusparse(0, 1));
        assertEquals(
                "sparse products: own kernels (-Dsparselinear.cuda.cusparse=never)",
                new SparseRoute(SparseRoute.Mode.NEVER, true).describe("12.5.4"));
    }

    @Test
    void thePropertyIsParsedOrRefused() {
        assertEquals(SparseRoute.Mode.AUTO, SparseRoute.Mode.parse(null));
        assertEquals(SparseRoute.Mode.AUTO, SparseRoute.Mode.parse(" "));
        assertEquals(SparseRoute.Mode.ALWAYS, SparseRoute.Mode.parse("Always"));
        assertEquals(SparseRoute.Mode.NEVER, SparseRoute.Mode.parse(" never "));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SparseRoute.Mode.parse("sometimes"));
        assertEquals("-Dsparselinear.cuda.cusparse must be auto, never or always, got 'sometimes'", e.getMessage());
    }
}
