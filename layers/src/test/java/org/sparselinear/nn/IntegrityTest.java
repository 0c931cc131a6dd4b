package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Backend;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.ModelSummary;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.nn.optim.Adam;

/**
 * What loading and {@link ModelFile#inspect} verify of the tensor data: the checksums a file
 * records, that every float is finite, and that a checkpoint's progress is possible; and that files
 * without checksums (version 0.1) still load, reported as unverified.
 */
class IntegrityTest {

    private static final Backend CPU = new CpuBackend(1);

    @TempDir
    Path temp;

    private static byte[] checkpoint(Sequential model, TrainingProgress progress) {
        return Checkpoint.toBytes(model, new Adam(model.parameters(), 0.1), progress, Map.of());
    }

    /** Every way of reading {@code bytes} as {@code name}: each must fail with a ModelFileException. */
    private List<Executable> readers(byte[] bytes, String name, boolean checkpoint) throws IOException {
        Path file = Files.write(temp.resolve(name), bytes);
        Executable inspect = () -> ModelFile.inspect(file);
        Executable load = () -> ModelFile.load(file, CPU);
        Executable loadInto = () -> ModelFile.loadInto(Models.rich(CPU), bytes, name);
        Executable stateDict = () -> ModelFile.loadStateDict(Models.rich(CPU), bytes, name);
        return checkpoint
                ? List.of(inspect, load, () -> Checkpoint.read(file))
                : List.of(inspect, load, loadInto, stateDict);
    }

    private void refusedEverywhere(byte[] bytes, boolean checkpoint, String field, String words) throws IOException {
        String name = "bad.safetensors";
        for (Executable reader : readers(bytes, name, checkpoint)) {
            ModelFileException e = assertThrows(ModelFileException.class, reader);
            assertEquals(field, e.field(), e.getMessage());
            assertTrue(e.getMessage().contains(name + ": " + field + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(words), words + ": " + e.getMessage());
        }
    }

    /** The position in {@code bytes} of element {@code index} of tensor {@code name}. */
    private static int offset(byte[] bytes, String name, int index) throws IOException {
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "f")) {
            long headerLength =
                    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            SafeTensors.TensorInfo info = contents.tensor(name);
            return (int) (8 + headerLength + info.begin())
                    + index * info.dtype().bytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.weights", "2.indices", "7.weight", "5.duty_cycle"})
    void aFlippedBitInTheWeightDataIsFoundNamingTheTensor(String tensor) throws IOException {
        byte[] bytes = ModelFile.toBytes(Models.rich(CPU));
        bytes[offset(bytes, tensor, 1)] ^= 0x01;
        refusedEverywhere(bytes, false, "tensor '" + tensor + "'", "CRC32C");
    }

    @Test
    void aFlippedBitInOptimizerStateIsFoundToo() throws IOException {
        byte[] bytes = checkpoint(Models.rich(CPU), new TrainingProgress(1, 0, 4, 3));
        bytes[offset(bytes, "optimizer.2.weights.exp_avg", 0)] ^= 0x40;
        refusedEverywhere(bytes, true, "tensor 'optimizer.2.weights.exp_avg'", "the header records");
    }

    @Test
    void inspectSaysWhetherChecksumsWereVerified() throws IOException {
        Path file = temp.resolve("now.safetensors");
        ModelFile.save(Models.rich(CPU), file);
        ModelSummary now = ModelFile.inspect(file);
        assertTrue(now.checksumsVerified());
        assertTrue(
                now.toString().contains("tensor data: CRC32C checksums verified; all float values finite"),
                now.toString());

        Path old = Files.write(temp.resolve("old.safetensors"), LegacyFilesTest.fixture("rich.safetensors"));
        ModelSummary legacy = ModelFile.inspect(old);
        assertFalse(legacy.checksumsVerified());
        assertTrue(legacy.toString().contains("no checksums recorded"), legacy.toString());
        ModelFile.load(old, CPU);
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingTheTensorAndElement() throws IOException {
        byte[] good = ModelFile.toBytes(Models.rich(CPU));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            FileSurgery surgery = new FileSurgery(good);
            FileSurgery.Entry entry = surgery.tensor("7.weight");
            float[] values = ((float[]) entry.data()).clone();
            values[5] = bad;
            byte[] bytes = surgery.replace("7.weight", entry.shape(), values).bytes();
            refusedEverywhere(bytes, false, "tensor '7.weight'", "element 5 (row-major) is " + bad);
        }
    }

    @Test
    void nonFiniteOptimizerStateIsRefused() throws IOException {
        FileSurgery surgery = new FileSurgery(checkpoint(Models.rich(CPU), new TrainingProgress(1, 0, 4, 3)));
        String name = "optimizer.7.weight.exp_avg_sq";
        FileSurgery.Entry entry = surgery.tensor(name);
        float[] values = ((float[]) entry.data()).clone();
        values[0] = Float.NaN;
        refusedEverywhere(
                surgery.replace(name, entry.shape(), values).bytes(), true, "tensor '" + name + "'", "is NaN");
    }

    @Test
    void impossibleProgressIsRefusedByReadAndInspect() throws IOException {
        byte[] good = checkpoint(Models.rich(CPU), new TrainingProgress(3, 2, 40, 1));
        Object[][] cases = {
            {"\"completed_epochs\":3", "\"completed_epochs\":-3", "expected an integer >= 0, got -3"},
            {"\"batches_into_epoch\":2", "\"batches_into_epoch\":-1", "expected an integer >= 0, got -1"},
            {"\"step\":40", "\"step\":-40", "expected an integer >= 0, got -40"},
            {"\"step\":40", "\"step\":4", "is 4, fewer than the 3 completed epochs and 2 batches"},
        };
        for (Object[] c : cases) {
            FileSurgery surgery = new FileSurgery(good);
            String json = surgery.metadata.get("checkpoint");
            assertTrue(json.contains((String) c[0]), json);
            surgery.metadata.put("checkpoint", json.replace((String) c[0], (String) c[1]));
            ModelFileException read =
                    assertThrows(ModelFileException.class, () -> Checkpoint.read(surgery.bytes(), "p"));
            assertEquals("__metadata__.checkpoint.progress", read.field(), read.getMessage());
            assertTrue(read.getMessage().contains((String) c[2]), read.getMessage());
            Path file = Files.write(temp.resolve("progress.safetensors"), surgery.bytes());
            ModelFileException inspect = assertThrows(ModelFileException.class, () -> ModelFile.inspect(file));
            assertEquals(read.field(), inspect.field(), inspect.getMessage());
        }
        TrainingProgress exact = Checkpoint.read(checkpoint(Models.rich(CPU), new TrainingProgress(3, 2, 5, 1)), "p")
                .progress();
        assertEquals(5, exact.step(), "one step per batch is possible");
    }
}
