package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Status names in messages, and which statuses are sticky or call for NVRTC. */
class CudaStatusTest {

    @Test
    void statusesHaveTheirDriverNames() {
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY (2)", CudaStatus.name(2));
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222)", CudaStatus.name(222));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS (700)", CudaStatus.name(700));
        assertEquals("CUDA_ERROR_INVALID_HANDLE (400)", CudaStatus.name(400));
        assertEquals("CUDA error (123456)", CudaStatus.name(123_456));
        assertEquals("no CUDA status (-1)", CudaStatus.name(CudaException.NO_STATUS));
    }

    @Test
    void stickyErrorsAndPtxRejections() {
        assertTrue(CudaStatus.isSticky(700));
        assertTrue(CudaStatus.isSticky(719));
        assertTrue(CudaStatus.isSticky(715));
        assertFalse(CudaStatus.isSticky(701));
        assertFalse(CudaStatus.isSticky(2));
        assertTrue(CudaStatus.isPtxRejection(222));
        assertTrue(CudaStatus.isPtxRejection(218));
        assertFalse(CudaStatus.isPtxRejection(2));
        CudaException wrapped =
                new CudaException("spmm (x (4, 8))", new CudaException("cuLaunchKernel failed", 700), "; advice");
        assertEquals("spmm (x (4, 8)): cuLaunchKernel failed; advice", wrapped.getMessage());
        assertEquals(700, wrapped.status());
        assertTrue(wrapped.isSticky());
    }
}
