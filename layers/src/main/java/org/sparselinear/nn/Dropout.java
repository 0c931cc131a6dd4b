package org.sparselinear.nn;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;

/**
 * Dropout (Srivastava et al. 2014, "Dropout: a simple way to prevent neural networks from
 * overfitting", JMLR 15): in training mode each element is zeroed with probability {@code p} and
 * the others are scaled by {@code 1 / (1 - p)}, so the expected output is the input; in evaluation
 * mode the layer is the identity. Like PyTorch's {@code nn.Dropout}.
 *
 * <p>Masks are reproducible: the {@code n}-th training forward pass takes its mask from a key
 * fixed by the seed and {@code n}, and the count of passes is saved with the layer, so a run
 * resumed from a checkpoint (which restores both) draws the masks an uninterrupted run would have.
 * The backend makes the mask where the data is, element by element from the key
 * ({@link org.sparselinear.api.Backend#dropout}, {@link org.sparselinear.spi.DropoutMask}: the same
 * mask on every backend, {@code p} in steps of 2^-24); the backward pass makes it again from the
 * same key, so no mask is stored or uploaded.
 */
public final class Dropout extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "Dropout";

    private final double p;
    private long seed;
    private long passes;

    /** Drops with probability {@code p} in [0, 1), seeded from {@link Init#nextSeed()}. */
    public Dropout(double p) {
        this(p, Init.nextSeed());
    }

    /** Drops with probability {@code p} in [0, 1), with masks drawn from {@code seed}. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException(
                    "Dropout probability must be in [0, 1), got " + p + " (0.5 drops half of the values)");
        }
        this.p = p;
        this.seed = seed;
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "Dropout input");
        if (!isTraining() || p == 0) {
            return input;
        }
        Backend backend = input.backend();
        DenseMatrix x = input.value();
        long key = seed ^ (0x9E3779B97F4A7C15L * (++passes));
        float probability = (float) p;
        DenseMatrix y = backend.zeros(x.rows(), x.columns());
        backend.dropout(x, y, key, probability, false);
        return Tensor.derived(
                y, input.shape(), dy -> backend.dropout(dy, input.gradOrZeros(), key, probability, true), input);
    }

    /** The probability of dropping an element. */
    public double p() {
        return p;
    }

    /** Training forward passes so far, which fixes the next mask. */
    public long passes() {
        return passes;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The probability, the seed and the number of training passes so far. */
    @Override
    public void describe(StateWriter out) {
        out.config("p", p).config("seed", seed).config("passes", passes);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Dropout(p=%s)", p);
    }

    /** Reads a saved {@link Dropout} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        Config config = reader.config();
        double p = config.finite("p");
        long seed = config.anyLong("seed");
        long passes = config.nonNegativeLong("passes");
        if (!(p >= 0 && p < 1)) {
            throw config.fail("p", "a dropout probability must be in [0, 1), got " + p);
        }
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) {
                Dropout layer = new Dropout(p, seed);
                layer.passes = passes;
                return layer;
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                Dropout layer = (Dropout) target;
                if (layer.p != p) {
                    throw config.fail("p", "the model's Dropout has p = " + layer.p + " but the file has " + p);
                }
                return () -> {
                    layer.seed = seed;
                    layer.passes = passes;
                };
            }

            @Override
            public String description() {
                return new Dropout(p, seed).toString();
            }

            @Override
            public long parameterCount() {
                return 0;
            }
        };
    }
}
