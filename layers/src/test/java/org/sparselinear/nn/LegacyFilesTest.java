package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.SafeTensors.TensorInfo;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Files written by version 0.1 ({@link LegacyFixtures}) load with the current code: models
 * rebuild with every value, connection, rewiring counter and K-Winners state as saved (saving them
 * again gives the same bytes, but for the checksums 0.1 did not write), and a resumed 0.1 checkpoint
 * continues as 0.1 did: with the same connections and rewiring, and values equal within float32
 * rounding (the CPU kernels have since changed the order in which they sum the gradients).
 */
class LegacyFilesTest {

    static byte[] fixture(String name) {
        try (InputStream in = LegacyFilesTest.class.getResourceAsStream("/fixtures/v0_1/" + name)) {
            return Objects.requireNonNull(in, () -> "missing fixture " + name).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "rich.safetensors",
                "topologies.safetensors",
                "single.safetensors",
                "sgd-momentum.next.safetensors",
                "adam.next.safetensors"
            })
    void modelsRebuildAndSaveToTheSameBytesPlusChecksums(String name) throws IOException {
        byte[] file = fixture(name);
        Layer model = ModelFile.load(file, name, LegacyFixtures.CPU);
        byte[] saved = ModelFile.toBytes(model);
        try (SafeTensors.Contents old = SafeTensors.read(file, name);
                SafeTensors.Contents now = SafeTensors.read(saved, name)) {
            assertFalse(old.verify(), "0.1 wrote no checksums");
            assertTrue(now.verify(), "saving again adds them");
        }
        assertArrayEquals(file, withoutChecksums(saved), name);
    }

    /** {@code file} with the {@link SafeTensors#CHECKSUMS} entry taken out of its header: the layout 0.1 wrote. */
    static byte[] withoutChecksums(byte[] file) {
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = (int) in.getLong();
        Map<?, ?> header;
        try {
            header = (Map<?, ?>) JsonCodec.parse(new String(file, 8, headerLength, StandardCharsets.UTF_8));
        } catch (JsonCodec.SyntaxException e) {
            throw new AssertionError(e);
        }
        assertNotNull(((Map<?, ?>) header.get(SafeTensors.METADATA)).remove(SafeTensors.CHECKSUMS));
        byte[] json = JsonCodec.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        int data = file.length - 8 - headerLength;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        while (out.position() < 8 + padded) {
            out.put((byte) ' ');
        }
        return out.put(file, 8 + headerLength, data).array();
    }

    @Test
    void richModelHoldsTheSavedValuesConnectionsAndState() throws IOException {
        byte[] file = fixture("rich.safetensors");
        Sequential model = (Sequential) ModelFile.load(file, "rich", LegacyFixtures.CPU);
        try (SafeTensors.Contents contents = SafeTensors.read(file, "rich")) {
            SparseLinear rigl = (SparseLinear) model.layers().get(2);
            assertArrayEquals(
                    contents.floats(contents.tensor("2.weights")), rigl.weight().values());
            assertArrayEquals(contents.longs(contents.tensor("2.indices")), cooAsLongs(rigl));
            assertEquals(12, rigl.rewiringState().completedSteps());
            assertEquals(1, rigl.rewiringState().completedEpochs());
            assertEquals("RigL(deltaT=4, tEnd=750, alpha=0.5)", rigl.rewiring().name());
            KWinners winners = (KWinners) model.layers().get(5);
            assertArrayEquals(contents.floats(contents.tensor("5.duty_cycle")), winners.dutyCycles());
            assertEquals(1.35, winners.boostStrength(), 1e-12);
            assertEquals(96, winners.learningIterations());
            SparseLinear set =
                    (SparseLinear) ((Sequential) model.layers().get(6)).layers().get(0);
            assertEquals("SET(zeta=0.4)", set.rewiring().name());
            Linear linear = (Linear) model.layers().get(7);
            assertArrayEquals(
                    contents.floats(contents.tensor("7.weight")),
                    download(linear.parameters().get(0)));
            assertEquals(
                    "SumGroups(features=6, groups=3)", model.layers().get(8).toString());
        }
    }

    @Test
    void topologiesKeepTheirNamesAndConnections() throws IOException {
        Sequential model = (Sequential) ModelFile.load(fixture("topologies.safetensors"), "t", LegacyFixtures.CPU);
        List<String> names = new ArrayList<>();
        for (Layer layer : model.layers()) {
            names.add(layer.toString());
        }
        assertEquals(
                List.of(
                        "Flatten(start_dim=1, end_dim=-1)",
                        "SparseLinear(in_features=12, out_features=10, bias=true, sparsity=0.6, nnz=48, topology=random)",
                        "SparseLinear(in_features=10, out_features=8, bias=true, sparsity=0.525, nnz=38, topology=small-world)",
                        "SparseLinear(in_features=8, out_features=8, bias=false, sparsity=0.5, nnz=32, topology=watts-strogatz)",
                        "SparseLinear(in_features=8, out_features=4, bias=true, sparsity=0.8438, nnz=5, topology=user)",
                        "Linear(in_features=4, out_features=3, bias=false)"),
                names);
        SparseLinear user = (SparseLinear) model.layers().get(4);
        assertArrayEquals(new long[] {0, 0, 1, 2, 3, 2, 5, 1, 0, 7}, cooAsLongs(user));
    }

