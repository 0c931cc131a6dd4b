package org.sparselinear.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.SafeTensors.Contents;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;

/**
 * A model as a file holds it, decoded and checked on the host: the layer tree of the
 * {@code "model"} metadata entry, each layer read by the {@link LayerProvider} of its kind. Nothing
 * here touches a backend until {@link #build} or the action of {@link #prepareRestore} runs, so a
 * failed load leaves the model as it was.
 *
 * <p>Also the encoder: {@link #encode} asks each {@link Saveable} layer to describe itself and
 * adds the description and tensors to a {@link SafeTensors.Writer}; {@link #parameterNames} names
 * the parameters the same way. A layer that is not {@code Saveable} is saved as before the
 * contract existed ({@code "custom": true}, its parameters by name), for {@link #prepareRestore} only.
 */
final class SavedModel {

    /** Metadata key of the format tag. */
    static final String FORMAT_KEY = "format";

    /** Metadata key of the layer tree (JSON). */
    static final String MODEL_KEY = "model";

    /** Metadata key of the model's {@code toString()}, for people reading the header. */
    static final String DESCRIPTION_KEY = "description";

    /** Connection indices are read in pieces of this many, so loading needs no {@code long} per index. */
    private static final int INDEX_CHUNK = 1 << 18;

    private final Node root;
    private final Map<String, long[]> floatShapes;
    private final Map<String, int[]> sortedPositions;

    private SavedModel(Node root, Map<String, long[]> floatShapes, Map<String, int[]> sortedPositions) {
        this.root = root;
        this.floatShapes = floatShapes;
        this.sortedPositions = sortedPositions;
    }

    // ---- encoding -------------------------------------------------------------------------

    /**
     * Adds {@code model}'s description (metadata {@value #MODEL_KEY}) and tensors to {@code writer}.
     *
     * @throws IllegalArgumentException when a layer that is not {@link Saveable} has two parameters
     *         with the same name
     */
    static FileParameters encode(Layer model, SafeTensors.Writer writer) {
        Objects.requireNonNull(model, "model");
        FileParameters parameters = FileParameters.empty();
        Map<String, Object> description = describe(model, "", writer, parameters);
        writer.metadata(MODEL_KEY, JsonCodec.write(description));
        writer.metadata(DESCRIPTION_KEY, model.toString());
        return parameters;
    }

    /**
     * The parameters of a model as a file holds them: each with the name its values have, e.g.
     * {@code "1.weights"}, and, for those a layer writes in another order than its own, the parameter's position
     * of every element in the file's order ({@link StateWriter#fileOrders()}).
     */
    record FileParameters(Map<Parameter, String> names, Map<Parameter, int[]> fileOrders) {

        /** None yet, to be filled while a model is described. */
        static FileParameters empty() {
            return new FileParameters(new IdentityHashMap<>(), new IdentityHashMap<>());
        }

        /** {@code values}, one per element of {@code parameter} in its own order, in the file's order. */
        float[] inFileOrder(Parameter parameter, float[] values) {
            int[] positions = fileOrders.get(parameter);
            return positions == null ? values : StateWriter.inFileOrder(values, positions);
        }
    }

    /** Every parameter of {@code model} with the name its values have in a file, e.g. {@code "1.weights"}. */
    static Map<Parameter, String> parameterNames(Layer model) {
        FileParameters parameters = FileParameters.empty();
        describe(model, "", null, parameters);
        return parameters.names();
    }

