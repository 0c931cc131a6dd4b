package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    static final Path DATA = Path.of("..", "data").toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void readsTheShippedTrainingImagesAndLabels() throws IOException {
        IdxFile images = IdxReader.read(DATA.resolve("train-images-idx3-ubyte.gz"));
        assertArrayEquals(new int[] {8000, 28, 28}, images.dimensions());
        assertEquals(8000, images.count());
        assertEquals(784, images.itemSize());
        long sum = 0;
        for (int i = 0; i < images.size(); i++) {
            sum += images.get(i);
        }
        assertEquals(209_293_928L, sum, "sum of all pixels (computed independently with numpy)");
        assertEquals(82, images.get(14 * 28 + 9), "image 0, row 14, column 9");
        assertEquals(254, images.get(14 * 28 + 10));

        IdxFile labels = IdxReader.read(DATA.resolve("train-labels-idx1-ubyte.gz"));
        assertArrayEquals(new int[] {8000}, labels.dimensions());
        int[] first = new int[10];
        for (int i = 0; i < 10; i++) {
            first[i] = labels.get(i);
        }
        assertArrayEquals(new int[] {8, 0, 2, 0, 0, 0, 9, 6, 4, 1}, first);
    }

    @Test
    void classCountsOfBothSplitsMatchTheDataDescription() throws IOException {
        int[] counts = new int[10];
        for (String name : new String[] {"train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            IdxFile labels = IdxReader.read(DATA.resolve(name));
            for (int i = 0; i < labels.count(); i++) {
                counts[labels.get(i)]++;
            }
        }
        // From data/MNIST-10K.md.
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
    }

    @Test
    void gzippedAndPlainFilesReadTheSameWhateverTheirNames() throws IOException {
        Path gz = DATA.resolve("t10k-images-idx3-ubyte.gz");
        Path plain = temp.resolve("images-without-extension.gz.bin");
        try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
            Files.write(plain, in.readAllBytes());
        }
        IdxFile fromGz = IdxReader.read(gz);
        IdxFile fromPlain = IdxReader.read(plain);
        assertArrayEquals(new int[] {2000, 28, 28}, fromPlain.dimensions());
        assertArrayEquals(fromGz.dimensions(), fromPlain.dimensions());
        for (int i = 0; i < fromGz.size(); i++) {
            assertEquals(fromGz.get(i), fromPlain.get(i), "element " + i);
        }
    }

    @Test
    void readsASmallHandWrittenFile() throws IOException {
        Path file = write("small", idx(0x08, new int[] {2, 3}, new byte[] {1, 2, 3, (byte) 200, (byte) 255, 0}));
        IdxFile read = IdxReader.read(file);
        assertArrayEquals(new int[] {2, 3}, read.dimensions());
        assertEquals(3, read.itemSize());
        assertEquals(200, read.get(3), "bytes are unsigned");
        assertEquals(255, read.get(4));
    }

    @Test
    void rejectsAWrongMagicNumber() throws IOException {
        byte[] bytes = idx(0x08, new int[] {1}, new byte[] {7});
        bytes[1] = 8;
        assertProblem(write("magic", bytes), "magic");
        assertProblem(write("text", "hello, world".getBytes(java.nio.charset.StandardCharsets.US_ASCII)), "magic");
    }

    @Test
    void rejectsOtherElementTypes() throws IOException {
        assertProblem(write("floats", idx(0x0D, new int[] {1}, new byte[4])), "unsupported element type 0x0d (float)");
    }

    @Test
    void rejectsTruncatedFilesPlainAndGzipped() throws IOException {
        byte[] whole = idx(0x08, new int[] {4, 5}, new byte[20]);
        assertProblem(write("short-data", Arrays.copyOf(whole, whole.length - 3)), "truncated");
        assertProblem(write("short-header", Arrays.copyOf(whole, 6)), "truncated");
        assertProblem(write("short-magic", new byte[] {0, 0}), "truncated");
        assertProblem(write("short-data.gz", gzip(Arrays.copyOf(whole, whole.length - 3))), "truncated");
        byte[] gz = gzip(whole);
        assertProblem(write("cut-stream.gz", Arrays.copyOf(gz, gz.length / 2)), "gzip");
    }

    @Test
    void rejectsDimensionsWhoseProductOverflows() throws IOException {
        assertProblem(write("huge", idx(0x08, new int[] {65536, 65536, 65536}, new byte[16])), "more than");
        assertProblem(write("zero-count-huge-items", idx(0x08, new int[] {0, 65536, 65536}, new byte[0])), "more than");
        assertProblem(write("negative", idx(0x08, new int[] {-1}, new byte[16])), "dimension 0 is 4294967295");
    }

    @Test
    void rejectsZeroDimensionsAndOversizedItems() throws IOException {
        assertProblem(write("rank-0", idx(0x08, new int[0], new byte[0])), "0 dimensions");
        assertProblem(write("huge-item", idx(0x08, new int[] {1, 65536, 65536}, new byte[4])), "per file or per item");
        assertProblem(write("huge-dimension", idx(0x08, new int[] {Integer.MAX_VALUE}, new byte[4])), "more than");
    }

    @Test
    void rejectsTrailingGarbage() throws IOException {
        byte[] whole = idx(0x08, new int[] {2, 2}, new byte[4]);
        byte[] longer = Arrays.copyOf(whole, whole.length + 1);
        assertProblem(write("trailing", longer), "trailing");
    }

    @Test
    void missingFileIsAnIoException() {
        assertThrows(IOException.class, () -> IdxReader.read(temp.resolve("absent")));
    }

    private void assertProblem(Path file, String expected) {
        IOException error = assertThrows(IOException.class, () -> IdxReader.read(file));
        assertTrue(error.getMessage().contains(file.toString()), "names the file: " + error.getMessage());
        assertTrue(error.getMessage().contains(expected), "says '" + expected + "': " + error.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(temp.resolve(name), bytes);
    }

    /** The bytes of an IDX file: magic {@code 0 0 type ndims}, big-endian dimensions, data. */
    static byte[] idx(int type, int[] dimensions, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + data.length);
        buffer.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dimensions.length);
        for (int dimension : dimensions) {
            buffer.putInt(dimension);
        }
        return buffer.put(data).array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