    @Test
    void customLayerLoadsIntoAModelBuiltInCode() throws IOException {
        byte[] file = fixture("custom.safetensors");
        Sequential model = LegacyFixtures.custom(LegacyFixtures.CPU);
        LegacyFixtures.Scale scale = (LegacyFixtures.Scale) model.layers().get(1);
        LegacyFixtures.CPU.fill(scale.scale.value(), 0f);
        ModelFile.loadInto(model, file, "custom");
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f}, download(scale.scale));
        assertSameTensors(file, ModelFile.toBytes(model), "custom");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "sgd-momentum", "sgd-nesterov", "adam"})
    void checkpointsResumeAsVersion01Did(String run) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(fixture(run + ".ckpt.safetensors"), run);
        assertEquals(new TrainingProgress(1, 0, 12, LegacyFixtures.SHUFFLE), checkpoint.progress());
        ModelFileException noSettings = assertThrows(
                ModelFileException.class, () -> checkpoint.buildOptimizer(Models.rich(LegacyFixtures.CPU)));
        assertTrue(
                noSettings.getMessage().contains("version 0.1")
                        && noSettings.getMessage().contains("restore"),
                noSettings.getMessage());
        assertEquals(Map.of("run", run), checkpoint.extras());
        for (boolean rebuild : new boolean[] {false, true}) {
            Layer model = rebuild ? checkpoint.buildModel(LegacyFixtures.CPU) : Models.rich(LegacyFixtures.CPU);
            assertInstanceOf(Sequential.class, model);
            Optimizer optimizer = LegacyFixtures.OPTIMIZERS.get(run).apply(model);
            checkpoint.restore(model, optimizer);
            long steps = Models.train(model, optimizer, LegacyFixtures.loader(), 2, 0, 2, 12, -1, LegacyFixtures.CPU);
            assertEquals(24, steps);
            assertCloseTensors(fixture(run + ".next.safetensors"), ModelFile.toBytes(model), run + " model");
            assertCloseTensors(
                    fixture(run + ".next.ckpt.safetensors"),
                    Checkpoint.toBytes(
                            model, optimizer, TrainingProgress.afterEpoch(2, steps, LegacyFixtures.SHUFFLE), Map.of()),
                    run + " optimizer state");
        }
    }

    /**
     * Every tensor of {@code expected} is in {@code actual} with the same dtype and shape, and no
     * other is; integer tensors (connections, counters) are equal, float tensors equal within
     * float32 rounding of sums taken in another order.
     */
    private static void assertCloseTensors(byte[] expected, byte[] actual, String what) throws IOException {
        assertTensors(expected, actual, what, (wanted, gotten, name) -> {
            for (int i = 0; i < wanted.length; i++) {
                assertEquals(wanted[i], gotten[i], 1e-5f + 1e-4f * Math.abs(wanted[i]), name + "[" + i + "]");
            }
        });
    }

    /** Every tensor of {@code expected} is in {@code actual} with the same dtype, shape and bytes, and no other is. */
    static void assertSameTensors(byte[] expected, byte[] actual, String what) throws IOException {
        assertTensors(expected, actual, what, (wanted, gotten, name) -> assertArrayEquals(wanted, gotten, name));
    }

    /** How two float tensors of the same name and shape must compare. */
    @FunctionalInterface
    private interface FloatsCheck {
        void check(float[] expected, float[] actual, String name);
    }

    /**
     * Every tensor of {@code expected} is in {@code actual} with the same dtype and shape, and no
     * other is; integer tensors are equal, float tensors pass {@code floats}.
     */
    private static void assertTensors(byte[] expected, byte[] actual, String what, FloatsCheck floats)
            throws IOException {
        try (SafeTensors.Contents want = SafeTensors.read(expected, "expected");
                SafeTensors.Contents got = SafeTensors.read(actual, "actual")) {
            assertEquals(names(want), names(got), what);
            for (TensorInfo info : want.tensors()) {
                TensorInfo other = got.tensor(info.name());
                String name = what + " " + info.name();
                assertEquals(info.dtype(), other.dtype(), name);
                assertArrayEquals(info.shape(), other.shape(), name);
                if (info.dtype() == SafeTensors.DType.F32) {
                    floats.check(want.floats(info), got.floats(other), name);
                } else {
                    assertArrayEquals(want.longs(info), got.longs(other), name);
                }
            }
        }
    }

    private static List<String> names(SafeTensors.Contents contents) {
        return contents.tensors().stream().map(TensorInfo::name).sorted().toList();
    }

    private static long[] cooAsLongs(SparseLinear layer) {
        int[][] coo = layer.connectivity().toCoo();
        long[] out = new long[2 * coo[0].length];
        for (int k = 0; k < coo[0].length; k++) {
            out[k] = coo[0][k];
            out[coo[0].length + k] = coo[1][k];
        }
        return out;
    }

    private static float[] download(Parameter parameter) {
        return parameter.backend().download(parameter.value());
    }
}
