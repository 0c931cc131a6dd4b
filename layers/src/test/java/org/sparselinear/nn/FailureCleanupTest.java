package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.LayerProvider;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.OptimizerProvider;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.SavedOptimizer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/**
 * What a failure half-way leaves behind: a model file that cannot be rebuilt, a file whose model is
 * not the one asked for, a checkpoint whose optimizer provider builds the wrong kind, and a close
 * whose first step fails each free every device buffer they had already allocated.
 */
class FailureCleanupTest {

    private static final Backend CPU = new CpuBackend(2);

    /** Every {@link Tracked} layer the test provider built, in order. */
    private static final List<Tracked> BUILT = new ArrayList<>();

    /** Every optimizer the {@link MislabeledKind} provider built, in order. */
    private static final List<SGD> BUILT_OPTIMIZERS = new ArrayList<>();

    @TempDir
    Path temp;

    @BeforeEach
    void forget() {
        BUILT.clear();
        BUILT_OPTIMIZERS.clear();
    }

    /** A layer with one parameter whose rebuilds are recorded in {@link #BUILT}. */
    static final class Tracked extends AbstractLayer implements Saveable {
        static final String KIND = "test.Tracked";
        final Parameter weight;

        Tracked(Backend backend, float[] values) {
            weight = new Parameter("weight", backend.upload(values, 1, values.length));
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(weight);
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void describe(StateWriter out) {
            out.parameter("weight", weight);
        }
    }

    /** Registered for the test in {@code META-INF/services/org.sparselinear.io.LayerProvider}. */
    public static final class TrackedKind implements LayerProvider {

        @Override
        public Map<String, Kind> layerKinds() {
            return Map.of(Tracked.KIND, reader -> {
                long[] shape = reader.shape("weight");
                float[] values = reader.floats("weight", shape);
                return new SavedLayer() {
                    @Override
                    public Layer build(Backend backend) {
                        Tracked built = new Tracked(backend, values);
                        BUILT.add(built);
                        return built;
                    }

                    @Override
                    public Runnable prepareRestore(Layer target) {
                        return () -> ((Tracked) target).weight.value().copyFrom(values);
                    }

                    @Override
                    public String description() {
                        return "Tracked(" + values.length + ")";
                    }

                    @Override
                    public long parameterCount() {
                        return values.length;
                    }
                };
            });
        }
    }

    /** An optimizer whose provider ({@link MislabeledKind}) builds an SGD, of another kind. */
    static final class Mislabeled implements Optimizer, Saveable {
        static final String KIND = "test.Mislabeled";
        private final List<Parameter> parameters;

        Mislabeled(List<Parameter> parameters) {
            this.parameters = List.copyOf(parameters);
        }

        @Override
        public List<Parameter> parameters() {
            return parameters;
        }

        @Override
        public void step() {
            throw new UnsupportedOperationException("only saved by this test");
        }

        @Override
        public void zeroGrad() {
            throw new UnsupportedOperationException("only saved by this test");
        }

        @Override
        public void remapState(Parameter parameter, int[] sourcePositions) {
            throw new UnsupportedOperationException("only saved by this test");
        }

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public void describe(StateWriter out) {
            out.config("lr", 0.1);
        }
    }

    /** Registered for the test in {@code META-INF/services/org.sparselinear.io.OptimizerProvider}. */
    public static final class MislabeledKind implements OptimizerProvider {

        @Override
        public Map<String, Kind> optimizerKinds() {
            return Map.of(Mislabeled.KIND, reader -> new SavedOptimizer() {
                @Override
                public Runnable prepareRestore(Saveable optimizer) {
                    return () -> {};
                }

                @Override
                public Saveable build(List<Parameter> parameters) {
                    SGD built = new SGD(parameters, 0.1, 0.9);
                    BUILT_OPTIMIZERS.add(built);
                    return built;
                }
            });
        }
    }

