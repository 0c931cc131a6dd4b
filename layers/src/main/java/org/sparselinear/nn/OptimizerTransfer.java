package org.sparselinear.nn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Config;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.OptimizerProvider;
import org.sparselinear.io.OptimizerReader;
import org.sparselinear.io.Providers;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedOptimizer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Moves an optimizer onto parameters that replace some of its own (a layer swapped for a pruned
 * one, whose weight has fewer elements): a new optimizer of the same kind and settings over the
 * new parameters, whose state for a replaced parameter is the old state at the kept elements. It
 * goes through the optimizer's save/load contract ({@link Saveable#describe} and its
 * {@link OptimizerProvider}) in memory, exactly as a {@link org.sparselinear.io.Checkpoint} round
 * trip would, so it works for every saveable optimizer, a third party's included, and keeps the
 * state bit for bit.
 */
final class OptimizerTransfer {

    private static final String SOURCE = "optimizer transfer";

    private OptimizerTransfer() {}

    /**
     * A parameter's replacement: the new parameter, and for each of its elements the element of
     * the old one it continues (null when the two have the same elements, as a bias).
     */
    record Replacement(Parameter parameter, int[] sourcePositions) {}

    /**
     * The optimizer of {@code old}'s kind and settings over {@code old.parameters()} with each
     * replaced one swapped for its replacement, its state carried over; {@code old} is closed.
     *
     * @throws IllegalArgumentException when {@code old} is not {@link Saveable} or its kind has no provider
     */
    static Optimizer transfer(Optimizer old, Map<Parameter, Replacement> replacements) {
        if (!(old instanceof Saveable saveable)) {
            throw new IllegalArgumentException("pruning rebuilds the optimizer over the pruned layers' parameters "
                    + "through its saved state; " + old + " (" + old.getClass().getName() + ") is not Saveable. Use "
                    + "SGD, Adam, AdamW or an optimizer with an OptimizerProvider");
        }
        OptimizerProvider.Kind kind = Providers.optimizer(saveable.kind())
                .orElseThrow(() -> new IllegalArgumentException("pruning rebuilds the optimizer through its "
                        + "provider, and no OptimizerProvider offers kind '" + saveable.kind() + "' of " + old
                        + "; register one in META-INF/services/org.sparselinear.io.OptimizerProvider"));
        StateWriter described = new StateWriter();
        saveable.describe(described);
        List<Parameter> oldParameters = old.parameters();
        List<Parameter> newParameters = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < oldParameters.size(); i++) {
            Replacement replacement = replacements.get(oldParameters.get(i));
            newParameters.add(replacement != null ? replacement.parameter() : oldParameters.get(i));
            names.add(Integer.toString(i));
        }
        List<String> states = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (StateWriter.ParameterState entry : described.parameterStates()) {
            if (!states.contains(entry.state())) {
                states.add(entry.state());
            }
            int index = indexOf(oldParameters, entry.parameter());
            Replacement replacement = replacements.get(entry.parameter());
            float[] kept = replacement == null || replacement.sourcePositions() == null
                    ? entry.values()
                    : gather(entry.values(), replacement.sourcePositions());
            values.put(key(index, entry.state()), kept);
        }
        Config config = new Config(SOURCE, "optimizer", (Map<?, ?>) parseBack(described.config()));
        InMemoryState reader = new InMemoryState(config, names, List.copyOf(states), values);
        Saveable built;
        try {
            SavedOptimizer saved = kind.read(reader);
            built = saved.build(newParameters);
            try {
                if (!(built instanceof Optimizer)) {
                    throw new IllegalStateException("the provider of kind '" + saveable.kind() + "' built " + built
                            + ", not an Optimizer; fix its OptimizerProvider");
                }
                saved.prepareRestore(built).run();
            } catch (IOException | RuntimeException e) {
                if (built instanceof AutoCloseable closeable) {
                    closeQuietly(closeable, e);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException(
                    "pruning could not rebuild " + old + " over the pruned parameters: " + e.getMessage(), e);
        }
        old.close();
        return (Optimizer) built;
    }

    private static void closeQuietly(AutoCloseable closeable, Exception failure) {
        try {
            closeable.close();
        } catch (Exception closing) {
            failure.addSuppressed(closing);
        }
    }

    private static int indexOf(List<Parameter> parameters, Parameter parameter) {
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i) == parameter) {
                return i;
            }
        }
        throw new IllegalStateException("the optimizer wrote state for " + parameter + ", which it does not update");
    }

    /** {@code values[positions[k]]} for every {@code k}; also how {@link InputMajorWeight} puts values in row order. */
    static float[] gather(float[] values, int[] positions) {
        float[] kept = new float[positions.length];
        for (int k = 0; k < positions.length; k++) {
            kept[k] = values[positions[k]];
        }
        return kept;
    }

    /** The configuration as a file gives it to a provider: JSON types only (Long, Double, ...). */
    private static Object parseBack(Map<String, Object> config) {
        try {
            return JsonCodec.parse(JsonCodec.write(config));
        } catch (JsonCodec.SyntaxException e) {
            throw new IllegalStateException("the optimizer's configuration does not read back as JSON: " + config, e);
        }
    }

    private static String key(int parameter, String state) {
        return parameter + "." + state;
    }

    /** An optimizer's described state, read back as its provider reads a checkpoint. */
    private record InMemoryState(
            Config config, List<String> parameters, List<String> states, Map<String, float[]> values)
            implements OptimizerReader {

        @Override
        public String source() {
            return SOURCE;
        }

        @Override
        public String where() {
            return "optimizer";
        }

        @Override
        public ModelFileException fail(String problem) {
            return new ModelFileException(SOURCE, where(), problem);
        }

        @Override
        public float[] parameterState(int index, String state) throws ModelFileException {
            Objects.checkIndex(index, parameters.size());
            float[] saved = values.get(key(index, state));
            if (saved == null) {
                throw fail("parameter " + index + " has no state '" + state + "'; the optimizer described " + states);
            }
            return saved.clone();
        }
    }
}
