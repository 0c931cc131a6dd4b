package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sparselinear.api.Backend;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.DataLoader;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.SGD;

/**
 * Seeded fuzzing of the model and checkpoint readers: thousands of truncated, bit-flipped and
 * re-written files. Each must either load or fail with a {@link ModelFileException} whose message
 * starts with the file name and names the field or tensor at fault; anything else (an
 * {@link ArrayIndexOutOfBoundsException}, an {@link OutOfMemoryError} from a huge claimed size, a
 * hang) fails the test with the case's kind and number, so it can be replayed.
 */
class ModelFileFuzzTest {

    private static final Backend CPU = new CpuBackend(1);

    /** The kinds of damage, and how many cases of each. */
    enum Kind {
        TRUNCATE(1000),
        BIT_FLIPS_ANYWHERE(1400),
        BIT_FLIPS_IN_HEADER(1800),
        HEADER_LENGTH(400),
        RANDOM_HEADER(1000),
        DESCRIPTION_FIELD(1400),
        INDEX_VALUES(800),
        CHECKPOINT_BIT_FLIPS(800),
        /** Flips in the tensor data of a file with checksums: every one is found. */
        DATA_BIT_FLIPS(600),
        /** The same in a file without checksums (as 0.1 wrote): loads, or fails on what the reader checks. */
        UNCHECKED_DATA_BIT_FLIPS(400),
        /** The {@code tensor_crc32c} entry removed, changed, or given another type. */
        CHECKSUM_ENTRY(800),
        /** A checkpoint with one progress count set to a random, extreme or neighbouring value. */
        CHECKPOINT_PROGRESS(400);

        final int cases;

        Kind(int cases) {
            this.cases = cases;
        }
    }

