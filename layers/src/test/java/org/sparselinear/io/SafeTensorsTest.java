package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safetensors reader and writer: the byte layout, and every check of an untrusted header. */
class SafeTensorsTest {

    @TempDir
    Path temp;

    @Test
    void writesTheReferenceLayout() throws Exception {
        byte[] bytes = new SafeTensors.Writer()
                .metadata("k", "v")
                .addFloats("w", new float[] {1.5f, -2f}, 2)
                .addIntsAsLongs("i", new int[] {3, 4, 5, 6}, 2, 2)
                .toBytes();
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong();
        assertEquals(0, headerLength % 8, "the header is padded to a multiple of 8 bytes");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        assertEquals(
                "{\"__metadata__\":{\"k\":\"v\",\"tensor_crc32c\":\"{\\\"w\\\":\\\"a432a922\\\","
                        + "\\\"i\\\":\\\"a9f0791b\\\"}\"},"
                        + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"i\":{\"dtype\":\"I64\",\"shape\":[2,2],\"data_offsets\":[8,40]}}",
                header.strip());
        buffer.position(8 + (int) headerLength);
        assertEquals(1.5f, buffer.getFloat(), "float32, little-endian");
        assertEquals(-2f, buffer.getFloat());
        assertEquals(3L, buffer.getLong(), "int64, little-endian");
        assertEquals(8 + headerLength + 40, bytes.length);

        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "mem")) {
            assertEquals(
                    Map.of("k", "v", SafeTensors.CHECKSUMS, "{\"w\":\"a432a922\",\"i\":\"a9f0791b\"}"),
                    contents.metadata());
            assertTrue(contents.verify(), "the CRC32C (Castagnoli) of each tensor's bytes, as computed elsewhere");
            assertArrayEquals(
                    new float[] {1.5f, -2f}, contents.floats(contents.require("w", SafeTensors.DType.F32, 2)));
            assertArrayEquals(
                    new long[] {3, 4, 5, 6}, contents.longs(contents.require("i", SafeTensors.DType.I64, 2, 2)));
            assertEquals(
                    List.of("w", "i"),
                    contents.tensors().stream()
                            .map(SafeTensors.TensorInfo::name)
                            .toList());
        }
    }

    @Test
    void largeTensorsCrossChunkBoundariesIntact() throws IOException {
        float[] values = new float[700_001];
        long[] longs = new long[300_007];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.25f - 7;
        }
        for (int i = 0; i < longs.length; i++) {
            longs[i] = (long) i * 1_000_003L - 5;
        }
        Path file = temp.resolve("big.safetensors");
        new SafeTensors.Writer()
                .addFloats("f", values, values.length)
                .addLongs("l", longs, longs.length)
                .write(file);
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            assertArrayEquals(values, contents.floats(contents.tensor("f")));
            assertArrayEquals(longs, contents.longs(contents.tensor("l")));
        }
    }

    @Test
    void aFlippedBitInTensorDataIsFoundNamingTheTensorAndBothChecksums() throws IOException {
        byte[] bytes = new SafeTensors.Writer()
                .addFloats("a", new float[] {1, 2, 3}, 3)
                .addLongs("b", new long[] {4, 5}, 2)
                .toBytes();
        bytes[bytes.length - 3] ^= 0x10;
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "flip.st")) {
            ModelFileException e = assertThrows(ModelFileException.class, contents::verify);
            assertEquals("tensor 'b'", e.field(), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .matches("flip\\.st: tensor 'b': its data has CRC32C [0-9a-f]{8} but the header "
                                    + "records [0-9a-f]{8}: the data was damaged.*"),
                    e.getMessage());
        }
    }

    @Test
    void aFileWithoutChecksumsReadsUnverified() throws IOException {
        byte[] bytes = file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 4);
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "old.st")) {
            assertFalse(contents.verify(), "nothing recorded, nothing verified");
            assertArrayEquals(new float[] {0}, contents.floats(contents.tensor("a")));
        }
    }

    @Test
    void nonFiniteFloatsAreRefusedNamingTheTensorAndTheElement() throws IOException {
        float[][] cases = {{1, Float.NaN, 2}, {0, 0, Float.POSITIVE_INFINITY}, {Float.NEGATIVE_INFINITY, 0, 0}};
        String[] expected = {"element 1 (row-major) is NaN", "element 2 (row-major) is Infinity", "element 0"};
        for (int i = 0; i < cases.length; i++) {
            byte[] bytes = new SafeTensors.Writer()
                    .addLongs("i", new long[] {-1}, 1)
                    .addFloats("w", cases[i], 3)
                    .toBytes();
            try (SafeTensors.Contents contents = SafeTensors.read(bytes, "nan.st")) {
                ModelFileException e = assertThrows(ModelFileException.class, contents::verify);
                assertTrue(e.getMessage().startsWith("nan.st: tensor 'w': " + expected[i]), e.getMessage());
                assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
            }
        }
    }

    @Test
    void aBadChecksumEntryIsRefusedWhenTheFileIsOpened() {
        String tensors = tensor("a", "F32", "[1]", 0, 4);
        Object[][] cases = {
            {"\"x\"", "expected a JSON object"},
            {"{", "invalid JSON"},
            {"{}", "no checksum for tensor \"a\""},
            {"{\"a\":\"00000000\",\"z\":\"00000000\"}", "tensor \"z\", which the file does not hold"},
            {"{\"a\":\"0000000\"}", "8 lowercase hex digits"},
            {"{\"a\":\"0000000G\"}", "8 lowercase hex digits"},
            {"{\"a\":\"ABCDEF00\"}", "8 lowercase hex digits"},
            {"{\"a\":7}", "8 lowercase hex digits"},
        };
        for (Object[] c : cases) {
            String entry = JsonCodec.quote((String) c[0]);
            byte[] bytes = file("{\"__metadata__\":{\"tensor_crc32c\":" + entry + "}," + tensors + "}", 4);
            ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.read(bytes, "sum.st"));
            assertEquals("__metadata__.tensor_crc32c", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[1]), c[1] + ": " + e.getMessage());
        }
    }

    @Test
    void theWriterComputesTheChecksumsItself() throws IOException {
        byte[] bytes = new SafeTensors.Writer()
                .metadata(SafeTensors.CHECKSUMS, "{\"a\":\"00000000\"}")
                .addFloats("a", new float[] {1}, 1)
                .toBytes();
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "w.st")) {
            assertTrue(contents.verify());
        }
    }

    @Test
    void writerRejectsBadTensors() {
        SafeTensors.Writer writer = new SafeTensors.Writer().addFloats("a", new float[2], 2);
        assertThrows(IllegalArgumentException.class, () -> writer.addFloats("a", new float[2], 2), "duplicate name");
        var shape = assertThrows(IllegalArgumentException.class, () -> writer.addFloats("b", new float[3], 2, 2));
        assertTrue(shape.getMessage().contains("4 elements but 3 values"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> writer.addFloats("", new float[1], 1));
        assertThrows(IllegalArgumentException.class, () -> writer.addFloats(SafeTensors.METADATA, new float[1], 1));
        assertThrows(IllegalArgumentException.class, () -> writer.addFloats("c", new float[0], -1, 0));
    }

    /** A file whose header is {@code header} (padded) followed by {@code dataBytes} zero bytes. */
    static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        return buffer.putLong(json.length).put(json).array();
    }

    private static String tensor(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    @Test
    void rejectsEveryBadHeaderNamingTheField() {
        Object[][] cases = {
            // bytes, expected field, expected words
            {new byte[5], "header length", "fewer than the 8"},
            {
                ByteBuffer.allocate(8)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(-1)
                        .array(),
                "header length",
                "18446744073709551615"
            },
            {
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(200_000_000L)
                        .array(),
                "header length",
                "limit"
            },
            {
                ByteBuffer.allocate(16)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(100)
                        .array(),
                "header length",
                "only 8 follow"
            },
            {ByteBuffer.allocate(9).order(ByteOrder.LITTLE_ENDIAN).putLong(1).array(), "header", "too short"},
            {invalidUtf8(), "header", "UTF-8"},
            {file("{\"a\":", 0), "header", "invalid JSON"},
            {file("[1,2]", 0), "header", "expected a JSON object"},
            {file("{\"__metadata__\":[]}", 0), "__metadata__", "object of strings"},
            {file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__.k", "string value"},
            {file("{\"\":{}}", 0), "tensor ''", "non-empty name"},
            {file("{\"t\":5}", 0), "tensor 't'", "expected an object"},
            {
                file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4),
                "tensor 't'",
                "unknown key"
            },
            {file("{" + tensor("t", "F99", "[1]", 0, 4) + "}", 4), "tensor 't'", "unknown dtype"},
            {file("{\"t\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "tensor 't'", "dtype"},
            {file("{" + tensor("t", "F32", "5", 0, 4) + "}", 4), "tensor 't'", "shape"},
            {file("{" + tensor("t", "F32", "[-1]", 0, 4) + "}", 4), "tensor 't'", "non-negative integer"},
            {file("{" + tensor("t", "F32", "[1.5]", 0, 4) + "}", 4), "tensor 't'", "non-negative integer"},
            {file("{" + tensor("t", "F32", "[4294967296,4294967296]", 0, 4) + "}", 4), "tensor 't'", "64-bit"},
            {file("{" + tensor("t", "F64", "[2305843009213693952]", 0, 4) + "}", 4), "tensor 't'", "64-bit"},
            {file("{" + tensor("t", "F32", "[" + "1,".repeat(40) + "1]", 0, 4) + "}", 4), "tensor 't'", "dimensions"},
            {file("{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "tensor 't'", "[begin, end]"},
            {file("{" + tensor("t", "F32", "[1]", 4, 0) + "}", 4), "tensor 't'", "begin <= end"},
            {file("{" + tensor("t", "F32", "[1]", -4, 0) + "}", 4), "tensor 't'", "begin <= end"},
            {file("{" + tensor("t", "F32", "[1000000000000]", 0, 4000000000000L) + "}", 4), "tensor 't'", "past the end"
            },
            {file("{" + tensor("t", "F32", "[2]", 0, 4) + "}", 4), "tensor 't'", "needs 8"},
            {
                file("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[1]", 4, 8) + "}", 8),
                "tensor 'b'",
                "overlap"
            },
            {file("{" + tensor("a", "F32", "[1]", 4, 8) + "}", 8), "tensor 'a'", "gap"},
            {file("{" + tensor("a", "F32", "[1]", 0, 4) + "}", 9), "data section", "trailing bytes"},
            {file("{\"a\":1,\"a\":2}", 0), "header", "duplicate key"},
        };
        for (int i = 0; i < cases.length; i++) {
            byte[] bytes = (byte[]) cases[i][0];
            String field = (String) cases[i][1];
            String words = (String) cases[i][2];
            ModelFileException e =
                    assertThrows(ModelFileException.class, () -> SafeTensors.read(bytes, "case.st"), "case " + i);
            assertEquals(field, e.field(), "case " + i + ": " + e.getMessage());
            assertTrue(e.getMessage().startsWith("case.st: " + field + ": "), "case " + i + ": " + e.getMessage());
            assertTrue(e.getMessage().contains(words), "case " + i + " says '" + words + "': " + e.getMessage());
        }
    }

    private static byte[] invalidUtf8() {
        byte[] bytes = file("{\"ab\":1}", 0);
        bytes[10] = (byte) 0xff;
        return bytes;
    }

    @Test
    void loadingChecksDtypeAndShape() throws Exception {
        byte[] bytes = new SafeTensors.Writer()
                .addFloats("w", new float[6], 2, 3)
                .addLongs("i", new long[2], 2)
                .toBytes();
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "m")) {
            ModelFileException missing =
                    assertThrows(ModelFileException.class, () -> contents.require("x", SafeTensors.DType.F32, 1));
            assertTrue(missing.getMessage().contains("tensor 'x': missing"), missing.getMessage());
            ModelFileException shape =
                    assertThrows(ModelFileException.class, () -> contents.require("w", SafeTensors.DType.F32, 3, 2));
            assertTrue(shape.getMessage().contains("expected F32 [3, 2], got F32 [2, 3]"), shape.getMessage());
            assertThrows(ModelFileException.class, () -> contents.floats(contents.tensor("i")));
            assertThrows(ModelFileException.class, () -> contents.longs(contents.tensor("w")));
        }
    }

    @Test
    void readsTheSameFromAFileAsFromMemory() throws IOException {
        byte[] bytes = new SafeTensors.Writer()
                .addFloats("w", new float[] {1, 2, 3}, 3)
                .toBytes();
        Path file = Files.write(temp.resolve("same.safetensors"), bytes);
        try (SafeTensors.Contents fromFile = SafeTensors.open(file);
                SafeTensors.Contents fromMemory = SafeTensors.read(bytes, "m")) {
            assertEquals(fromMemory.tensors(), fromFile.tensors());
            assertArrayEquals(fromMemory.floats(fromMemory.tensor("w")), fromFile.floats(fromFile.tensor("w")));
        }
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        Path truncated = Files.write(temp.resolve("cut.safetensors"), cut);
        ModelFileException e = assertThrows(ModelFileException.class, () -> SafeTensors.open(truncated));
        assertTrue(e.getMessage().startsWith(truncated.toString()), "names the file: " + e.getMessage());
    }
}
