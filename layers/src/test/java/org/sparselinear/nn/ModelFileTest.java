package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.ModelSummary;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.nn.optim.SGD;

/** Saving and loading models: round trips across backends, names, loadInto checks, and rejected files. */
class ModelFileTest {

    private static final Backend CPU = new CpuBackend(2);

    @TempDir
    Path temp;

    /** The rich model after a few steps, so that rewiring, duty cycles and boost have moved. */
    private static Sequential trained(Backend backend) {
        Sequential model = Models.rich(backend);
        DataLoader loader = new DataLoader(Models.data(64, 4), 8, true, 9, true);
        Models.train(model, new SGD(model.parameters(), 0.05, 0.9), loader, 1, 0, 2, 0, -1, backend);
        return model;
    }

    private static float[] predict(Layer model, Backend backend) {
        model.eval();
        try (GradMode off = GradMode.disable();
                var scope = backend.newScope()) {
            float[] x = new float[5 * Models.FEATURES];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i);
            }
            return model.forward(Tensor.constant(backend.upload(x, 5, Models.FEATURES), 5, 1, 3, 4))
                    .toArray();
        }
    }

    @Test
    void aSavedModelLoadsBackIdenticalOnAnotherBackend() throws IOException {
        Sequential model = trained(CPU);
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(model, file);
        try (Stream<Path> files = Files.list(temp)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
        Backend other = new CpuBackend(3, false);
        Layer loaded = ModelFile.load(file, other);
        assertEquals(model.toString(), loaded.toString());
        assertArrayEquals(
                ModelFile.toBytes(model),
                ModelFile.toBytes(loaded),
                "every tensor, connection, counter and seed survives the trip");
        for (Parameter parameter : loaded.parameters()) {
            assertSame(other, parameter.backend());
        }
        float[] expected = predict(model, CPU);
        float[] actual = predict(loaded, other);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5f, "output " + i);
        }
        SparseLinear rigl = (SparseLinear) ((Sequential) loaded).layers().get(2);
        assertEquals(
                ((SparseLinear) model.layers().get(2)).connectivity(),
                rigl.connectivity(),
                "the rewired connections, not the initial ones");
        KWinners winners = (KWinners) ((Sequential) loaded).layers().get(5);
        KWinners original = (KWinners) model.layers().get(5);
        assertArrayEquals(original.dutyCycles(), winners.dutyCycles());
        assertEquals(original.boostStrength(), winners.boostStrength());
        assertEquals(original.learningIterations(), winners.learningIterations());
    }

    @Test
    void tensorNamesAndShapesFollowPyTorchAndTheReferencePackage() throws IOException {
        Sequential model = Models.rich(CPU);
        try (SafeTensors.Contents contents = SafeTensors.read(ModelFile.toBytes(model), "m")) {
            List<String> described = new ArrayList<>();
            for (SafeTensors.TensorInfo info : contents.tensors()) {
                described.add(info.toString());
            }
            SparseLinear first = (SparseLinear) model.layers().get(2);
            SparseLinear second =
                    (SparseLinear) ((Sequential) model.layers().get(6)).layers().get(0);
            assertEquals(
                    List.of(
                            "1.weight F32 [12]",
                            "1.bias F32 [12]",
                            "2.indices I64 [2, " + first.nnz() + "]",
                            "2.weights F32 [" + first.nnz() + "]",
                            "2.bias F32 [16]",
                            "3.weight F32 [16]",
                            "3.bias F32 [16]",
                            "5.duty_cycle F32 [16]",
                            "6.0.indices I64 [2, " + second.nnz() + "]",
                            "6.0.weights F32 [" + second.nnz() + "]",
                            "6.0.bias F32 [9]",
                            "7.weight F32 [6, 9]",
                            "7.bias F32 [6]",
                            "8.indices I64 [2, 6]"),
                    described);
            assertEquals(ModelFile.FORMAT, contents.metadata().get("format"));
            assertEquals(model.toString(), contents.metadata().get("description"));
            Map<?, ?> tree = (Map<?, ?>) JsonCodec.parse(contents.metadata().get("model"));
            Map<?, ?> sparse = (Map<?, ?>) ((List<?>) tree.get("layers")).get(2);
            assertEquals("SparseLinear", sparse.get("class"));
            assertEquals(12L, sparse.get("in_features"));
            assertEquals("random", sparse.get("topology"));
            assertEquals("RigL", ((Map<?, ?>) sparse.get("rewiring")).get("rule"));
            long[] indices = contents.longs(contents.tensor("2.indices"));
            int[][] coo = first.connectivity().toCoo();
            for (int k = 0; k < first.nnz(); k++) {
                assertEquals(coo[0][k], indices[k], "row (output) indices first");
                assertEquals(coo[1][k], indices[first.nnz() + k], "then column (input) indices");
            }
            assertArrayEquals(first.weight().values(), contents.floats(contents.tensor("2.weights")));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void loadIntoFillsAModelBuiltInCodeKeepingItsParameterObjects() throws IOException {
        Sequential saved = trained(CPU);
        Path file = temp.resolve("m.safetensors");
        ModelFile.save(saved, file);
        Sequential model = Models.rich(CPU);
        List<Parameter> before = model.parameters();
        SGD optimizer = new SGD(before, 0.1, 0.9);
        ModelFile.loadInto(model, file);
        assertArrayEquals(ModelFile.toBytes(saved), ModelFile.toBytes(model));
        List<Parameter> after = model.parameters();
        for (int i = 0; i < before.size(); i++) {
            assertSame(before.get(i), after.get(i), "parameter " + i + " is the same object");
        }
        optimizer.step();
    }

    @Test
    void loadIntoRejectsAnotherStructureAndChangesNothing() throws IOException {
        byte[] file = ModelFile.toBytes(trained(CPU));
        Object[][] cases = {
            {Models.plain(CPU, 1), "model (Sequential)", "9 layers here but the model has 5"},
            {
                withLayer(
                        2,
                        new SparseLinear(
                                Models.FEATURES,
                                17,
                                SparseLinear.options().seed(1).backend(CPU))),
                "layer 2 (SparseLinear)",
                "out_features=16"
            },
            {
                withLayer(
                        2,
                        new SparseLinear(
                                Models.FEATURES,
                                16,
                                SparseLinear.options().sparsity(0.2).seed(1).backend(CPU))),
                "layer 2 (SparseLinear)",
                "connections but the model's layer has"
            },
            {withLayer(3, new ReLU()), "layer 3 (LayerNorm)", "the model has ReLU"},
            {withLayer(7, new Linear(9, 6, false, 3, CPU)), "layer 7 (Linear)", "bias=true"},
            {withLayer(5, new KWinners(16, 0.25, KWinners.options().backend(CPU))), "layer 5 (KWinners)", "density"},
            {withLayer(8, FixedSparseMap.sumGroups(6, 2, CPU)), "layer 8 (FixedSparseMap)", "other connections"},
            {withLayer(1, new FeatureAffine(Models.FEATURES + 1, CPU)), "layer 1 (FeatureAffine)", "13"},
        };
        for (Object[] c : cases) {
            Layer model = (Layer) c[0];
            byte[] before = ModelFile.toBytes(model);
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.loadInto(model, file, "f"));
            assertEquals(c[1], e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
            assertArrayEquals(before, ModelFile.toBytes(model), "nothing changed: " + e.getMessage());
        }
    }

    /** The rich model with layer {@code index} (of the top level) replaced. */
    private static Sequential withLayer(int index, Layer replacement) {
        List<Layer> layers = new ArrayList<>(Models.rich(CPU).layers());
        layers.set(index, replacement);
        return new Sequential(layers.toArray(new Layer[0]));
    }

    /** A layer of another library: saved by parameter name, loaded with loadInto, not rebuilt. */
    static final class Scale extends AbstractLayer {
        final Parameter factor = new Parameter("factor", CPU.upload(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(factor);
        }
    }

    @Test
    void customLayersLoadIntoAModelButCannotBeRebuilt() throws IOException {
        byte[] bytes = ModelFile.toBytes(new Sequential(new Scale(), new ReLU()));
        Sequential target = new Sequential(new Scale(), new ReLU());
        CPU.fill(target.parameters().get(0).value(), 0f);
        ModelFile.loadInto(target, bytes, "custom");
        assertArrayEquals(
                new float[] {1, 2, 3, 4, 5, 6}, target.parameters().get(0).toArray());
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bytes, "custom", CPU));
        assertTrue(e.getMessage().contains("layer 0 (" + Scale.class.getName() + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("loadInto"), e.getMessage());
    }

    @Test
    void rejectsBadIndicesNamingTheTensorAndTheEntry() throws IOException {
        byte[] good = ModelFile.toBytes(Models.plain(CPU, 5));
        FileSurgery original = new FileSurgery(good);
        long[] indices = (long[]) original.tensor("1.indices").data();
        int nnz = indices.length / 2;
        long[] shape = {2, nnz};
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {set(indices, 0, 20), "connection 0 has row (output) index 20, expected [0, 20)"});
        cases.add(new Object[] {set(indices, 3, -1), "connection 3 has row (output) index -1"});
        cases.add(
                new Object[] {set(indices, nnz + 2, 12), "connection 2 has column (input) index 12, expected [0, 12)"});
        cases.add(new Object[] {set(indices, nnz + 1, Long.MIN_VALUE), "connection 1 has column"});
        long[] swapped = indices.clone();
        swapped[0] = indices[1];
        swapped[1] = indices[0];
        swapped[nnz] = indices[nnz + 1];
        swapped[nnz + 1] = indices[nnz];
        long[] duplicate = indices.clone();
        duplicate[1] = indices[0];
        duplicate[nnz + 1] = indices[nnz];
        cases.add(new Object[] {
            duplicate, "connection 1 (row " + indices[0] + ", column " + indices[nnz] + ") duplicates connection 0"
        });
        float[] weights = (float[]) original.tensor("1.weights").data();
        float[] swappedWeights = weights.clone();
        swappedWeights[0] = weights[1];
        swappedWeights[1] = weights[0];
        byte[] unsorted = new FileSurgery(good)
                .replace("1.indices", shape, swapped)
                .replace("1.weights", new long[] {nnz}, swappedWeights)
                .bytes();
        assertArrayEquals(
                good,
                ModelFile.toBytes(ModelFile.load(unsorted, "unsorted", CPU)),
                "unsorted connections are sorted together with their weights");
        for (Object[] c : cases) {
            byte[] bad = new FileSurgery(good).replace("1.indices", shape, c[0]).bytes();
            ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(bad, "bad", CPU));
            assertEquals("tensor '1.indices'", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    private static long[] set(long[] values, int index, long value) {
        long[] copy = values.clone();
        copy[index] = value;
        return copy;
    }

    @Test
    void rejectsFilesThatDoNotDescribeTheirTensors() {
        byte[] good = ModelFile.toBytes(Models.plain(CPU, 5));
        int nnz = ((long[]) new FileSurgery(good).tensor("1.indices").data()).length / 2;
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {edit(good, f -> f.remove("1.weights")), "tensor '1.weights'", "missing"});
        cases.add(new Object[] {
            edit(good, f -> f.replace("1.weights", new long[] {nnz + 1}, new float[nnz + 1])),
            "tensor '1.weights'",
            "expected F32 [" + nnz + "]"
        });
        cases.add(new Object[] {
            edit(good, f -> f.replace("1.bias", new long[] {20}, new long[20])),
            "tensor '1.bias'",
            "expected F32 [20], got I64 [20]"
        });
        cases.add(new Object[] {
            edit(good, f -> f.replace("1.indices", new long[] {nnz, 2}, new long[2 * nnz])),
            "tensor '1.indices'",
            "expected I64 [2, nnz]"
        });
        cases.add(new Object[] {
            edit(good, f -> f.replace("extra", new long[] {1}, new float[1])),
            "tensor 'extra'",
            "no layer of the model description claims it"
        });
        cases.add(new Object[] {edit(good, f -> f.metadata.remove("format")), "__metadata__.format", "missing"});
        cases.add(new Object[] {
            edit(good, f -> f.metadata.put("format", "sparselinear-model/9")),
            "__metadata__.format",
            "not a format this version reads"
        });
        cases.add(new Object[] {edit(good, f -> f.metadata.remove("model")), "__metadata__.model", "missing"});
        cases.add(new Object[] {
            edit(good, f -> f.metadata.put("model", "{\"class\":")), "__metadata__.model", "invalid JSON"
        });
        cases.add(new Object[] {
            model(good, "\"in_features\":12", "\"in_features\":-12"),
            "layer 1 (SparseLinear)",
            "field \"in_features\": expected an integer in [1, 2147483647], got -12"
        });
        cases.add(new Object[] {
            model(good, "\"in_features\":12", "\"in_features\":\"12\""), "layer 1 (SparseLinear)", "got \"12\""
        });
        cases.add(new Object[] {
            model(good, "\"in_features\":12", "\"in_features\":4"), "tensor '1.indices'", "expected [0, 4)"
        });
        cases.add(new Object[] {
            model(good, "\"bias\":true", "\"bias\":1"), "layer 1 (SparseLinear)", "expected true or false"
        });
        cases.add(new Object[] {
            model(good, "\"nnz\":" + nnz, "\"nnz\":" + (nnz + 1)), "layer 1 (SparseLinear)", "field \"nnz\""
        });
        cases.add(new Object[] {
            model(good, "\"class\":\"ReLU\"", "\"class\":\"Conv2d\""), "layer 3 (Conv2d)", "unknown layer kind"
        });
        cases.add(new Object[] {
            model(good, "\"class\":\"LayerNorm\",\"features\":20", "\"class\":\"LayerNorm\""),
            "layer 2 (LayerNorm)",
            "field \"features\": missing"
        });
        cases.add(new Object[] {model(good, "\"layers\":[", "\"layers\":[[],"), "layer 0", "expected a JSON object"});
        cases.add(new Object[] {
            model(good, "\"in_features\":12", "\"in_features\":2000000000"),
            "layer 1 (SparseLinear)",
            "bytes of Java heap"
        });
        cases.add(new Object[] {
            model(good, "\"in_features\":12", "\"in_features\":2147483647"),
            "layer 1 (SparseLinear)",
            "bytes of Java heap"
        });
        cases.add(new Object[] {
            new SafeTensors.Writer().addFloats("w", new float[1], 1).toBytes(),
            "__metadata__.format",
            "not written by ModelFile"
        });
        for (Object[] c : cases) {
            ModelFileException e = assertThrows(
                    ModelFileException.class, () -> ModelFile.load((byte[]) c[0], "bad.safetensors", CPU), (String)
                            c[1]);
            assertEquals(c[1], e.field(), e.getMessage());
            assertTrue(e.getMessage().startsWith("bad.safetensors: " + c[1] + ": "), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
        }
    }

    private static byte[] edit(byte[] bytes, Consumer<FileSurgery> change) {
        FileSurgery surgery = new FileSurgery(bytes);
        change.accept(surgery);
        return surgery.bytes();
    }

    /** The file with its model description edited as text (the first match replaced). */
    private static byte[] model(byte[] bytes, String from, String to) {
        return edit(bytes, f -> {
            String json = f.metadata.get("model");
            assertTrue(json.contains(from), json);
            f.metadata.put(
                    "model",
                    json.replaceFirst(
                            java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        });
    }

    @Test
    void inspectSummarisesWithoutBuilding() throws IOException {
        Sequential model = Models.rich(CPU);
        Path file = temp.resolve("inspect.safetensors");
        ModelFile.save(model, file);
        ModelSummary summary = ModelFile.inspect(file);
        assertEquals(ModelFile.FORMAT, summary.format());
        assertEquals(Files.size(file), summary.bytes());
        assertEquals(Parameters.count(model.parameters()), summary.parameters());
        assertEquals(10, summary.rows().size(), "containers are left out, their layers are listed");
        ModelSummary.Row sparse = summary.rows().get(2);
        SparseLinear layer = (SparseLinear) model.layers().get(2);
        assertEquals("2", sparse.name());
        assertEquals(layer.toString(), sparse.description());
        assertEquals(layer.connectivity().sparsity(), sparse.sparsity());
        assertEquals(layer.nnz() + 16L, sparse.parameters());
        assertEquals("6.0", summary.rows().get(6).name());
        String text = summary.toString();
        assertTrue(text.contains("SparseLinear") && text.contains("indices [2, " + layer.nnz() + "] I64"), text);
        assertTrue(summary.training().isEmpty());
    }

    @Test
    void savingReplacesTheFileAndLoadingFailsCleanlyOnMissingFiles() throws IOException {
        Path file = temp.resolve("sub").resolve("twice.safetensors");
        Sequential first = Models.plain(CPU, 1);
        Sequential second = Models.plain(CPU, 2);
        ModelFile.save(first, file);
        ModelFile.save(second, file);
        assertArrayEquals(ModelFile.toBytes(second), Files.readAllBytes(file));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ModelFile.load(temp.resolve("absent"), CPU));
        assertThrows(IOException.class, () -> ModelFile.save(first, temp), "a folder is not a file");
    }

    @Test
    void sequentialSavesAndLoadsItselfOnTheDefaultBackend() throws IOException {
        Sequential model = Models.plain(org.sparselinear.api.Backends.get(), 8);
        Path file = temp.resolve("seq.safetensors");
        model.save(file);
        Sequential loaded = Sequential.load(file);
        assertArrayEquals(ModelFile.toBytes(model), ModelFile.toBytes(loaded));
        Path single = temp.resolve("single.safetensors");
        ModelFile.save(new ReLU(), single);
        ModelFileException e = assertThrows(ModelFileException.class, () -> Sequential.load(single));
        assertTrue(e.getMessage().contains("the saved model is a ReLU, not a Sequential"), e.getMessage());
        assertTrue(ModelFile.load(single) instanceof ReLU);
    }

    @Test
    void aLayerWithoutConnectionsRoundTrips() throws IOException {
        Sequential empty = new Sequential(new SparseLinear(
                2, 2, SparseLinear.options().sparsity(0.9).seed(1).backend(CPU)));
        Layer loaded = ModelFile.load(ModelFile.toBytes(empty), "empty", CPU);
        assertEquals(0, ((SparseLinear) ((Sequential) loaded).layers().get(0)).nnz());
        assertArrayEquals(ModelFile.toBytes(empty), ModelFile.toBytes(loaded));
    }

    @Test
    void saveRefusesAmbiguousCustomParameterNames() {
        Layer twins = new AbstractLayer() {
            final DenseMatrix a = CPU.zeros(1, 2);

            @Override
            public Tensor forward(Tensor input) {
                return input;
            }

            @Override
            public List<Parameter> parameters() {
                return List.of(new Parameter("w", a), new Parameter("w", a));
            }
        };
        var e = assertThrows(IllegalArgumentException.class, () -> ModelFile.toBytes(twins));
        assertTrue(e.getMessage().contains("two parameters named 'w'"), e.getMessage());
    }
}
