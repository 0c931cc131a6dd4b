package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.nn.AbstractLayer;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;

/**
 * The save/load contract with int32 and int64 tensors and nested configuration, through a layer
 * kind this test registers ({@code META-INF/services} of the test classes), and the checks of
 * {@link StateWriter} and {@link HostTensor}.
 */
class SaveableContractTest {

    private static final Backend CPU = new CpuBackend(1);

    /** An identity layer with integer buffers and a nested configuration, as a plugin might write. */
    public static final class Counters extends AbstractLayer implements Saveable {
        static final String KIND = "org.sparselinear.io.SaveableContractTest.Counters";
        final int[] hits;
        final long[] seen;
        final Map<String, Object> settings;

        Counters(int[] hits, long[] seen, Map<String, Object> settings) {
            this.hits = hits;
            this.seen = seen;
            this.settings = settings;
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String toString() {
            return "Counters(" + hits.length + ")";
        }

        @Override
        public void describe(StateWriter out) {
            out.config("settings", settings).config("size", hits.length);
            out.tensor("hits", HostTensor.i32(hits, hits.length))
                    .tensor("seen", HostTensor.i64(seen, 2, seen.length / 2));
        }
    }

    /** Registered for the test in {@code META-INF/services/org.sparselinear.io.LayerProvider}. */
    public static final class CountersKind implements LayerProvider {

        @Override
        public Map<String, Kind> layerKinds() {
            return Map.of(Counters.KIND, reader -> {
                Config config = reader.config();
                int size = config.positiveInt("size");
                Config settings = config.object("settings");
                settings.string("name");
                settings.list("ratios");
                @SuppressWarnings("unchecked") // a parsed JSON object: string keys
                Map<String, Object> copy = (Map<String, Object>) config.value("settings");
                int[] hits = reader.ints("hits", size);
                long[] seen = reader.longs("seen", 2, 2);
                return new SavedLayer() {
                    @Override
                    public Layer build(Backend backend) {
                        return new Counters(hits, seen, copy);
                    }

                    @Override
                    public Runnable prepareRestore(Layer target) {
                        return () -> System.arraycopy(hits, 0, ((Counters) target).hits, 0, size);
                    }

                    @Override
                    public String description() {
                        return "Counters(" + size + ")";
                    }

                    @Override
                    public long parameterCount() {
                        return 0;
                    }
                };
            });
        }
    }

    private static Counters counters() {
        Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("name", "c");
        settings.put("ratios", List.of(0.5, 2L));
        return new Counters(new int[] {3, -7, 2147483647}, new long[] {1L << 40, -5, 0, 9}, settings);
    }

    @Test
    void integerTensorsAndNestedConfigurationSurviveATrip() throws IOException {
        byte[] file = ModelFile.toBytes(new Sequential(counters(), new ReLU()));
        try (SafeTensors.Contents contents = SafeTensors.read(file, "c")) {
            assertEquals(SafeTensors.DType.I32, contents.tensor("0.hits").dtype());
            assertEquals(SafeTensors.DType.I64, contents.tensor("0.seen").dtype());
        }
        Sequential loaded = (Sequential) ModelFile.load(file, "c", CPU);
        Counters counters = assertInstanceOf(Counters.class, loaded.layers().get(0));
        assertArrayEquals(new int[] {3, -7, 2147483647}, counters.hits);
        assertArrayEquals(new long[] {1L << 40, -5, 0, 9}, counters.seen);
        assertEquals(List.of(0.5, 2L), counters.settings.get("ratios"));
        assertArrayEquals(file, ModelFile.toBytes(loaded));
    }

    @Test
    void readersCheckIntegerTensors() {
        byte[] file = ModelFile.toBytes(
                new Counters(new int[] {1}, new long[] {0, 0, 0, 0}, Map.of("name", "c", "ratios", List.of())));
        ModelFileException wrongShape = assertThrows(
                ModelFileException.class,
                () -> ModelFile.load(
                        ModelFile.toBytes(new Counters(
                                new int[] {1}, new long[] {1, 2}, Map.of("name", "c", "ratios", List.of()))),
                        "shape",
                        CPU));
        assertEquals("tensor 'seen'", wrongShape.field(), wrongShape.getMessage());
        assertTrue(
                wrongShape.getMessage().contains("expected I64 or I32 [2, 2], got I64 [2, 1]"),
                wrongShape.getMessage());
        assertInstanceOf(Counters.class, assertDoesNotThrow(() -> ModelFile.load(file, "ok", CPU)));
    }

    @Test
    void writerRefusesWhatAFileCannotHold() {
        StateWriter out = new StateWriter();
        assertThrows(IllegalArgumentException.class, () -> out.config("class", "x"), "reserved key");
        assertThrows(IllegalArgumentException.class, () -> out.config("nan", Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> out.config("object", new Object()));
        out.config("ok", Map.of("a", List.of(1, 2.5, true)));
        assertThrows(IllegalArgumentException.class, () -> out.config("ok", 1), "repeated key");
        assertThrows(IllegalArgumentException.class, () -> HostTensor.f32(new float[3], 2, 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> new HostTensor(SafeTensors.DType.I32, new long[] {1}, new float[1]));
        out.tensor("t", HostTensor.i64(new long[2], 2));
        assertThrows(IllegalArgumentException.class, () -> out.tensor("t", HostTensor.i64(new long[2], 2)));
    }
}
