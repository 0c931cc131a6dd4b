package org.sparselinear.nn;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.api.Activation;
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
 * <p>Masks are reproducible: the {@code n}-th training forward pass draws its mask from a stream
 * fixed by the seed and {@code n}, and the count of passes is saved with the layer, so a run
 * resumed from a checkpoint (which restores both) draws the masks an uninterrupted run would have. Each element is kept
 * when 16 random bits fall at or above {@code round(p * 65536)}, so {@code p} acts in steps of
 * 1/65,536. Masks are drawn on the host and uploaded, {@code 4 B x features} bytes per pass.
 */
public final class Dropout extends AbstractLayer implements Saveable {

    /** The kind name of this layer in files. */
    public static final String KIND = "Dropout";

    private static final int BITS = 16;

    private final double p;
    private long seed;
    private final int threshold;
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
        this.threshold = (int) Math.round(p * (1 << BITS));
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, "Dropout input");
        if (!isTraining() || threshold == 0) {
            return input;
        }
        Backend backend = input.backend();
        DenseMatrix x = input.value();
        DenseMatrix mask = backend.upload(mask(x.rows() * x.columns(), passes++), x.rows(), x.columns());
        float scale = (float) (1 / (1 - p));
        DenseMatrix y = backend.zeros(x.rows(), x.columns());
        // The ReLU derivative of a 0/1 mask is the mask: y = x * mask, then the scale.
        backend.activateBackward(Activation.RELU, mask, mask, x, y, false);
        backend.scale(y, scale);
        return Tensor.derived(
                y,
                input.shape(),
                dy -> {
                    DenseMatrix kept = backend.zeros(x.rows(), x.columns());
                    backend.activateBackward(Activation.RELU, mask, mask, dy, kept, false);
                    backend.axpy(scale, kept, input.gradOrZeros());
                },
                input);
    }

    /** The 0/1 mask of pass {@code pass}, row-major. */
    private float[] mask(int size, long pass) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (pass + 1)));
        float[] mask = new float[size];
        int j = 0;
        for (; j + Long.SIZE / BITS <= size; j += Long.SIZE / BITS) {
            long bits = random.nextLong();
            mask[j] = kept(bits);
            mask[j + 1] = kept(bits >>> BITS);
            mask[j + 2] = kept(bits >>> 2 * BITS);
            mask[j + 3] = kept(bits >>> 3 * BITS);
        }
        if (j < size) {
            long bits = random.nextLong();
            for (; j < size; j++, bits >>>= BITS) {
                mask[j] = kept(bits);
            }
        }
        return mask;
    }

    /**
     * 1 when the low 16 bits of {@code bits} are at or above the threshold, else 0: the sign of
     * their difference, without a branch (a random mask mispredicts half of them).
     */
    private float kept(long bits) {
        return (((int) bits & 0xFFFF) - threshold >>> 31) ^ 1;
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
