package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data files that are corrupt or disagree with each other are refused before training, with exit
 * code 2 and one line naming the problem (issue 11, items 3 and 4).
 */
class DataValidationTest {

    private static final int TRAIN = 20;
    private static final int TEST = 10;

    @TempDir
    Path temp;

    /** Writes an IDX file of unsigned bytes with these dimensions, filled by {@code value(i)}. */
    private static void idx(Path file, int[] dimensions, java.util.function.IntUnaryOperator value) throws IOException {
        int elements = 1;
        for (int d : dimensions) {
            elements *= d;
        }
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + elements);
        buffer.put(new byte[] {0, 0, 8, (byte) dimensions.length});
        for (int d : dimensions) {
            buffer.putInt(d);
        }
        for (int i = 0; i < elements; i++) {
            buffer.put((byte) value.applyAsInt(i));
        }
        Files.write(file, buffer.array());
    }

    /** A data folder of 2x2 images with labels 0-9 in turn, which {@code train} accepts. */
    private Path intact() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("data"));
        idx(folder.resolve("train-images-idx3-ubyte"), new int[] {TRAIN, 2, 2}, i -> i * 7);
        idx(folder.resolve("train-labels-idx1-ubyte"), new int[] {TRAIN}, i -> i % 10);
        idx(folder.resolve("t10k-images-idx3-ubyte"), new int[] {TEST, 2, 2}, i -> i * 3);
        idx(folder.resolve("t10k-labels-idx1-ubyte"), new int[] {TEST}, i -> i % 10);
        return folder;
    }

    private CliHarness.Result train(Path folder, String... more) {
        String[] base = {
            "train",
            "--no-progress",
            "--data",
            folder.toString(),
            "--hidden",
            "8",
            "--epochs",
            "1",
            "--out",
            temp.resolve("run.json").toString()
        };
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return CliHarness.run(args);
    }

    private void assertRefused(CliHarness.Result result, String... fragments) {
        assertEquals(2, result.exitCode(), () -> "exit code; stderr: " + result.err());
        String err = result.err().strip();
        assertFalse(err.contains("\n"), () -> "one line, got: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), () -> "no stack trace, got: " + err);
        for (String fragment : fragments) {
            assertTrue(err.contains(fragment), () -> "'" + fragment + "' in: " + err);
        }
        assertFalse(result.out().contains("epoch"), () -> "refused before training, got: " + result.out());
        assertFalse(Files.exists(temp.resolve("run.json")), "no run record");
    }

    @Test
    void theIntactFolderTrains() throws IOException {
        CliHarness.Result result = train(intact(), "--batch", "4");
        assertEquals(0, result.exitCode(), result::err);
    }

    @Test
    void aCorruptTrainingLabelIsRefused() throws IOException {
        Path folder = intact();
        idx(folder.resolve("train-labels-idx1-ubyte"), new int[] {TRAIN}, i -> i == 7 ? 255 : i % 10);
        assertRefused(
                train(folder, "--batch", "4"),
                "the training labels",
                "go up to 255",
                "245 of the classes 0..255",
                "corrupt");
    }

    @Test
    void aTestLabelOutsideTheTrainingClassesIsRefused() throws IOException {
        Path folder = intact();
        idx(folder.resolve("t10k-labels-idx1-ubyte"), new int[] {TEST}, i -> i == 3 ? 12 : i % 10);
        assertRefused(train(folder, "--batch", "4"), "test label 3", "is 12", "10 classes of the training labels");
    }

    @Test
    void testImagesOfAnotherSizeAreRefused() throws IOException {
        Path folder = intact();
        idx(folder.resolve("t10k-images-idx3-ubyte"), new int[] {TEST, 3, 3}, i -> i);
        assertRefused(train(folder, "--batch", "4"), "test images", "[1, 3, 3]", "[1, 2, 2]");
    }

    @Test
    void filesDeclaringNoSamplesAreRefused() throws IOException {
        Path folder = intact();
        idx(folder.resolve("t10k-images-idx3-ubyte"), new int[] {0, 2, 2}, i -> i);
        idx(folder.resolve("t10k-labels-idx1-ubyte"), new int[] {0}, i -> i);
        assertRefused(train(folder, "--batch", "4"), "declare 0 samples", "--data DIR");
    }

    @Test
    void aCorruptFileExitsTwoLikeAMissingFolder() throws IOException {
        Path folder = intact();
        Files.write(folder.resolve("train-labels-idx1-ubyte"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertRefused(train(folder, "--batch", "4"), "train-labels-idx1-ubyte", "not an IDX file", "--data DIR");
    }

    @Test
    void aBatchLargerThanTheDataIsRefusedBeforeTraining() throws IOException {
        assertRefused(train(intact(), "--batch", "21"), "--batch 21 is larger than the 20 training samples");
        assertRefused(
                CliHarness.run("demo", "--no-progress", "--data", intact().toString(), "--limit", "5"),
                "--batch 64 is larger than the 5 training samples");
        assertRefused(
                CliHarness.run(
                        "experiments",
                        "--no-progress",
                        "--data",
                        intact().toString(),
                        "--limit",
                        "5",
                        "--out",
                        temp.resolve("experiments").toString()),
                "--batch 64 is larger than the 5 training samples");
    }
}
