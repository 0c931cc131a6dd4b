package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code text} command on small svmlight files written here: it trains each first layer asked
 * for, prints one table row per model with its parameters and their share of the dense model's,
 * learns a task only the features solve, and writes the same numbers as JSON.
 */
class TextCommandTest {

    private static final int FEATURES = 60;

    @TempDir
    Path temp;

    /** Four classes, each marked by its own group of 15 features, a few present per sample. */
    private Path svmlight(String name, int samples, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < samples; s++) {
            int label = s % 4;
            text.append(label);
            for (int i = 1; i <= 15; i++) {
                if (random.nextInt(4) == 0 || i == 1 + s % 15) {
                    text.append(' ').append(label * 15 + i).append(':').append(0.3 + random.nextInt(3) / 10.0);
                }
            }
            text.append('\n');
        }
        return Files.writeString(temp.resolve(name), text);
    }

    /** {@code text} on these training and test files, without progress bars, with {@code more} options. */
    private static CliHarness.Result runText(Path train, Path test, String... more) {
        String[] args = {"text", "--no-progress", "--train", train.toString(), "--test", test.toString()};
        String[] all = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return CliHarness.run(all);
    }

    @Test
    void comparesTheFirstLayersAndWritesTheirResults() throws IOException {
        Path train = svmlight("train.svm", 400, 1);
        Path test = svmlight("test.svm", 120, 2);
        Path json = temp.resolve("text.json");
        CliHarness.Result result = runText(
                train,
                test,
                "--models",
                "dense,0.5",
                "--hidden",
                "20",
                "--epochs",
                "3",
                "--batch",
                "16",
                "--label-smoothing",
                "0.1",
                "--json",
                json.toString());
        assertEquals(0, result.exitCode(), () -> "stderr: " + result.err());
        String out = result.out();
        long dense = TextModel.denseParameters(FEATURES, 20, 4);
        assertTrue(out.contains("400 training samples") && out.contains("120 test samples"), out);
        assertTrue(
                out.contains(
                        String.format(java.util.Locale.ROOT, "%-22s %,13d %8.1f %%", "Linear (dense)", dense, 100.0)),
                out);
        assertTrue(out.contains("SparseLinear 50 %"), out);
        Map<?, ?> record = CliHarness.readRecord(json);
        List<?> models = (List<?>) record.get("models");
        assertEquals(2, models.size());
        Map<?, ?> settings = (Map<?, ?>) record.get("settings");
        assertEquals(0.1, ((Number) settings.get("label_smoothing")).doubleValue(), settings.toString());
        assertEquals(TextModel.DENSE_SHARE, ((Number) settings.get("dense_share")).doubleValue(), settings.toString());
        assertTrue(out.contains("50 % of its connections on hidden units connected to every feature"), out);
        assertEquals("Adagrad", settings.get("optimizer"), "the default optimizer");
        assertEquals(
                TextModel.ADAGRAD_LEARNING_RATE,
                ((Number) settings.get("learning_rate")).doubleValue(),
                settings.toString());
        for (Object model : models) {
            Map<?, ?> row = (Map<?, ?>) model;
            double accuracy = ((Number) row.get("final_test_accuracy")).doubleValue();
            assertTrue(accuracy > 80, "four separable classes, chance is 25 %: " + row);
            assertTrue(((Number) row.get("train_samples_per_second")).doubleValue() > 0, row.toString());
        }
        Map<?, ?> sparse = (Map<?, ?>) models.get(1);
        // The sparse first layer keeps half of the 60 x 20 weights; the rest of the network is the same.
        assertEquals(dense - FEATURES * 20 / 2, ((Number) sparse.get("parameters")).longValue());
    }

    @Test
    void trainsWithAdamAtItsOwnDefaultLearningRate() throws IOException {
        Path train = svmlight("train.svm", 400, 1);
        Path test = svmlight("test.svm", 120, 2);
        Path json = temp.resolve("text.json");
        CliHarness.Result result = runText(
                train,
                test,
                "--models",
                "0.5",
                "--hidden",
                "20",
                "--epochs",
                "6",
                "--batch",
                "16",
                "--optimizer",
                "adam",
                "--json",
                json.toString());
        assertEquals(0, result.exitCode(), () -> "stderr: " + result.err());
        Map<?, ?> record = CliHarness.readRecord(json);
        Map<?, ?> settings = (Map<?, ?>) record.get("settings");
        assertEquals("Adam", settings.get("optimizer"), settings.toString());
        assertEquals(
                TextModel.LEARNING_RATE, ((Number) settings.get("learning_rate")).doubleValue(), settings.toString());
        Map<?, ?> row = (Map<?, ?>) ((List<?>) record.get("models")).get(0);
        assertTrue(((Number) row.get("final_test_accuracy")).doubleValue() > 80, "chance is 25 %: " + row);
    }

    @Test
    void readsATestFileWithFeaturesBeyondTheTrainingFilesAtTheWiderWidth() throws IOException {
        Path train = svmlight("train.svm", 200, 1);
        Path test = temp.resolve("test.svm");
        Files.writeString(test, Files.readString(svmlight("part.svm", 60, 2)) + "2 31:0.5 75:1\n");
        CliHarness.Result result =
                runText(train, test, "--models", "dense", "--hidden", "8", "--epochs", "1", "--batch", "16");
        assertEquals(0, result.exitCode(), () -> "stderr: " + result.err());
        assertTrue(
                result.out().contains("61 test samples; 75 features")
                        && result.out()
                                .contains("(features up to index 75, beyond the training file's " + FEATURES
                                        + ": both read with 75 features)"),
                result.out());
        long dense = TextModel.denseParameters(75, 8, 4);
        assertTrue(
                result.out().contains(String.format(java.util.Locale.ROOT, "%-22s %,13d", "Linear (dense)", dense)),
                result.out());
    }

    @Test
    void badModelsAndMissingFilesAreBadInput() throws IOException {
        CliHarness.Result result = CliHarness.run("text", "--models", "dense,1.5");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("a sparsity must be in [0, 1), got 1.5"), result.err());
        result = CliHarness.run("text", "--label-smoothing", "1");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--label-smoothing must be in [0, 1), got 1.0"), result.err());
        result = CliHarness.run("text", "--dense-share", "1.5");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--dense-share must be in [0, 1], got 1.5"), result.err());
        result = CliHarness.run("text", "--optimizer", "sgd");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--optimizer: text trains with adam or adagrad, got sgd"), result.err());
        Path missing = temp.resolve("missing.svm");
        result = CliHarness.run("text", "--train", missing.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains(missing + ": no such file"), result.err());
        Path lone = svmlight("lone.svm", 30, 1);
        result = CliHarness.run("text", "--train", lone.toString());
        assertEquals(2, result.exitCode());
        assertTrue(
                result.err()
                        .contains("without --test, the test set is the test.svm.gz next to the training file, and "
                                + lone.toAbsolutePath().resolveSibling("test.svm.gz")
                                + " does not exist; give --test FILE"),
                result.err());
    }
}
