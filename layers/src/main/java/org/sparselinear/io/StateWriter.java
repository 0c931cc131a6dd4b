package org.sparselinear.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;

/**
 * What a {@link Saveable} layer or optimizer writes about itself: configuration entries (a tree of
 * maps, lists, strings, numbers, booleans and null, written as JSON in the file's {@code "model"}
 * or {@code "checkpoint"} description), named tensors (written into the safetensors file under the
 * layer's position, e.g. {@code "2.weights"}), a container's sub-layers, and an optimizer's
 * per-parameter state. Entries are kept in the order they are written, which is the file's order.
 */
public final class StateWriter {

    /** The description keys the file format reserves: a layer may not use them as configuration. */
    public static final List<String> RESERVED_KEYS = List.of("class", "custom");

    private final Map<String, Object> config = new LinkedHashMap<>();
    private final Map<String, HostTensor> tensors = new LinkedHashMap<>();
    private final Map<Parameter, String> parameterNames = new IdentityHashMap<>();
    private final Map<Parameter, int[]> fileOrders = new IdentityHashMap<>();
    private final List<ParameterState> parameterStates = new ArrayList<>();
    private String childrenKey;
    private List<Layer> children = List.of();

    /** The per-parameter state of an optimizer, as {@link #parameterState} recorded it. */
    public record ParameterState(Parameter parameter, String state, float[] values) {}

    /** An empty description; the file writers create one per layer and optimizer. */
    public StateWriter() {}

    /**
     * A configuration entry.
     *
     * @throws IllegalArgumentException for a reserved or repeated key, or a value that is not a JSON
     *         tree (maps with string keys, lists, strings, finite numbers, booleans, null)
     */
    public StateWriter config(String key, Object value) {
        newKey(key);
        checkJson(value, key);
        config.put(key, value);
        return this;
    }

    /**
     * A named tensor; the file stores it as {@code "<layer position>.<name>"}.
     *
     * @throws IllegalArgumentException for an empty or repeated name
     */
    public StateWriter tensor(String name, HostTensor tensor) {
        Objects.requireNonNull(name, "tensor name");
        Objects.requireNonNull(tensor, "tensor");
        if (name.isEmpty() || tensors.containsKey(name)) {
            throw new IllegalArgumentException(
                    "tensor name must be non-empty and unique within the layer, got '" + name + "'");
        }
        tensors.put(name, tensor);
        return this;
    }

    /**
     * A trainable parameter's values as tensor {@code name}: shape {@code [n]} for a {@code (1, n)}
     * parameter, else {@code [rows, columns]}. The name is also the one a checkpoint gives the
     * optimizer state of this parameter.
     */
    public StateWriter parameter(String name, Parameter parameter) {
        Objects.requireNonNull(parameter, "parameter");
        tensor(name, HostTensor.f32(parameter.backend().download(parameter.value()), fileShape(parameter)));
        parameterNames.put(parameter, name);
        return this;
    }

    /**
     * A trainable parameter whose backend holds its elements in another order than the file's (as a
     * {@code SparseLinear} holds its weight input-major while it trains on sparse batches): file element
     * {@code e} of tensor {@code name} is the parameter's element {@code positions[e]}. A checkpoint writes the
     * optimizer's state of this parameter in the same order.
     *
     * @throws IllegalArgumentException when {@code positions} does not hold one entry per element
     */
    public StateWriter parameter(String name, Parameter parameter, int[] positions) {
        Objects.requireNonNull(parameter, "parameter");
        if (positions.length != parameter.numel()) {
            throw new IllegalArgumentException("parameter " + parameter + " has " + parameter.numel()
                    + " elements, got " + positions.length + " positions");
        }
        float[] values = inFileOrder(parameter.backend().download(parameter.value()), positions);
        tensor(name, HostTensor.f32(values, fileShape(parameter)));
        parameterNames.put(parameter, name);
        fileOrders.put(parameter, positions);
        return this;
    }

    /** {@code values[positions[e]]} for every file element {@code e}. */
    static float[] inFileOrder(float[] values, int[] positions) {
        float[] ordered = new float[positions.length];
        for (int e = 0; e < ordered.length; e++) {
            ordered[e] = values[positions[e]];
        }
        return ordered;
    }

    /** The connections of a sparse pattern as a {@code (2, nnz)} int64 tensor: output rows, then input columns. */
    public StateWriter indices(String name, Connectivity connectivity) {
        return tensor(name, HostTensor.int64Rows(connectivity.toCoo()));
    }

