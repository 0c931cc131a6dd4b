package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Connectivity;

/** The experiments command on a tiny budget: every model trains, the table, the record and the pictures come out. */
class ExperimentsCommandTest {

    @TempDir
    Path temp;

    private static final List<String> MODELS =
            List.of("dense", "sparse", "user", "rigl", "set", "small-world", "dense-kwinners", "sparse-kwinners");

    @Test
    void runsEveryModelAndWritesTheTableTheRecordAndThePictures() throws IOException {
        Path out = temp.resolve("experiments");
        CliHarness.Result result = CliHarness.run(
                "experiments",
                "--no-progress",
                "--epochs",
                "2",
                "--limit",
                "256",
                "--hidden",
                "32",
                "--batch",
                "32",
                "--connections",
                "8",
                "--rigl-delta-t",
                "3",
                "--data",
                CliHarness.shippedData().toString(),
                "--out",
                out.toString());
        assertEquals(0, result.exitCode(), result.err());
        String text = result.out();
        assertTrue(text.contains("model              parameters  test acc %   s/epoch    rewired"), text);
        for (String model : MODELS) {
            assertTrue(
                    text.lines().anyMatch(line -> line.startsWith(model + " ")),
                    "table row of " + model + ":\n" + text);
        }
        assertTrue(text.contains("budget for every model: 2 epochs x 8 batches of 32 (16 steps)"), text);

        Map<?, ?> record = CliHarness.readRecord(out.resolve("experiments.json"));
        assertEquals(ExperimentsCommand.FORMAT, record.get("format"));
        assertEquals("complete", record.get("status"));
        List<?> models = (List<?>) record.get("models");
        assertEquals(MODELS.size(), models.size());
        for (int i = 0; i < models.size(); i++) {
            Map<?, ?> model = (Map<?, ?>) models.get(i);
            assertEquals(MODELS.get(i), model.get("model"));
            assertEquals(2, ((List<?>) model.get("epochs")).size(), "the same budget for " + model.get("model"));
            assertTrue((Long) model.get("parameters") > 0);
            double accuracy = (Double) model.get("final_test_accuracy");
            assertTrue(accuracy > 15 && accuracy <= 100, model.get("model") + " learns something: " + accuracy);
            assertTrue(((List<?>) model.get("train_loss_trace")).size() >= 2);
            boolean rewires =
                    model.get("model").equals("rigl") || model.get("model").equals("set");
            assertEquals(rewires, (Long) model.get("rewired_connections") > 0, model.get("model") + " rewiring");
        }
        Map<?, ?> dense = (Map<?, ?>) models.get(0);
        Map<?, ?> sparse = (Map<?, ?>) models.get(1);
        assertTrue((Long) sparse.get("parameters") < 0.3 * (Long) dense.get("parameters"));
        Map<?, ?> user = (Map<?, ?>) models.get(2);
        assertEquals(784L * 8, user.get("first_layer_connections"), "each input connected to 8 outputs");

        List<?> pictures = (List<?>) record.get("pictures");
        assertTrue(
                pictures.containsAll(List.of("accuracy.png", "loss.png", "connectivity.png", "curves-rigl.png")),
                pictures.toString());
        assertEquals(3 + MODELS.size(), pictures.size());
        for (Object name : pictures) {
            BufferedImage image = ImageIO.read(out.resolve((String) name).toFile());
            assertNotNull(image, name + " is a PNG");
            assertTrue(image.getWidth() > 300 && image.getHeight() > 200, name + " has a size");
        }
        try (Stream<Path> files = Files.list(out)) {
            List<String> names =
                    new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), "no temporary file is left: " + names);
        }
    }

    @Test
    void badOptionsAreRefusedWithOneLine() {
        CliHarness.Result unknown = CliHarness.run(
                "experiments",
                "--models",
                "dense,lottery",
                "--data",
                CliHarness.shippedData().toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown model 'lottery'"), unknown.err());
        CliHarness.Result split = CliHarness.run("experiments", "--layer-sparsity", "random");
        assertEquals(2, split.exitCode());
        assertTrue(split.err().contains("uniform or erk"), split.err());
        CliHarness.Result alpha = CliHarness.run("experiments", "--rigl-alpha", "0");
        assertEquals(2, alpha.exitCode());
    }

    @Test
    void userConnectionsGiveEachInputDistinctOutputs() {
        Experiment.Settings settings =
                new Experiment.Settings(784, 50, 10, new double[] {0.9, 0.9}, 20, 0.35, 10, 100, 0.3, 0.3, 7, null);
        int[][] indices = Experiment.userConnections(settings);
        Connectivity connectivity = Connectivity.fromCoo(50, 784, indices);
        assertEquals(784 * 20, connectivity.nnz(), "no duplicates were merged away");
        int[] perInput = new int[784];
        for (int column : connectivity.columnIndices()) {
            perInput[column]++;
        }
        for (int input = 0; input < 784; input++) {
            assertEquals(20, perInput[input], "input " + input);
        }
    }

    @Test
    void addedCountsTheNewPositions() {
        Connectivity old = Connectivity.fromCoo(2, 4, new int[][] {{0, 0, 1}, {0, 2, 3}});
        Connectivity now = Connectivity.fromCoo(2, 4, new int[][] {{0, 0, 1}, {1, 2, 0}});
        assertEquals(2, ExperimentRun.added(old, now));
        assertEquals(0, ExperimentRun.added(old, old));
    }
}
