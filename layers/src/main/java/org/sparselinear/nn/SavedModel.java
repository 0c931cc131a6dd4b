package org.sparselinear.nn;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.sparselinear.api.Rewiring;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.SafeTensors.Contents;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;

/**
 * A model as a file holds it, decoded and checked on the host: the layer tree of the
 * {@code "model"} metadata entry with every tensor loaded into host arrays. Nothing here touches a
 * backend until {@link #build} or {@link #apply}; {@link #check} compares with a model built in
 * code before anything is changed, so a failed load leaves the model as it was.
 *
 * <p>Also the encoder: {@link #encode} walks a model and adds its description and tensors to a
 * {@link SafeTensors.Writer}; {@link #parameterNames} names the parameters the same way.
 */
final class SavedModel {

    /** Metadata key of the format tag. */
    static final String FORMAT_KEY = "format";

    /** Metadata key of the layer tree (JSON). */
    static final String MODEL_KEY = "model";

    /** Metadata key of the model's {@code toString()}, for people reading the header. */
    static final String DESCRIPTION_KEY = "description";

    private final String source;
    private final Saved root;
    private final Map<String, long[]> floatShapes;

    private SavedModel(String source, Saved root, Map<String, long[]> floatShapes) {
        this.source = source;
        this.root = root;
        this.floatShapes = floatShapes;
    }

    // ---- encoding -------------------------------------------------------------------------

    /**
     * Adds {@code model}'s description (metadata {@value #MODEL_KEY}) and tensors to {@code writer}.
     *
     * @throws IllegalArgumentException when a layer of a kind this class does not know has two
     *         parameters with the same name
     */
    static void encode(Layer model, SafeTensors.Writer writer) {
        Objects.requireNonNull(model, "model");
        Map<String, Object> description = describe(model, "", writer, new IdentityHashMap<>());
        writer.metadata(MODEL_KEY, JsonCodec.write(description));
        writer.metadata(DESCRIPTION_KEY, model.toString());
    }

    /** Every parameter of {@code model} with the name its values have in a file, e.g. {@code "1.weights"}. */
    static Map<Parameter, String> parameterNames(Layer model) {
        Map<Parameter, String> names = new IdentityHashMap<>();
        describe(model, "", null, names);
        return names;
    }