    @Test
    void aModelWhoseSecondLayerCannotBeRebuiltFreesTheFirst() {
        byte[] file =
                ModelFile.toBytes(new Sequential(new Tracked(CPU, new float[] {1, 2, 3}), new ModelFileTest.Scale()));

        ModelFileException e = assertThrows(ModelFileException.class, () -> ModelFile.load(file, "half", CPU));

        assertTrue(e.getMessage().contains("layer 1 (" + ModelFileTest.Scale.class.getName() + ")"), e.getMessage());
        assertEquals(1, BUILT.size(), "the first layer was built before the second failed");
        Tracked first = BUILT.get(0);
        assertTrue(first.isClosed(), "the first layer is closed");
        assertTrue(first.weight.isClosed(), "its parameter's device memory is freed");
    }

    @Test
    void sequentialLoadOfAnotherModelFreesWhatItBuilt() throws IOException {
        Path file = temp.resolve("tracked.safetensors");
        Files.write(file, ModelFile.toBytes(new Tracked(CPU, new float[] {4, 5})));

        ModelFileException e = assertThrows(ModelFileException.class, () -> Sequential.load(file));

        assertTrue(e.getMessage().contains("not a Sequential; load it with ModelFile.load"), e.getMessage());
        assertEquals(1, BUILT.size());
        assertTrue(BUILT.get(0).weight.isClosed(), "the loaded model is freed");
    }

    @Test
    void buildOptimizerFreesAnOptimizerOfTheWrongKind() throws IOException {
        Tracked model = new Tracked(CPU, new float[] {1, 2});
        Checkpoint checkpoint = Checkpoint.read(
                Checkpoint.toBytes(
                        model, new Mislabeled(model.parameters()), new TrainingProgress(1, 0, 3, 0), Map.of()),
                "mislabeled");

        ModelFileException e = assertThrows(ModelFileException.class, () -> checkpoint.buildOptimizer(model));

        assertTrue(
                e.getMessage().contains("of kind SGD, expected a Saveable Optimizer of kind " + Mislabeled.KIND),
                e.getMessage());
        assertEquals(1, BUILT_OPTIMIZERS.size());
        IllegalStateException closed = assertThrows(IllegalStateException.class, BUILT_OPTIMIZERS.get(0)::step);
        assertTrue(closed.getMessage().contains("was closed"), closed.getMessage());
    }

    /** A layer with sub-layers and a parameter whose own extra memory fails to free. */
    static final class Container extends AbstractLayer {
        final String name;
        final List<Layer> children;
        final Parameter weight = new Parameter("weight", CPU.zeros(1, 2));
        boolean released;

        Container(String name, Layer... children) {
            this.name = name;
            this.children = List.of(children);
        }

        @Override
        protected List<Layer> children() {
            return children;
        }

        @Override
        public Tensor forward(Tensor input) {
            return input;
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(weight);
        }

        @Override
        protected void releaseResources() {
            released = true;
            throw new IllegalStateException(name + " failed to release");
        }
    }

    @Test
    void closeFreesEverythingWhenAPartFails() {
        Container failing = new Container("child");
        Tracked other = new Tracked(CPU, new float[] {1});
        Container model = new Container("model", failing, other);

        IllegalStateException e = assertThrows(IllegalStateException.class, model::close);

        assertEquals("child failed to release", e.getMessage(), "the first failure, the first child's");
        assertEquals(1, e.getSuppressed().length, "the model's own failure is added to it");
        assertEquals("model failed to release", e.getSuppressed()[0].getMessage());
        assertTrue(failing.released && failing.weight.isClosed(), "the failing child freed the rest");
        assertTrue(other.isClosed() && other.weight.isClosed(), "the next child is freed");
        assertTrue(model.weight.isClosed() && model.released, "the model's parameter and resources are freed");
    }

    @Test
    void aParameterFreesItsGradientWhenFreeingItsValueFails() {
        DenseMatrix real = CPU.zeros(1, 3);
        DenseMatrix failingValue = (DenseMatrix) Proxy.newProxyInstance(
                DenseMatrix.class.getClassLoader(), new Class<?>[] {DenseMatrix.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        throw new IllegalStateException("device lost");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Parameter parameter = new Parameter("p", failingValue);
        DenseMatrix gradient = parameter.grad();

        IllegalStateException e = assertThrows(IllegalStateException.class, parameter::close);

        assertEquals("device lost", e.getMessage());
        assertTrue(gradient.isClosed(), "the gradient is freed anyway");
        assertTrue(parameter.isClosed());
        assertThrows(IllegalStateException.class, parameter::value, "a closed parameter cannot be used");
    }
}