    private static Map<String, Object> describe(
            Layer layer, String path, SafeTensors.Writer out, FileParameters parameters) {
        Map<Parameter, String> names = parameters.names();
        Objects.requireNonNull(layer, () -> "layer " + label(path) + " is null");
        String prefix = path.isEmpty() ? "" : path + ".";
        Map<String, Object> d = new LinkedHashMap<>();
        if (layer instanceof Saveable saveable) {
            StateWriter state = new StateWriter();
            saveable.describe(state);
            d.put("class", saveable.kind());
            state.parameterNames().forEach((parameter, name) -> names.put(parameter, prefix + name));
            parameters.fileOrders().putAll(state.fileOrders());
            if (out != null) {
                state.tensors().forEach((name, tensor) -> out.add(prefix + name, tensor));
            }
            for (Map.Entry<String, Object> entry : state.config().entrySet()) {
                if (entry.getKey().equals(state.childrenKey())) {
                    List<Object> children = new ArrayList<>();
                    for (int i = 0; i < state.children().size(); i++) {
                        children.add(describe(state.children().get(i), prefix + i, out, parameters));
                    }
                    d.put(entry.getKey(), children);
                } else {
                    d.put(entry.getKey(), entry.getValue());
                }
            }
            return d;
        }
        d.put("class", layer.getClass().getName());
        d.put("custom", true);
        List<Object> parameterList = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Parameter parameter : layer.parameters()) {
            if (!seen.add(parameter.name())) {
                throw new IllegalArgumentException(
                        "layer " + label(path) + " (" + layer.getClass().getName() + ") has two parameters named '"
                                + parameter.name() + "'; give each a distinct name to save it");
            }
            parameterList.add(parameter.name());
            names.put(parameter, prefix + parameter.name());
            if (out != null) {
                out.addFloats(
                        prefix + parameter.name(),
                        parameter.backend().download(parameter.value()),
                        StateWriter.fileShape(parameter));
            }
        }
        d.put("parameters", parameterList);
        return d;
    }

    static String label(String path) {
        return path.isEmpty() ? "model" : "layer " + path;
    }

    // ---- decoding -------------------------------------------------------------------------

    /**
     * Decodes and checks the model of {@code contents}: format tag, layer tree, every tensor a
     * layer needs (dtype, shape, index ranges, duplicates). Tensors whose name starts with one of
     * {@code otherPrefixes} are left to the caller; any other tensor no layer claims is an error.
     *
     * @param formats the accepted values of the format tag
     */
    static SavedModel read(Contents contents, List<String> formats, List<String> otherPrefixes) throws IOException {
        String source = contents.source();
        Map<String, String> metadata = contents.metadata();
        String format = metadata.get(FORMAT_KEY);
        if (format == null) {
            throw new ModelFileException(
                    source,
                    SafeTensors.METADATA + "." + FORMAT_KEY,
                    "missing: this safetensors "
                            + "file was not written by ModelFile or Checkpoint (expected "
                            + String.join(" or ", formats)
                            + "); if it holds a PyTorch state_dict, build the model in code and use ModelFile.loadStateDict");
        }
        if (!formats.contains(format)) {
            throw new ModelFileException(
                    source,
                    SafeTensors.METADATA + "." + FORMAT_KEY,
                    "\""
                            + Config.shorten(format) + "\" is not a format this version reads; expected "
                            + String.join(" or ", formats)
                            + (format.equals("pt")
                                    ? " (\"pt\" marks a PyTorch state_dict: build "
                                            + "the model in code and use ModelFile.loadStateDict)"
                                    : ""));
        }
        String modelJson = metadata.get(MODEL_KEY);
        if (modelJson == null) {
            throw new ModelFileException(
                    source, SafeTensors.METADATA + "." + MODEL_KEY, "missing: the file has no model description");
        }
        try {
            return decode(contents, JsonCodec.parse(modelJson), otherPrefixes, false);
        } catch (JsonCodec.SyntaxException e) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + MODEL_KEY, e.getMessage());
        }
    }

    /**
     * Decodes the tensors of a file without a model description (a PyTorch {@code state_dict}
     * saved with {@code safetensors}) against {@code model}'s own description: the tensors must be
     * those the model would save, with their names and shapes; indices may be int32 or int64, in any order.
     */
    static SavedModel readStateDict(Contents contents, Layer model) throws IOException {
        String json = JsonCodec.write(describe(model, "", null, FileParameters.empty()));
        try {
            return decode(contents, JsonCodec.parse(json), List.of(), true);
        } catch (JsonCodec.SyntaxException e) {
            throw new IllegalStateException("the model's own description does not parse: " + e.getMessage(), e);
        }
    }

    private static SavedModel decode(
            Contents contents, Object tree, List<String> otherPrefixes, boolean configFromModel) throws IOException {
        Decoder decoder = new Decoder(contents, configFromModel);
        Node root = decoder.layer(tree, "");
        for (TensorInfo info : contents.tensors()) {
            if (!decoder.claimed.contains(info.name())
                    && otherPrefixes.stream().noneMatch(prefix -> info.name().startsWith(prefix))) {
                throw new ModelFileException(
                        contents.source(),
                        "tensor '" + info.name() + "'",
                        "no layer of the "
                                + "model description claims it; the file is corrupt or was written by another program");
            }
        }
        return new SavedModel(root, decoder.floatShapes, decoder.sortedPositions);
    }

    /** The shape in the file of every float tensor of the model (parameters and state), by name (e.g. {@code "1.weights"}). */
    Map<String, long[]> floatShapes() {
        return floatShapes;
    }

    /**
     * {@code values}, one per element of float tensor {@code name} in the file's order, in the
     * order the model holds them: when the file's connections of a sparse layer were not sorted,
     * its per-connection values were sorted with them on reading, and per-parameter state read
     * elsewhere (an optimizer's momentum or moments in a checkpoint) must follow the same way.
     */
    float[] inModelOrder(String name, float[] values) {
        int[] positions = sortedPositions.get(name);
        return positions == null ? values : sorted(values, positions);
    }

    /** Element {@code k} of {@code values} moved to {@code positions[k]}. */
    private static float[] sorted(float[] values, int[] positions) {
        float[] sorted = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            sorted[positions[k]] = values[k];
        }
        return sorted;
    }

    /** A new model on {@code backend}: layers of the saved kinds with the saved state. */
    Layer build(Backend backend) throws ModelFileException {
        return root.build(backend);
    }

    /**
     * Checks that {@code model} has the saved structure (kinds, sizes, connection counts) and
     * returns the action that copies the saved state into it, which cannot fail half-way.
     */
    Runnable prepareRestore(Layer model) throws ModelFileException {
        return root.prepareRestore(model);
    }

    /** One row per layer (containers left out), in order. */
    List<ModelSummary.Row> rows() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        root.rows(rows);
        return rows;
    }

    /** The kind a file records for {@code layer}. */
    static String kindOf(Layer layer) {
        return layer instanceof Saveable saveable
                ? saveable.kind()
                : layer.getClass().getName();
    }

    /** One saved layer: what its provider read, with the tensors it read and its sub-layers, for checks and summaries. */
    private static class Node implements SavedLayer {
        final String source;
        final String path;
        final String kind;
        final SavedLayer saved;
        final List<String> tensors;
        final List<Node> children;

        Node(String source, String path, String kind, SavedLayer saved, List<String> tensors, List<Node> children) {
            this.source = source;
            this.path = path;
            this.kind = kind;
            this.saved = saved;
            this.tensors = tensors;
            this.children = children;
        }

        ModelFileException fail(String problem) {
            return new ModelFileException(source, label(path) + " (" + kind + ")", problem);
        }

        @Override
        public Layer build(Backend backend) throws ModelFileException {
            return saved.build(backend);
        }

        /** Checks that {@code target} is of this kind, then lets the provider's saved layer check the rest. */
        @Override
        public Runnable prepareRestore(Layer target) throws ModelFileException {
            if (target == null || !kind.equals(kindOf(target))) {
                throw fail("the file has a " + kind + " here but the model has "
                        + (target == null
                                ? "null"
                                : target.getClass().getSimpleName() + " "
                                        + target.toString().lines().findFirst().orElse(""))
                        + "; build the model with the saved structure, or load it with ModelFile.load");
            }
            return saved.prepareRestore(target);
        }

        @Override
        public String description() {
            return saved.description();
        }

        @Override
        public long parameterCount() {
            return saved.parameterCount();
        }

        @Override
        public double sparsity() {
            return saved.sparsity();
        }

        void rows(List<ModelSummary.Row> rows) {
            if (children.isEmpty()) {
                rows.add(new ModelSummary.Row(path, description(), tensors, parameterCount(), sparsity()));
            }
            for (Node child : children) {
                child.rows(rows);
            }
        }
    }

    /** A layer that is not {@link Saveable}, saved by an earlier version or without a provider: its parameters by name. */
    private static final class Custom implements SavedLayer {
        private final NodeReader reader;
        private final String kind;
        private final Map<String, long[]> shapes;
        private final Map<String, float[]> values;

        Custom(NodeReader reader, String kind, Map<String, long[]> shapes, Map<String, float[]> values) {
            this.reader = reader;
            this.kind = kind;
            this.shapes = shapes;
            this.values = values;
        }

        @Override
        public Layer build(Backend backend) throws ModelFileException {
            throw reader.fail(
                    "ModelFile rebuilds only layers whose kind has a LayerProvider on the class path; build the "
                            + "model in code and use ModelFile.loadInto");
        }

        @Override
        public Runnable prepareRestore(Layer target) throws ModelFileException {
            Map<String, Parameter> byName = new LinkedHashMap<>();
            for (Parameter parameter : target.parameters()) {
                byName.put(parameter.name(), parameter);
            }
            if (!byName.keySet().equals(shapes.keySet())) {
                throw reader.fail(
                        "the file has parameters " + shapes.keySet() + " but the model's layer has " + byName.keySet());
            }
            for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
                long[] actual = StateWriter.fileShape(byName.get(entry.getKey()));
                if (!Arrays.equals(actual, entry.getValue())) {
                    throw reader.fail(
                            "parameter '" + entry.getKey() + "' has shape " + Arrays.toString(entry.getValue())
                                    + " in the file but " + Arrays.toString(actual) + " in the model");
                }
            }
            return () -> byName.forEach((name, parameter) -> parameter.value().copyFrom(values.get(name)));
        }

        @Override
        public String description() {
            return kind + " (custom)";
        }

        @Override
        public long parameterCount() {
            return values.values().stream().mapToLong(v -> v.length).sum();
        }
    }

    /** Walks the description tree, reading each layer with its provider. */
    private static final class Decoder {
        private final Contents contents;
        private final String source;
        private final Set<String> claimed = new HashSet<>();
        private final Map<String, long[]> floatShapes = new LinkedHashMap<>();
        /** For each float tensor of per-connection values read unsorted: where each value went in the sorted order. */
        private final Map<String, int[]> sortedPositions = new HashMap<>();

        private final boolean configFromModel;

        Decoder(Contents contents, boolean configFromModel) {
            this.contents = contents;
            this.source = contents.source();
            this.configFromModel = configFromModel;
        }

        Node layer(Object node, String path) throws IOException {
            String where = label(path);
            if (!(node instanceof Map<?, ?> map)) {
                throw new ModelFileException(
                        source,
                        where,
                        "expected a JSON object describing the layer, got "
                                + (node == null ? "null" : node.getClass().getSimpleName()));
            }
            String kind = new Config(source, where, map).string("class");
            if (kind.isEmpty() || kind.length() > 200) {
                throw new Config(source, where, map)
                        .fail("class", "expected a layer kind of 1 to 200 characters, got " + kind.length());
            }
            Config config = new Config(source, where + " (" + kind + ")", map);
            NodeReader reader = new NodeReader(this, path, config);
            if (Boolean.TRUE.equals(map.get("custom"))) {
                return custom(reader, kind);
            }
            LayerProvider.Kind reading = Providers.layer(kind)
                    .orElseThrow(() -> config.fail(
                            "class",
                            "unknown layer kind \""
                                    + kind + "\": no LayerProvider on the class path offers it (known: "
                                    + Providers.layers().keySet()
                                    + "); put the jar that defines it on the class path, or build the model in code and use "
                                    + "ModelFile.loadInto"));
            SavedLayer saved =
                    Objects.requireNonNull(reading.read(reader), () -> "the provider of " + kind + " read null");
            return new Node(source, path, kind, saved, reader.tensorsRead, reader.children);
        }

        private Node custom(NodeReader reader, String kind) throws IOException {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Object item : reader.config.list("parameters")) {
                if (!(item instanceof String name) || name.isEmpty() || shapes.containsKey(name)) {
                    throw reader.config.fail("parameters", "expected distinct non-empty parameter names, got " + item);
                }
                long[] shape = reader.shape(name);
                if (shape == null) {
                    throw new ModelFileException(
                            source,
                            "tensor '" + reader.prefix + name + "'",
                            "missing; " + reader.where() + " lists parameter '" + name + "'");
                }
                if (shape.length < 1 || shape.length > 2) {
                    throw new ModelFileException(
                            source,
                            "tensor '" + reader.prefix + name + "'",
                            "expected a vector " + "or a matrix, got shape " + Arrays.toString(shape));
                }
                values.put(name, reader.floats(name, shape));
                shapes.put(name, shape);
            }
            return new Node(
                    source, reader.path, kind, new Custom(reader, kind, shapes, values), reader.tensorsRead, List.of());
        }
    }

    /** Reads one layer's fields and tensors for its provider, checking each, and records what it claimed. */
    private static final class NodeReader implements LayerReader {
        private final Decoder decoder;
        private final String path;
        private final String prefix;
        private final Config config;
        private final List<String> tensorsRead = new ArrayList<>();
        private final List<Node> children = new ArrayList<>();
        /** For each index tensor read unsorted: where each of its connections went in the sorted order. */
        private final Map<String, int[]> sortedPositions = new HashMap<>();

        private final Map<String, Integer> connectionCounts = new HashMap<>();

        NodeReader(Decoder decoder, String path, Config config) {
            this.decoder = decoder;
            this.path = path;
            this.prefix = path.isEmpty() ? "" : path + ".";
            this.config = config;
        }

        @Override
        public String source() {
            return decoder.source;
        }

        @Override
        public String where() {
            return config.where();
        }

        @Override
        public Config config() {
            return config;
        }

        @Override
        public ModelFileException fail(String problem) {
            return new ModelFileException(source(), where(), problem);
        }

        @Override
        public long[] shape(String name) {
            TensorInfo info = decoder.contents.tensor(prefix + name);
            return info == null ? null : info.shape();
        }

        private TensorInfo claim(TensorInfo info) {
            decoder.claimed.add(info.name());
            tensorsRead.add(info.name().substring(prefix.length()) + " " + info.shapeString() + " " + info.dtype());
            return info;
        }

        @Override
        public float[] floats(String name, long... shape) throws IOException {
            TensorInfo info = claim(decoder.contents.require(prefix + name, DType.F32, shape));
            decoder.floatShapes.put(info.name(), shape.clone());
            return decoder.contents.floats(info);
        }

        @Override
        public long[] longs(String name, long... shape) throws IOException {
            return decoder.contents.longs(claim(integerTensor(name, shape)));
        }

        @Override
        public int[] ints(String name, long... shape) throws IOException {
            TensorInfo info = claim(integerTensor(name, shape));
            long[] values = decoder.contents.longs(info);
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                if (values[i] != (int) values[i]) {
                    throw new ModelFileException(
                            source(),
                            "tensor '" + info.name() + "'",
                            "entry " + i + " is " + values[i] + ", outside the int range");
                }
                out[i] = (int) values[i];
            }
            return out;
        }

        private TensorInfo integerTensor(String name, long... shape) throws ModelFileException {
            TensorInfo info = decoder.contents.tensor(prefix + name);
            if (info == null) {
                throw new ModelFileException(
                        source(),
                        "tensor '" + prefix + name + "'",
                        "missing; expected I64 or I32 " + Arrays.toString(shape));
            }
            if ((info.dtype() != DType.I64 && info.dtype() != DType.I32) || !Arrays.equals(info.shape(), shape)) {
                throw new ModelFileException(
                        source(),
                        "tensor '" + info.name() + "'",
                        "expected I64 or I32 " + Arrays.toString(shape) + ", got " + info.dtype() + " "
                                + info.shapeString());
            }
            return info;
        }

        @Override
        public boolean configFromModel() {
            return decoder.configFromModel;
        }

        @Override
        public List<SavedLayer> children(String key) throws IOException {
            List<?> nodes = config.list(key);
            List<SavedLayer> read = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                Node child = decoder.layer(nodes.get(i), prefix + i);
                children.add(child);
                read.add(child);
            }
            return read;
        }

        @Override
        public float[] connectionValues(String values, String indices) throws IOException {
            Integer nnz = connectionCounts.get(indices);
            if (nnz == null) {
                throw new IllegalStateException(
                        "read the connections of '" + indices + "' before their values '" + values + "'");
            }
            float[] read = floats(values, nnz);
            int[] positions = sortedPositions.get(indices);
            if (positions == null) {
                return read;
            }
            decoder.sortedPositions.put(prefix + values, positions);
            return sorted(read, positions);
        }

        /**
         * The connections of an {@code (out, in)} layer from a {@code (2, nnz)} index tensor, checked:
         * every index in range, no duplicates; sorted by row then column when the file's are not.
         */
        @Override
        public Connectivity connections(String name, int out, int in) throws IOException {
            String field = "tensor '" + prefix + name + "'";
            TensorInfo info = decoder.contents.tensor(prefix + name);
            if (info == null) {
                throw new ModelFileException(source(), field, "missing; " + where() + " needs its connection indices");
            }
            long[] shape = info.shape();
            if ((info.dtype() != DType.I64 && info.dtype() != DType.I32) || shape.length != 2 || shape[0] != 2) {
                throw new ModelFileException(
                        source(),
                        field,
                        "expected I64 [2, nnz] (rows, then columns; I32 is read " + "too), got " + info.dtype() + " "
                                + info.shapeString());
            }
            long nnz = shape[1];
            if (nnz > Connectivity.MAX_NNZ) {
                throw new ModelFileException(
                        source(), field, "has " + nnz + " connections, expected at most " + Connectivity.MAX_NNZ);
            }
            if (nnz > (long) out * in) {
                throw new ModelFileException(
                        source(),
                        field,
                        nnz + " connections cannot fit a (" + out + ", " + in + ") weight of " + (long) out * in
                                + " positions");
            }
            long hostBytes = 4L * (out + 1L) + 4L * (in + 1L) + 12L * nnz;
            long free = freeHeap();
            if (hostBytes > free / 2) {
                throw new ModelFileException(
                        source(),
                        where(),
                        String.format(
                                Locale.ROOT,
                                "a (%d, %d) layer with %d "
                                        + "connections needs about %,d bytes of Java heap for its pattern but only %,d are free; the "
                                        + "file is corrupt, or give the JVM more memory (-Xmx)",
                                out,
                                in,
                                nnz,
                                hostBytes,
                                free));
            }
            claim(info);
            int count = (int) nnz;
            int[] rows = readIndexRow(info, 0, count, out, "row (output)");
            int[] columns = readIndexRow(info, count, count, in, "column (input)");
            connectionCounts.put(name, count);
            boolean sorted = true;
            for (int k = 1; k < count && sorted; k++) {
                if (rows[k - 1] == rows[k] && columns[k - 1] == columns[k]) {
                    throw new ModelFileException(
                            source(),
                            field,
                            String.format(
                                    Locale.ROOT,
                                    "connection %d (row %d, "
                                            + "column %d) duplicates connection %d; each connection may appear once",
                                    k,
                                    rows[k],
                                    columns[k],
                                    k - 1));
                }
                sorted = rows[k - 1] < rows[k] || (rows[k - 1] == rows[k] && columns[k - 1] < columns[k]);
            }
            if (sorted) {
                int[] rowPointers = new int[out + 1];
                for (int row : rows) {
                    rowPointers[row + 1]++;
                }
                for (int r = 0; r < out; r++) {
                    rowPointers[r + 1] += rowPointers[r];
                }
                return Connectivity.ofTrustedCsr(out, in, rowPointers, columns);
            }
            Connectivity connectivity;
            try {
                connectivity = Connectivity.fromCoo(out, in, new int[][] {rows, columns});
            } catch (IllegalArgumentException e) {
                throw new ModelFileException(source(), field, e.getMessage(), e);
            }
            sortedPositions.put(name, connectivity.positionsOf(rows, columns));
            return connectivity;
        }

        /** Elements {@code [from, from + count)} of an index tensor, each checked to lie in {@code [0, bound)}. */
        private int[] readIndexRow(TensorInfo info, long from, int count, int bound, String what) throws IOException {
            int[] out = new int[count];
            for (int start = 0; start < count; start += INDEX_CHUNK) {
                long[] chunk = decoder.contents.longs(info, from + start, Math.min(INDEX_CHUNK, count - start));
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] < 0 || chunk[i] >= bound) {
                        throw new ModelFileException(
                                source(),
                                "tensor '" + info.name() + "'",
                                String.format(
                                        Locale.ROOT,
                                        "connection %d has %s index %d, expected [0, %d)",
                                        start + i,
                                        what,
                                        chunk[i],
                                        bound));
                    }
                    out[start + i] = (int) chunk[i];
                }
            }
            return out;
        }
    }

    static long freeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }
}
