package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.SafeTensors;

/** {@code train --save/--resume} and {@code inspect}: bit-identical resumption, the last good checkpoint, clear errors. */
class CheckpointCommandsTest {

    @TempDir
    Path temp;

    private static String[] train(String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--no-progress",
                "--model",
                "sparse",
                "--sparsity",
                "0.8",
                "--hidden",
                "24",
                "--limit",
                "192",
                "--batch",
                "32",
                "--seed",
                "5",
                "--data",
                CliHarness.shippedData().toString()));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    /** Every tensor of a safetensors file, by name, as float or long arrays. */
    private static List<String> tensors(Path file) throws IOException {
        List<String> described = new ArrayList<>();
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            for (SafeTensors.TensorInfo info : contents.tensors()) {
                String data = info.dtype() == SafeTensors.DType.F32
                        ? Arrays.toString(contents.floats(info))
                        : Arrays.toString(contents.longs(info));
                described.add(info + " " + data);
            }
        }
        return described;
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
        Path straight = temp.resolve("straight.safetensors");
        Path half = temp.resolve("half.safetensors");
        Path resumed = temp.resolve("resumed.safetensors");
        CliHarness.Result a = CliHarness.run(train(
                "--epochs",
                "2",
                "--save",
                straight.toString(),
                "--out",
                temp.resolve("a.json").toString()));
        assertEquals(0, a.exitCode(), a.err());
        assertTrue(a.out().contains("checkpoint " + straight + " (after epoch 2)"), a.out());
        CliHarness.Result b = CliHarness.run(train(
                "--epochs",
                "1",
                "--save",
                half.toString(),
                "--out",
                temp.resolve("b.json").toString()));
        assertEquals(0, b.exitCode(), b.err());
        CliHarness.Result c = CliHarness.run(
                "train",
                "--no-progress",
                "--resume",
                half.toString(),
                "--epochs",
                "2",
                "--data",
                CliHarness.shippedData().toString(),
                "--save",
                resumed.toString(),
                "--out",
                temp.resolve("c.json").toString());
        assertEquals(0, c.exitCode(), c.err());
        assertTrue(c.out().contains("resumed from " + half + " after epoch 1 (step 6)"), c.out());
        assertTrue(
                c.out().contains("epoch 2/2") && !c.out().contains("epoch 1/2"), "only epoch 2 is trained: " + c.out());

        assertEquals(tensors(straight), tensors(resumed), "weights, connections and momentum agree to the bit");
        assertEquals(
                Checkpoint.read(straight).progress(), Checkpoint.read(resumed).progress());
        Map<?, ?> record = CliHarness.readRecord(temp.resolve("c.json"));
        assertEquals("complete", record.get("status"));
        assertEquals(2, ((List<?>) record.get("epochs")).size(), "the saved epoch and the new one");
        Map<?, ?> first = CliHarness.readRecord(temp.resolve("a.json"));
        assertEquals(
                ((Map<?, ?>) ((List<?>) first.get("epochs")).get(1)).get("test_accuracy"),
                record.get("final_test_accuracy"));
    }

    @Test
    void inspectPrintsLayersShapesSparsityAndParameters() throws IOException {
        Path file = checkpointAfterOneEpoch("model.safetensors");
        CliHarness.Result result = CliHarness.run("inspect", file.toString());
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        long parameters = ModelFile.inspect(file).parameters();
        Map<?, ?> record = CliHarness.readRecord(temp.resolve("run.json"));
        assertEquals(record.get("parameters"), parameters);
        assertTrue(out.contains(String.format("%,d parameters", parameters)), out);
        assertTrue(out.contains(Checkpoint.FORMAT), out);
        assertTrue(out.contains("SparseLinear(in_features=784, out_features=24, bias=true, sparsity=0.8"), out);
        assertTrue(out.contains("indices [2, 3763] I64, weights [3763] F32, bias [24] F32"), out);
        assertTrue(out.contains("0.8000"), "the sparsity column: " + out);
        assertTrue(out.contains("LayerNorm((24,)"), out);
        assertTrue(out.contains("progress: {\"completed_epochs\":1"), out);
        assertTrue(out.contains("tensor data: CRC32C checksums verified; all float values finite"), out);
    }

    @Test
    void inspectReportsDamagedWeightsNonFiniteValuesAndImpossibleProgress() throws IOException {
        Path file = checkpointAfterOneEpoch("model.safetensors");
        byte[] good = Files.readAllBytes(file);
        byte[] flipped = good.clone();
        flipped[flipped.length - 2] ^= 0x04;
        byte[] negative = rewrite(
                good, checkpoint -> checkpoint.replace("\"completed_epochs\":1", "\"completed_epochs\":-1"), "");
        byte[] nan = rewrite(good, checkpoint -> checkpoint, "1.weights");
        String[][] cases = {
            {"flipped", "CRC32C"},
            {"negative", "progress: field \"completed_epochs\": expected an integer >= 0, got -1"},
            {"nan", "is NaN"},
        };
        Map<String, byte[]> files = Map.of("flipped", flipped, "negative", negative, "nan", nan);
        for (String[] c : cases) {
            Path bad = Files.write(temp.resolve(c[0] + ".safetensors"), files.get(c[0]));
            CliHarness.Result result = CliHarness.run("inspect", bad.toString());
            assertEquals(2, result.exitCode(), c[0] + ": " + result.err());
            String err = result.err().strip();
            assertTrue(err.startsWith("sparselinear inspect: not a valid model file: " + bad + ": "), err);
            assertTrue(err.contains(c[1]), c[0] + ": " + err);
            assertFalse(err.contains("\n"), err);
        }
    }

    /** {@code file} written again with its checkpoint entry changed and the first value of tensor {@code nan} NaN. */
    private static byte[] rewrite(byte[] file, UnaryOperator<String> checkpoint, String nan) throws IOException {
        try (SafeTensors.Contents contents = SafeTensors.read(file, "good")) {
            SafeTensors.Writer writer = new SafeTensors.Writer();
            contents.metadata().forEach(writer::metadata);
            writer.metadata("checkpoint", checkpoint.apply(contents.metadata().get("checkpoint")));
            for (SafeTensors.TensorInfo info : contents.tensors()) {
                if (info.dtype() == SafeTensors.DType.F32) {
                    float[] values = contents.floats(info);
                    if (info.name().equals(nan)) {
                        values[0] = Float.NaN;
                    }
                    writer.addFloats(info.name(), values, info.shape());
                } else {
                    writer.addLongs(info.name(), contents.longs(info), info.shape());
                }
            }
            return writer.toBytes();
        }
    }

    @Test
    void inspectReportsABadFileAsBadInput() throws IOException {
        Path file = checkpointAfterOneEpoch("cut.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
        CliHarness.Result result = CliHarness.run("inspect", file.toString());
        assertEquals(2, result.exitCode(), result.err());
        String err = result.err().strip();
        assertTrue(err.startsWith("sparselinear inspect: not a valid model file: " + file + ": "), err);
        assertTrue(err.contains("data_offsets") || err.contains("data section"), err);
        assertFalse(err.contains("\n"), err);
        CliHarness.Result missing =
                CliHarness.run("inspect", temp.resolve("absent").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void resumeRejectsConflictingSettingsAndBadFiles() throws IOException {
        Path file = checkpointAfterOneEpoch("one.safetensors");
        String data = CliHarness.shippedData().toString();
        CliHarness.Result hidden =
                CliHarness.run("train", "--resume", file.toString(), "--hidden", "32", "--epochs", "2", "--data", data);
        assertEquals(2, hidden.exitCode(), hidden.err());
        assertTrue(hidden.err().contains("--hidden 32 differs from the saved 24"), hidden.err());
        CliHarness.Result done = CliHarness.run(
                "train",
                "--resume",
                file.toString(),
                "--epochs",
                "1",
                "--data",
                data,
                "--out",
                temp.resolve("x.json").toString());
        assertEquals(2, done.exitCode(), done.err());
        assertTrue(done.err().contains("completed 1 epochs already"), done.err());
        Path model = temp.resolve("model.safetensors");
        ModelFile.save(Checkpoint.read(file).buildModel(org.sparselinear.api.Backends.get()), model);
        CliHarness.Result notCheckpoint =
                CliHarness.run("train", "--resume", model.toString(), "--epochs", "2", "--data", data);
        assertEquals(2, notCheckpoint.exitCode(), notCheckpoint.err());
        assertTrue(notCheckpoint.err().contains("this is a model file"), notCheckpoint.err());
        CliHarness.Result sameFile = CliHarness.run(train(
                "--save",
                temp.resolve("r.json").toString(),
                "--out",
                temp.resolve("r.json").toString()));
        assertEquals(2, sameFile.exitCode(), sameFile.err());
        assertTrue(sameFile.err().contains("must be a file other than the run record"), sameFile.err());
    }

    @Test
    void aDivergingRunKeepsTheLastGoodCheckpoint() throws IOException {
        Path file = checkpointAfterOneEpoch("good.safetensors");
        CliHarness.Result result = CliHarness.run(
                "train",
                "--no-progress",
                "--resume",
                file.toString(),
                "--epochs",
                "4",
                "--lr",
                "1e38",
                "--save",
                file.toString(),
                "--data",
                CliHarness.shippedData().toString(),
                "--out",
                temp.resolve("diverged.json").toString());
        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().contains("note: --lr 1.0E38 replaces the checkpoint's 0.1"), result.out());
        String err = result.err().strip();
        Matcher step = Pattern.compile(
                        "training diverged at step (\\d+) \\(epoch \\d+/4\\): the loss is \\S+; the first layer whose output "
                                + "is not finite is layer \\d+ \\(")
                .matcher(err);
        assertTrue(step.find(), err);
        assertTrue(Integer.parseInt(step.group(1)) > 6, "after the 6 steps of the saved epoch: " + err);
        Matcher kept = Pattern.compile("(the last good checkpoint, after epoch (\\d+), is kept in|the last good "
                        + "checkpoint is still) " + Pattern.quote(file.toString()))
                .matcher(err);
        assertTrue(kept.find(), err);
        int epoch = kept.group(2) != null ? Integer.parseInt(kept.group(2)) : 1;
        Checkpoint good = Checkpoint.read(file);
        assertEquals(epoch, good.progress().completedEpochs(), "the file is the last good checkpoint");
        for (float value : good.buildModel(org.sparselinear.api.Backends.get())
                .parameters()
                .get(0)
                .toArray()) {
            assertTrue(Float.isFinite(value), "its weights are finite");
        }
        Map<?, ?> record = CliHarness.readRecord(temp.resolve("diverged.json"));
        assertEquals("failed", record.get("status"));
    }

    /** Trains one epoch with {@code --save temp/NAME}, recording to {@code run.json}; the checkpoint's path. */
    private Path checkpointAfterOneEpoch(String name) {
        Path file = temp.resolve(name);
        CliHarness.Result run = CliHarness.run(train(
                "--epochs",
                "1",
                "--save",
                file.toString(),
                "--out",
                temp.resolve("run.json").toString()));
        assertEquals(0, run.exitCode(), run.err());
        return file;
    }
}
