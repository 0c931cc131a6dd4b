package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;

/**
 * A PyTorch {@code state_dict} saved with {@code safetensors.torch.save_file} (no format tag of
 * ours; indices int32 or int64, unsorted as before {@code coalesce()}) loads into a model built in
 * code, with each weight staying on its connection. The files are written byte by byte here, as
 * the safetensors format defines them, not with this library's writer.
 */
class PyTorchStateDictTest {

    private static final Backend CPU = new CpuBackend(2);

    /** Connections of a (4, 5) layer, out of order: (row, column) pairs. */
    private static final int[][] INDICES = {{2, 0, 3, 0, 1, 3}, {4, 3, 0, 1, 2, 2}};

    private static final float[] WEIGHTS = {0.5f, -1.25f, 2f, 0.75f, -0.5f, 1.5f};
    private static final float[] BIAS = {0.1f, -0.2f, 0.3f, 0.05f};
    private static final float[] HEAD = {1, -1, 0.5f, 2, -0.25f, 0.5f, 1.5f, -1};
    private static final float[] HEAD_BIAS = {0.01f, -0.02f};

    @TempDir
    Path temp;

    /** A model as PyTorch would build it: sparse (5 -> 4, 6 connections), ReLU, dense (4 -> 2). */
    private static Sequential model() {
        return new Sequential(
                new SparseLinear(
                        5, 4, SparseLinear.options().sparsity(0.7).seed(3).backend(CPU)),
                new ReLU(),
                new Linear(4, 2, true, 4, CPU));
    }

    /** One tensor of a hand-made file: dtype name, shape and little-endian bytes. */
    private record Raw(String dtype, long[] shape, byte[] data) {}