    /**
     * The sub-layers of a container, in order, under configuration key {@code key}: each is
     * described in turn and its tensors are named by its position ({@code "0.weight"}, ...), as
     * PyTorch names the children of {@code nn.Sequential}. At most one list per layer.
     */
    public StateWriter children(String key, List<? extends Layer> layers) {
        Objects.requireNonNull(layers, "layers");
        if (childrenKey != null) {
            throw new IllegalStateException(
                    "a layer has one list of children; '" + childrenKey + "' was written already");
        }
        newKey(key);
        childrenKey = key;
        children = List.copyOf(layers);
        config.put(key, children);
        return this;
    }

    /**
     * An optimizer's state for one of its parameters (e.g. {@code "momentum_buffer"}, with the
     * parameter's shape), stored as {@code "optimizer.<parameter name>.<state>"}.
     */
    public StateWriter parameterState(Parameter parameter, String state, DenseMatrix values) {
        Objects.requireNonNull(values, "values");
        if (values.rows() != parameter.rows() || values.columns() != parameter.columns()) {
            throw new IllegalArgumentException("state '" + state + "' of " + parameter + " has shape "
                    + values.shapeString() + "; it must have the parameter's shape");
        }
        return parameterState(parameter, state, values.backend().download(values));
    }

    /** As {@link #parameterState(Parameter, String, DenseMatrix)}, for state kept on the host: one value per element, row-major. */
    public StateWriter parameterState(Parameter parameter, String state, float[] values) {
        Objects.requireNonNull(parameter, "parameter");
        Objects.requireNonNull(state, "state");
        if (values.length != parameter.numel()) {
            throw new IllegalArgumentException("state '" + state + "' of " + parameter + " has " + values.length
                    + " values; it must have one per element of the parameter");
        }
        parameterStates.add(new ParameterState(parameter, state, values));
        return this;
    }

    /** The configuration, in order; the children's key maps to the list of children (unmodifiable). */
    public Map<String, Object> config() {
        return Collections.unmodifiableMap(config);
    }

    /** The tensors, in order (unmodifiable). */
    public Map<String, HostTensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Every parameter written with {@link #parameter}, with its tensor name (unmodifiable). */
    public Map<Parameter, String> parameterNames() {
        return Collections.unmodifiableMap(parameterNames);
    }

    /**
     * The parameters written in another order than their own, each with the parameter's position of every
     * element in the file's order ({@link #parameter(String, Parameter, int[])}; unmodifiable).
     */
    public Map<Parameter, int[]> fileOrders() {
        return Collections.unmodifiableMap(fileOrders);
    }

    /** The key of the children, or null when there are none. */
    public String childrenKey() {
        return childrenKey;
    }

    /** The sub-layers, in order. */
    public List<Layer> children() {
        return children;
    }

    /** The optimizer state written, in order. */
    public List<ParameterState> parameterStates() {
        return List.copyOf(parameterStates);
    }

    /** A parameter's shape in a file: {@code [n]} for a one-row vector, else {@code [rows, columns]}. */
    public static long[] fileShape(Parameter parameter) {
        return parameter.rows() == 1
                ? new long[] {parameter.columns()}
                : new long[] {parameter.rows(), parameter.columns()};
    }

    private void newKey(String key) {
        Objects.requireNonNull(key, "configuration key");
        if (RESERVED_KEYS.contains(key) || config.containsKey(key)) {
            throw new IllegalArgumentException(
                    "configuration key '" + key + "' is reserved or written twice; " + "reserved: " + RESERVED_KEYS);
        }
    }

    private static void checkJson(Object value, String where) {
        if (value == null
                || value instanceof String
                || value instanceof Boolean
                || value instanceof Long
                || value instanceof Integer) {
            return;
        }
        if (value instanceof Double || value instanceof Float) {
            if (!Double.isFinite(((Number) value).doubleValue())) {
                throw new IllegalArgumentException(
                        "configuration '" + where + "' is " + value + "; JSON holds finite " + "numbers only");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException(
                            "configuration '" + where + "' has a key that is not a string: " + entry.getKey());
                }
                checkJson(entry.getValue(), where + "." + key);
            }
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkJson(list.get(i), where + "[" + i + "]");
            }
            return;
        }
        throw new IllegalArgumentException("configuration '" + where + "' is a "
                + value.getClass().getName() + "; use maps, lists, strings, numbers, booleans or null");
    }
}
