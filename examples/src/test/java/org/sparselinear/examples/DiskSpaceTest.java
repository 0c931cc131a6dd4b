package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Parameters;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.SGD;

/** A checkpoint destination on a disk without room for it is refused before training, naming what is needed. */
class DiskSpaceTest {

    private static final Path SAVE = Path.of("/data/run/model.ckpt");

    @Test
    void aDiskWithoutRoomIsRefusedWithTheBytesNeededAndFree() {
        List<Path> asked = new ArrayList<>();
        DiskSpace full = new DiskSpace(folder -> {
            asked.add(folder);
            return 1_000_000;
        });
        UsageException e =
                assertThrows(UsageException.class, () -> full.requireRoomForCheckpoint("--save", SAVE, 164_810));
        assertEquals(List.of(Path.of("/data/run")), asked, "the destination's folder is asked");
        assertTrue(
                e.getMessage().startsWith("--save /data/run/model.ckpt: its disk has 1,000,000 bytes free"),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("needs up to " + String.format("%,d", 2 * DiskSpace.checkpointBytes(164_810))),
                e.getMessage());
    }

    @Test
    void aDiskWithRoomOrOfUnknownSpaceIsAccepted() {
        long enough = 2 * DiskSpace.checkpointBytes(164_810);
        assertDoesNotThrow(() -> new DiskSpace(folder -> enough).requireRoomForCheckpoint("--save", SAVE, 164_810));
        assertDoesNotThrow(() -> new DiskSpace(folder -> -1).requireRoomForCheckpoint("--save", SAVE, 164_810));
        assertThrows(UsageException.class, () -> new DiskSpace(folder -> enough - 1)
                .requireRoomForCheckpoint("--save", SAVE, 164_810));
    }

    @Test
    void theEstimateCoversARealCheckpoint(@TempDir Path temp) throws Exception {
        Backend cpu = new CpuBackend(1);
        try (Sequential model = new Sequential(
                        new SparseLinear(
                                784,
                                300,
                                SparseLinear.options().sparsity(0.9).seed(1).backend(cpu)),
                        new ReLU(),
                        new Linear(300, 10, true, 2, cpu));
                SGD optimizer = new SGD(model.parameters(), 0.1, 0.9)) {
            Path file = temp.resolve("run.ckpt");
            Checkpoint.save(file, model, optimizer, TrainingProgress.afterEpoch(1, 10, 0L), Map.of());
            long parameters = Parameters.count(model.parameters());
            assertTrue(
                    Files.size(file) <= DiskSpace.checkpointBytes(parameters),
                    Files.size(file) + " bytes written, estimate " + DiskSpace.checkpointBytes(parameters));
        }
    }
}
