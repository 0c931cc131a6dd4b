package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Flatten;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.spi.Bfloat16;

/** {@code evaluate FILE --data ...} prints the accuracy a hand computation of the saved model gives. */
class EvaluateCommandTest {

    private static final int FEATURES = 4;
    private static final int CLASSES = 3;
    private static final int SAMPLES = 40;

    @TempDir
    Path temp;

    @Test
    void evaluateReportsTheAccuracyOfTheSavedModelOnAnSvmlightFile() throws IOException {
        Linear model = new Linear(FEATURES, CLASSES, true, 12);
        float[] w = model.parameters().get(0).toArray();
        float[] b = model.parameters().get(1).toArray();
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(model, file);

        Path data = temp.resolve("test.svm");
        float[][] samples = writeSamples(data);
        int correct = 0;
        int inTop2 = 0;
        for (int s = 0; s < SAMPLES; s++) {
            int larger = largerLogits(w, b, samples[s], s % CLASSES);
            correct += larger == 0 ? 1 : 0;
            inTop2 += larger < 2 ? 1 : 0;
        }

        CliHarness.Result result =
                CliHarness.run("evaluate", file.toString(), "--data", data.toString(), "--top-k", "2");

        assertEquals(0, result.exitCode(), result.err());
        Matcher m = Pattern.compile("\\(40 samples\\): loss (\\S+), accuracy (\\S+) %, top-2 accuracy (\\S+) %")
                .matcher(result.out());
        assertTrue(m.find(), result.out());
        assertEquals(String.format(Locale.ROOT, "%.2f", 100.0 * correct / SAMPLES), m.group(2));
        assertEquals(String.format(Locale.ROOT, "%.2f", 100.0 * inTop2 / SAMPLES), m.group(3));
        assertTrue(Double.parseDouble(m.group(1)) > 0, result.out());
    }

    @Test
    void bf16PrintsTheAccuracyOfTheRoundedWeightsBesideTheFloat32One() throws IOException {
        SparseLinear layer = new SparseLinear(
                FEATURES, CLASSES, SparseLinear.options().sparsity(0.25).seed(5));
        float[][] dense = layer.weight().toDense();
        float[] w = new float[CLASSES * FEATURES];
        for (int o = 0; o < CLASSES; o++) {
            for (int i = 0; i < FEATURES; i++) {
                w[o * FEATURES + i] = Bfloat16.round(dense[o][i]);
            }
        }
        float[] b = layer.parameters().get(1).toArray();
        Path file = temp.resolve("sparse.safetensors");
        new Sequential(layer).save(file);
        Path data = temp.resolve("test.svm");
        float[][] samples = writeSamples(data);
        int correct = 0;
        for (int s = 0; s < SAMPLES; s++) {
            correct += largerLogits(w, b, samples[s], s % CLASSES) == 0 ? 1 : 0;
        }

        CliHarness.Result result = CliHarness.run("evaluate", file.toString(), "--data", data.toString(), "--bf16");

        assertEquals(0, result.exitCode(), result.err());
        Matcher m = Pattern.compile("bfloat16 sparse weights \\(16 bits each\\): accuracy (\\S+) % against (\\S+) %")
                .matcher(result.out());
        assertTrue(m.find(), result.out());
        assertEquals(String.format(Locale.ROOT, "%.2f", 100.0 * correct / SAMPLES), m.group(1));
    }

    @Test
    void bf16OfASingleDenseLayerIsAUsageError() throws IOException {
        Path file = temp.resolve("linear.safetensors");
        ModelFile.save(new Linear(FEATURES, CLASSES, true, 12), file);
        Path data = temp.resolve("test.svm");
        writeSamples(data);

        CliHarness.Result result = CliHarness.run("evaluate", file.toString(), "--data", data.toString(), "--bf16");

        assertEquals(2, result.exitCode(), result.out());
        assertTrue(result.err().contains("--bf16 compresses a Sequential model"), result.err());
    }

