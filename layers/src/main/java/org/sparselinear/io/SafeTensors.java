package org.sparselinear.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes the safetensors format of Hugging Face, the file format PyTorch users share
 * weights in: an 8-byte little-endian unsigned header length {@code N}, a UTF-8 JSON header of
 * {@code N} bytes, then the raw little-endian tensor data. The header maps each tensor name to
 * {@code {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}} (offsets relative to
 * the start of the data) and may hold {@code "__metadata__"}, a map of strings to strings.
 *
 * <p>Reading trusts nothing. {@link #open} and {@link #read} check, before any tensor is touched:
 * the header length against the file size and {@link #MAX_HEADER_BYTES}; that the header is valid
 * UTF-8 and valid JSON (no duplicate keys); that every tensor has a known dtype, a shape of
 * non-negative sizes whose product does not overflow, and offsets that hold exactly
 * {@code product(shape) * dtype size} bytes; that the tensors cover the data section exactly,
 * in order, without overlap or gap (as the reference implementation requires); and that the
 * metadata is a map of strings. Loading a tensor checks its dtype and that it fits in one Java
 * array and in the free heap before allocating. Every failure is a {@link ModelFileException}
 * naming the tensor or field.
 *
 * <p>{@link Contents#verify} then reads every tensor's data once: it compares each tensor's
 * CRC32C with the one the header records under {@value #CHECKSUMS} (files without that entry,
 * such as those of version 0.1 or of other writers, are read unverified) and checks that every
 * F32 value is finite.
 *
 * <p>Writing puts the tensors in the order they were added, pads the header with spaces to a
 * multiple of 8 bytes (as the reference writer does), records each tensor's CRC32C in the
 * metadata entry {@value #CHECKSUMS}, and goes through {@link AtomicFile}.
 */
public final class SafeTensors {

    /** The largest header accepted (100 MB); real headers are kilobytes. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key of the string-to-string metadata map. */
    public static final String METADATA = "__metadata__";

    /**
     * The metadata key of the tensors' checksums: a JSON object mapping each tensor's name to the
     * CRC32C (Castagnoli) of its data bytes as 8 lowercase hexadecimal digits. CRC32C finds the
     * accidental damage a file suffers (flipped bits, overwritten or shifted blocks) and is computed
     * by the JDK at memory speed; a cryptographic digest would add nothing against tampering, since
     * whoever changes the data can rewrite the checksum beside it. Stored in the metadata, it leaves
     * the file readable by every safetensors reader.
     */
    public static final String CHECKSUMS = "tensor_crc32c";

    private static final Pattern CRC_TEXT = Pattern.compile("[0-9a-f]{8}");

    /** The most dimensions a tensor may have. */
    public static final int MAX_RANK = 32;

    /** The most elements one tensor may have to be loaded (the largest Java array). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int CHUNK = 1 << 20;

    private SafeTensors() {}

    /** The element types of the format; the layers store {@link #F32} values and {@link #I64} indices. */
    public enum DType {
        /** Boolean, one byte. */
        BOOL(1),
        /** Unsigned 8-bit integer. */
        U8(1),
        /** Signed 8-bit integer. */
        I8(1),
        /** 8-bit float, e4m3. */
        F8_E4M3(1),
        /** 8-bit float, e5m2. */
        F8_E5M2(1),
        /** Signed 16-bit integer. */
        I16(2),
        /** Unsigned 16-bit integer. */
        U16(2),
        /** IEEE half precision. */
        F16(2),
        /** bfloat16. */
        BF16(2),
        /** Signed 32-bit integer. */
        I32(4),
        /** Unsigned 32-bit integer. */
        U32(4),
        /** IEEE single precision. */
        F32(4),
        /** Signed 64-bit integer. */
        I64(8),
        /** Unsigned 64-bit integer. */
        U64(8),
        /** IEEE double precision. */
        F64(8);

        private final int bytes;

        DType(int bytes) {
            this.bytes = bytes;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }

        static DType byName(String name) {
            for (DType type : values()) {
                if (type.name().equals(name)) {
                    return type;
                }
            }
            return null;
        }
    }

    /**
     * One tensor's header entry, checked.
     *
     * @param name the tensor's name
     * @param dtype its element type
     * @param shape its sizes (empty for a scalar); copied in and out
     * @param begin the first byte of its data, relative to the data section
     * @param end one past its last byte
     */
    public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

        /** Copies the shape. */
        public TensorInfo {
            shape = shape.clone();
        }

        /** A copy of the shape. */
        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The number of elements, the product of the shape. */
        public long numel() {
            long n = 1;
            for (long size : shape) {
                n *= size;
            }
            return n;
        }

        /** The shape as PyTorch prints it, e.g. {@code [2, 784]}. */
        public String shapeString() {
            return Arrays.toString(shape);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TensorInfo that
                    && name.equals(that.name)
                    && dtype == that.dtype
                    && Arrays.equals(shape, that.shape)
                    && begin == that.begin
                    && end == that.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return name + " " + dtype + " " + shapeString();
        }
    }

    // ---- reading --------------------------------------------------------------------------

    /**
     * Opens {@code file} and checks its header; tensors are read on demand from the open file.
     *
     * @throws ModelFileException when the header or the layout is bad
     * @throws IOException when the file cannot be read
     */
    public static Contents open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            Source source = new ChannelSource(channel);
            return new Contents(file.toString(), source);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads a file held in memory, checked as {@link #open} checks a file.
     *
     * @param sourceName the name used in error messages
     */
    public static Contents read(byte[] bytes, String sourceName) throws ModelFileException {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Contents(Objects.requireNonNull(sourceName, "sourceName"), new ArraySource(bytes));
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("reading from memory cannot fail", e);
        }
    }

    /** Where the bytes come from. */
    private interface Source extends AutoCloseable {
        long size() throws IOException;

        /** Fills {@code target} from {@code position}; false when the source ends first. */
        boolean read(long position, ByteBuffer target) throws IOException;

        @Override
        void close() throws IOException;
    }

    private record ChannelSource(FileChannel channel) implements Source {
        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public boolean read(long position, ByteBuffer target) throws IOException {
            long at = position;
            while (target.hasRemaining()) {
                int n = channel.read(target, at);
                if (n < 0) {
                    return false;
                }
                at += n;
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private record ArraySource(byte[] bytes) implements Source {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public boolean read(long position, ByteBuffer target) {
            int n = target.remaining();
            if (position < 0 || position + n > bytes.length) {
                return false;
            }
            target.put(bytes, (int) position, n);
            return true;
        }

        @Override
        public void close() {}
    }

    /**
     * A checked safetensors file: its metadata and tensor entries, and the tensors' data on
     * demand. Close it to release the file.
     */
    public static final class Contents implements AutoCloseable {

        private final String source;
        private final Source data;
        private final long dataStart;
        private final Map<String, String> metadata;
        private final Map<String, TensorInfo> tensors;
        private final Map<String, Long> checksums;
        private Boolean verified;

        private Contents(String source, Source data) throws IOException {
            this.source = source;
            this.data = data;
            long size = data.size();
            if (size < 8) {
                throw fail(
                        "header length",
                        "the file has " + size + " bytes, fewer than the 8 of the header length; "
                                + "it is empty or truncated, not a safetensors file");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readOrFail(0, lengthBytes, "header length");
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
                throw fail(
                        "header length",
                        "the header claims " + Long.toUnsignedString(headerLength) + " bytes, more than the limit of "
                                + MAX_HEADER_BYTES + "; not a safetensors file, or corrupt");
            }
            if (headerLength > size - 8) {
                throw fail(
                        "header length",
                        "the header claims " + headerLength + " bytes but only " + (size - 8)
                                + " follow the length; the file is truncated or not a safetensors file");
            }
            if (headerLength < 2) {
                throw fail("header", "the header has " + headerLength + " bytes, too short for a JSON object");
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readOrFail(8, headerBytes, "header");
            String header;
            try {
                header = StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(headerBytes.flip())
                        .toString();
            } catch (CharacterCodingException e) {
                throw fail("header", "not valid UTF-8 text (" + e + "); the file is corrupt");
            }
            Object parsed;
            try {
                parsed = JsonCodec.parse(header);
            } catch (JsonCodec.SyntaxException e) {
                throw fail("header", e.getMessage() + "; the file is corrupt or not a safetensors file");
            }
            if (!(parsed instanceof Map<?, ?> entries)) {
                throw fail("header", "expected a JSON object of tensors, got " + typeName(parsed));
            }
            this.dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> found = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : entries.entrySet()) {
                String name = (String) entry.getKey();
                if (METADATA.equals(name)) {
                    readMetadata(entry.getValue(), meta);
                } else {
                    found.put(name, tensorInfo(name, entry.getValue(), dataSize));
                }
            }
            checkLayout(found, dataSize);
            this.metadata = Collections.unmodifiableMap(meta);
            this.tensors = Collections.unmodifiableMap(found);
            this.checksums = meta.containsKey(CHECKSUMS) ? readChecksums(meta.get(CHECKSUMS), found) : null;
        }

        /** The {@value #CHECKSUMS} entry: one well-formed checksum for every tensor, and none for others. */
        private Map<String, Long> readChecksums(String json, Map<String, TensorInfo> found) throws ModelFileException {
            String field = METADATA + "." + CHECKSUMS;
            Object parsed;
            try {
                parsed = JsonCodec.parse(json);
            } catch (JsonCodec.SyntaxException e) {
                throw fail(field, e.getMessage() + "; the header is corrupt");
            }
            if (!(parsed instanceof Map<?, ?> map)) {
                throw fail(
                        field,
                        "expected a JSON object of tensor names to CRC32C checksums, got " + typeName(parsed)
                                + "; the header is corrupt");
            }
            Map<String, Long> sums = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String name = (String) entry.getKey();
                if (!found.containsKey(name)) {
                    throw fail(
                            field,
                            "has a checksum for tensor " + describe(name)
                                    + ", which the file does not hold; the header is corrupt");
                }
                if (!(entry.getValue() instanceof String text)
                        || !CRC_TEXT.matcher(text).matches()) {
                    throw fail(
                            field,
                            "the checksum of tensor " + describe(name) + " must be 8 lowercase hex digits, got "
                                    + describe(entry.getValue()) + "; the header is corrupt");
                }
                sums.put(name, Long.parseLong(text, 16));
            }
            for (String name : found.keySet()) {
                if (!sums.containsKey(name)) {
                    throw fail(field, "has no checksum for tensor " + describe(name) + "; the header is corrupt");
                }
            }
            return sums;
        }

        /**
         * Reads every tensor's data once: compares its CRC32C with the header's {@value #CHECKSUMS}
         * entry when the file has one, and checks that every {@link DType#F32} value is finite (a
         * model or optimizer state with NaN or infinite values cannot be used or trained further).
         * The result is kept: later calls return it without reading again.
         *
         * @return true when the checksums were verified; false when the file records none (it was
         *         written by version 0.1 or another writer), so damage to its data cannot be detected
         * @throws ModelFileException naming the first tensor whose checksum differs (expected and
         *         actual) or that holds a non-finite value (its first such element)
         */
        public boolean verify() throws IOException {
            if (verified == null) {
                for (TensorInfo info : tensors.values()) {
                    verify(info);
                }
                verified = checksums != null;
            }
            return verified;
        }

        private void verify(TensorInfo info) throws IOException {
            String field = "tensor '" + info.name() + "'";
            CRC32C crc = new CRC32C();
            long firstBad = -1;
            float bad = 0;
            long position = dataStart + info.begin();
            long remaining = info.end() - info.begin();
            long element = 0;
            ByteBuffer chunk =
                    ByteBuffer.allocate((int) Math.min(CHUNK, remaining)).order(ByteOrder.LITTLE_ENDIAN);
            while (remaining > 0) {
                int n = (int) Math.min(CHUNK, remaining);
                chunk.clear().limit(n);
                readOrFail(position, chunk, field);
                chunk.flip();
                crc.update(chunk.duplicate());
                if (info.dtype() == DType.F32 && firstBad < 0) {
                    for (int i = 0; i < n / 4; i++) {
                        float value = chunk.getFloat(4 * i);
                        if (!Float.isFinite(value)) {
                            firstBad = element + i;
                            bad = value;
                            break;
                        }
                    }
                }
                element += n / 4;
                position += n;
                remaining -= n;
            }
            if (checksums != null && crc.getValue() != checksums.get(info.name())) {
                throw fail(
                        field,
                        String.format(
                                Locale.ROOT,
                                "its data has CRC32C %08x but the header records %08x: the data was damaged after "
                                        + "it was written; use another copy of the file",
                                crc.getValue(),
                                checksums.get(info.name())));
            }
            if (firstBad >= 0) {
                throw fail(
                        field,
                        "element " + firstBad + " (row-major) is " + bad + "; a model or optimizer state with "
                                + "non-finite values cannot be used or trained further (training diverged "
                                + "before it was saved, or the file is damaged): use an earlier file");
            }
        }

        private void readMetadata(Object value, Map<String, String> into) throws ModelFileException {
            if (!(value instanceof Map<?, ?> map)) {
                throw fail(METADATA, "expected an object of strings, got " + typeName(value));
            }
            for (Map.Entry<?, ?> item : map.entrySet()) {
                if (!(item.getValue() instanceof String text)) {
                    throw fail(
                            METADATA + "." + item.getKey(),
                            "expected a string value (safetensors metadata maps " + "strings to strings), got "
                                    + typeName(item.getValue()));
                }
                into.put((String) item.getKey(), text);
            }
        }

        private TensorInfo tensorInfo(String name, Object value, long dataSize) throws ModelFileException {
            String field = "tensor '" + name + "'";
            if (name.isEmpty()) {
                throw fail(field, "a tensor needs a non-empty name");
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw fail(field, "expected an object with dtype, shape and data_offsets, got " + typeName(value));
            }
            for (Object key : map.keySet()) {
                if (!List.of("dtype", "shape", "data_offsets").contains(key)) {
                    throw fail(field, "unknown key \"" + key + "\"; a tensor entry has dtype, shape and data_offsets");
                }
            }
            Object dtypeValue = map.get("dtype");
            if (!(dtypeValue instanceof String dtypeName)) {
                throw fail(field, "dtype: expected a string such as \"F32\", got " + typeName(dtypeValue));
            }
            DType dtype = DType.byName(dtypeName);
            if (dtype == null) {
                throw fail(
                        field,
                        "unknown dtype \"" + dtypeName + "\"; expected one of " + Arrays.toString(DType.values()));
            }
            if (!(map.get("shape") instanceof List<?> shapeList)) {
                throw fail(field, "shape: expected an array of sizes, got " + typeName(map.get("shape")));
            }
            if (shapeList.size() > MAX_RANK) {
                throw fail(field, "shape has " + shapeList.size() + " dimensions, more than the limit of " + MAX_RANK);
            }
            long[] shape = new long[shapeList.size()];
            long numel = 1;
            for (int d = 0; d < shape.length; d++) {
                if (!(shapeList.get(d) instanceof Long size) || size < 0) {
                    throw fail(
                            field,
                            "shape entry " + d + ": expected a non-negative integer, got "
                                    + describe(shapeList.get(d)));
                }
                shape[d] = size;
                try {
                    numel = Math.multiplyExact(numel, size);
                } catch (ArithmeticException e) {
                    throw fail(field, "shape " + shapeList + " has more elements than a 64-bit count holds");
                }
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(numel, dtype.bytes());
            } catch (ArithmeticException e) {
                throw fail(
                        field, "shape " + shapeList + " of " + dtype + " needs more bytes than a 64-bit count holds");
            }
            if (!(map.get("data_offsets") instanceof List<?> offsets) || offsets.size() != 2) {
                throw fail(field, "data_offsets: expected [begin, end], got " + describe(map.get("data_offsets")));
            }
            if (!(offsets.get(0) instanceof Long begin)
                    || !(offsets.get(1) instanceof Long end)
                    || begin < 0
                    || end < begin) {
                throw fail(field, "data_offsets: expected two integers 0 <= begin <= end, got " + offsets);
            }
            if (end > dataSize) {
                throw fail(
                        field,
                        "data_offsets " + offsets + " reach past the end of the data section (" + dataSize
                                + " bytes); the file is truncated or corrupt");
            }
            if (end - begin != bytes) {
                throw fail(
                        field,
                        "data_offsets " + offsets + " hold " + (end - begin) + " bytes but shape " + shapeList + " of "
                                + dtype + " needs " + bytes);
            }
            return new TensorInfo(name, dtype, shape, begin, end);
        }

        private void checkLayout(Map<String, TensorInfo> found, long dataSize) throws ModelFileException {
            List<TensorInfo> ordered = new ArrayList<>(found.values());
            ordered.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
            long expected = 0;
            TensorInfo previous = null;
            for (TensorInfo info : ordered) {
                if (info.begin() < expected) {
                    throw fail(
                            "tensor '" + info.name() + "'",
                            "data_offsets [" + info.begin() + ", " + info.end()
                                    + "] overlap those of tensor '" + previous.name() + "' [" + previous.begin() + ", "
                                    + previous.end() + "]; the file is corrupt");
                }
                if (info.begin() > expected) {
                    throw fail(
                            "tensor '" + info.name() + "'",
                            "data_offsets [" + info.begin() + ", " + info.end()
                                    + "] leave a gap of " + (info.begin() - expected)
                                    + " bytes before them; tensors must cover "
                                    + "the data section without gaps");
                }
                expected = info.end();
                previous = info;
            }
            if (expected != dataSize) {
                throw fail(
                        "data section",
                        "the tensors cover " + expected + " bytes but the data section has " + dataSize
                                + "; the file has trailing bytes or its header is corrupt");
            }
        }

        /** The file's name, as used in messages. */
        public String source() {
            return source;
        }

        /** The {@code __metadata__} map (empty when absent). */
        public Map<String, String> metadata() {
            return metadata;
        }

        /** The tensors in header order. */
        public List<TensorInfo> tensors() {
            return List.copyOf(tensors.values());
        }

        /** The entry of tensor {@code name}, or null when there is none. */
        public TensorInfo tensor(String name) {
            return tensors.get(name);
        }

        /**
         * The entry of tensor {@code name}, required to exist with this dtype and shape.
         *
         * @throws ModelFileException naming the tensor and what was expected
         */
        public TensorInfo require(String name, DType dtype, long... shape) throws ModelFileException {
            TensorInfo info = tensors.get(name);
            if (info == null) {
                throw fail("tensor '" + name + "'", "missing; expected " + dtype + " " + Arrays.toString(shape));
            }
            if (info.dtype() != dtype || !Arrays.equals(info.shape, shape)) {
                throw fail(
                        "tensor '" + name + "'",
                        "expected " + dtype + " " + Arrays.toString(shape) + ", got " + info.dtype() + " "
                                + info.shapeString());
            }
            return info;
        }

        /**
         * The data of an {@link DType#F32} tensor, row-major.
         *
         * @throws ModelFileException for another dtype, a tensor too large for one array or the free heap
         */
        public float[] floats(TensorInfo info) throws IOException {
            if (info.dtype() != DType.F32) {
                throw fail("tensor '" + info.name() + "'", "expected dtype F32, got " + info.dtype());
            }
            int n = elements(info, 4);
            float[] out = new float[n];
            long position = dataStart + info.begin();
            int done = 0;
            while (done < n) {
                int count = Math.min(CHUNK / 4, n - done);
                ByteBuffer chunk = ByteBuffer.allocate(count * 4).order(ByteOrder.LITTLE_ENDIAN);
                readOrFail(position, chunk, "tensor '" + info.name() + "'");
                chunk.flip().asFloatBuffer().get(out, done, count);
                position += 4L * count;
                done += count;
            }
            return out;
        }

        /**
         * The data of an {@link DType#I64} or {@link DType#I32} tensor, row-major, as longs.
         *
         * @throws ModelFileException for another dtype, a tensor too large for one array or the free heap
         */
        public long[] longs(TensorInfo info) throws IOException {
            if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
                throw fail("tensor '" + info.name() + "'", "expected dtype I64 (or I32), got " + info.dtype());
            }
            return longs(info, 0, elements(info, 8));
        }

        /**
         * Elements {@code [from, from + count)} (row-major) of an {@link DType#I64} or {@link DType#I32}
         * tensor, as longs: a piece of a large index tensor, read without loading all of it.
         *
         * @throws IllegalArgumentException when the range is outside the tensor
         */
        public long[] longs(TensorInfo info, long from, int count) throws IOException {
            if (info.dtype() != DType.I64 && info.dtype() != DType.I32) {
                throw fail("tensor '" + info.name() + "'", "expected dtype I64 (or I32), got " + info.dtype());
            }
            if (from < 0 || count < 0 || from + count > info.numel()) {
                throw new IllegalArgumentException("elements [" + from + ", " + (from + count)
                        + ") are outside tensor '" + info.name() + "' of " + info.numel() + " elements");
            }
            int width = info.dtype().bytes();
            long[] out = new long[count];
            long position = dataStart + info.begin() + from * width;
            int done = 0;
            while (done < count) {
                int n = Math.min(CHUNK / width, count - done);
                ByteBuffer chunk = ByteBuffer.allocate(n * width).order(ByteOrder.LITTLE_ENDIAN);
                readOrFail(position, chunk, "tensor '" + info.name() + "'");
                chunk.flip();
                for (int i = 0; i < n; i++) {
                    out[done + i] = width == 8 ? chunk.getLong() : chunk.getInt();
                }
                position += (long) width * n;
                done += n;
            }
            return out;
        }

        private int elements(TensorInfo info, int bytesPerElement) throws ModelFileException {
            long n = info.numel();
            if (n > MAX_ELEMENTS) {
                throw fail(
                        "tensor '" + info.name() + "'",
                        "has " + n + " elements, more than one Java array holds (" + MAX_ELEMENTS + ")");
            }
            long bytes = n * bytesPerElement;
            long free = freeHeap();
            if (bytes > free) {
                throw fail(
                        "tensor '" + info.name() + "'",
                        String.format(
                                Locale.ROOT,
                                "loading its %,d elements needs about %,d bytes of Java heap but only %,d are free; give the "
                                        + "JVM more memory (-Xmx)",
                                n,
                                bytes,
                                free));
            }
            return (int) n;
        }

        private void readOrFail(long position, ByteBuffer target, String field) throws IOException {
            if (!data.read(position, target)) {
                throw fail(field, "the file ends early (it changed while being read, or is truncated)");
            }
        }

        private ModelFileException fail(String field, String problem) {
            return new ModelFileException(source, field, problem);
        }

        @Override
        public void close() throws IOException {
            data.close();
        }
    }

    /** What the heap can still grow into. */
    static long freeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    private static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return JsonCodec.quote(text.length() > 40 ? text.substring(0, 40) + "..." : text);
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            String json = String.valueOf(value);
            return json.length() > 60 ? json.substring(0, 60) + "..." : json;
        }
        return String.valueOf(value);
    }

    // ---- writing --------------------------------------------------------------------------

    /**
     * Collects tensors and metadata and writes them as one safetensors file. The arrays are not
     * copied: do not change them until the file is written.
     */
    public static final class Writer {

        private final Map<String, String> metadata = new LinkedHashMap<>();
        private final Map<String, Pending> tensors = new LinkedHashMap<>();

        /** An empty writer. */
        public Writer() {}

        private record Pending(DType dtype, long[] shape, Object data, long numel) {}

        /**
         * Adds a {@code __metadata__} entry; a later value for the same key replaces the earlier one.
         * The writer fills {@value #CHECKSUMS} itself.
         */
        public Writer metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        /** Adds an {@link DType#F32} tensor; {@code data.length} must be the product of {@code shape}. */
        public Writer addFloats(String name, float[] data, long... shape) {
            return add(name, DType.F32, shape, Objects.requireNonNull(data, "data"), data.length);
        }

        /** Adds an {@link DType#I64} tensor. */
        public Writer addLongs(String name, long[] data, long... shape) {
            return add(name, DType.I64, shape, Objects.requireNonNull(data, "data"), data.length);
        }

        /** Adds an {@link DType#I64} tensor from ints (widened when written), e.g. connection indices. */
        public Writer addIntsAsLongs(String name, int[] data, long... shape) {
            return add(name, DType.I64, shape, Objects.requireNonNull(data, "data"), data.length);
        }

        /** Adds a tensor a layer or optimizer described (see {@link HostTensor}). */
        public Writer add(String name, HostTensor tensor) {
            long numel = 1;
            for (long size : tensor.shape()) {
                numel *= size;
            }
            return add(name, tensor.dtype(), tensor.shape(), tensor.data(), Math.toIntExact(numel));
        }

        /**
         * Adds an {@link DType#I64} tensor of shape {@code (rows.length, n)} from ints, one array per
         * row of equal length {@code n}, without concatenating them: e.g. the {@code (2, nnz)}
         * connection indices, output rows then input columns.
         */
        public Writer addIntRowsAsLongs(String name, int[]... rows) {
            Objects.requireNonNull(rows, "rows");
            int n = rows.length == 0 ? 0 : Objects.requireNonNull(rows[0], "row 0").length;
            for (int r = 0; r < rows.length; r++) {
                if (Objects.requireNonNull(rows[r], "row " + r).length != n) {
                    throw new IllegalArgumentException(
                            "tensor '" + name + "': row " + r + " has " + rows[r].length + " values, row 0 has " + n);
                }
            }
            return add(name, DType.I64, new long[] {rows.length, n}, rows.clone(), Math.multiplyExact(rows.length, n));
        }

        private Writer add(String name, DType dtype, long[] shape, Object data, int length) {
            Objects.requireNonNull(name, "tensor name");
            Objects.requireNonNull(shape, "shape");
            if (name.isEmpty() || METADATA.equals(name)) {
                throw new IllegalArgumentException(
                        "tensor name must be non-empty and not " + METADATA + ", got '" + name + "'");
            }
            if (tensors.containsKey(name)) {
                throw new IllegalArgumentException("tensor '" + name + "' was added twice; names must be unique");
            }
            long numel = 1;
            for (long size : shape) {
                if (size < 0) {
                    throw new IllegalArgumentException(
                            "tensor '" + name + "': shape " + Arrays.toString(shape) + " has a negative size");
                }
                numel = Math.multiplyExact(numel, size);
            }
            if (numel != length) {
                throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " has "
                        + numel + " elements but " + length + " values were given");
            }
            tensors.put(name, new Pending(dtype, shape.clone(), data, numel));
            return this;
        }

        /** Writes the file atomically (see {@link AtomicFile}). */
        public void write(Path file) throws IOException {
            AtomicFile.write(file, this::writeTo);
        }

        /** The file as bytes, for small files and tests. */
        public byte[] toBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                writeTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }

        /**
         * Writes the whole file to {@code out}: length, header, data. The metadata gets the
         * tensors' checksums under {@value #CHECKSUMS}, replacing any value given for that key.
         */
        public void writeTo(OutputStream out) throws IOException {
            Map<String, Object> meta = new LinkedHashMap<>(metadata);
            meta.remove(CHECKSUMS);
            meta.put(CHECKSUMS, checksums());
            Map<String, Object> header = new LinkedHashMap<>();
            header.put(METADATA, meta);
            long offset = 0;
            for (Map.Entry<String, Pending> entry : tensors.entrySet()) {
                Pending tensor = entry.getValue();
                long bytes = tensor.numel * tensor.dtype.bytes();
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("dtype", tensor.dtype.name());
                List<Object> shape = new ArrayList<>();
                for (long size : tensor.shape) {
                    shape.add(size);
                }
                info.put("shape", shape);
                info.put("data_offsets", List.of(offset, offset + bytes));
                header.put(entry.getKey(), info);
                offset += bytes;
            }
            byte[] json = JsonCodec.write(header).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8;
            ByteBuffer prefix =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(prefix.array());
            out.write(json);
            for (int i = json.length; i < padded; i++) {
                out.write(' ');
            }
            for (Pending tensor : tensors.values()) {
                writeData(tensor, out);
            }
            out.flush();
        }

        /** The {@value #CHECKSUMS} entry: each tensor's data, as {@link #writeData} writes it, through CRC32C. */
        private String checksums() throws IOException {
            Map<String, Object> sums = new LinkedHashMap<>();
            for (Map.Entry<String, Pending> entry : tensors.entrySet()) {
                CRC32C crc = new CRC32C();
                writeData(entry.getValue(), new CheckedOutputStream(OutputStream.nullOutputStream(), crc));
                sums.put(entry.getKey(), String.format(Locale.ROOT, "%08x", crc.getValue()));
            }
            return JsonCodec.write(sums);
        }

        private static void writeData(Pending tensor, OutputStream out) throws IOException {
            if (tensor.data instanceof int[][] rows) {
                for (int[] row : rows) {
                    writeData(new Pending(tensor.dtype, new long[] {row.length}, row, row.length), out);
                }
                return;
            }
            int width = tensor.dtype.bytes();
            int n = (int) tensor.numel;
            int perChunk = CHUNK / 8;
            ByteBuffer chunk = ByteBuffer.allocate(perChunk * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (int start = 0; start < n; start += perChunk) {
                int count = Math.min(perChunk, n - start);
                chunk.clear();
                if (tensor.data instanceof float[] floats) {
                    chunk.asFloatBuffer().put(floats, start, count);
                } else if (tensor.data instanceof long[] longs) {
                    chunk.asLongBuffer().put(longs, start, count);
                } else {
                    int[] ints = (int[]) tensor.data;
                    for (int i = 0; i < count; i++) {
                        if (width == 8) {
                            chunk.putLong(i * 8, ints[start + i]);
                        } else {
                            chunk.putInt(i * 4, ints[start + i]);
                        }
                    }
                }
                out.write(chunk.array(), 0, count * width);
            }
        }
    }
}
