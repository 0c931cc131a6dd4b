package org.sparselinear.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.Optimizer;

/**
 * A training checkpoint: everything a run needs to continue bit for bit as if it had never
 * stopped. It holds the model exactly as {@link ModelFile} saves it (parameters, each sparse
 * layer's current connections, its rewiring counters and seed, K-Winners' duty cycles, boost
 * strength and samples seen), the optimizer's state (SGD momentum buffers; Adam's moments and step
 * count), the {@link TrainingProgress} (epochs, batches into the next epoch, steps, the shuffling
 * seed) and string extras the caller adds (a run's settings or history).
 *
 * <pre>{@code
 * // at the end of epoch e:
 * Checkpoint.save(file, model, optimizer, TrainingProgress.afterEpoch(e, step, seed), Map.of());
 * // later, with the model and optimizer built the same way in code:
 * Checkpoint checkpoint = Checkpoint.read(file);
 * checkpoint.restore(model, optimizer);
 * TrainingProgress p = checkpoint.progress();
 * for (int epoch = p.completedEpochs() + 1; epoch <= epochs; epoch++) {
 *     for (Batch batch : loader.epoch(epoch)) { ... }
 * }
 * }</pre>
 * On the CPU backend with the same thread count, a run resumed this way gives the same weights,
 * to the bit, as the uninterrupted run: the random streams of shuffling and rewiring depend only on
 * their seeds and the epoch or step numbers, which the checkpoint holds.
 *
 * <p>The file is a safetensors file ({@value #FORMAT}): the model's tensors and metadata as in a
 * model file, so {@link ModelFile#load} and {@link ModelFile#inspect} read it too, plus tensors
 * {@code "optimizer.<parameter>.<state>"} (PyTorch's state names: {@code momentum_buffer},
 * {@code exp_avg}, {@code exp_avg_sq}) and a {@code "checkpoint"} metadata entry (JSON: progress,
 * optimizer kind and settings, extras). It is written atomically and read with every check of
 * {@link ModelFile}. Any optimizer that is {@link Saveable} and whose kind has an
 * {@link org.sparselinear.io.OptimizerProvider} on the class path is supported, SGD and Adam as
 * well as a third party's; see {@code docs/MODEL-FORMAT.md}.
 */
public final class Checkpoint {

    /** The format tag of a checkpoint. */
    public static final String FORMAT = "sparselinear-checkpoint/1";

    /** Metadata key of the checkpoint's own JSON entry. */
    static final String CHECKPOINT_KEY = "checkpoint";

    /** Prefix of the optimizer state tensors. */
    static final String OPTIMIZER_PREFIX = "optimizer.";

    /** The keys of the optimizer's JSON entry that the format fills; an optimizer's configuration may not use them. */
    private static final List<String> OPTIMIZER_KEYS = List.of("class", "description", "parameters", "state");

    private final String source;
    private final SavedModel model;
    private final TrainingProgress progress;
    private final Map<String, String> extras;
    private final String optimizerKind;
    private final String optimizerDescription;
    private final List<String> parameterNames;
    private final SavedOptimizer optimizer;

    private Checkpoint(
            String source,
            SavedModel model,
            TrainingProgress progress,
            Map<String, String> extras,
            String optimizerKind,
            String optimizerDescription,
            List<String> parameterNames,
            SavedOptimizer optimizer) {
        this.source = source;
        this.model = model;
        this.progress = progress;
        this.extras = extras;
        this.optimizerKind = optimizerKind;
        this.optimizerDescription = optimizerDescription;
        this.parameterNames = parameterNames;
        this.optimizer = optimizer;
    }

    // ---- writing --------------------------------------------------------------------------

    /**
     * Writes a checkpoint of {@code model} and {@code optimizer} (which must update parameters of
     * the model only) to {@code file}, atomically: a crash mid-write leaves the previous file.
     *
     * @param extras strings to keep with the checkpoint (e.g. the run's settings as JSON); may be empty
     * @throws IllegalArgumentException for an optimizer that is not {@link Saveable}, or one that
     *         updates a parameter that is not in the model
     */
    public static void save(
            Path file, Layer model, Optimizer optimizer, TrainingProgress progress, Map<String, String> extras)
            throws IOException {
        Objects.requireNonNull(file, "file");
        writer(model, optimizer, progress, extras).write(file);
    }

    /** The file {@link #save} writes, as bytes. */
    public static byte[] toBytes(
            Layer model, Optimizer optimizer, TrainingProgress progress, Map<String, String> extras) {
        return writer(model, optimizer, progress, extras).toBytes();
    }