    private static final long[] EXTREMES = {
        -1,
        0,
        1,
        2,
        3,
        7,
        100,
        65_536,
        1_000_000,
        Integer.MAX_VALUE,
        Integer.MAX_VALUE + 1L,
        1L << 40,
        Long.MAX_VALUE,
        Long.MIN_VALUE
    };

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyDamagedFileLoadsOrFailsWithAClearModelFileException() {
        Sequential model = Models.rich(CPU);
        Models.train(
                model,
                new SGD(model.parameters(), 0.05, 0.9),
                new DataLoader(Models.data(32, 2), 8, true, 3, true),
                1,
                0,
                1,
                0,
                -1,
                CPU);
        byte[] modelBytes = ModelFile.toBytes(model);
        byte[] checkpointBytes = Checkpoint.toBytes(
                model, new Adam(model.parameters(), 0.01), new TrainingProgress(1, 0, 4, 3), Map.of("k", "v"));
        int headerEnd = 8
                + (int) ByteBuffer.wrap(modelBytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getLong();
        FileSurgery surgery = new FileSurgery(modelBytes);
        Map<String, Object> description = parse(surgery.metadata.get("model"));
        Map<String, Object> withoutChecksums = header(modelBytes);
        ((Map<?, ?>) withoutChecksums.get("__metadata__")).remove("tensor_crc32c");
        byte[] unchecked = rebuild(modelBytes, withoutChecksums);
        List<String> indexTensors = surgery.tensors.stream()
                .map(FileSurgery.Entry::name)
                .filter(name -> name.endsWith("indices"))
                .toList();

        SplittableRandom random = new SplittableRandom(20_260_101L);
        Map<Kind, int[]> outcomes = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            int[] counts = new int[2];
            outcomes.put(kind, counts);
            for (int i = 0; i < kind.cases; i++) {
                String name = kind.name().toLowerCase(Locale.ROOT) + "-" + i;
                byte[] bytes =
                        switch (kind) {
                            case TRUNCATE -> Arrays.copyOf(modelBytes, random.nextInt(modelBytes.length));
                            case BIT_FLIPS_ANYWHERE ->
                                flip(modelBytes, 0, modelBytes.length, 1 + random.nextInt(4), random);
                            case BIT_FLIPS_IN_HEADER -> flip(modelBytes, 0, headerEnd, 1 + random.nextInt(3), random);
                            case HEADER_LENGTH -> headerLength(modelBytes, random);
                            case RANDOM_HEADER -> randomHeader(surgery, random);
                            case DESCRIPTION_FIELD -> mutateDescription(surgery, description, random);
                            case INDEX_VALUES -> mutateIndices(surgery, indexTensors, random);
                            case CHECKPOINT_BIT_FLIPS ->
                                flip(checkpointBytes, 0, checkpointBytes.length, 1 + random.nextInt(3), random);
                            case DATA_BIT_FLIPS ->
                                flip(modelBytes, headerEnd, modelBytes.length, 1 + random.nextInt(3), random);
                            case UNCHECKED_DATA_BIT_FLIPS -> {
                                int start = 8
                                        + (int) ByteBuffer.wrap(unchecked)
                                                .order(ByteOrder.LITTLE_ENDIAN)
                                                .getLong();
                                yield flip(unchecked, start, unchecked.length, 1 + random.nextInt(3), random);
                            }
                            case CHECKSUM_ENTRY -> mutateChecksums(modelBytes, random);
                            case CHECKPOINT_PROGRESS -> mutateProgress(checkpointBytes, random);
                        };
                boolean loaded = attempt(kind, name, bytes);
                counts[loaded ? 0 : 1]++;
                if (kind == Kind.DATA_BIT_FLIPS) {
                    assertFalse(loaded, name + ": a flip in the data of a file with checksums is found");
                }
            }
        }
        StringBuilder report = new StringBuilder();
        int total = 0;
        for (Map.Entry<Kind, int[]> entry : outcomes.entrySet()) {
            int[] counts = entry.getValue();
            total += counts[0] + counts[1];
            report.append(String.format(
                    Locale.ROOT,
                    "%-24s %5d cases: %5d loaded, %5d rejected%n",
                    entry.getKey(),
                    counts[0] + counts[1],
                    counts[0],
                    counts[1]));
        }
        System.out.print("model file fuzzing, " + total + " cases:\n" + report);
        assertTrue(total >= 8000, report.toString());
        assertEquals(
                Kind.TRUNCATE.cases, outcomes.get(Kind.TRUNCATE)[1], "every truncated file is rejected\n" + report);
        assertEquals(Kind.HEADER_LENGTH.cases, outcomes.get(Kind.HEADER_LENGTH)[1], report.toString());
        for (Kind kind :
                List.of(Kind.BIT_FLIPS_IN_HEADER, Kind.RANDOM_HEADER, Kind.DESCRIPTION_FIELD, Kind.INDEX_VALUES)) {
            assertTrue(outcomes.get(kind)[1] > kind.cases / 2, kind + " mostly rejected\n" + report);
        }
        assertTrue(
                outcomes.get(Kind.UNCHECKED_DATA_BIT_FLIPS)[0] > 0,
                "without checksums, flips in the weights still load\n" + report);
        assertTrue(
                outcomes.get(Kind.CHECKSUM_ENTRY)[0] > 0 && outcomes.get(Kind.CHECKSUM_ENTRY)[1] > 0,
                "a removed entry loads, a changed one is refused\n" + report);
        assertTrue(
                outcomes.get(Kind.CHECKPOINT_PROGRESS)[0] > 0 && outcomes.get(Kind.CHECKPOINT_PROGRESS)[1] > 0,
                "possible progress loads, impossible progress is refused\n" + report);
    }

    /** True when the file loaded; false when it was rejected properly; fails the test otherwise. */
    private static boolean attempt(Kind kind, String name, byte[] bytes) {
        try {
            if (kind == Kind.CHECKPOINT_BIT_FLIPS || kind == Kind.CHECKPOINT_PROGRESS) {
                Checkpoint.read(bytes, name).buildModel(CPU);
            } else {
                ModelFile.load(bytes, name, CPU);
            }
            return true;
        } catch (ModelFileException e) {
            assertFalse(e.field().isBlank(), name + ": " + e.getMessage());
            if (kind == Kind.DATA_BIT_FLIPS) {
                assertTrue(
                        e.field().startsWith("tensor '") && e.getMessage().contains("CRC32C"),
                        name + " names the damaged tensor: " + e.getMessage());
            }
            assertTrue(e.getMessage().startsWith(name + ": " + e.field() + ": "), name + ": " + e.getMessage());
            assertTrue(
                    e.getMessage().length() > name.length() + e.field().length() + 10,
                    name + " says what is wrong: " + e.getMessage());
            return false;
        } catch (Throwable e) {
            fail("case " + name + " failed with " + e + " instead of a ModelFileException", e);
            return false;
        }
    }

