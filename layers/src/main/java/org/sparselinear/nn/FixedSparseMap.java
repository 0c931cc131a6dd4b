package org.sparselinear.nn;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * A fixed, untrained sparse linear map {@code y = x M^T}: gradients flow through it to the
 * input, it has no parameters. The reshaping steps of the reference notebook's very wide model
 * are such maps: {@link #repeatEach} ({@code torch.repeat_interleave}) and {@link #sumGroups}
 * ({@code x.view(N, -1, classes).sum(1)}), computed with the sparse kernels instead of copies.
 */
public final class FixedSparseMap extends AbstractLayer implements Saveable {

    /** The kind name of fixed maps in files. */
    public static final String KIND = "FixedSparseMap";

    private final String description;
    private final Backend backend;
    private final Connectivity connectivity;
    private final SparseMatrix pattern;
    private final DenseMatrix values;

    /** A map whose {@code (out, in)} matrix has these connections, all with value 1. */
    public FixedSparseMap(Connectivity connectivity, Backend backend, String description) {
        this.connectivity = Objects.requireNonNull(connectivity, "connectivity");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.description = Objects.requireNonNull(description, "description");
        this.pattern = backend.pattern(connectivity);
        float[] ones = new float[connectivity.nnz()];
        java.util.Arrays.fill(ones, 1f);
        this.values = backend.upload(ones, 1, ones.length);
    }

    /**
     * Repeats each of {@code features} inputs {@code times} times, copies side by side: output
     * {@code f * times + r} is input {@code f}.
     */
    public static FixedSparseMap repeatEach(int features, int times) {
        return repeatEach(features, times, Backends.get());
    }

    /** As {@link #repeatEach(int, int)}, on {@code backend}. */
    public static FixedSparseMap repeatEach(int features, int times, Backend backend) {
        Checks.positive(features, "repeatEach features");
        Checks.positive(times, "repeatEach times");
        if ((long) features * times > Connectivity.MAX_NNZ) {
            throw new IllegalArgumentException(
                    "repeatEach(" + features + ", " + times + ") makes " + (long) features * times
                            + " outputs, more than one layer can index (" + Connectivity.MAX_NNZ + ")");
        }
        int outputs = features * times;
        int[] rowPointers = new int[outputs + 1];
        int[] columns = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            rowPointers[o + 1] = o + 1;
            columns[o] = o / times;
        }
        return new FixedSparseMap(
                Connectivity.fromCsr(outputs, features, rowPointers, columns),
                backend,
                String.format(Locale.ROOT, "RepeatEach(features=%d, times=%d)", features, times));
    }

    /** Sums {@code features} inputs into {@code groups} outputs: input {@code j} adds to output {@code j mod groups}. */
    public static FixedSparseMap sumGroups(int features, int groups) {
        return sumGroups(features, groups, Backends.get());
    }

    /** As {@link #sumGroups(int, int)}, on {@code backend}. */
    public static FixedSparseMap sumGroups(int features, int groups, Backend backend) {
        Checks.positive(features, "sumGroups features");
        Checks.positive(groups, "sumGroups groups");
        if (features % groups != 0) {
            throw new IllegalArgumentException(
                    "sumGroups needs features divisible by groups, got " + features + " and " + groups);
        }
        int perGroup = features / groups;
        int[] rowPointers = new int[groups + 1];
        int[] columns = new int[features];
        for (int g = 0; g < groups; g++) {
            rowPointers[g + 1] = (g + 1) * perGroup;
            for (int k = 0; k < perGroup; k++) {
                columns[g * perGroup + k] = k * groups + g;
            }
        }
        return new FixedSparseMap(
                Connectivity.fromCsr(groups, features, rowPointers, columns),
                backend,
                String.format(Locale.ROOT, "SumGroups(features=%d, groups=%d)", features, groups));
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Inputs.requireFeatures(input, connectivity.columns(), backend, description);
        DenseMatrix x = input.value();
        DenseMatrix y = backend.zeros(x.rows(), connectivity.rows());
        backend.spmm(pattern, values, x, y);
        return Tensor.derived(y, dy -> backend.spmmTransposed(pattern, values, dy, input.gradOrZeros(), true), input);
    }

    /** Frees the map's pattern and values. */
    @Override
    protected void releaseResources() {
        pattern.close();
        values.close();
    }

    /** The backend holding the map. */
    Backend backend() {
        return backend;
    }

    /** The map's connections, {@code (out, in)}. */
    public Connectivity connectivity() {
        return connectivity;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Sizes and description; tensor {@code indices} {@code (2, nnz)}, the map's fixed connections. */
    @Override
    public void describe(StateWriter out) {
        out.config("in_features", connectivity.columns())
                .config("out_features", connectivity.rows())
                .config("description", description);
        out.indices("indices", connectivity);
    }

    @Override
    public String toString() {
        return description;
    }

    /** Reads a saved {@link FixedSparseMap} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        Config f = reader.config();
        int in = f.positiveInt("in_features");
        int out = f.positiveInt("out_features");
        String description = f.string("description");
        Connectivity connectivity = reader.connections("indices", out, in);
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                return reader.construct(() -> new FixedSparseMap(connectivity, backend, description));
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                if (!((FixedSparseMap) target).connectivity.equals(connectivity)) {
                    throw reader.fail(
                            "the file's map " + description + " has other connections than the model's " + target);
                }
                return () -> {};
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public long parameterCount() {
                return 0;
            }

            @Override
            public double sparsity() {
                return connectivity.sparsity();
            }
        };
    }
}
