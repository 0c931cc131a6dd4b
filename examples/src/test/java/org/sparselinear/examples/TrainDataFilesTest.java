package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code train --data FILE} on svmlight and CSV files: it reads them (with {@code --test} or
 * {@code --validation-split}), says what it read, builds the input layer from the data's width and
 * learns a task a model can only solve by reading the features; broken files are refused with one
 * line naming the file, the line and the problem.
 */
class TrainDataFilesTest {

    private static final int FEATURES = 30;

    @TempDir
    Path temp;

    /**
     * Samples whose class (0, 1 or 2) is which of three disjoint feature groups holds their
     * non-zeros: separable, so a trained model must beat chance (33 %) by far.
     */
    private static String svmlight(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        for (int s = 0; s < samples; s++) {
            int label = s % 3;
            text.append(label);
            int first = label * 10 + 1;
            for (int i = first; i < first + 10; i++) {
                if (random.nextInt(3) == 0 || i == first + s % 10) {
                    text.append(' ').append(i).append(':').append(0.5 + random.nextInt(4) / 4.0);
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The same task as a CSV file with a header and the label in a column named "section". */
    private static String csv(int samples, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder("section");
        for (int i = 0; i < 6; i++) {
            text.append(",f").append(i);
        }
        text.append('\n');
        for (int s = 0; s < samples; s++) {
            int label = s % 3;
            text.append(new String[] {"games", "libs", "net"}[label]);
            for (int i = 0; i < 6; i++) {
                text.append(',').append(i / 2 == label ? 1 + random.nextInt(3) : 0);
            }
            text.append('\n');
        }
        return text.toString();
    }

    private Path write(String name, String content) throws IOException {
        Path file = temp.resolve(name);
        if (name.endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } else {
            Files.writeString(file, content);
        }
        return file;
    }

    private CliHarness.Result train(String... more) {
        String[] base = {
            "train",
            "--no-progress",
            "--hidden",
            "16",
            "--epochs",
            "3",
            "--batch",
            "16",
            "--lr",
            "0.1",
            "--out",
            temp.resolve("run.json").toString()
        };
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliHarness.run(args);
    }

    private double finalAccuracy(CliHarness.Result result) throws IOException {
        assertEquals(0, result.exitCode(), () -> "exit code; stderr: " + result.err());
        Map<?, ?> record = CliHarness.readRecord(temp.resolve("run.json"));
        return ((Number) record.get("final_test_accuracy")).doubleValue();
    }

    @Test
    void aTestFileWithFeaturesTheTrainingFileNeverUsesIsReadWithTheWiderFeatures() throws IOException {
        Path train = write("train.svm", svmlight(300, 1));
        // Feature 45 lies beyond the training file's 30; the rest is the same task.
        Path test = write("test.svm", svmlight(90, 2) + "1 12:0.5 45:1\n");
        CliHarness.Result result = train("--data", train.toString(), "--test", test.toString());
        assertTrue(
                result.out().contains("91 test samples")
                        && result.out().contains("45 features (sparse,")
                        && result.out()
                                .contains("(features up to index 45, beyond the training file's " + FEATURES
                                        + ": both read with 45 features)"),
                result.out());
        assertTrue(finalAccuracy(result) > 0.8, result.out());
        Map<?, ?> data =
                (Map<?, ?>) CliHarness.readRecord(temp.resolve("run.json")).get("data");
        assertEquals(45, ((Number) data.get("features")).intValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sparse", "dense"})
    void trainsOnAnSvmlightFileWithItsTestFile(String model) throws IOException {
        Path train = write("train.svm.gz", svmlight(300, 1));
        Path test = write("test.svm", svmlight(90, 2));
        CliHarness.Result result = train("--model", model, "--data", train.toString(), "--test", test.toString());
        assertTrue(
                result.out().contains("300 training samples")
                        && result.out().contains("90 test samples")
                        && result.out().contains(FEATURES + " features (sparse,")
                        && result.out().contains("3 classes"),
                result.out());
        assertTrue(finalAccuracy(result) > 0.8, result.out());
        Map<?, ?> data =
                (Map<?, ?>) CliHarness.readRecord(temp.resolve("run.json")).get("data");
        assertEquals(Boolean.TRUE, data.get("sparse"));
        assertEquals(FEATURES, ((Number) data.get("features")).intValue());
    }

    @Test
    void trainsWithAdamAndRecordsIt() throws IOException {
        Path train = write("train.svm", svmlight(300, 1));
        Path test = write("test.svm", svmlight(90, 2));
        CliHarness.Result result = train("--data", train.toString(), "--test", test.toString(), "--optimizer", "adam");
        assertTrue(finalAccuracy(result) > 0.8, result.out());
        Map<?, ?> config =
                (Map<?, ?>) CliHarness.readRecord(temp.resolve("run.json")).get("config");
        assertEquals("adam", config.get("optimizer"));
        // A record written before the option existed reads as SGD.
        Map<Object, Object> old = new java.util.LinkedHashMap<>(config);
        old.remove("optimizer");
        assertEquals(OptimizerKind.sgd, RunConfig.fromJson(old).optimizer());
    }

    @Test
    void trainsWithAdagradAndRecordsIt() throws IOException {
        Path train = write("train.svm", svmlight(300, 1));
        Path test = write("test.svm", svmlight(90, 2));
        CliHarness.Result result = train(
                "--data", train.toString(), "--test", test.toString(), "--optimizer", "adagrad", "--momentum", "0.5");
        assertTrue(finalAccuracy(result) > 0.8, result.out());
        assertTrue(result.out().contains("note: --momentum applies to SGD only; ignored for adagrad"), result.out());
        Map<?, ?> config =
                (Map<?, ?>) CliHarness.readRecord(temp.resolve("run.json")).get("config");
        assertEquals("adagrad", config.get("optimizer"));
        assertEquals(OptimizerKind.adagrad, RunConfig.fromJson(config).optimizer());
    }

    @Test
    void trainsOnACsvFileWithAHeldOutPart() throws IOException {
        Path train = write("packages.csv", csv(300, 3));
        CliHarness.Result result =
                train("--data", train.toString(), "--validation-split", "0.2", "--label-column", "section");
        assertTrue(
                result.out().contains("240 training samples")
                        && result.out().contains("60 test samples")
                        && result.out().contains("6 features, 3 classes"),
                result.out());
        assertTrue(finalAccuracy(result) > 0.8, result.out());
    }

    private void assertRefused(CliHarness.Result result, String... fragments) {
        assertEquals(2, result.exitCode(), () -> "exit code; out: " + result.out() + " stderr: " + result.err());
        String err = result.err().strip();
        assertFalse(err.contains("\n"), () -> "one line, got: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "no stack trace, got: " + err);
        for (String fragment : fragments) {
            assertTrue(err.contains(fragment), () -> "'" + fragment + "' in: " + err);
        }
        assertFalse(Files.exists(temp.resolve("run.json")), "no run record");
    }

    @Test
    void brokenSvmlightFilesAreRefusedNamingFileAndLine() throws IOException {
        Path test = write("test.svm", svmlight(30, 2));
        String good = "1 1:0.5 3:1\n";
        Object[][] cases = {
            {"index0.svm", good + "2 0:1 4:2\n", "index0.svm:2", "1-based"},
            {"unsorted.svm", good + good + "0 5:1 2:1\n", "unsorted.svm:3"},
            {"duplicate.svm", "0 2:1 2:1\n", "duplicate.svm:1"},
            {"number.svm", good + "1 3:abc\n", "number.svm:2", "abc"},
        };
        for (Object[] c : cases) {
            Path file = write((String) c[0], (String) c[1]);
            CliHarness.Result result = train("--data", file.toString(), "--test", test.toString());
            String[] fragments = Arrays.copyOfRange(c, 2, c.length, String[].class);
            assertRefused(result, fragments);
        }
    }

    @Test
    void aTruncatedGzipFileIsRefusedNamingTheFirstLineLost() throws IOException {
        byte[] whole = Files.readAllBytes(write("whole.svm.gz", svmlight(300, 1)));
        Path truncated = temp.resolve("truncated.svm.gz");
        Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
        CliHarness.Result result = train("--data", truncated.toString(), "--validation-split", "0.1");
        assertRefused(result, "truncated.svm.gz:", "the gzip data ends early");
        assertTrue(
                result.err().matches("(?s).*truncated\\.svm\\.gz:[1-9][0-9]*: the gzip data ends early.*"),
                () -> "file:line: " + result.err());
    }

    @Test
    void brokenCsvFilesAreRefusedNamingFileLineAndColumn() throws IOException {
        Path ragged = write("ragged.csv", "a,b,label\n1,2,x\n3,y\n");
        assertRefused(train("--data", ragged.toString(), "--validation-split", "0.5"), "ragged.csv:3");
        Path number = write("number.csv", "a,b,label\n1,2,x\n3,zz,y\n");
        assertRefused(train("--data", number.toString(), "--validation-split", "0.5"), "number.csv:3", "zz");
    }

    @Test
    void aSingleFileNeedsATestFileOrAHeldOutPart() throws IOException {
        Path train = write("train.svm", svmlight(30, 1));
        assertRefused(train("--data", train.toString()), "--test FILE", "--validation-split");
        assertRefused(
                train("--data", train.toString(), "--validation-split", "1.5"), "--validation-split must be in (0, 1)");
        Path text = write("train.txt", svmlight(30, 1));
        assertRefused(train("--data", text.toString(), "--validation-split", "0.1"), "cannot tell the format");
        assertEquals(
                0,
                train("--data", text.toString(), "--format", "svmlight", "--validation-split", "0.2")
                        .exitCode());
    }

    @Test
    void aValidationSplitThatLeavesNoTrainingSampleIsRefusedWithTheRange() throws IOException {
        Path train = write("train.svm", svmlight(30, 1));
        assertRefused(
                train("--data", train.toString(), "--validation-split", "0.999"),
                "--validation-split 0.999",
                "leaves no training sample",
                "between 1 and 29 of the 30 samples");
    }

    @Test
    void aTrainingFileOfOneClassIsRefused() throws IOException {
        Path train = write("one.svm", "4 1:1\n4 2:1 3:0.5\n".repeat(20));
        assertRefused(
                train("--data", train.toString(), "--validation-split", "0.25"),
                "one.svm",
                "the same label",
                "at least two classes");
    }

    @Test
    void csvOptionsAreRefusedForSvmlightDataAndTheZeroBasedOptionForCsv() throws IOException {
        Path svm = write("train.svm", svmlight(30, 1));
        assertRefused(
                train("--data", svm.toString(), "--validation-split", "0.2", "--label-column", "2", "--no-header"),
                "--label-column, --no-header apply to CSV files",
                "train.svm is read as svmlight");
        Path csv = write("train.csv", csv(30, 1));
        assertRefused(
                train("--data", csv.toString(), "--validation-split", "0.2", "--zero-based"),
                "--zero-based applies to svmlight files",
                "train.csv is read as CSV");
    }

    @Test
    void aCsvLabelColumnNamedInAFileWithoutHeaderIsRefused() throws IOException {
        Path csv = write("plain.csv", "1,2,0\n3,4,1\n5,6,0\n7,8,1\n");
        assertRefused(
                train("--data", csv.toString(), "--validation-split", "0.5", "--no-header", "--label-column", "label"),
                "--label-column label names a column",
                "no line of column names",
                "0-based index");
        assertRefused(
                train("--data", csv.toString(), "--validation-split", "0.5", "--no-header", "--label-column", "7"),
                "plain.csv",
                "index 7");
    }

    @Test
    void zeroBasedSvmlightFilesAreReadWithTheOption() throws IOException {
        String oneBased = svmlight(90, 4);
        StringBuilder zeroBased = new StringBuilder();
        for (String line : oneBased.split("\n")) {
            String[] fields = line.split(" ");
            zeroBased.append(fields[0]);
            for (int k = 1; k < fields.length; k++) {
                int colon = fields[k].indexOf(':');
                zeroBased
                        .append(' ')
                        .append(Integer.parseInt(fields[k].substring(0, colon)) - 1)
                        .append(fields[k].substring(colon));
            }
            zeroBased.append('\n');
        }
        Path file = write("zero.svm", zeroBased.toString());
        assertRefused(train("--data", file.toString(), "--validation-split", "0.2"), "zero.svm:", "1-based");
        CliHarness.Result result = train("--data", file.toString(), "--validation-split", "0.2", "--zero-based");
        assertTrue(result.out().contains(FEATURES + " features"), result.out());
        assertTrue(finalAccuracy(result) > 0.8, result.out());
    }

    @Test
    void csvFilesWithAnotherDelimiterAreReadWithTheOption() throws IOException {
        Path file = write("semicolons.csv", csv(90, 5).replace(',', ';'));
        assertRefused(train("--data", file.toString(), "--validation-split", "0.2"), "semicolons.csv:1");
        assertRefused(
                train("--data", file.toString(), "--validation-split", "0.2", "--delimiter", ";;"),
                "--delimiter takes one character");
        CliHarness.Result result = train(
                "--data",
                file.toString(),
                "--validation-split",
                "0.2",
                "--delimiter",
                ";",
                "--label-column",
                "section");
        assertTrue(result.out().contains("6 features, 3 classes"), result.out());
        assertTrue(finalAccuracy(result) > 0.8, result.out());
    }

    @Test
    void sparseInputsTrainedWithTheDefaultSgdGetANoteAboutAdagrad() throws IOException {
        Path train = write("train.svm", svmlight(60, 1));
        String defaults =
                train("--data", train.toString(), "--validation-split", "0.2").out();
        assertTrue(
                defaults.contains("note: the inputs are sparse") && defaults.contains("--optimizer adagrad"), defaults);
        String chosen = train("--data", train.toString(), "--validation-split", "0.2", "--optimizer", "sgd")
                .out();
        assertFalse(chosen.contains("note: the inputs are sparse"), chosen);
        Path dense = write("train.csv", csv(60, 1));
        String denseOut =
                train("--data", dense.toString(), "--validation-split", "0.2").out();
        assertFalse(denseOut.contains("note: the inputs are sparse"), denseOut);
    }
}