    @Test
    void bf16SaysWhyItComparesNothingForADenseModelOrASparseLayerInAResidual() throws IOException {
        Path data = temp.resolve("test.svm");
        writeSamples(data);
        Path dense = temp.resolve("dense.safetensors");
        new Sequential(new Linear(FEATURES, CLASSES, true, 12)).save(dense);
        Path residual = temp.resolve("residual.safetensors");
        new Sequential(
                        new Linear(FEATURES, FEATURES, true, 4),
                        new org.sparselinear.nn.Residual(new SparseLinear(
                                FEATURES,
                                FEATURES,
                                SparseLinear.options().sparsity(0.5).seed(2))),
                        new Linear(FEATURES, CLASSES, true, 3))
                .save(residual);
        Path residualFirst = temp.resolve("residual-first.safetensors");
        new Sequential(new org.sparselinear.nn.Residual(new Linear(FEATURES, FEATURES, true, 5))).save(residualFirst);

        CliHarness.Result noSparse = CliHarness.run("evaluate", dense.toString(), "--data", data.toString(), "--bf16");
        CliHarness.Result inResidual =
                CliHarness.run("evaluate", residual.toString(), "--data", data.toString(), "--bf16");

        assertEquals(0, noSparse.exitCode(), noSparse.err());
        assertTrue(noSparse.out().contains("accuracy"), "the float32 result is printed: " + noSparse.out());
        assertTrue(
                noSparse.out().contains("bfloat16: nothing to compare, the model has no SparseLinear layer"),
                noSparse.out());
        assertEquals(0, inResidual.exitCode(), inResidual.err());
        assertTrue(inResidual.out().contains("accuracy"), "the float32 result is printed: " + inResidual.out());
        assertTrue(
                inResidual.out().contains("bfloat16: not compared: compressForInference: ")
                        && inResidual.out().contains("sits in a Residual"),
                inResidual.out());
        // sparse svmlight batches into a first layer that cannot take them: bad input, said in one line
        CliHarness.Result sparseIntoResidual =
                CliHarness.run("evaluate", residualFirst.toString(), "--data", data.toString());
        assertEquals(2, sparseIntoResidual.exitCode(), sparseIntoResidual.err());
        assertTrue(
                sparseIntoResidual.err().contains("the model does not fit " + data + ": this input is a sparse batch"),
                sparseIntoResidual.err());
    }