    private static byte[] flip(byte[] original, int from, int to, int flips, SplittableRandom random) {
        byte[] bytes = original.clone();
        for (int f = 0; f < flips; f++) {
            int position = from + random.nextInt(to - from);
            bytes[position] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private static byte[] headerLength(byte[] original, SplittableRandom random) {
        byte[] bytes = original.clone();
        long actual = ByteBuffer.wrap(original).order(ByteOrder.LITTLE_ENDIAN).getLong();
        long[] choices = {
            random.nextLong(),
            actual + 1 + random.nextInt(64),
            actual - 1 - random.nextInt(8),
            0,
            original.length - 8 + 1 + random.nextInt(1000),
            100_000_001L + random.nextInt(1 << 20),
            -1,
            random.nextLong(1L << 62)
        };
        long value = choices[random.nextInt(choices.length)];
        if (value == actual) {
            value = actual + 8;
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return bytes;
    }

    /** The file with its {@code tensor_crc32c} entry removed, one checksum changed, dropped, added, or of another type. */
    @SuppressWarnings("unchecked")
    private static byte[] mutateChecksums(byte[] good, SplittableRandom random) {
        Map<String, Object> header = header(good);
        Map<String, Object> metadata = (Map<String, Object>) header.get("__metadata__");
        Map<String, Object> sums = parse((String) metadata.get("tensor_crc32c"));
        List<String> names = new ArrayList<>(sums.keySet());
        String name = names.get(random.nextInt(names.size()));
        String entry = null;
        switch (random.nextInt(8)) {
            case 0 -> metadata.remove("tensor_crc32c");
            case 1 -> sums.put(name, String.format(Locale.ROOT, "%08x", random.nextInt() & 0xffffffffL));
            case 2 -> sums.remove(name);
            case 3 -> sums.put(name + random.nextInt(3), sums.get(name));
            case 4 -> sums.put(name, random.nextBoolean() ? EXTREMES[random.nextInt(EXTREMES.length)] : null);
            case 5 -> sums.put(name, ((String) sums.get(name)).substring(random.nextInt(8)));
            case 6 -> sums.put(name, sums.get(names.get(random.nextInt(names.size()))));
            default ->
                entry = List.of("", "{", "[]", "null", "{\"\":\"00000000\"}").get(random.nextInt(5));
        }
        if (metadata.containsKey("tensor_crc32c")) {
            metadata.put("tensor_crc32c", entry != null ? entry : JsonCodec.write(sums));
        }
        return rebuild(good, header);
    }

    /** The checkpoint with one of its progress counts changed (it holds 1 epoch, 0 batches, 4 steps). */
    @SuppressWarnings("unchecked")
    private static byte[] mutateProgress(byte[] good, SplittableRandom random) {
        FileSurgery changed = new FileSurgery(good);
        Map<String, Object> entry = parse(changed.metadata.get("checkpoint"));
        Map<String, Object> progress = (Map<String, Object>) entry.get("progress");
        String key = List.of("completed_epochs", "batches_into_epoch", "step").get(random.nextInt(3));
        long value = (Long) progress.get(key);
        progress.put(
                key, random.nextBoolean() ? EXTREMES[random.nextInt(EXTREMES.length)] : value + random.nextInt(9) - 4);
        changed.metadata.put("checkpoint", JsonCodec.write(entry));
        return changed.bytes();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> header(byte[] file) {
        int length = (int) ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return parse(new String(file, 8, length, StandardCharsets.UTF_8));
    }

    /** {@code header} followed by the data section of {@code good}. */
    private static byte[] rebuild(byte[] good, Map<String, Object> header) {
        int dataStart =
                8 + (int) ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong();
        int dataSize = good.length - dataStart;
        byte[] json = JsonCodec.write(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + dataSize).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(good, dataStart, dataSize);
        return out.array();
    }

    /** A header written from scratch: real tensor names with random dtypes, shapes and offsets; the real data. */
    private static byte[] randomHeader(FileSurgery surgery, SplittableRandom random) {
        byte[] good = surgery.bytes();
        Map<String, Object> header = new LinkedHashMap<>();
        if (random.nextInt(4) > 0) {
            Map<String, Object> metadata = new LinkedHashMap<>(surgery.metadata);
            if (random.nextBoolean()) {
                metadata.put("model", "{\"class\":\"" + (random.nextBoolean() ? "Sequential" : "SparseLinear") + "\"}");
            }
            header.put("__metadata__", random.nextInt(10) == 0 ? List.of(1L) : metadata);
        }
        long offset = 0;
        for (FileSurgery.Entry entry : surgery.tensors) {
            if (random.nextInt(10) == 0) {
                continue;
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put(
                    "dtype",
                    List.of("F32", "I64", "F16", "I32", "BOOL", "F32x", "").get(random.nextInt(7)));
            List<Object> shape = new ArrayList<>();
            int rank = random.nextInt(4);
            for (int d = 0; d < rank; d++) {
                shape.add(
                        random.nextInt(3) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : (long) random.nextInt(20));
            }
            info.put("shape", random.nextInt(20) == 0 ? "shape" : shape);
            long length = random.nextInt(3) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : random.nextInt(200);
            long begin = random.nextInt(4) == 0 ? EXTREMES[random.nextInt(EXTREMES.length)] : offset;
            info.put("data_offsets", List.of(begin, begin + length));
            offset = begin + length;
            header.put(random.nextInt(15) == 0 ? entry.name() + "?" : entry.name(), info);
        }
        return rebuild(good, header);
    }

    /** The real tensors with one field of the layer description changed, removed, or given another type. */
    private static byte[] mutateDescription(
            FileSurgery surgery, Map<String, Object> description, SplittableRandom random) {
        Map<String, Object> copy = parse(JsonCodec.write(description));
        List<Map<String, Object>> objects = new ArrayList<>();
        collect(copy, objects);
        Map<String, Object> target = objects.get(random.nextInt(objects.size()));
        List<String> keys = new ArrayList<>(target.keySet());
        String key = keys.get(random.nextInt(keys.size()));
        switch (random.nextInt(6)) {
            case 0 -> target.remove(key);
            case 1 -> target.put(key, EXTREMES[random.nextInt(EXTREMES.length)]);
            case 2 -> target.put(key, random.nextBoolean() ? "x" : List.of());
            case 3 -> target.put(key, random.nextBoolean() ? null : random.nextDouble() * 4 - 2);
            case 4 -> target.put(key, random.nextBoolean());
            default -> target.put(key, target.get(key) instanceof Long n ? n + random.nextInt(5) - 2 : Map.of());
        }
        FileSurgery changed = copy(surgery);
        changed.metadata.put("model", JsonCodec.write(copy));
        return changed.bytes();
    }

    /** The real file with some connection indices set to random, extreme or neighbouring values. */
    private static byte[] mutateIndices(FileSurgery surgery, List<String> names, SplittableRandom random) {
        FileSurgery changed = copy(surgery);
        String name = names.get(random.nextInt(names.size()));
        FileSurgery.Entry entry = changed.tensor(name);
        long[] indices = ((long[]) entry.data()).clone();
        int changes = 1 + random.nextInt(3);
        for (int c = 0; c < changes; c++) {
            int k = random.nextInt(indices.length);
            indices[k] = switch (random.nextInt(3)) {
                case 0 -> EXTREMES[random.nextInt(EXTREMES.length)];
                case 1 -> indices[random.nextInt(indices.length)];
                default -> indices[k] + random.nextInt(5) - 2;
            };
        }
        changed.replace(name, entry.shape(), indices);
        return changed.bytes();
    }

    private static FileSurgery copy(FileSurgery surgery) {
        return new FileSurgery(surgery.bytes());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String json) {
        try {
            return (Map<String, Object>) JsonCodec.parse(json);
        } catch (JsonCodec.SyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static void collect(Object node, List<Map<String, Object>> into) {
        if (node instanceof Map<?, ?> map) {
            into.add((Map<String, Object>) map);
            for (Object value : map.values()) {
                collect(value, into);
            }
        } else if (node instanceof List<?> list) {
            for (Object value : list) {
                collect(value, into);
            }
        }
    }
}
