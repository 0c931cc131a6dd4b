package org.sparselinear.nn;

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
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;

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
 * optimizer class and settings, extras). It is written atomically and read with every check of
 * {@link ModelFile}. SGD and Adam are supported.
 */
public final class Checkpoint {

    /** The format tag of a checkpoint. */
    public static final String FORMAT = "sparselinear-checkpoint/1";

    /** Metadata key of the checkpoint's own JSON entry. */
    static final String CHECKPOINT_KEY = "checkpoint";

    /** Prefix of the optimizer state tensors. */
    static final String OPTIMIZER_PREFIX = "optimizer.";

    private static final List<String> SGD_STATE = List.of("momentum_buffer");
    private static final List<String> ADAM_STATE = List.of("exp_avg", "exp_avg_sq");

    private final String source;
    private final SavedModel model;
    private final TrainingProgress progress;
    private final Map<String, String> extras;
    private final String optimizerClass;
    private final String optimizerDescription;
    private final long optimizerSteps;
    private final List<String> parameterNames;
    private final List<String> stateNames;
    private final Map<String, float[]> state;

    private Checkpoint(String source, SavedModel model, TrainingProgress progress, Map<String, String> extras,
                       String optimizerClass, String optimizerDescription, long optimizerSteps,
                       List<String> parameterNames, List<String> stateNames, Map<String, float[]> state) {
        this.source = source;
        this.model = model;
        this.progress = progress;
        this.extras = extras;
        this.optimizerClass = optimizerClass;
        this.optimizerDescription = optimizerDescription;
        this.optimizerSteps = optimizerSteps;
        this.parameterNames = parameterNames;
        this.stateNames = stateNames;
        this.state = state;
    }

    // ---- writing --------------------------------------------------------------------------

    /**
     * Writes a checkpoint of {@code model} and {@code optimizer} (which must update parameters of
     * the model only) to {@code file}, atomically: a crash mid-write leaves the previous file.
     *
     * @param extras strings to keep with the checkpoint (e.g. the run's settings as JSON); may be empty
     * @throws IllegalArgumentException for an optimizer other than SGD and Adam, or one that
     *         updates a parameter that is not in the model
     */
    public static void save(Path file, Layer model, Optimizer optimizer, TrainingProgress progress,
                            Map<String, String> extras) throws IOException {
        Objects.requireNonNull(file, "file");
        writer(model, optimizer, progress, extras).write(file);
    }

    /** The file {@link #save} writes, as bytes. */
    public static byte[] toBytes(Layer model, Optimizer optimizer, TrainingProgress progress,
                                 Map<String, String> extras) {
        return writer(model, optimizer, progress, extras).toBytes();
    }