    private static Raw ints(int[][] rows, boolean int64) {
        int n = rows[0].length;
        ByteBuffer data = ByteBuffer.allocate(2 * n * (int64 ? 8 : 4)).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : rows) {
            for (int value : row) {
                if (int64) {
                    data.putLong(value);
                } else {
                    data.putInt(value);
                }
            }
        }
        return new Raw(int64 ? "I64" : "I32", new long[] {2, n}, data.array());
    }

    private static Raw floats(float[] values, long... shape) {
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            data.putFloat(value);
        }
        return new Raw("F32", shape, data.array());
    }

    /** A safetensors file: 8-byte little-endian header length, the JSON header (PyTorch's metadata), the data. */
    private static byte[] file(Map<String, Raw> tensors) throws IOException {
        StringBuilder header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        for (Map.Entry<String, Raw> entry : tensors.entrySet()) {
            Raw raw = entry.getValue();
            StringBuilder shape = new StringBuilder();
            for (long size : raw.shape()) {
                shape.append(shape.length() == 0 ? "" : ",").append(size);
            }
            header.append(",\"")
                    .append(entry.getKey())
                    .append("\":{\"dtype\":\"")
                    .append(raw.dtype())
                    .append("\",\"shape\":[")
                    .append(shape)
                    .append("],\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + raw.data().length)
                    .append("]}");
            offset += raw.data().length;
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length)
                .array());
        out.write(json);
        for (Raw raw : tensors.values()) {
            out.write(raw.data());
        }
        return out.toByteArray();
    }

    private static Map<String, Raw> stateDict(Raw indices) {
        Map<String, Raw> tensors = new LinkedHashMap<>();
        tensors.put("0.indices", indices);
        tensors.put("0.weights", floats(WEIGHTS, WEIGHTS.length));
        tensors.put("0.bias", floats(BIAS, BIAS.length));
        tensors.put("2.weight", floats(HEAD, 2, 4));
        tensors.put("2.bias", floats(HEAD_BIAS, 2));
        return tensors;
    }

    /** {@code x W^T + b} computed densely from the (row, column, value) triples, as the reference. */
    private static float[] dense(float[] x, int batch, int in, int out, int[][] indices, float[] values, float[] bias) {
        float[] y = new float[batch * out];
        for (int s = 0; s < batch; s++) {
            for (int o = 0; o < out; o++) {
                y[s * out + o] = bias[o];
            }
            for (int k = 0; k < values.length; k++) {
                y[s * out + indices[0][k]] += values[k] * x[s * in + indices[1][k]];
            }
        }
        return y;
    }

    private static float[] input() {
        return new float[] {1, -2, 0.5f, 3, -1, 0.25f, 2, -0.5f, 1, 4};
    }

    private static float[] forward(org.sparselinear.api.Layer layer, float[] x, int in) {
        try (var off = GradMode.disable();
                var scope = CPU.newScope()) {
            Tensor output = layer.forward(Tensor.constant(CPU.upload(x, x.length / in, in)));
            return output.toArray();
        }
    }

    @Test
    void loadsUnsortedInt32AndInt64IndicesWithEachWeightOnItsConnection() throws IOException {
        for (boolean int64 : new boolean[] {false, true}) {
            Path path = temp.resolve((int64 ? "i64" : "i32") + ".safetensors");
            Files.write(path, file(stateDict(ints(INDICES, int64))));
            Sequential model = model();
            model.loadStateDict(path);
            SparseLinear sparse = (SparseLinear) model.layers().get(0);
            float[] expected = dense(input(), 2, 5, 4, INDICES, WEIGHTS, BIAS);
            assertArrayEquals(expected, forward(sparse, input(), 5), 1e-6f, int64 ? "I64" : "I32");
            assertArrayEquals(
                    expected,
                    forward(SparseLinear.fromCoo(5, 4, INDICES, WEIGHTS, BIAS, CPU), input(), 5),
                    1e-6f,
                    "fromCoo builds the same layer");
            assertArrayEquals(HEAD, model.layers().get(2).parameters().get(0).toArray());
            assertEquals(6, sparse.nnz());
            assertTrue(sparse.connectivity().contains(2, 4)
                    && sparse.connectivity().contains(3, 0));
        }
    }

    @Test
    void fromCooSizesTheLayerFromTheBiasAndTheLargestColumn() {
        SparseLinear layer = SparseLinear.fromCoo(INDICES, WEIGHTS, BIAS);
        assertEquals(5, layer.inFeatures());
        assertEquals(4, layer.outFeatures());
        float[][] weight = layer.weight().toDense();
        for (int k = 0; k < WEIGHTS.length; k++) {
            assertEquals(WEIGHTS[k], weight[INDICES[0][k]][INDICES[1][k]], "connection " + k);
        }
        var noBias = SparseLinear.fromCoo(INDICES, WEIGHTS, null);
        assertEquals(4, noBias.outFeatures(), "the largest row + 1");
        var duplicate = assertThrows(
                IllegalArgumentException.class,
                () -> SparseLinear.fromCoo(new int[][] {{0, 1, 0}, {2, 2, 2}}, new float[3], null));
        assertTrue(duplicate.getMessage().contains("connection 2 duplicates connection 0"), duplicate.getMessage());
        var fewer =
                assertThrows(IllegalArgumentException.class, () -> SparseLinear.fromCoo(INDICES, new float[5], BIAS));
        assertTrue(fewer.getMessage().contains("6 connections, got 5 values"), fewer.getMessage());
    }

    @Test
    void refusesDuplicatesOutOfRangeIndicesAndOtherConnectionCountsChangingNothing() throws IOException {
        Object[][] cases = {
            {
                new int[][] {{2, 0, 3, 0, 1, 2}, {4, 3, 0, 1, 2, 4}},
                "tensor '0.indices'",
                "connection 5 duplicates connection 0: both are (row 2, column 4)"
            },
            {
                new int[][] {{2, 0, 3, 0, 1, 3}, {4, 3, 0, 9, 2, 2}},
                "tensor '0.indices'",
                "connection 3 has column (input) index 9, expected [0, 5)"
            },
            {
                new int[][] {{2, 0, 3, 0, 1, 4}, {4, 3, 0, 1, 2, 2}},
                "tensor '0.indices'",
                "connection 5 has row (output) index 4, expected [0, 4)"
            },
        };
        for (Object[] c : cases) {
            Sequential model = model();
            byte[] before = ModelFile.toBytes(model);
            ModelFileException e = assertThrows(
                    ModelFileException.class,
                    () -> ModelFile.loadStateDict(model, file(stateDict(ints((int[][]) c[0], true))), "bad"));
            assertEquals(c[1], e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
            assertArrayEquals(before, ModelFile.toBytes(model), "nothing changed");
        }
        Map<String, Raw> fewer = stateDict(ints(new int[][] {{0, 1, 2, 3, 3}, {0, 1, 2, 3, 4}}, false));
        fewer.put("0.weights", floats(new float[5], 5));
        ModelFileException e =
                assertThrows(ModelFileException.class, () -> ModelFile.loadStateDict(model(), file(fewer), "fewer"));
        assertTrue(
                e.getMessage().contains("field \"nnz\": the model's layer has 6 connections, the file's indices hold 5")
                        && e.getMessage().contains("SparseLinear.fromCoo"),
                e.getMessage());

        Map<String, Raw> extra = stateDict(ints(INDICES, false));
        extra.put("3.running_mean", floats(new float[2], 2));
        e = assertThrows(ModelFileException.class, () -> ModelFile.loadStateDict(model(), file(extra), "extra"));
        assertEquals("tensor '3.running_mean'", e.field(), e.getMessage());

        ModelFileException notOurs = assertThrows(
                ModelFileException.class, () -> ModelFile.load(file(stateDict(ints(INDICES, false))), "pt", CPU));
        assertTrue(notOurs.getMessage().contains("ModelFile.loadStateDict"), notOurs.getMessage());
    }
}
