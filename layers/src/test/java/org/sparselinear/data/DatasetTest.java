package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {

    private static final float MEAN = 0.1307f;
    private static final float STD = 0.3081f;

    @TempDir
    Path temp;

    @Test
    void loadsTheShippedTrainingSplitNormalised() throws IOException {
        Dataset train = Dataset.loadIdx(IdxReaderTest.DATA, Split.TRAIN, MEAN, STD);
        assertEquals(8000, train.size());
        assertArrayEquals(new int[] {1, 28, 28}, train.sampleShape());
        assertEquals(784, train.featureCount());
        assertEquals(10, train.classes());
        assertEquals(8, train.get(0).label());
        float[] image = train.get(0).values();
        assertEquals((0 / 255f - MEAN) / STD, image[0], 1e-6);
        assertEquals((82 / 255f - MEAN) / STD, image[14 * 28 + 9], 1e-6);
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < train.size(); i++) {
            for (float v : train.get(i).values()) {
                sum += v;
                squares += (double) v * v;
            }
        }
        double n = 8000.0 * 784;
        double mean = sum / n;
        // numpy on the same files: mean 0.000523, standard deviation 1.000975.
        assertEquals(0.000523, mean, 1e-5);
        assertEquals(1.000975, Math.sqrt(squares / n - mean * mean), 1e-5);
        assertEquals(
                2000, Dataset.loadIdx(IdxReaderTest.DATA, Split.TEST, MEAN, STD).size());
    }

    @Test
    void missingFilesAreListed() throws IOException {
        Files.writeString(temp.resolve("README"), "not data");
        FileNotFoundException error =
                assertThrows(FileNotFoundException.class, () -> Dataset.loadIdx(temp, Split.TRAIN, MEAN, STD));
        String message = error.getMessage();
        assertTrue(
                message.contains("train-images-idx3-ubyte[.gz]")
                        && message.contains("train-labels-idx1-ubyte[.gz]")
                        && message.contains("README"),
                message);
        FileNotFoundException absent = assertThrows(
                FileNotFoundException.class, () -> Dataset.loadIdx(temp.resolve("nowhere"), Split.TEST, MEAN, STD));
        assertTrue(
                absent.getMessage().contains("t10k-images-idx3-ubyte")
                        && absent.getMessage().contains("does not exist"),
                absent.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Files.write(temp.resolve("t10k-images-idx3-ubyte"), IdxReaderTest.idx(0x08, new int[] {3, 2, 2}, new byte[12]));
        Files.write(
                temp.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxReaderTest.gzip(IdxReaderTest.idx(0x08, new int[] {2}, new byte[] {1, 0})));
        IOException error = assertThrows(IOException.class, () -> Dataset.loadIdx(temp, Split.TEST, MEAN, STD));
        assertTrue(error.getMessage().contains("3 images but 2 labels"), error.getMessage());
    }

    @Test
    void plainFilesAreFoundAndScaled() throws IOException {
        Files.write(
                temp.resolve("train-images-idx3-ubyte"),
                IdxReaderTest.idx(0x08, new int[] {2, 1, 2}, new byte[] {0, (byte) 255, 51, 102}));
        Files.write(temp.resolve("train-labels-idx1-ubyte"), IdxReaderTest.idx(0x08, new int[] {2}, new byte[] {4, 1}));
        Dataset data = Dataset.loadIdx(temp, Split.TRAIN, 0.5f, 0.25f);
        assertArrayEquals(new float[] {-2f, 2f}, data.get(0).values(), 1e-6f);
        assertArrayEquals(new float[] {-1.2f, -0.4f}, data.get(1).values(), 1e-6f);
        assertEquals(5, data.classes(), "largest label plus one");
        assertArrayEquals(new int[] {1, 1, 2}, data.sampleShape());
    }

    @Test
    void constructorChecksAndCopiesItsArrays() {
        float[] features = {1, 2, 3, 4};
        int[] labels = {0, 1};
        Dataset data = Dataset.of(features, labels, new int[] {2}, 2);
        features[0] = 99;
        labels[0] = 1;
        assertArrayEquals(new float[] {1, 2}, data.get(0).values());
        assertEquals(0, data.get(0).label());
        var count =
                assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[5], labels, new int[] {2}, 2));
        assertTrue(count.getMessage().contains("4") && count.getMessage().contains("5"), count.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> Dataset.of(new float[4], new int[] {0, 2}, new int[] {2}, 2));
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(new float[0], new int[0], new int[] {2}, 2));
        assertThrows(IllegalArgumentException.class, () -> Dataset.loadIdx(temp, Split.TRAIN, 0.1f, 0f));
        assertThrows(IndexOutOfBoundsException.class, () -> data.get(2));
    }
}