    private static SafeTensors.Writer writer(Layer model, Optimizer optimizer, TrainingProgress progress,
                                             Map<String, String> extras) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(extras, "extras");
        SafeTensors.Writer writer = new SafeTensors.Writer().metadata(SavedModel.FORMAT_KEY, FORMAT);
        SavedModel.encode(model, writer);
        Map<Parameter, String> names = SavedModel.parameterNames(model);
        List<Parameter> parameters = optimizerParameters(optimizer);
        List<Object> parameterList = new ArrayList<>();
        for (int i = 0; i < parameters.size(); i++) {
            String name = names.get(parameters.get(i));
            if (name == null) {
                throw new IllegalArgumentException("optimizer parameter " + i + " (" + parameters.get(i) + ") is not a "
                        + "parameter of the model; a checkpoint needs an optimizer over the model's parameters");
            }
            parameterList.add(name);
        }
        Map<String, Object> optimizerJson = new LinkedHashMap<>();
        optimizerJson.put("class", optimizer.getClass().getSimpleName());
        optimizerJson.put("description", optimizer.toString());
        optimizerJson.put("parameters", parameterList);
        List<String> stateNames = new ArrayList<>();
        if (optimizer instanceof SGD sgd) {
            boolean momentum = !parameters.isEmpty() && sgd.velocity(parameters.get(0)) != null;
            if (momentum) {
                stateNames.addAll(SGD_STATE);
            }
            for (Parameter parameter : parameters) {
                DenseMatrix velocity = sgd.velocity(parameter);
                if (velocity != null) {
                    addState(writer, names.get(parameter), "momentum_buffer", parameter, velocity);
                }
            }
        } else {
            Adam adam = (Adam) optimizer;
            optimizerJson.put("steps", adam.steps());
            stateNames.addAll(ADAM_STATE);
            for (Parameter parameter : parameters) {
                addState(writer, names.get(parameter), "exp_avg", parameter, adam.moment(parameter, 1));
                addState(writer, names.get(parameter), "exp_avg_sq", parameter, adam.moment(parameter, 2));
            }
        }
        optimizerJson.put("state", new ArrayList<Object>(stateNames));
        Map<String, Object> progressJson = new LinkedHashMap<>();
        progressJson.put("completed_epochs", progress.completedEpochs());
        progressJson.put("batches_into_epoch", progress.batchesIntoEpoch());
        progressJson.put("step", progress.step());
        progressJson.put("shuffle_seed", progress.shuffleSeed());
        Map<String, Object> checkpoint = new LinkedHashMap<>();
        checkpoint.put("progress", progressJson);
        checkpoint.put("optimizer", optimizerJson);
        Map<String, Object> extrasJson = new LinkedHashMap<>();
        extras.forEach((key, value) -> extrasJson.put(Objects.requireNonNull(key, "extras key"),
                Objects.requireNonNull(value, () -> "extras value of " + key)));
        checkpoint.put("extras", extrasJson);
        writer.metadata(CHECKPOINT_KEY, JsonCodec.write(checkpoint));
        return writer;
    }

    private static List<Parameter> optimizerParameters(Optimizer optimizer) {
        if (optimizer instanceof SGD sgd) {
            return sgd.parameterList();
        }
        if (optimizer instanceof Adam adam) {
            return adam.parameterList();
        }
        throw new IllegalArgumentException("a checkpoint can hold the state of SGD or Adam, got "
                + optimizer.getClass().getName() + " (" + optimizer + ")");
    }

    private static void addState(SafeTensors.Writer writer, String name, String stateName, Parameter parameter,
                                 DenseMatrix values) {
        writer.addFloats(OPTIMIZER_PREFIX + name + "." + stateName, values.backend().download(values),
                SavedModel.fileShape(parameter));
    }

    // ---- reading --------------------------------------------------------------------------

    /**
     * Reads and checks a checkpoint completely (model, optimizer state, progress); nothing is
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

    private static Checkpoint read(SafeTensors.Contents contents) throws IOException {
        String source = contents.source();
        if (ModelFile.FORMAT.equals(contents.metadata().get(SavedModel.FORMAT_KEY))) {
            throw new ModelFileException(source, SafeTensors.METADATA + "." + SavedModel.FORMAT_KEY, "this is a model "
                    + "file (" + ModelFile.FORMAT + "), not a checkpoint: it holds no optimizer state or progress; load "
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
        SavedModel.Fields top = new SavedModel.Fields(source, field, root);
        SavedModel.Fields p = object(top, "progress");
        long epochs = p.nonNegativeLong("completed_epochs");
        long batches = p.nonNegativeLong("batches_into_epoch");
        if (epochs > Integer.MAX_VALUE || batches > Integer.MAX_VALUE) {
            throw p.fail(epochs > Integer.MAX_VALUE ? "completed_epochs" : "batches_into_epoch",
                    "must be at most " + Integer.MAX_VALUE);
        }
        TrainingProgress progress = new TrainingProgress((int) epochs, (int) batches, p.nonNegativeLong("step"),
                p.anyLong("shuffle_seed"));

        SavedModel.Fields o = object(top, "optimizer");
        String optimizerClass = o.string("class");
        List<String> expectedState;
        long steps = 0;
        if (optimizerClass.equals("SGD")) {
            expectedState = null;
        } else if (optimizerClass.equals("Adam")) {
            expectedState = ADAM_STATE;
            steps = o.nonNegativeLong("steps");
        } else {
            throw o.fail("class", "expected \"SGD\" or \"Adam\", got \"" + shorten(optimizerClass) + "\"");
        }
        String description = o.string("description");
        List<String> stateNames = strings(o, "state");
        if (expectedState == null ? !(stateNames.isEmpty() || stateNames.equals(SGD_STATE))
                : !stateNames.equals(expectedState)) {
            throw o.fail("state", "expected " + (expectedState == null ? "[] or " + SGD_STATE : expectedState)
                    + " for " + optimizerClass + ", got " + stateNames);
        }
        List<String> parameters = strings(o, "parameters");
        Set<String> seen = new HashSet<>();
        Map<String, float[]> state = new LinkedHashMap<>();
        for (String name : parameters) {
            if (!seen.add(name)) {
                throw o.fail("parameters", "parameter '" + shorten(name) + "' is listed twice");
            }
            long[] shape = model.floatShapes().get(name);
            if (shape == null) {
                throw o.fail("parameters", "'" + shorten(name) + "' is not a parameter of the saved model");
            }
            for (String stateName : stateNames) {
                String tensor = OPTIMIZER_PREFIX + name + "." + stateName;
                TensorInfo info = contents.require(tensor, DType.F32, shape);
                state.put(tensor, contents.floats(info));
            }
        }
        for (TensorInfo info : contents.tensors()) {
            if (info.name().startsWith(OPTIMIZER_PREFIX) && !state.containsKey(info.name())) {
                throw new ModelFileException(source, "tensor '" + info.name() + "'", "not the state of a parameter the "
                        + "checkpoint's optimizer lists; the file is corrupt");
            }
        }
        Map<String, String> extras = new LinkedHashMap<>();
        Object extrasValue = root.get("extras");
        if (extrasValue != null) {
            if (!(extrasValue instanceof Map<?, ?> map)) {
                throw top.fail("extras", "expected an object of strings");
            }
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getValue() instanceof String text)) {
                    throw top.fail("extras", "entry \"" + shorten((String) entry.getKey()) + "\" is not a string");
                }
                extras.put((String) entry.getKey(), text);
            }
        }
        return new Checkpoint(source, model, progress, Collections.unmodifiableMap(extras), optimizerClass,
                description, steps, List.copyOf(parameters), List.copyOf(stateNames), state);
    }

    private static SavedModel.Fields object(SavedModel.Fields parent, String key) throws ModelFileException {
        if (!(parent.map.get(key) instanceof Map<?, ?> map)) {
            throw parent.fail(key, "expected an object");
        }
        return new SavedModel.Fields(parent.source, parent.where + "." + key, map);
    }

    private static List<String> strings(SavedModel.Fields fields, String key) throws ModelFileException {
        List<String> out = new ArrayList<>();
        for (Object item : fields.list(key)) {
            if (!(item instanceof String text)) {
                throw fields.fail(key, "expected an array of strings, got an entry " + item);
            }
            out.add(text);
        }
        return out;
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "..." : text;
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
        this.model.check(model);
        String field = "optimizer";
        if (!optimizer.getClass().getSimpleName().equals(optimizerClass)) {
            throw new ModelFileException(source, field, "the checkpoint holds the state of " + optimizerDescription
                    + " but the optimizer is " + optimizer + "; build a " + optimizerClass);
        }
        Map<Parameter, String> names = SavedModel.parameterNames(model);
        List<Parameter> parameters = optimizerParameters(optimizer);
        List<String> actual = new ArrayList<>();
        for (Parameter parameter : parameters) {
            actual.add(names.getOrDefault(parameter, "(not in the model: " + parameter + ")"));
        }
        if (!actual.equals(parameterNames)) {
            throw new ModelFileException(source, field, "the checkpoint's optimizer updates " + parameterNames
                    + " but this one updates " + actual + "; build it over model.parameters() as the saved one was");
        }
        if (optimizer instanceof SGD sgd) {
            for (Parameter parameter : parameters) {
                boolean hasVelocity = sgd.velocity(parameter) != null;
                if (hasVelocity != !stateNames.isEmpty()) {
                    throw new ModelFileException(source, field, hasVelocity
                            ? "the checkpoint's SGD ran without momentum (" + optimizerDescription + ") but this one has "
                                    + "momentum (" + optimizer + "); build it with the saved momentum"
                            : "the checkpoint's SGD has momentum buffers (" + optimizerDescription + ") but this one has "
                                    + "no momentum (" + optimizer + "); build it with the saved momentum");
                }
            }
        }
        this.model.apply(model);
        for (Parameter parameter : parameters) {
            String name = names.get(parameter);
            if (optimizer instanceof SGD sgd) {
                DenseMatrix velocity = sgd.velocity(parameter);
                if (velocity != null) {
                    HostValues.copyInto(velocity, state.get(OPTIMIZER_PREFIX + name + ".momentum_buffer"));
                }
            } else {
                Adam adam = (Adam) optimizer;
                HostValues.copyInto(adam.moment(parameter, 1), state.get(OPTIMIZER_PREFIX + name + ".exp_avg"));
                HostValues.copyInto(adam.moment(parameter, 2), state.get(OPTIMIZER_PREFIX + name + ".exp_avg_sq"));
            }
        }
        if (optimizer instanceof Adam adam) {
            adam.restoreSteps(optimizerSteps);
        }
    }
}
