package org.sparselinear.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.nn.FeatureAffine;
import org.sparselinear.nn.FixedSparseMap;
import org.sparselinear.nn.KWinners;
import org.sparselinear.nn.LayerNorm;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;

/**
 * Saves and loads models in the safetensors format, so that a trained model opens in PyTorch
 * ({@code safetensors.torch.load_file}) and a file from any backend loads on any other.
 *
 * <pre>{@code
 * ModelFile.save(model, Path.of("mnist.safetensors"));
 * Layer same = ModelFile.load(Path.of("mnist.safetensors"));      // rebuilt from the file
 * ModelFile.loadInto(modelBuiltInCode, Path.of("mnist.safetensors")); // names and shapes checked
 * }</pre>
 *
 * <h2>Format</h2>
 * Tensors are named like the keys of a PyTorch {@code state_dict}: a layer's position in its
 * {@link Sequential} (nested ones joined with dots), then the tensor. A {@link SparseLinear} stores
 * {@code "N.indices"} (I64 {@code [2, nnz]}: output rows, then input columns, sorted by row then
 * column), {@code "N.weights"} (F32 {@code [nnz]}, in the same order) and {@code "N.bias"}
 * (F32 {@code [out]}), the names of the reference package; {@link Linear} {@code "N.weight"}
 * {@code [out, in]} and {@code "N.bias"}; {@link LayerNorm} and {@link FeatureAffine}
 * {@code "N.weight"} and {@code "N.bias"} {@code [features]}; {@link KWinners} its state
 * {@code "N.duty_cycle"} {@code [features]}; {@link FixedSparseMap} {@code "N.indices"}. Every
 * layer, ours or a third party's, describes itself through {@link org.sparselinear.io.Saveable}
 * (a kind name, a configuration tree and named tensors) and is read back by the
 * {@link org.sparselinear.io.LayerProvider} registered for its kind. A layer that is not
 * {@code Saveable} stores each parameter under its own name, {@code [n]} for a one-row
 * parameter, else {@code [rows, columns]}, and can only be loaded with {@link #loadInto}. The
 * {@code __metadata__} holds {@code "format"} ({@value #FORMAT}), {@code "description"} (the
 * model's {@code toString()}) and {@code "model"}: a JSON tree with each layer's kind and
 * configuration (sizes, bias, topology name, KWinners settings and state, a sparse layer's
 * rewiring rule with its counters and seed), from which {@link #load} rebuilds the model; its
 * schema is in {@code docs/MODEL-FORMAT.md}. {@link #loadStateDict} reads a PyTorch
 * {@code state_dict} without that metadata into a model built in code.
 *
 * <h2>Safety</h2>
 * Writing is atomic ({@link org.sparselinear.io.AtomicFile}): a crash leaves the previous file.
 * The file records a CRC32C checksum of each tensor's data ({@value SafeTensors#CHECKSUMS}).
 * Reading checks everything before using it (see {@link SafeTensors}): the layout, each tensor's
 * checksum when the file has them (files of version 0.1 have none and load unverified), that every
 * float value is finite (a model with NaN or infinite weights is refused), then the description
 * against the tensors: every field's type and range, every tensor's dtype and shape, index values
 * against the layer's shape, their order and duplicates, and that no tensor is left unclaimed. Any
 * problem is a {@link ModelFileException} naming the file, the tensor or field and the problem.
 * {@link #loadInto} checks the whole model before it changes anything.
 *
 * <p>Thread safety: the static methods keep no state; saving reads and loading writes the model,
 * which must not be training in another thread meanwhile.
 */
public final class ModelFile {

    /** The format tag of a model file. */
    public static final String FORMAT = "sparselinear-model/1";

    private ModelFile() {}

    /**
     * Writes {@code model} to {@code file} atomically (temporary file, fsync, rename).
     *
     * @throws IOException when the file cannot be written; the previous file is then unchanged
     * @throws IllegalArgumentException when a layer of another library has two parameters with one name
     */
    public static void save(Layer model, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        writer(model).write(file);
    }

    /** The file {@link #save} writes, as bytes. */
    public static byte[] toBytes(Layer model) {
        return writer(model).toBytes();
    }

    private static SafeTensors.Writer writer(Layer model) {
        SafeTensors.Writer writer = new SafeTensors.Writer().metadata(SavedModel.FORMAT_KEY, FORMAT);
        SavedModel.encode(model, writer);
        return writer;
    }

    /**
     * Rebuilds the saved model on {@link Backends#get()}: layers of the saved kinds, sizes, options
     * and state (a {@link Sequential} when the saved model was one). Also reads the model of a
     * {@link Checkpoint}.
     *
     * @throws ModelFileException when the file is corrupt, truncated, not written by this class, or
     *         holds a layer whose kind has no {@link org.sparselinear.io.LayerProvider} on the class
     *         path (the message names the kind)
     * @throws IOException when the file cannot be read
     */
    public static Layer load(Path file) throws IOException {
        return load(file, Backends.get());
    }