    private static Map<String, Object> describe(Layer layer, String path, SafeTensors.Writer out,
                                                Map<Parameter, String> names) {
        Objects.requireNonNull(layer, () -> "layer " + label(path) + " is null");
        String prefix = path.isEmpty() ? "" : path + ".";
        Map<String, Object> d = new LinkedHashMap<>();
        if (layer instanceof Sequential sequential) {
            d.put("class", "Sequential");
            List<Object> children = new ArrayList<>();
            List<Layer> layers = sequential.layers();
            for (int i = 0; i < layers.size(); i++) {
                children.add(describe(layers.get(i), prefix + i, out, names));
            }
            d.put("layers", children);
        } else if (layer instanceof SparseLinear sparse) {
            Connectivity connectivity = sparse.connectivity();
            List<Parameter> parameters = sparse.parameters();
            d.put("class", "SparseLinear");
            d.put("in_features", sparse.inFeatures());
            d.put("out_features", sparse.outFeatures());
            d.put("bias", sparse.hasBias());
            d.put("nnz", connectivity.nnz());
            d.put("sparsity", connectivity.sparsity());
            d.put("topology", sparse.topologyName());
            d.put("rewiring", describeRewiring(sparse.rewiringState()));
            names.put(parameters.get(0), prefix + "weights");
            if (sparse.hasBias()) {
                names.put(parameters.get(1), prefix + "bias");
            }
            if (out != null) {
                addIndices(out, prefix + "indices", connectivity);
                out.addFloats(prefix + "weights", download(parameters.get(0)), connectivity.nnz());
                if (sparse.hasBias()) {
                    out.addFloats(prefix + "bias", download(parameters.get(1)), sparse.outFeatures());
                }
            }
        } else if (layer instanceof Linear linear) {
            List<Parameter> parameters = linear.parameters();
            boolean bias = parameters.size() > 1;
            d.put("class", "Linear");
            d.put("in_features", linear.inFeatures());
            d.put("out_features", linear.outFeatures());
            d.put("bias", bias);
            names.put(parameters.get(0), prefix + "weight");
            if (bias) {
                names.put(parameters.get(1), prefix + "bias");
            }
            if (out != null) {
                out.addFloats(prefix + "weight", download(parameters.get(0)), linear.outFeatures(), linear.inFeatures());
                if (bias) {
                    out.addFloats(prefix + "bias", download(parameters.get(1)), linear.outFeatures());
                }
            }
        } else if (layer instanceof LayerNorm norm) {
            d.put("class", "LayerNorm");
            d.put("features", norm.features());
            d.put("eps", (double) LayerNorm.EPSILON);
            vectorParameters(norm.parameters(), prefix, norm.features(), out, names);
        } else if (layer instanceof FeatureAffine affine) {
            d.put("class", "FeatureAffine");
            d.put("features", affine.features());
            vectorParameters(affine.parameters(), prefix, affine.features(), out, names);
        } else if (layer instanceof KWinners winners) {
            d.put("class", "KWinners");
            d.put("features", winners.features());
            d.put("density", winners.density());
            d.put("boost_strength", winners.boostStrength());
            d.put("boost_strength_factor", winners.boostStrengthFactor());
            d.put("duty_cycle_period", winners.dutyCyclePeriod());
            d.put("k_inference_factor", winners.kInferenceFactor());
            d.put("learning_iterations", winners.learningIterations());
            if (out != null) {
                out.addFloats(prefix + "duty_cycle", winners.dutyCycles(), winners.features());
            }
        } else if (layer instanceof FixedSparseMap map) {
            d.put("class", "FixedSparseMap");
            d.put("in_features", map.connectivity().columns());
            d.put("out_features", map.connectivity().rows());
            d.put("description", map.toString());
            if (out != null) {
                addIndices(out, prefix + "indices", map.connectivity());
            }
        } else if (layer instanceof ReLU) {
            d.put("class", "ReLU");
        } else if (layer instanceof Flatten) {
            d.put("class", "Flatten");
        } else {
            d.put("class", layer.getClass().getName());
            d.put("custom", true);
            List<Object> parameterList = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Parameter parameter : layer.parameters()) {
                if (!seen.add(parameter.name())) {
                    throw new IllegalArgumentException("layer " + label(path) + " (" + layer.getClass().getName()
                            + ") has two parameters named '" + parameter.name() + "'; give each a distinct name to save it");
                }
                parameterList.add(parameter.name());
                names.put(parameter, prefix + parameter.name());
                if (out != null) {
                    out.addFloats(prefix + parameter.name(), download(parameter), fileShape(parameter));
                }
            }
            d.put("parameters", parameterList);
        }
        return d;
    }

    private static Object describeRewiring(LayerRewiring state) {
        if (state == null) {
            return null;
        }
        Rewiring rule = state.rule();
        Map<String, Object> d = new LinkedHashMap<>();
        if (rule instanceof RigL rigl) {
            d.put("rule", "RigL");
            d.put("delta_t", rigl.deltaT());
            d.put("t_end", rigl.tEnd());
            d.put("alpha", rigl.alpha());
        } else if (rule instanceof SET set) {
            d.put("rule", "SET");
            d.put("zeta", set.zeta());
        } else {
            d.put("rule", "custom");
            d.put("class", rule.getClass().getName());
        }
        d.put("name", rule.name());
        d.put("seed", state.seed());
        d.put("steps", state.completedSteps());
        d.put("epochs", state.completedEpochs());
        return d;
    }

    private static void vectorParameters(List<Parameter> parameters, String prefix, int features,
                                         SafeTensors.Writer out, Map<Parameter, String> names) {
        names.put(parameters.get(0), prefix + "weight");
        names.put(parameters.get(1), prefix + "bias");
        if (out != null) {
            out.addFloats(prefix + "weight", download(parameters.get(0)), features);
            out.addFloats(prefix + "bias", download(parameters.get(1)), features);
        }
    }

    private static void addIndices(SafeTensors.Writer out, String name, Connectivity connectivity) {
        out.addIntRowsAsLongs(name, connectivity.toCoo());
    }

    private static float[] download(Parameter parameter) {
        return parameter.backend().download(parameter.value());
    }

    /** A parameter's shape in a file: {@code [n]} for a one-row vector, else {@code [rows, columns]}. */
    static long[] fileShape(Parameter parameter) {
        return parameter.rows() == 1 ? new long[] {parameter.columns()}
                : new long[] {parameter.rows(), parameter.columns()};
    }

    static String label(String path) {
        return path.isEmpty() ? "model" : "layer " + path;
    }

    // ---- decoding -------------------------------------------------------------------------

    /**
     * Decodes and checks the model of {@code contents}: format tag, layer tree, every tensor a
     * layer needs (dtype, shape, index ranges, order). Tensors whose name starts with one of
     * {@code otherPrefixes} are left to the caller; any other tensor no layer claims is an error.
     *
     * @param formats the accepted values of the format tag
     */
    static SavedModel read(Contents contents, List<String> formats, List<String> otherPrefixes)
            throws IOException {
        String source = contents.source();
        Map<String, String> metadata = contents.metadata();
        String format = metadata.get(FORMAT_KEY);
        if (format == null) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + FORMAT_KEY, "missing: this safetensors "
                    + "file was not written by ModelFile or Checkpoint (expected " + String.join(" or ", formats)
                    + "); build the model in code and read its tensors with SafeTensors");
        }
        if (!formats.contains(format)) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + FORMAT_KEY, "\"" + shorten(format)
                    + "\" is not a format this version reads; expected " + String.join(" or ", formats));
        }
        String modelJson = metadata.get(MODEL_KEY);
        if (modelJson == null) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + MODEL_KEY,
                    "missing: the file has no model description");
        }
        Object tree;
        try {
            tree = JsonCodec.parse(modelJson);
        } catch (JsonCodec.SyntaxException e) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + MODEL_KEY, e.getMessage());
        }
        Decoder decoder = new Decoder(contents);
        Saved root = decoder.layer(tree, "");
        for (TensorInfo info : contents.tensors()) {
            if (!decoder.claimed.contains(info.name())
                    && otherPrefixes.stream().noneMatch(prefix -> info.name().startsWith(prefix))) {
                throw new ModelFileException(source, "tensor '" + info.name() + "'", "no layer of the model description "
                        + "claims it; the file is corrupt or was written by another program");
            }
        }
        return new SavedModel(source, root, decoder.floatShapes);
    }

    /** The file's name, as used in messages. */
    String source() {
        return source;
    }

    /** The shape in the file of every float tensor of the model (parameters and state), by name (e.g. {@code "1.weights"}). */
    Map<String, long[]> floatShapes() {
        return floatShapes;
    }

    /** A new model on {@code backend}: layers of the saved kinds with the saved state. */
    Layer build(Backend backend) throws ModelFileException {
        return root.build(backend);
    }

    /**
     * Checks that {@code model} has the saved structure (kinds, sizes, connections count) so that
     * {@link #apply} cannot fail half-way.
     */
    void check(Layer model) throws ModelFileException {
        root.check(model);
    }

    /** Copies the saved state into {@code model}, which {@link #check} accepted. */
    void apply(Layer model) {
        root.apply(model);
    }

    /** One row per layer (containers left out), in order. */
    List<ModelSummary.Row> rows() {
        List<ModelSummary.Row> rows = new ArrayList<>();
        root.rows(rows);
        return rows;
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    /** One saved layer. */
    private abstract static class Saved {
        final String source;
        final String path;
        final String kind;

        Saved(String source, String path, String kind) {
            this.source = source;
            this.path = path;
            this.kind = kind;
        }

        String label() {
            return SavedModel.label(path) + " (" + kind + ")";
        }

        ModelFileException fail(String problem) {
            return new ModelFileException(source, label(), problem);
        }

        abstract Layer build(Backend backend) throws ModelFileException;

        /** Checks that {@code target} is of this kind and size. */
        void check(Layer target) throws ModelFileException {
            String actual = target == null ? "null" : target.getClass().getSimpleName();
            if (target == null || !kind.equals(kindOf(target))) {
                throw fail("the file has a " + kind + " here but the model has " + (target == null ? "null"
                        : actual + " " + target.toString().lines().findFirst().orElse(""))
                        + "; build the model with the saved structure, or load it with ModelFile.load");
            }
        }

        abstract void apply(Layer target);

        abstract void rows(List<ModelSummary.Row> rows);

        /** Turns a constructor's complaint into a file error naming this layer. */
        ModelFileException rejected(RuntimeException e) {
            return new ModelFileException(source, label(), "the saved settings are rejected: " + e.getMessage(), e);
        }
    }

    static String kindOf(Layer layer) {
        if (layer instanceof Sequential || layer instanceof SparseLinear || layer instanceof Linear
                || layer instanceof LayerNorm || layer instanceof FeatureAffine || layer instanceof KWinners
                || layer instanceof FixedSparseMap || layer instanceof ReLU || layer instanceof Flatten) {
            return layer.getClass().getSimpleName();
        }
        return layer.getClass().getName();
    }

    private static final class SavedSequential extends Saved {
        final List<Saved> layers;

        SavedSequential(String source, String path, List<Saved> layers) {
            super(source, path, "Sequential");
            this.layers = layers;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            Layer[] built = new Layer[layers.size()];
            for (int i = 0; i < built.length; i++) {
                built[i] = layers.get(i).build(backend);
            }
            return new Sequential(built);
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            List<Layer> children = ((Sequential) target).layers();
            if (children.size() != layers.size()) {
                throw fail("the file has " + layers.size() + " layers here but the model has " + children.size());
            }
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).check(children.get(i));
            }
        }

        @Override
        void apply(Layer target) {
            List<Layer> children = ((Sequential) target).layers();
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).apply(children.get(i));
            }
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            for (Saved layer : layers) {
                layer.rows(rows);
            }
        }
    }

    private static final class SavedSparse extends Saved {
        final int in;
        final int out;
        final Connectivity connectivity;
        final float[] weights;
        final float[] bias;
        final String topology;
        final SavedRewiring rewiring;

        SavedSparse(String source, String path, int in, int out, Connectivity connectivity, float[] weights,
                    float[] bias, String topology, SavedRewiring rewiring) {
            super(source, path, "SparseLinear");
            this.in = in;
            this.out = out;
            this.connectivity = connectivity;
            this.weights = weights;
            this.bias = bias;
            this.topology = topology;
            this.rewiring = rewiring;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            SparseLinear.Options options = SparseLinear.options().savedConnectivity(connectivity, topology)
                    .bias(bias != null).backend(backend).seed(0);
            if (rewiring != null) {
                options.rewiring(rewiring.rule(this));
            }
            SparseLinear layer;
            try {
                layer = new SparseLinear(in, out, options);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw rejected(e);
            }
            apply(layer);
            return layer;
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            SparseLinear layer = (SparseLinear) target;
            if (layer.inFeatures() != in || layer.outFeatures() != out || layer.hasBias() != (bias != null)) {
                throw fail(String.format(Locale.ROOT, "the file has in_features=%d, out_features=%d, bias=%b but the "
                        + "model's layer is %s", in, out, bias != null, layer));
            }
            if (layer.nnz() != connectivity.nnz()) {
                throw fail("the file has " + connectivity.nnz() + " connections but the model's layer has "
                        + layer.nnz() + " (" + layer + "); build it with the same sparsity, or load the file with "
                        + "ModelFile.load");
            }
            LayerRewiring state = layer.rewiringState();
            if (rewiring != null && state != null && !rewiring.name.equals(state.rule().name())) {
                throw fail("the file's layer rewires with " + rewiring.name + " but the model's with "
                        + state.rule().name());
            }
        }

        @Override
        void apply(Layer target) {
            SparseLinear layer = (SparseLinear) target;
            layer.restore(connectivity, weights, bias);
            LayerRewiring state = layer.rewiringState();
            if (rewiring != null && state != null) {
                state.restore(rewiring.seed, rewiring.steps, rewiring.epochs);
            }
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            String sparsity = BigDecimal.valueOf(connectivity.sparsity()).setScale(4, RoundingMode.HALF_UP)
                    .stripTrailingZeros().toPlainString();
            String description = String.format(Locale.ROOT,
                    "SparseLinear(in_features=%d, out_features=%d, bias=%b, sparsity=%s, nnz=%d, topology=%s%s)",
                    in, out, bias != null, sparsity, connectivity.nnz(), topology,
                    rewiring != null ? ", rewiring=" + rewiring.name : "");
            List<String> tensors = new ArrayList<>(List.of("indices [2, " + connectivity.nnz() + "] I64",
                    "weights [" + connectivity.nnz() + "] F32"));
            if (bias != null) {
                tensors.add("bias [" + out + "] F32");
            }
            rows.add(new ModelSummary.Row(path, description, tensors,
                    (long) connectivity.nnz() + (bias != null ? out : 0), connectivity.sparsity()));
        }
    }

    /** The rewiring of a saved sparse layer: its rule's settings and the layer's counters and seed. */
    private record SavedRewiring(String rule, String name, Map<String, Object> settings, long seed, long steps,
                                 int epochs) {

        Rewiring rule(Saved layer) throws ModelFileException {
            try {
                if (rule.equals("RigL")) {
                    return RigL.forPlannedSteps(1).withEnd(number(settings.get("t_end")).longValue())
                            .withDeltaT(number(settings.get("delta_t")).intValue())
                            .withAlpha(number(settings.get("alpha")).doubleValue());
                }
                if (rule.equals("SET")) {
                    return SET.withZeta(number(settings.get("zeta")).doubleValue());
                }
            } catch (IllegalArgumentException e) {
                throw layer.rejected(e);
            }
            throw layer.fail("its rewiring " + name + " (" + settings.get("class") + ") is not one ModelFile can "
                    + "rebuild; build the model in code with that rewiring and use ModelFile.loadInto");
        }

        private static Number number(Object value) {
            return (Number) value;
        }
    }

    private static final class SavedLinear extends Saved {
        final int in;
        final int out;
        final float[] weight;
        final float[] bias;

        SavedLinear(String source, String path, int in, int out, float[] weight, float[] bias) {
            super(source, path, "Linear");
            this.in = in;
            this.out = out;
            this.weight = weight;
            this.bias = bias;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            Linear layer;
            try {
                layer = new Linear(in, out, bias != null, 0, backend);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw rejected(e);
            }
            apply(layer);
            return layer;
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            Linear layer = (Linear) target;
            if (layer.inFeatures() != in || layer.outFeatures() != out || (layer.parameters().size() > 1) != (bias != null)) {
                throw fail(String.format(Locale.ROOT, "the file has in_features=%d, out_features=%d, bias=%b but the "
                        + "model's layer is %s", in, out, bias != null, layer));
            }
        }

        @Override
        void apply(Layer target) {
            List<Parameter> parameters = target.parameters();
            HostValues.copyInto(parameters.get(0).value(), weight);
            if (bias != null) {
                HostValues.copyInto(parameters.get(1).value(), bias);
            }
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            List<String> tensors = new ArrayList<>(List.of("weight [" + out + ", " + in + "] F32"));
            if (bias != null) {
                tensors.add("bias [" + out + "] F32");
            }
            rows.add(new ModelSummary.Row(path, String.format(Locale.ROOT, "Linear(in_features=%d, out_features=%d, "
                    + "bias=%b)", in, out, bias != null), tensors, (long) in * out + (bias != null ? out : 0), 0.0));
        }
    }

    /** LayerNorm and FeatureAffine: a weight and a bias of {@code features} values each. */
    private static final class SavedVectorPair extends Saved {
        final int features;
        final float[] weight;
        final float[] bias;

        SavedVectorPair(String source, String path, String kind, int features, float[] weight, float[] bias) {
            super(source, path, kind);
            this.features = features;
            this.weight = weight;
            this.bias = bias;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            Layer layer;
            try {
                layer = kind.equals("LayerNorm") ? new LayerNorm(features, backend) : new FeatureAffine(features, backend);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw rejected(e);
            }
            apply(layer);
            return layer;
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            int actual = target instanceof LayerNorm norm ? norm.features() : ((FeatureAffine) target).features();
            if (actual != features) {
                throw fail("the file has " + features + " features but the model's layer has " + actual + " (" + target
                        + ")");
            }
        }

        @Override
        void apply(Layer target) {
            List<Parameter> parameters = target.parameters();
            HostValues.copyInto(parameters.get(0).value(), weight);
            HostValues.copyInto(parameters.get(1).value(), bias);
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            String description = kind.equals("LayerNorm")
                    ? String.format(Locale.ROOT, "LayerNorm((%d,), eps=1e-05, elementwise_affine=true)", features)
                    : String.format(Locale.ROOT, "FeatureAffine(features=%d)", features);
            rows.add(new ModelSummary.Row(path, description, List.of("weight [" + features + "] F32",
                    "bias [" + features + "] F32"), 2L * features, Double.NaN));
        }
    }

    private static final class SavedKWinners extends Saved {
        final int features;
        final double density;
        final double boostStrength;
        final double boostStrengthFactor;
        final int dutyCyclePeriod;
        final double kInferenceFactor;
        final long learningIterations;
        final float[] dutyCycle;

        SavedKWinners(String source, String path, int features, double density, double boostStrength,
                      double boostStrengthFactor, int dutyCyclePeriod, double kInferenceFactor,
                      long learningIterations, float[] dutyCycle) {
            super(source, path, "KWinners");
            this.features = features;
            this.density = density;
            this.boostStrength = boostStrength;
            this.boostStrengthFactor = boostStrengthFactor;
            this.dutyCyclePeriod = dutyCyclePeriod;
            this.kInferenceFactor = kInferenceFactor;
            this.learningIterations = learningIterations;
            this.dutyCycle = dutyCycle;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            KWinners layer;
            try {
                layer = new KWinners(features, density, KWinners.options().boostStrength(boostStrength)
                        .boostStrengthFactor(boostStrengthFactor).dutyCyclePeriod(dutyCyclePeriod)
                        .kInferenceFactor(kInferenceFactor).backend(backend));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw rejected(e);
            }
            apply(layer);
            return layer;
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            KWinners layer = (KWinners) target;
            if (layer.features() != features || layer.density() != density) {
                throw fail("the file has features=" + features + ", density=" + density + " but the model's layer is "
                        + layer);
            }
        }

        @Override
        void apply(Layer target) {
            ((KWinners) target).restoreState(dutyCycle, boostStrength, learningIterations);
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            rows.add(new ModelSummary.Row(path, String.format(Locale.ROOT, "KWinners(n=%d, density=%s, "
                            + "boost_strength=%s, duty_cycle_period=%d)", features, density, (float) boostStrength,
                    dutyCyclePeriod), List.of("duty_cycle [" + features + "] F32 (state)"), 0, Double.NaN));
        }
    }

    private static final class SavedFixedMap extends Saved {
        final Connectivity connectivity;
        final String description;

        SavedFixedMap(String source, String path, Connectivity connectivity, String description) {
            super(source, path, "FixedSparseMap");
            this.connectivity = connectivity;
            this.description = description;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            try {
                return new FixedSparseMap(connectivity, backend, description);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw rejected(e);
            }
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            if (!((FixedSparseMap) target).connectivity().equals(connectivity)) {
                throw fail("the file's map " + description + " has other connections than the model's " + target);
            }
        }

        @Override
        void apply(Layer target) {
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            rows.add(new ModelSummary.Row(path, description, List.of("indices [2, " + connectivity.nnz() + "] I64 (fixed)"),
                    0, connectivity.sparsity()));
        }
    }

    /** ReLU and Flatten. */
    private static final class SavedStateless extends Saved {

        SavedStateless(String source, String path, String kind) {
            super(source, path, kind);
        }

        @Override
        Layer build(Backend backend) {
            return kind.equals("ReLU") ? new ReLU() : new Flatten();
        }

        @Override
        void apply(Layer target) {
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            rows.add(new ModelSummary.Row(path, kind.equals("ReLU") ? "ReLU()" : "Flatten(start_dim=1, end_dim=-1)",
                    List.of(), 0, Double.NaN));
        }
    }

    /** A layer of a kind this class does not know: its parameters by name. */
    private static final class SavedCustom extends Saved {
        final Map<String, long[]> shapes;
        final Map<String, float[]> values;

        SavedCustom(String source, String path, String className, Map<String, long[]> shapes,
                    Map<String, float[]> values) {
            super(source, path, className);
            this.shapes = shapes;
            this.values = values;
        }

        @Override
        Layer build(Backend backend) throws ModelFileException {
            throw fail("ModelFile can rebuild only the layers of this library; build the model in code and use "
                    + "ModelFile.loadInto");
        }

        @Override
        void check(Layer target) throws ModelFileException {
            super.check(target);
            Map<String, Parameter> byName = new LinkedHashMap<>();
            for (Parameter parameter : target.parameters()) {
                byName.put(parameter.name(), parameter);
            }
            if (!byName.keySet().equals(shapes.keySet())) {
                throw fail("the file has parameters " + shapes.keySet() + " but the model's layer has " + byName.keySet());
            }
            for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
                long[] actual = fileShape(byName.get(entry.getKey()));
                if (!Arrays.equals(actual, entry.getValue())) {
                    throw fail("parameter '" + entry.getKey() + "' has shape " + Arrays.toString(entry.getValue())
                            + " in the file but " + Arrays.toString(actual) + " in the model");
                }
            }
        }

        @Override
        void apply(Layer target) {
            for (Parameter parameter : target.parameters()) {
                HostValues.copyInto(parameter.value(), values.get(parameter.name()));
            }
        }

        @Override
        void rows(List<ModelSummary.Row> rows) {
            List<String> tensors = new ArrayList<>();
            long count = 0;
            for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
                tensors.add(entry.getKey() + " " + Arrays.toString(entry.getValue()) + " F32");
                count += values.get(entry.getKey()).length;
            }
            rows.add(new ModelSummary.Row(path, kind + " (custom)", tensors, count, Double.NaN));
        }
    }

    /** Walks the description tree, loading and checking the tensors of each layer. */
    private static final class Decoder {
        private final Contents contents;
        private final String source;
        private final Set<String> claimed = new HashSet<>();
        private final Map<String, long[]> floatShapes = new LinkedHashMap<>();

        Decoder(Contents contents) {
            this.contents = contents;
            this.source = contents.source();
        }

        Saved layer(Object node, String path) throws IOException {
            String where = label(path);
            if (!(node instanceof Map<?, ?> map)) {
                throw new ModelFileException(source, where, "expected a JSON object describing the layer, got "
                        + (node == null ? "null" : node.getClass().getSimpleName()));
            }
            Fields f = new Fields(source, where, map);
            String kind = f.string("class");
            if (kind.isEmpty() || kind.length() > 200) {
                throw f.fail("class", "expected a layer kind of 1 to 200 characters, got " + kind.length());
            }
            f = new Fields(source, where + " (" + kind + ")", map);
            String prefix = path.isEmpty() ? "" : path + ".";
            switch (kind) {
                case "Sequential": {
                    List<?> children = f.list("layers");
                    if (children.isEmpty()) {
                        throw f.fail("layers", "a Sequential needs at least one layer, got none");
                    }
                    List<Saved> layers = new ArrayList<>();
                    for (int i = 0; i < children.size(); i++) {
                        layers.add(layer(children.get(i), prefix + i));
                    }
                    return new SavedSequential(source, path, layers);
                }
                case "SparseLinear": {
                    int in = f.positiveInt("in_features");
                    int out = f.positiveInt("out_features");
                    boolean hasBias = f.bool("bias");
                    String topology = f.string("topology");
                    long declared = f.nonNegativeLong("nnz");
                    Connectivity connectivity = connectivity(prefix + "indices", out, in, f, 0);
                    if (declared != connectivity.nnz()) {
                        throw f.fail("nnz", "is " + declared + " but tensor '" + prefix + "indices' holds "
                                + connectivity.nnz() + " connections");
                    }
                    float[] weights = floats(prefix + "weights", connectivity.nnz());
                    float[] bias = hasBias ? floats(prefix + "bias", out) : null;
                    SavedRewiring rewiring = rewiring(f);
                    return new SavedSparse(source, path, in, out, connectivity, weights, bias, topology, rewiring);
                }
                case "Linear": {
                    int in = f.positiveInt("in_features");
                    int out = f.positiveInt("out_features");
                    boolean hasBias = f.bool("bias");
                    if ((long) in * out > SafeTensors.MAX_ELEMENTS) {
                        throw f.fail("in_features", "Linear(" + in + ", " + out + ") has more weights than one array holds");
                    }
                    float[] weight = floats(prefix + "weight", out, in);
                    float[] bias = hasBias ? floats(prefix + "bias", out) : null;
                    return new SavedLinear(source, path, in, out, weight, bias);
                }
                case "LayerNorm":
                case "FeatureAffine": {
                    int features = f.positiveInt("features");
                    float[] weight = floats(prefix + "weight", features);
                    float[] bias = floats(prefix + "bias", features);
                    return new SavedVectorPair(source, path, kind, features, weight, bias);
                }
                case "KWinners": {
                    int features = f.positiveInt("features");
                    double density = f.finite("density");
                    double boostStrength = f.finite("boost_strength");
                    double boostStrengthFactor = f.finite("boost_strength_factor");
                    int period = f.positiveInt("duty_cycle_period");
                    double kInferenceFactor = f.finite("k_inference_factor");
                    long iterations = f.nonNegativeLong("learning_iterations");
                    if (boostStrength < 0) {
                        throw f.fail("boost_strength", "must be >= 0, got " + boostStrength);
                    }
                    float[] duty = floats(prefix + "duty_cycle", features);
                    for (int i = 0; i < duty.length; i++) {
                        if (!(duty[i] >= 0 && duty[i] <= 1)) {
                            throw new ModelFileException(source, "tensor '" + prefix + "duty_cycle'", "entry " + i
                                    + " is " + duty[i] + ", expected a fraction in [0, 1]");
                        }
                    }
                    return new SavedKWinners(source, path, features, density, boostStrength, boostStrengthFactor, period,
                            kInferenceFactor, iterations, duty);
                }
                case "FixedSparseMap": {
                    int in = f.positiveInt("in_features");
                    int out = f.positiveInt("out_features");
                    String description = f.string("description");
                    Connectivity connectivity = connectivity(prefix + "indices", out, in, f, 0);
                    return new SavedFixedMap(source, path, connectivity, description);
                }
                case "ReLU":
                case "Flatten":
                    return new SavedStateless(source, path, kind);
                default: {
                    if (!Boolean.TRUE.equals(map.get("custom"))) {
                        throw f.fail("class", "unknown layer kind \"" + kind + "\"; expected Sequential, SparseLinear, "
                                + "Linear, LayerNorm, FeatureAffine, KWinners, FixedSparseMap, ReLU, Flatten or a "
                                + "custom layer (\"custom\": true)");
                    }
                    Map<String, long[]> shapes = new LinkedHashMap<>();
                    Map<String, float[]> values = new LinkedHashMap<>();
                    List<?> names = f.list("parameters");
                    for (Object item : names) {
                        if (!(item instanceof String name) || name.isEmpty() || shapes.containsKey(name)) {
                            throw f.fail("parameters", "expected distinct non-empty parameter names, got " + item);
                        }
                        TensorInfo info = contents.tensor(prefix + name);
                        if (info == null) {
                            throw new ModelFileException(source, "tensor '" + prefix + name + "'", "missing; "
                                    + f.where + " lists parameter '" + name + "'");
                        }
                        long[] shape = info.shape();
                        if (shape.length < 1 || shape.length > 2) {
                            throw new ModelFileException(source, "tensor '" + prefix + name + "'", "expected a vector "
                                    + "or a matrix, got shape " + info.shapeString());
                        }
                        values.put(name, floats(prefix + name, shape));
                        shapes.put(name, shape);
                    }
                    return new SavedCustom(source, path, kind, shapes, values);
                }
            }
        }

        private SavedRewiring rewiring(Fields f) throws ModelFileException {
            Object value = f.map.get("rewiring");
            if (value == null) {
                return null;
            }
            if (!(value instanceof Map<?, ?> map)) {
                throw f.fail("rewiring", "expected an object or null, got " + value);
            }
            Fields r = new Fields(source, f.where + " rewiring", map);
            String rule = r.string("rule");
            String name = r.string("name");
            long seed = r.anyLong("seed");
            long steps = r.nonNegativeLong("steps");
            long epochs = r.nonNegativeLong("epochs");
            if (epochs > Integer.MAX_VALUE) {
                throw r.fail("epochs", "must be at most " + Integer.MAX_VALUE + ", got " + epochs);
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            switch (rule) {
                case "RigL" -> {
                    settings.put("delta_t", r.positiveInt("delta_t"));
                    long tEnd = r.nonNegativeLong("t_end");
                    if (tEnd < 1) {
                        throw r.fail("t_end", "must be at least 1, got " + tEnd);
                    }
                    settings.put("t_end", tEnd);
                    settings.put("alpha", r.finite("alpha"));
                }
                case "SET" -> settings.put("zeta", r.finite("zeta"));
                case "custom" -> settings.put("class", r.string("class"));
                default -> throw r.fail("rule", "unknown rewiring rule \"" + rule + "\"; expected RigL, SET or custom");
            }
            return new SavedRewiring(rule, name, settings, seed, steps, (int) epochs);
        }

        /** A float tensor of exactly this shape, loaded. */
        private float[] floats(String name, long... shape) throws IOException {
            TensorInfo info = contents.require(name, DType.F32, shape);
            claimed.add(name);
            float[] values = contents.floats(info);
            floatShapes.put(name, shape.clone());
            return values;
        }

        /**
         * The connections of an {@code (out, in)} layer from a {@code (2, nnz)} index tensor, checked:
         * every index in range, sorted by row then column, no duplicates.
         */
        private Connectivity connectivity(String name, int out, int in, Fields f, int minimumNnz) throws IOException {
            String field = "tensor '" + name + "'";
            TensorInfo info = contents.tensor(name);
            if (info == null) {
                throw new ModelFileException(source, field, "missing; " + f.where + " needs its connection indices");
            }
            long[] shape = info.shape();
            if ((info.dtype() != DType.I64 && info.dtype() != DType.I32) || shape.length != 2 || shape[0] != 2) {
                throw new ModelFileException(source, field, "expected I64 [2, nnz] (rows, then columns), got "
                        + info.dtype() + " " + info.shapeString());
            }
            long nnz = shape[1];
            if (nnz < minimumNnz || nnz > Connectivity.MAX_NNZ) {
                throw new ModelFileException(source, field, "has " + nnz + " connections, expected " + minimumNnz
                        + " to " + Connectivity.MAX_NNZ);
            }
            if (nnz > (long) out * in) {
                throw new ModelFileException(source, field, nnz + " connections cannot fit a (" + out + ", " + in
                        + ") weight of " + (long) out * in + " positions");
            }
            long hostBytes = 4L * (out + 1L) + 4L * (in + 1L) + 12L * nnz;
            long free = freeHeap();
            if (hostBytes > free / 2) {
                throw new ModelFileException(source, f.where, String.format(Locale.ROOT, "a (%d, %d) layer with %d connections needs "
                        + "about %,d bytes of Java heap for its pattern but only %,d are free; the file is corrupt, or "
                        + "give the JVM more memory (-Xmx)", out, in, nnz, hostBytes, free));
            }
            claimed.add(name);
            int count = (int) nnz;
            int[] rows = new int[count];
            for (int start = 0; start < count; start += INDEX_CHUNK) {
                long[] chunk = contents.longs(info, start, Math.min(INDEX_CHUNK, count - start));
                for (int i = 0; i < chunk.length; i++) {
                    long row = chunk[i];
                    if (row < 0 || row >= out) {
                        throw new ModelFileException(source, field, String.format(Locale.ROOT, "connection %d has row "
                                + "(output) index %d, expected [0, %d)", start + i, row, out));
                    }
                    rows[start + i] = (int) row;
                }
            }
            int[] rowPointers = new int[out + 1];
            int[] columns = new int[count];
            long previousRow = -1;
            long previousColumn = -1;
            long[] chunk = new long[0];
            int chunkStart = 0;
            for (int k = 0; k < count; k++) {
                if (k - chunkStart >= chunk.length) {
                    chunkStart = k;
                    chunk = contents.longs(info, (long) count + k, Math.min(INDEX_CHUNK, count - k));
                }
                long row = rows[k];
                long column = chunk[k - chunkStart];
                if (column < 0 || column >= in) {
                    throw new ModelFileException(source, field, String.format(Locale.ROOT, "connection %d has column "
                            + "(input) index %d, expected [0, %d)", k, column, in));
                }
                if (row == previousRow && column == previousColumn) {
                    throw new ModelFileException(source, field, String.format(Locale.ROOT, "connection %d (row %d, "
                            + "column %d) duplicates connection %d; each connection may appear once", k, row, column,
                            k - 1));
                }
                if (row < previousRow || (row == previousRow && column < previousColumn)) {
                    throw new ModelFileException(source, field, String.format(Locale.ROOT, "connection %d (row %d, "
                            + "column %d) comes after (row %d, column %d); connections must be sorted by row, then "
                            + "column", k, row, column, previousRow, previousColumn));
                }
                rowPointers[(int) row + 1]++;
                columns[k] = (int) column;
                previousRow = row;
                previousColumn = column;
            }
            for (int r = 0; r < out; r++) {
                rowPointers[r + 1] += rowPointers[r];
            }
            return Connectivity.ofTrustedCsr(out, in, rowPointers, columns);
        }
    }

    /** Connection indices are read in pieces of this many, so loading needs no {@code long} per index. */
    private static final int INDEX_CHUNK = 1 << 18;

    static long freeHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** Typed, checked access to the fields of one JSON object of the description. */
    static final class Fields {
        final String source;
        final String where;
        final Map<?, ?> map;

        Fields(String source, String where, Map<?, ?> map) {
            this.source = source;
            this.where = where;
            this.map = map;
        }

        ModelFileException fail(String key, String problem) {
            return new ModelFileException(source, where, "field \"" + key + "\": " + problem);
        }

        private Object required(String key) throws ModelFileException {
            if (!map.containsKey(key)) {
                throw fail(key, "missing");
            }
            return map.get(key);
        }

        String string(String key) throws ModelFileException {
            if (!(required(key) instanceof String text)) {
                throw fail(key, "expected a string, got " + show(map.get(key)));
            }
            return text;
        }

        boolean bool(String key) throws ModelFileException {
            if (!(required(key) instanceof Boolean flag)) {
                throw fail(key, "expected true or false, got " + show(map.get(key)));
            }
            return flag;
        }

        List<?> list(String key) throws ModelFileException {
            if (!(required(key) instanceof List<?> items)) {
                throw fail(key, "expected an array, got " + show(map.get(key)));
            }
            return items;
        }

        int positiveInt(String key) throws ModelFileException {
            Object value = required(key);
            if (!(value instanceof Long number) || number < 1 || number > Integer.MAX_VALUE) {
                throw fail(key, "expected an integer in [1, " + Integer.MAX_VALUE + "], got " + show(value));
            }
            return (int) (long) number;
        }

        long nonNegativeLong(String key) throws ModelFileException {
            Object value = required(key);
            if (!(value instanceof Long number) || number < 0) {
                throw fail(key, "expected an integer >= 0, got " + show(value));
            }
            return number;
        }

        long anyLong(String key) throws ModelFileException {
            if (!(required(key) instanceof Long number)) {
                throw fail(key, "expected a 64-bit integer, got " + show(map.get(key)));
            }
            return number;
        }

        double finite(String key) throws ModelFileException {
            Object value = required(key);
            if (!(value instanceof Number number) || !Double.isFinite(number.doubleValue())) {
                throw fail(key, "expected a finite number, got " + show(value));
            }
            return number.doubleValue();
        }

        private static String show(Object value) {
            String text = value instanceof String s ? JsonCodec.quote(s) : String.valueOf(value);
            return text.length() > 60 ? text.substring(0, 60) + "..." : text;
        }
    }
}