    /** Writes {@value #SAMPLES} random samples to an svmlight file, sample {@code s} of class {@code s % 3}; returns their features. */
    private static float[][] writeSamples(Path data) throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder svm = new StringBuilder();
        float[][] samples = new float[SAMPLES][FEATURES];
        for (int s = 0; s < SAMPLES; s++) {
            svm.append(s % CLASSES); // every class appears, so the file's classes are 0, 1, 2
            for (int i = 0; i < FEATURES; i++) {
                samples[s][i] = (float) random.nextDouble(-1, 1);
                svm.append(' ').append(i + 1).append(':').append(samples[s][i]);
            }
            svm.append('\n');
        }
        Files.writeString(data, svm);
        return samples;
    }

    /** How many classes score higher than {@code label} under {@code y = W x + b} ({@code W} row-major {@code (3, 4)}). */
    private static int largerLogits(float[] w, float[] b, float[] x, int label) {
        double[] logits = new double[CLASSES];
        for (int o = 0; o < CLASSES; o++) {
            logits[o] = b[o];
            for (int i = 0; i < FEATURES; i++) {
                logits[o] += (double) w[o * FEATURES + i] * x[i];
            }
        }
        int larger = 0;
        for (int o = 0; o < CLASSES; o++) {
            larger += logits[o] > logits[label] ? 1 : 0;
        }
        return larger;
    }

    @Test
    void aHeldOutFileNarrowerThanTheModelIsReadAtTheModelsWidth() throws IOException {
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(new Sequential(new Flatten(), new Linear(7, CLASSES, true, 1)), file);
        Path data = temp.resolve("test.svm");
        Files.writeString(data, "0 1:0.5 4:1\n1 2:1\n2 3:1\n"); // reaches feature 4 of the model's 7

        CliHarness.Result result = CliHarness.run("evaluate", file.toString(), "--data", data.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("(3 samples): loss "), result.out());
        assertFalse(result.out().contains("note:"), "every class of the model is in the file: " + result.out());

        Path fewer = temp.resolve("fewer.svm");
        Files.writeString(fewer, "0 1:0.5\n2 3:1\n");
        result = CliHarness.run("evaluate", file.toString(), "--data", fewer.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(
                result.out()
                        .contains("note: " + fewer + " has 2 classes and the model 3 outputs. Its classes are "
                                + "numbered by its own sorted labels"),
                result.out());
    }

    /** {@code train} with {@code data} (the data options and epochs) on a small network, saving {@code checkpoint}. */
    private CliHarness.Result trainAndSave(Path checkpoint, String... data) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--no-progress"));
        args.addAll(java.util.List.of(data));
        args.addAll(java.util.List.of(
                "--hidden",
                "8",
                "--batch",
                "16",
                "--lr",
                "0.1",
                "--save",
                checkpoint.toString(),
                "--out",
                temp.resolve("run.json").toString()));
        return CliHarness.run(args.toArray(String[]::new));
    }

    @Test
    void aCheckpointOfTrainNumbersAHeldOutFilesClassesAsTheTrainingFileDid() throws IOException {
        StringBuilder train = new StringBuilder();
        SplittableRandom random = new SplittableRandom(4);
        for (int s = 0; s < 240; s++) {
            int label = s % 3; // features 1-3 mark class 0, 4-6 class 1, 7-9 class 2
            train.append(label)
                    .append(' ')
                    .append(3 * label + 1 + random.nextInt(3))
                    .append(":1\n");
        }
        Path trainFile = Files.writeString(temp.resolve("train.svm"), train);
        // Classes 0 and 2 only: numbered by its own labels, class 2 would become class 1.
        Path held = Files.writeString(temp.resolve("held.svm"), "0 2:1\n2 8:1\n2 9:1\n0 1:1\n2 7:1\n");
        Path checkpoint = temp.resolve("run.safetensors");
        CliHarness.Result trained =
                trainAndSave(checkpoint, "--data", trainFile.toString(), "--test", held.toString(), "--epochs", "3");
        assertEquals(0, trained.exitCode(), trained.err());
        Matcher last =
                Pattern.compile("epoch 3/3 .* test loss (\\S+) acc +(\\S+) %").matcher(trained.out());
        assertTrue(last.find(), trained.out());

        CliHarness.Result result = CliHarness.run("evaluate", checkpoint.toString(), "--data", held.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(
                result.out().contains("(5 samples): loss " + last.group(1) + ", accuracy " + last.group(2) + " %"),
                "the same numbers as train's test on the same file: " + trained.out() + result.out());
        assertFalse(result.out().contains("note:"), result.out());
        assertEquals(
                java.util.List.of("0", "1", "2"),
                EvaluateCommand.trainingLabels(checkpoint).names());
    }

    @Test
    void modelFilesAndCheckpointsOfEarlierVersionsHaveNoTrainingLabels() throws IOException {
        Path model = temp.resolve("model.safetensors");
        ModelFile.save(new Linear(FEATURES, CLASSES, true, 12), model);
        assertNull(EvaluateCommand.trainingLabels(model));
        // A checkpoint written by version 0.1, before train --save kept the class labels.
        Path old = Path.of("..", "layers", "src", "test", "resources", "fixtures", "v0_1", "sgd.ckpt.safetensors");
        assertTrue(Files.isRegularFile(old), old.toAbsolutePath().toString());
        assertNull(EvaluateCommand.trainingLabels(old));
    }

    @Test
    void aFileWiderThanTheModelIsAUsageErrorNamingTheLine() throws IOException {
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(new Linear(7, CLASSES, true, 1), file);
        Path data = temp.resolve("test.svm");
        Files.writeString(data, "0 1:0.5 4:1\n1 2:1 9:1\n2 3:1\n");

        CliHarness.Result result = CliHarness.run("evaluate", file.toString(), "--data", data.toString());

        assertEquals(2, result.exitCode(), result.out());
        assertTrue(result.err().contains(data + ":2: feature index 9 is beyond the 7 features given"), result.err());
    }

    @Test
    void theModelsInputsAndOutputsAreThoseOfItsFirstAndLastWeightedLayers() {
        assertEquals(7, EvaluateCommand.inputFeatures(new Linear(7, CLASSES, true, 1)));
        assertEquals(
                5,
                EvaluateCommand.inputFeatures(new Sequential(
                        new Flatten(),
                        new Sequential(new SparseLinear(
                                5, 4, SparseLinear.options().sparsity(0.5).seed(1))),
                        new ReLU(),
                        new Linear(4, 2, true, 1))));
        assertEquals(0, EvaluateCommand.inputFeatures(new Sequential(new ReLU(), new Linear(4, 2, true, 1))));
        assertEquals(
                2,
                EvaluateCommand.outputFeatures(
                        new Sequential(new Flatten(), new Linear(4, 2, true, 1), new Sequential(new ReLU()))));
        assertEquals(0, EvaluateCommand.outputFeatures(new Sequential(new ReLU())));
    }

    @Test
    void aMissingModelFileIsAUsageError() {
        CliHarness.Result result =
                CliHarness.run("evaluate", temp.resolve("none.safetensors").toString());
        assertEquals(2, result.exitCode(), result.out());
        assertTrue(result.err().contains("no such file"), result.err());
    }

    @Test
    void aCheckpointOfACsvRunReadsAHeldOutCsvFileAsTrainingReadItsFile() throws IOException {
        // The label is the first column, named "kind", and fields are separated by semicolons.
        StringBuilder train = new StringBuilder("kind;f0;f1;f2\n");
        SplittableRandom random = new SplittableRandom(6);
        String[] kinds = {"apple", "pear", "plum"};
        for (int s = 0; s < 240; s++) {
            int label = s % 3;
            train.append(kinds[label]);
            for (int f = 0; f < 3; f++) {
                train.append(';').append(f == label ? 2 + random.nextInt(3) : random.nextInt(2));
            }
            train.append('\n');
        }
        Path trainFile = Files.writeString(temp.resolve("train.csv"), train);
        Path held = Files.writeString(temp.resolve("held.csv"), "kind;f0;f1;f2\nplum;0;1;4\napple;3;0;1\npear;0;4;0\n");
        Path checkpoint = temp.resolve("run.safetensors");
        CliHarness.Result trained = trainAndSave(
                checkpoint,
                "--data",
                trainFile.toString(),
                "--validation-split",
                "0.2",
                "--label-column",
                "kind",
                "--delimiter",
                ";",
                "--epochs",
                "2");
        assertEquals(0, trained.exitCode(), trained.err());

        CliHarness.Result result = CliHarness.run("evaluate", checkpoint.toString(), "--data", held.toString());

        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("on " + held + " (3 samples)"), result.out());
        // The training file's columns in another order: refused, since columns are matched by position.
        Path swapped = Files.writeString(temp.resolve("swapped.csv"), "kind;f1;f0;f2\nplum;0;1;4\n");
        CliHarness.Result reordered = CliHarness.run("evaluate", checkpoint.toString(), "--data", swapped.toString());
        assertEquals(2, reordered.exitCode(), reordered.out());
        assertTrue(
                reordered
                        .err()
                        .contains(swapped + ":1: the header names the columns [kind, f1, f0, f2], the training "
                                + "file's [kind, f0, f1, f2]"),
                reordered.err());
        // A label column given on the command line wins over the checkpoint's.
        CliHarness.Result other =
                CliHarness.run("evaluate", checkpoint.toString(), "--data", held.toString(), "--label-column", "f2");
        assertEquals(2, other.exitCode(), other.out());
        assertTrue(other.err().contains("column 'f2'"), other.err());
    }

    @Test
    void withoutDataAModelOfAnotherWidthThanMnistIsAUsageErrorAskingForData() throws IOException {
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(new Linear(7, CLASSES, true, 1), file);

        CliHarness.Result result = CliHarness.run("evaluate", file.toString());

        assertEquals(2, result.exitCode(), result.out());
        assertTrue(
                result.err()
                        .contains(file + " takes 7 input features, but without --data evaluate reads the MNIST "
                                + "test split (784 pixels); give the data to evaluate on with --data FILE"),
                result.err());
    }

    @Test
    void theTopKAccuracyIsLeftOutWhenTheModelHasNoMoreClassesThanK() throws IOException {
        Path file = temp.resolve("model.safetensors");
        ModelFile.save(new Linear(7, CLASSES, true, 1), file);
        Path data = Files.writeString(temp.resolve("test.svm"), "0 1:0.5 4:1\n1 2:1\n2 3:1\n");

        String fiveOfThree = CliHarness.run("evaluate", file.toString(), "--data", data.toString())
                .out();
        String twoOfThree = CliHarness.run("evaluate", file.toString(), "--data", data.toString(), "--top-k", "2")
                .out();

        assertFalse(fiveOfThree.contains("top-"), fiveOfThree);
        assertTrue(twoOfThree.contains("top-2 accuracy"), twoOfThree);
    }
}
