package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;

class BatchTest {

    private static final Backend CPU = Backends.get();

    private static final int[] ROW_POINTERS = {0, 2, 2, 5};
    private static final int[] COLUMNS = {1, 6, 0, 3, 6};
    private static final float[] VALUES = {0.5f, -1, 2, 3, 4};

    @Test
    void aSparseBatchUploadsAsASparseTensorWithTheSamePattern() {
        Batch batch = Batch.sparse(7, ROW_POINTERS, COLUMNS, VALUES, new int[] {1, 0, 2});
        assertTrue(batch.isSparse());
        assertEquals(3, batch.size());
        assertEquals(5, batch.nnz());
        assertArrayEquals(new int[] {7}, batch.sampleShape());
        try (MemoryScope scope = CPU.newScope()) {
            SparseTensor tensor = assertInstanceOf(SparseTensor.class, batch.features(CPU));
            assertArrayEquals(new int[] {3, 7}, tensor.shape());
            assertEquals(
                    Connectivity.fromCsr(3, 7, ROW_POINTERS, COLUMNS),
                    tensor.pattern().connectivity());
            assertArrayEquals(VALUES, CPU.download(tensor.values()));
            assertFalse(tensor.requiresGrad());
        }
        assertArrayEquals(ROW_POINTERS, batch.rowPointers());
        assertArrayEquals(COLUMNS, batch.columnIndices());
        assertArrayEquals(VALUES, batch.values());
        assertArrayEquals(new int[] {1, 0, 2}, batch.labels());
        var densify = assertThrows(IllegalStateException.class, batch::features);
        assertTrue(densify.getMessage().contains("never densified"), densify.getMessage());
    }

    @Test
    void aBatchOfEmptyRowsUploads() {
        Batch batch = Batch.sparse(4, new int[] {0, 0, 0}, new int[0], new float[0], new int[] {0, 1});
        try (MemoryScope scope = CPU.newScope()) {
            SparseTensor tensor = assertInstanceOf(SparseTensor.class, batch.features(CPU));
            assertArrayEquals(new int[] {2, 4}, tensor.shape());
            assertEquals(0, tensor.nnz());
        }
    }

    @Test
    void aSparseBatchCopiesItsArrays() {
        int[] columns = COLUMNS.clone();
        float[] values = VALUES.clone();
        Batch batch = Batch.sparse(7, ROW_POINTERS, columns, values, new float[] {1, 2, 3});
        columns[0] = 5;
        values[0] = 9;
        assertArrayEquals(COLUMNS, batch.columnIndices());
        assertArrayEquals(VALUES, batch.values());
        batch.values()[1] = 7;
        assertArrayEquals(VALUES, batch.values());
    }

    @Test
    void targetVectorsUploadAsASizeByWidthTensor() {
        float[] targets = {1, 2, 3, 4, 5, 6};
        Batch batch = Batch.dense(new float[] {1, 2, 3}, targets, 3, new int[] {1});
        assertFalse(batch.hasLabels());
        assertEquals(2, batch.targetWidth());
        assertArrayEquals(targets, batch.targets());
        try (MemoryScope scope = CPU.newScope()) {
            Tensor uploaded = batch.targets(CPU);
            assertArrayEquals(new int[] {3, 2}, uploaded.shape());
            assertArrayEquals(targets, uploaded.toArray());
            assertArrayEquals(new float[] {1, 2, 3}, batch.features(CPU).toArray());
        }
        var labels = assertThrows(IllegalStateException.class, batch::labels);
        assertTrue(labels.getMessage().contains("target vectors of 2 values"), labels.getMessage());
        Batch labelled = new Batch(new float[2], new int[] {0, 1}, 2, new int[] {1});
        assertThrows(IllegalStateException.class, () -> labelled.targets(CPU));
        assertEquals(1, labelled.targetWidth());
    }

    @Test
    void aDenseBatchHasNoCsrArrays() {
        Batch batch = new Batch(new float[4], new int[] {0, 1}, 2, new int[] {2});
        assertFalse(batch.isSparse());
        assertEquals(4, batch.nnz());
        var csr = assertThrows(IllegalStateException.class, batch::rowPointers);
        assertTrue(csr.getMessage().contains("dense"), csr.getMessage());
        assertThrows(IllegalStateException.class, batch::values);
    }

    @Test
    void badArraysAreRejected() {
        var unsorted = assertThrows(
                IllegalArgumentException.class,
                () -> Batch.sparse(7, new int[] {0, 2}, new int[] {3, 1}, new float[2], new int[1]));
        assertTrue(unsorted.getMessage().contains("strictly increasing"), unsorted.getMessage());
        var range = assertThrows(
                IllegalArgumentException.class,
                () -> Batch.sparse(7, new int[] {0, 1}, new int[] {7}, new float[1], new int[1]));
        assertTrue(range.getMessage().contains("expected [0, 7)"), range.getMessage());
        var values = assertThrows(
                IllegalArgumentException.class,
                () -> Batch.sparse(7, new int[] {0, 1}, new int[] {2}, new float[2], new int[1]));
        assertTrue(values.getMessage().contains("1 column indices and 2 values"), values.getMessage());
        var labels = assertThrows(
                IllegalArgumentException.class, () -> Batch.sparse(7, ROW_POINTERS, COLUMNS, VALUES, new int[2]));
        assertTrue(labels.getMessage().contains("needs 3 labels, got 2"), labels.getMessage());
        var targets = assertThrows(
                IllegalArgumentException.class, () -> Batch.sparse(7, ROW_POINTERS, COLUMNS, VALUES, new float[4]));
        assertTrue(targets.getMessage().contains("got 4 values"), targets.getMessage());
    }
}
