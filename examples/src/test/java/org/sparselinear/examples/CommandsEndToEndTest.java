package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small real runs of the commands on the shipped data, on the default backend. */
class CommandsEndToEndTest {

    @TempDir
    Path temp;

    @Test
    void trainWritesAValidRecord() throws IOException {
        Path out = temp.resolve("records").resolve("run.json");
        CliHarness.Result result = CliHarness.run(
                "train",
                "--no-progress",
                "--model",
                "sparse",
                "--sparsity",
                "0.8",
                "--hidden",
                "32",
                "--epochs",
                "2",
                "--limit",
                "256",
                "--batch",
                "32",
                "--seed",
                "7",
                "--data",
                CliHarness.shippedData().toString(),
                "--out",
                out.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("epoch 2/2"), result.out());
        assertTrue(result.out().contains("wrote " + out), result.out());
        try (Stream<Path> files = Files.list(out.getParent())) {
            assertEquals(List.of(out), files.toList(), "no temporary file is left behind");
        }

        Map<?, ?> record = CliHarness.readRecord(out);
        assertEquals(TrainCommand.FORMAT, record.get("format"));
        assertEquals("complete", record.get("status"));
        assertEquals(CliHarness.NOW.toString(), record.get("started"));
        Map<?, ?> config = (Map<?, ?>) record.get("config");
        assertEquals("sparse", config.get("model"));
        assertEquals(0.8, config.get("sparsity"));
        assertEquals(32L, config.get("hidden"));
        assertEquals(2L, config.get("epochs"));
        assertEquals(0.1, config.get("learning_rate"), "the sparse model's default learning rate");
        assertEquals(0.9, config.get("momentum"));
        assertEquals(32L, config.get("batch_size"));
        assertEquals(7L, config.get("seed"));
        assertEquals(256L, config.get("limit"));
        Map<?, ?> data = (Map<?, ?>) record.get("data");
        assertEquals(256L, data.get("train_samples"));
        assertEquals(256L, data.get("test_samples"));
        assertEquals(10L, data.get("classes"));
        Map<?, ?> backend = (Map<?, ?>) record.get("backend");
        assertTrue(backend.get("name") instanceof String name && !name.isEmpty());
        assertTrue((Long) record.get("parameters") > 0);

        List<?> epochs = (List<?>) record.get("epochs");
        assertEquals(2, epochs.size());
        for (int i = 0; i < epochs.size(); i++) {
            Map<?, ?> epoch = (Map<?, ?>) epochs.get(i);
            assertEquals(i + 1L, epoch.get("epoch"));
            assertEquals(256L, epoch.get("train_samples"), "8 whole batches of 32");
            assertEquals(256L, epoch.get("test_samples"), "every test sample is evaluated");
            for (String key : List.of("train_loss", "test_loss")) {
                double loss = (Double) epoch.get(key);
                assertTrue(loss > 0 && Double.isFinite(loss), key + " = " + loss);
            }
            for (String key : List.of("train_accuracy", "test_accuracy")) {
                double accuracy = (Double) epoch.get(key);
                assertTrue(accuracy >= 0 && accuracy <= 100, key + " = " + accuracy);
            }
            assertTrue((Double) epoch.get("train_seconds") > 0, "time comes from the (fake) clock");
        }
        Map<?, ?> last = (Map<?, ?>) epochs.get(1);
        assertEquals(last.get("test_accuracy"), record.get("final_test_accuracy"));
        assertTrue((Double) last.get("test_accuracy") > 30, "two epochs on 256 digits learn something: " + last);
    }