    private static SafeTensors.Writer writer(
            Layer model, Optimizer optimizer, TrainingProgress progress, Map<String, String> extras) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(extras, "extras");
        SafeTensors.Writer writer = new SafeTensors.Writer().metadata(SavedModel.FORMAT_KEY, FORMAT);
        SavedModel.FileParameters saved = SavedModel.encode(model, writer);
        Map<Parameter, String> names = saved.names();
        List<Parameter> parameters = optimizer.parameters();
        List<Object> parameterList = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            String name = names.get(parameters.get(i));
            if (name == null) {
                throw new IllegalArgumentException("optimizer parameter " + i + " (" + parameters.get(i) + ") is not a "
                        + "parameter of the model; a checkpoint needs an optimizer over the model's parameters");
            }
            parameterList.add(name);
        }
        StateWriter state = new StateWriter();
        saveable(optimizer).describe(state);
        List<String> stateNames = new ArrayList<>();
        for (StateWriter.ParameterState entry : state.parameterStates()) {
            String name = names.get(entry.parameter());
            if (name == null || !parameters.contains(entry.parameter())) {
                throw new IllegalArgumentException(optimizer + " wrote state '" + entry.state() + "' for "
                        + entry.parameter() + ", which it does not update");
            }
            if (!stateNames.contains(entry.state())) {
                stateNames.add(entry.state());
            }
            writer.addFloats(
                    OPTIMIZER_PREFIX + name + "." + entry.state(),
                    saved.inFileOrder(entry.parameter(), entry.values()),
                    StateWriter.fileShape(entry.parameter()));
        }
        if (state.parameterStates().size() != stateNames.size() * parameters.size()) {
            throw new IllegalArgumentException(optimizer + " wrote states " + stateNames + " for some of its "
                    + "parameters only; a checkpoint holds the same states for every parameter");
        }
        Map<String, Object> optimizerJson = new LinkedHashMap<>();
        optimizerJson.put("class", saveable(optimizer).kind());
        optimizerJson.put("description", optimizer.toString());
        optimizerJson.put("parameters", parameterList);
        optimizerJson.put("state", new ArrayList<Object>(stateNames));
        for (Map.Entry<String, Object> entry : state.config().entrySet()) {
            if (OPTIMIZER_KEYS.contains(entry.getKey())) {
                throw new IllegalArgumentException(optimizer + " writes configuration '" + entry.getKey() + "', a key "
                        + "the checkpoint format reserves: " + OPTIMIZER_KEYS);
            }
            optimizerJson.put(entry.getKey(), entry.getValue());
        }
        Map<String, Object> progressJson = new LinkedHashMap<>();
        progressJson.put("completed_epochs", progress.completedEpochs());
        progressJson.put("batches_into_epoch", progress.batchesIntoEpoch());
        progressJson.put("step", progress.step());
        progressJson.put("shuffle_seed", progress.shuffleSeed());
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("progress", progressJson);
        checkpoint.put("optimizer", optimizerJson);
        Map<String, Object> extrasJson = new LinkedHashMap<>();
        extras.forEach((key, value) -> extrasJson.put(
                Objects.requireNonNull(key, "extras key"),
                Objects.requireNonNull(value, () -> "extras value of " + key)));
        checkpoint.put("extras", extrasJson);
        writer.metadata(CHECKPOINT_KEY, JsonCodec.write(checkpoint));
        return writer;
    }

    private static Saveable saveable(Optimizer optimizer) {
        if (optimizer instanceof Saveable saveable) {
            return saveable;
        }
        throw new IllegalArgumentException("a checkpoint holds the state of an optimizer that implements Saveable and "
                + "has an OptimizerProvider (SGD, Adam or a third party's); "
                + optimizer.getClass().getName() + " ("
                + optimizer + ") does not");
    }

    // ---- reading --------------------------------------------------------------------------

    /**
     * Reads and checks a checkpoint as {@link ModelFile#load} checks a model (the tensors' checksums
     * when recorded, finite values, the model), then the optimizer state and the progress (counts
     * {@code >= 0}, at least one step per completed epoch and batch); nothing is
     * applied until {@link #restore}.
     *
     * @throws ModelFileException when the file is corrupt, truncated or not a checkpoint
     */
    public static Checkpoint read(Path file) throws IOException {
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            return read(contents);
        }
    }

    /** As {@link #read(Path)}, from the bytes of a file; {@code name} is used in messages. */
    public static Checkpoint read(byte[] bytes, String name) throws IOException {
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, name)) {
            return read(contents);
        }
    }

    /** A checkpoint read and checked from open contents: their data first, then the model, progress and optimizer. */
    static Checkpoint read(SafeTensors.Contents contents) throws IOException {
        String source = contents.source();
        contents.verify();
        if (ModelFile.FORMAT.equals(contents.metadata().get(SavedModel.FORMAT_KEY))) {
            throw new ModelFileException(
                    source,
                    SafeTensors.METADATA + "." + SavedModel.FORMAT_KEY,
                    "this is a model "
                            + "file (" + ModelFile.FORMAT
                            + "), not a checkpoint: it holds no optimizer state or progress; load "
                            + "it with ModelFile.load or ModelFile.loadInto");
        }
        SavedModel model = SavedModel.read(contents, List.of(FORMAT), List.of(OPTIMIZER_PREFIX));
        String field = SafeTensors.METADATA + "." + CHECKPOINT_KEY;
        String json = contents.metadata().get(CHECKPOINT_KEY);
        if (json == null) {
            throw new ModelFileException(source, field, "missing: the file has no checkpoint entry");
        }
        Object parsed;
        try {
            parsed = JsonCodec.parse(json);
        } catch (JsonCodec.SyntaxException e) {
            throw new ModelFileException(source, field, e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> root)) {
            throw new ModelFileException(source, field, "expected a JSON object");
        }
        Config top = new Config(source, field, root);
        Config p = top.object("progress");
        long epochs = p.nonNegativeLong("completed_epochs");
        long batches = p.nonNegativeLong("batches_into_epoch");
        if (epochs > Integer.MAX_VALUE || batches > Integer.MAX_VALUE) {
            throw p.fail(
                    epochs > Integer.MAX_VALUE ? "completed_epochs" : "batches_into_epoch",
                    "must be at most " + Integer.MAX_VALUE);
        }
        long step = p.nonNegativeLong("step");
        if (step < epochs + batches) {
            throw p.fail(
                    "step",
                    "is " + step + ", fewer than the " + epochs + " completed epochs and " + batches
                            + " batches into the next need (every batch is a step); the progress is impossible, the "
                            + "file is corrupt");
        }
        TrainingProgress progress = new TrainingProgress((int) epochs, (int) batches, step, p.anyLong("shuffle_seed"));

        Config o = top.object("optimizer");
        String kind = o.string("class");
        OptimizerProvider.Kind reading = Providers.optimizer(kind)
                .orElseThrow(() -> o.fail(
                        "class",
                        "unknown optimizer "
                                + "kind \"" + Config.shorten(kind)
                                + "\": no OptimizerProvider on the class path offers it (known: "
                                + Providers.optimizers().keySet()
                                + "); put the jar that defines it on the class path"));
        String description = o.string("description");
        List<String> stateNames = o.strings("state");
        if (new HashSet<>(stateNames).size() != stateNames.size()) {
            throw o.fail("state", "lists a state twice: " + stateNames);
        }
        List<String> parameters = o.strings("parameters");
        Set<String> seen = new HashSet<>();
        Map<String, float[]> state = new LinkedHashMap<>();
        for (String name : parameters) {
            if (!seen.add(name)) {
                throw o.fail("parameters", "parameter '" + Config.shorten(name) + "' is listed twice");
            }
            long[] shape = model.floatShapes().get(name);
            if (shape == null) {
                throw o.fail("parameters", "'" + Config.shorten(name) + "' is not a parameter of the saved model");
            }
            for (String stateName : stateNames) {
                String tensor = OPTIMIZER_PREFIX + name + "." + stateName;
                TensorInfo info = contents.require(tensor, DType.F32, shape);
                state.put(tensor, model.inModelOrder(name, contents.floats(info)));
            }
        }
        for (TensorInfo info : contents.tensors()) {
            if (info.name().startsWith(OPTIMIZER_PREFIX) && !state.containsKey(info.name())) {
                throw new ModelFileException(
                        source,
                        "tensor '" + info.name() + "'",
                        "not the state of a parameter the " + "checkpoint's optimizer lists; the file is corrupt");
            }
        }
        SavedOptimizer optimizer = Objects.requireNonNull(
                reading.read(new SavedState(source, o, parameters, stateNames, state)),
                () -> "the provider of " + kind + " read null");
        Map<String, String> extras = new LinkedHashMap<>();
        Object extrasValue = root.get("extras");
        if (extrasValue != null) {
            if (!(extrasValue instanceof Map<?, ?> map)) {
                throw top.fail("extras", "expected an object of strings");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getValue() instanceof String text)) {
                    throw top.fail(
                            "extras", "entry \"" + Config.shorten((String) entry.getKey()) + "\" is not a string");
                }
                extras.put((String) entry.getKey(), text);
            }
        }
        return new Checkpoint(
                source,
                model,
                progress,
                Collections.unmodifiableMap(extras),
                kind,
                description,
                List.copyOf(parameters),
                optimizer);
    }

    // ---- use ------------------------------------------------------------------------------

    /** Where the run stood when the checkpoint was written. */
    public TrainingProgress progress() {
        return progress;
    }

    /** The strings saved with the checkpoint (unmodifiable). */
    public Map<String, String> extras() {
        return extras;
    }

    /** The saved optimizer as its {@code toString()} read, e.g. {@code "SGD(lr=0.1, momentum=0.9, ...)"}. */
    public String optimizerDescription() {
        return optimizerDescription;
    }

    /** A new model on {@code backend} with the saved structure and state (see {@link ModelFile#load}). */
    public Layer buildModel(Backend backend) throws ModelFileException {
        return model.build(Objects.requireNonNull(backend, "backend"));
    }

    /**
     * A new optimizer of the saved kind and settings over {@code model}'s parameters (in the saved
     * order), with the saved state: e.g. for a model from {@link #buildModel}. The model must have
     * the saved structure; it is not changed.
     *
     * @throws ModelFileException when the model does not fit, the optimizer's kind has no provider
     *         that can build it, or the checkpoint holds no settings (version 0.1: build the optimizer
     *         in code and use {@link #restore})
     */
    public Optimizer buildOptimizer(Layer model) throws ModelFileException {
        Objects.requireNonNull(model, "model");
        this.model.prepareRestore(model);
        Map<String, Parameter> byName = new LinkedHashMap<>();
        SavedModel.parameterNames(model).forEach((parameter, name) -> byName.put(name, parameter));
        List<Parameter> parameters = new ArrayList<>();
        for (String name : parameterNames) {
            Parameter parameter = byName.get(name);
            if (parameter == null) {
                throw new ModelFileException(
                        source,
                        "optimizer",
                        "updates '" + name + "', which the model has not; "
                                + "build the model with the saved structure");
            }
            parameters.add(parameter);
        }
        Saveable made = optimizer.build(parameters);
        try {
            if (!(made instanceof Optimizer built) || !made.kind().equals(optimizerKind)) {
                throw new ModelFileException(
                        source,
                        "optimizer",
                        "the provider of " + optimizerKind + " built "
                                + (made == null
                                        ? "null"
                                        : "a " + made.getClass().getName() + " of kind " + made.kind())
                                + ", expected a Saveable Optimizer of kind " + optimizerKind
                                + "; fix the OptimizerProvider of that kind");
            }
            optimizer.prepareRestore(made).run();
            return built;
        } catch (ModelFileException | RuntimeException e) {
            if (made instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    /**
     * Puts the saved state into {@code model} and {@code optimizer}, built in code like the saved
     * ones (same structure; the optimizer of the same kind over the model's parameters in the same
     * order; SGD with momentum exactly when the saved one had it). Everything is checked first;
     * on any mismatch nothing changes. The optimizer's settings (learning rate, ...) are its own:
     * they are not read from the file.
     *
     * @throws ModelFileException naming the layer, parameter or optimizer setting that does not fit
     */
    public void restore(Layer model, Optimizer optimizer) throws ModelFileException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Runnable restoreModel = this.model.prepareRestore(model);
        String field = "optimizer";
        if (!(optimizer instanceof Saveable saveable) || !saveable.kind().equals(optimizerKind)) {
            throw new ModelFileException(
                    source,
                    field,
                    "the checkpoint holds the state of " + optimizerDescription + " but the optimizer is " + optimizer
                            + "; build a " + optimizerKind);
        }
        Map<Parameter, String> names = SavedModel.parameterNames(model);
        List<String> actual = new ArrayList<>();
        for (Parameter parameter : optimizer.parameters()) {
            actual.add(names.getOrDefault(parameter, "(not in the model: " + parameter + ")"));
        }
        if (!actual.equals(parameterNames)) {
            throw new ModelFileException(
                    source,
                    field,
                    "the checkpoint's optimizer updates " + parameterNames + " but this one updates " + actual
                            + "; build it over model.parameters() as the saved one was");
        }
        Runnable restoreOptimizer = this.optimizer.prepareRestore(saveable);
        restoreModel.run();
        restoreOptimizer.run();
    }

    /** The optimizer state of a checkpoint, read and checked, as its provider reads it. */
    private record SavedState(
            String source, Config config, List<String> parameters, List<String> states, Map<String, float[]> values)
            implements OptimizerReader {

        /** Problems with the optimizer are reported as {@code "optimizer"}, as restore's are. */
        @Override
        public String where() {
            return "optimizer";
        }

        @Override
        public ModelFileException fail(String problem) {
            return new ModelFileException(source, where(), problem);
        }

        @Override
        public float[] parameterState(int index, String state) throws ModelFileException {
            Objects.checkIndex(index, parameters.size());
            float[] saved = values.get(OPTIMIZER_PREFIX + parameters.get(index) + "." + state);
            if (saved == null) {
                throw config.fail("state", "has no '" + state + "'; the checkpoint holds " + states);
            }
            return saved;
        }
    }
}
