package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFileException;

/** Misuse of the library fails with a message that tells the cases apart (issue 11, item 8). */
class MisuseMessagesTest {

    @TempDir
    Path temp;

    @Test
    void anInputOnAnotherBackendOfTheSameNameIsToldApartByInstance() {
        try (CpuBackend layerBackend = new CpuBackend(1);
                CpuBackend inputBackend = new CpuBackend(1)) {
            Linear layer = new Linear(3, 2, true, 1, layerBackend);
            Tensor input = Tensor.constant(inputBackend.zeros(4, 3));
            var error = assertThrows(IllegalArgumentException.class, () -> layer.forward(input));
            String message = error.getMessage();
            String inputId = Integer.toHexString(System.identityHashCode(inputBackend));
            String layerId = Integer.toHexString(System.identityHashCode(layerBackend));
            assertTrue(message.contains("the input is on backend 'cpu' (instance " + inputId + ")"), message);
            assertTrue(message.contains("parameters are on 'cpu' (instance " + layerId + ")"), message);
        }
    }

    @Test
    void loadingAFolderNamesIt() {
        var error = assertThrows(ModelFileException.class, () -> Sequential.load(temp));
        assertTrue(error.getMessage().contains(temp.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("is a folder, expected a model file"), error.getMessage());
    }

    @Test
    void aNullConstantNamesTheArgument() {
        var error = assertThrows(NullPointerException.class, () -> Tensor.constant(null));
        assertTrue(error.getMessage().contains("Tensor.constant: value"), error.getMessage());
    }

    @Test
    void aClosedBackendAllocatesNothingAndBuildsNoLayer() {
        CpuBackend backend = new CpuBackend(1);
        backend.close();
        var zeros = assertThrows(IllegalStateException.class, () -> backend.zeros(2, 2));
        assertTrue(zeros.getMessage().contains("backend 'cpu' was closed"), zeros.getMessage());
        assertThrows(IllegalStateException.class, () -> backend.upload(new float[4], 2, 2));
        Connectivity pattern = Connectivity.fromCsr(1, 2, new int[] {0, 1}, new int[] {1});
        assertThrows(IllegalStateException.class, () -> backend.pattern(pattern));
        assertThrows(IllegalStateException.class, () -> new Linear(2, 2, true, 1, backend));
        assertThrows(
                IllegalStateException.class,
                () -> new SparseLinear(
                        2, 2, SparseLinear.options().sparsity(0.5).backend(backend)));
    }
}