    /** As {@link #load(Path)}, with the model's parameters on {@code backend}. */
    public static Layer load(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            return read(contents).build(backend);
        }
    }

    /** As {@link #load(Path, Backend)}, from the bytes of a file; {@code name} is used in messages. */
    public static Layer load(byte[] bytes, String name, Backend backend) throws IOException {
        Objects.requireNonNull(backend, "backend");
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, name)) {
            return read(contents).build(backend);
        }
    }

    /**
     * Copies the saved state into {@code model}, a model built in code with the saved structure:
     * the same layer kinds in the same places with the same sizes and numbers of connections (a
     * sparse layer takes the saved connections, which may differ after rewiring). Everything is
     * checked before anything changes; the parameters stay the same objects, so optimizers built
     * on them keep working.
     *
     * @throws ModelFileException naming the first layer or tensor that does not fit
     */
    public static void loadInto(Layer model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            read(contents).prepareRestore(model).run();
        }
    }

    /** As {@link #loadInto(Layer, Path)}, from the bytes of a file; {@code name} is used in messages. */
    public static void loadInto(Layer model, byte[] bytes, String name) throws IOException {
        Objects.requireNonNull(model, "model");
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, name)) {
            read(contents).prepareRestore(model).run();
        }
    }

    /**
     * Copies a PyTorch {@code state_dict} saved with {@code safetensors} (no {@code __metadata__}
     * needed; what it holds is ignored) into {@code model}, a model built in code with the same
     * structure. The file must hold exactly the tensors {@link #save} would write for
     * {@code model}, under the same names and shapes (a sparse layer {@code "N.indices"},
     * {@code "N.weights"}, {@code "N.bias"}, the reference package's names). Connection indices may
     * be int32 or int64, in any order, as {@code coalesce()} leaves them or not: they are sorted
     * together with their weights; out-of-range and duplicate connections are refused. A sparse
     * layer takes the file's connections, so it must have as many. Everything is checked before
     * anything changes.
     *
     * @throws ModelFileException naming the first tensor or layer that does not fit
     */
    public static void loadStateDict(Layer model, Path file) throws IOException {
        Objects.requireNonNull(model, "model");
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            readStateDict(contents, model);
        }
    }

    /** As {@link #loadStateDict(Layer, Path)}, from the bytes of a file; {@code name} is used in messages. */
    public static void loadStateDict(Layer model, byte[] bytes, String name) throws IOException {
        Objects.requireNonNull(model, "model");
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, name)) {
            readStateDict(contents, model);
        }
    }

    private static void readStateDict(SafeTensors.Contents contents, Layer model) throws IOException {
        contents.verify();
        SavedModel.readStateDict(contents, model).prepareRestore(model).run();
    }

    /**
     * Reads and checks a model or checkpoint file as loading it would, without building the model:
     * the tensors' checksums when the file records them (the summary says whether it did), that
     * every float value is finite, the layers, their tensors, parameter counts and sparsity, and
     * for a checkpoint its progress and optimizer state.
     *
     * @throws ModelFileException when the file is corrupt or not written by this library
     */
    public static ModelSummary inspect(Path file) throws IOException {
        try (SafeTensors.Contents contents = SafeTensors.open(file)) {
            SavedModel saved = read(contents);
            Map<String, String> training = new LinkedHashMap<>();
            String checkpoint = contents.metadata().get(Checkpoint.CHECKPOINT_KEY);
            if (Checkpoint.FORMAT.equals(contents.metadata().get(SavedModel.FORMAT_KEY))) {
                Checkpoint.read(contents);
            }
            if (checkpoint != null) {
                try {
                    if (JsonCodec.parse(checkpoint) instanceof Map<?, ?> map) {
                        for (String key : List.of("progress", "optimizer")) {
                            if (map.get(key) != null) {
                                training.put(key, JsonCodec.write(map.get(key)));
                            }
                        }
                    }
                } catch (JsonCodec.SyntaxException e) {
                    throw new ModelFileException(
                            contents.source(), SafeTensors.METADATA + "." + Checkpoint.CHECKPOINT_KEY, e.getMessage());
                }
            }
            return new ModelSummary(
                    file.toString(),
                    contents.metadata().get(SavedModel.FORMAT_KEY),
                    Files.size(file),
                    saved.rows(),
                    training,
                    contents.verify());
        }
    }

    /**
     * The model of a model file or checkpoint, checked (the data of every tensor first, see
     * {@link SafeTensors.Contents#verify}); optimizer tensors of a checkpoint are left out.
     */
    private static SavedModel read(SafeTensors.Contents contents) throws IOException {
        contents.verify();
        boolean checkpoint = Checkpoint.FORMAT.equals(contents.metadata().get(SavedModel.FORMAT_KEY));
        return SavedModel.read(
                contents,
                List.of(FORMAT, Checkpoint.FORMAT),
                checkpoint ? List.of(Checkpoint.OPTIMIZER_PREFIX) : List.of());
    }
}