    @Test
    void trainIsReproducibleWithTheSameSeed() throws IOException {
        String[] args = {
            "train",
            "--no-progress",
            "--model",
            "dense",
            "--hidden",
            "16",
            "--epochs",
            "1",
            "--limit",
            "128",
            "--batch",
            "16",
            "--seed",
            "3",
            "--data",
            CliHarness.shippedData().toString(),
            "--out",
            ""
        };
        Path first = temp.resolve("a.json");
        Path second = temp.resolve("b.json");
        args[args.length - 1] = first.toString();
        assertEquals(0, CliHarness.run(args).exitCode());
        args[args.length - 1] = second.toString();
        assertEquals(0, CliHarness.run(args).exitCode());
        Map<?, ?> a = CliHarness.readRecord(first);
        Map<?, ?> b = CliHarness.readRecord(second);
        assertEquals(a.get("epochs"), b.get("epochs"));
    }

    @Test
    void divergingTrainingStopsWithOneLineAndAFailedRecord() throws IOException {
        Path out = temp.resolve("diverged.json");
        CliHarness.Result result = CliHarness.run(
                "train",
                "--no-progress",
                "--model",
                "dense",
                "--lr",
                "1e30",
                "--hidden",
                "16",
                "--epochs",
                "2",
                "--limit",
                "256",
                "--data",
                CliHarness.shippedData().toString(),
                "--out",
                out.toString());
        assertEquals(1, result.exitCode(), result.err());
        String err = result.err().strip();
        assertTrue(err.startsWith("sparselinear train: training diverged at step ") && !err.contains("\n"), err);
        assertTrue(err.contains("the loss is ") && err.contains("Lower the learning rate"), err);
        assertTrue(err.contains("(epoch 1/2)") || err.contains("(epoch 2/2)"), "names the epoch: " + err);
        Map<?, ?> record = CliHarness.readRecord(out);
        assertEquals("failed", record.get("status"));
        assertEquals(err.substring("sparselinear train: ".length()), record.get("error"));
    }

    @Test
    void demoPrintsEpochsAndTheComparisonTable() {
        CliHarness.Result result = CliHarness.run(
                "demo",
                "--no-progress",
                "--epochs",
                "1",
                "--limit",
                "192",
                "--data",
                CliHarness.shippedData().toString());
        assertEquals(0, result.exitCode(), result.err());
        String out = result.out();
        assertTrue(out.contains("dense model, 1,594,010 parameters"), out);
        assertTrue(out.contains("sparse model, "), out);
        assertTrue(out.contains("epoch 1/1"), out);
        assertTrue(out.contains("model      parameters   test acc %    s/epoch"), out);
        assertTrue(out.contains("sparse/dense parameters: "), out);
    }

    @Test
    void regressionLossesFall() {
        CliHarness.Result result = CliHarness.run("regression", "--steps", "30", "--every", "10");
        assertEquals(0, result.exitCode(), result.out() + result.err());
        List<double[]> losses = printedLosses(result.out());
        assertEquals(
                List.of(1.0, 10.0, 20.0, 30.0),
                losses.stream().map(row -> row[0]).toList(),
                result.out());
        for (int model = 1; model <= 2; model++) {
            for (int i = 1; i < losses.size(); i++) {
                assertTrue(
                        losses.get(i)[model] < losses.get(i - 1)[model],
                        (model == 1 ? "dense" : "sparse") + " loss falls from each printed step to the next:\n"
                                + result.out());
            }
        }
        assertTrue(result.out().contains("the dense loss fell by a factor of"), result.out());
        assertTrue(result.out().contains("the sparse loss fell by a factor of"), result.out());
    }

    /** Step, dense loss and sparse loss of each line "step N  dense model loss: X; sparse model loss: Y". */
    private static List<double[]> printedLosses(String out) {
        Matcher line = Pattern.compile("step +(\\d+)  dense model loss: (\\S+); sparse model loss: (\\S+)")
                .matcher(out);
        List<double[]> rows = new ArrayList<>();
        while (line.find()) {
            rows.add(new double[] {
                Double.parseDouble(line.group(1)), Double.parseDouble(line.group(2)), Double.parseDouble(line.group(3))
            });
        }
        return rows;
    }

    @Test
    void backendsListsAndSelects() {
        CliHarness.Result result = CliHarness.run("backends");
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("cpu"), result.out());
        assertTrue(result.out().contains("selected: "), result.out());
    }
}
