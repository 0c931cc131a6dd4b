package org.sparselinear.nn;

import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Config;
import org.sparselinear.io.HostTensor;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.spi.Checks;

/**
 * K-Winners activation sparsity, after Ahmad and Scheinkman 2019 ("How Can We Be So Dense? The
 * Benefits of Using Highly Sparse Representations") and numenta's {@code nupic.torch}
 * {@code KWinners}: per sample, the {@code k = round(density * n)} features with the largest
 * boosted activation {@code x * boost} pass unchanged (unboosted) and the others become 0; the
 * gradient flows through the winners only. Boosting favours features that have won rarely:
 * {@code boost = exp(boostStrength * (density - dutyCycle))}, where each feature's duty cycle is
 * the running fraction of samples it won in,
 * {@code dutyCycle = (dutyCycle * (period - batch) + sum over the batch of [winner]) / period} with
 * {@code period = min(dutyCyclePeriod, samples seen)} (at least the batch). Duty cycles change in
 * training mode only; evaluation uses {@code kInference = floor(k * kInferenceFactor)} winners.
 * {@link #afterEpoch()} multiplies the boost strength by {@code boostStrengthFactor} (nupic's
 * {@code update_boost_strength}); {@link TrainingHooks#afterEpoch(org.sparselinear.api.Layer)}
 * calls it, as the {@code Trainer} does at the end of every epoch. Duty cycles advance with every
 * training forward pass, without any call; a hand-written loop that never ends an epoch is warned
 * once after 1000 training passes that the boost strength does not decay.
 *
 * <p>Where this differs from nupic.torch: the duty cycle counts winners (nupic counts outputs
 * {@code > 0}, so a winner with a negative or zero value does not count there); the boost uses the
 * configured density (nupic uses {@code k / n}, and in evaluation {@code kInference / n}, which
 * boosts every feature more there); {@code period} is at least the batch (nupic's goes negative for
 * a batch larger than the period). Defaults are nupic's {@code KWinners}: boost strength 1, factor
 * 0.9, period 1000, except {@code kInferenceFactor = 1} (nupic's module uses 1.5, its base class 1).
 *
 * <p>Where this differs from the reference SparseLinear package's {@code ActivationSparsity}:
 * there {@code k = floor(act_sparsity * n)}, although {@code act_sparsity} is documented as the
 * fraction of inactive units; the target density is {@code k / ||x||} (the norm of each sample)
 * instead of {@code k / n}; the duty cycle is an exponential average (rate 0.1) of the output
 * values themselves, kept with the batch's shape, not of how often each feature wins; the
 * <em>boosted</em> values pass instead of the inputs; and the boost strength never decays.
 *
 * <p>Runs on per-row top-k kernels of the backend ({@code kWinners}, {@code boostFactors}). The
 * duty cycles live on the backend; build the layer outside any memory scope. In evaluation mode
 * the forward pass changes no state: several threads may run it at once.
 */
public final class KWinners extends AbstractLayer implements TrainingHooks, Saveable {

    /** The kind name of K-Winners layers in files. */
    public static final String KIND = "KWinners";

    private final int features;
    private final double density;
    private final int k;
    private final int kInference;
    private final double boostStrengthFactor;
    private final int dutyCyclePeriod;
    private final double kInferenceFactor;
    private final Backend backend;
    private final DenseMatrix dutyCycle;
    private double boostStrength;
    private long learningIterations;
    private final EpochWatch epochWatch = new EpochWatch();

    /** K-Winners over {@code features} features keeping the fraction {@code density}, with the default options. */
    public KWinners(int features, double density) {
        this(features, density, options());
    }

    /**
     * K-Winners over {@code features} features keeping {@code round(density * features)} per sample.
     *
     * @throws IllegalArgumentException when density is outside (0, 1], k or kInference is 0, or
     *         kInference exceeds the features
     */
    public KWinners(int features, double density, Options options) {
        this.features = Checks.positive(features, "KWinners features");
        Objects.requireNonNull(options, "KWinners options");
        if (!(density > 0 && density <= 1)) {
            throw new IllegalArgumentException("KWinners density (the fraction of features kept per sample) must be in "
                    + "(0, 1], got " + density);
        }
        this.density = density;
        this.k = (int) Math.round(density * features);
        if (k < 1) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "KWinners keeps round(density * features) = round(%s * %d) = 0 features; raise the density",
                    density,
                    features));
        }
        this.kInferenceFactor = options.kInferenceFactor;
        this.kInference = (int) (k * kInferenceFactor);
        if (kInference < 1 || kInference > features) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT,
                    "KWinners keeps floor(k * kInferenceFactor) = floor(%d * %s) = %d features in evaluation, expected "
                            + "1 to %d; change kInferenceFactor",
                    k,
                    kInferenceFactor,
                    kInference,
                    features));
        }
        this.boostStrength = options.boostStrength;
        this.boostStrengthFactor = options.boostStrengthFactor;
        this.dutyCyclePeriod = options.dutyCyclePeriod;
        this.backend = options.backend != null ? options.backend : Backends.get();
        this.dutyCycle = backend.zeros(1, features);
    }

    /** New options with nupic's defaults (boost strength 1, factor 0.9, period 1000) and kInferenceFactor 1. */
    public static Options options() {
        return new Options();
    }

    @Override
    public Tensor forward(Tensor input) {
        requireOpen();
        Objects.requireNonNull(input, () -> this + ": input");
        if (input.columns() != features) {
            throw new IllegalArgumentException(
                    this + ": expected " + features + " features per sample, got an input " + "of shape "
                            + java.util.Arrays.toString(input.shape()) + "; check the previous layer's output size");
        }
        Inputs.requireBackend(input, backend, toString());
        DenseMatrix x = input.value();
        int batch = x.rows();
        boolean training = isTraining();
        // per call, in the caller's scope: evaluation changes no state, so threads may share the layer
        DenseMatrix boost = backend.zeros(1, features);
        backend.boostFactors(dutyCycle, (float) density, (float) boostStrength, boost);
        DenseMatrix y = backend.zeros(batch, features);
        DenseMatrix mask = backend.zeros(batch, features);
        backend.kWinners(x, boost, training ? k : kInference, y, mask);
        if (training) {
            updateDutyCycle(mask, batch);
            if (boostStrengthFactor != 1) {
                epochWatch.step(() -> "a " + this + " layer, whose boost strength decays at the end of each epoch,");
            }
        }
        // dx += dy * mask: the rectifier's derivative at a 0/1 mask is the mask itself.
        return Tensor.derived(
                y,
                input.shape(),
                dy -> backend.activateBackward(Activation.RELU, mask, mask, dy, input.gradOrZeros(), true),
                input);
    }

    private void updateDutyCycle(DenseMatrix mask, int batch) {
        learningIterations += batch;
        long period = Math.max(batch, Math.min(dutyCyclePeriod, learningIterations));
        backend.scale(dutyCycle, (float) ((double) (period - batch) / period));
        DenseMatrix wins = backend.zeros(1, features);
        backend.columnSums(mask, wins, false);
        backend.axpy((float) (1.0 / period), wins, dutyCycle);
    }

    /** The run will end its epochs: the layer does not warn that none ends. */
    @Override
    public void beforeTraining(long plannedSteps) {
        epochWatch.announced();
    }

    /** Decays the boost strength by {@code boostStrengthFactor}, as nupic does once per epoch. */
    @Override
    public void afterEpoch() {
        requireOpen();
        epochWatch.epochEnded();
        boostStrength *= boostStrengthFactor;
    }

    /** The features per sample. */
    public int features() {
        return features;
    }

    /** Winners per sample in training. */
    public int k() {
        return k;
    }

    /** Winners per sample in evaluation. */
    public int kInference() {
        return kInference;
    }

    /** The current boost strength. */
    public double boostStrength() {
        return boostStrength;
    }

    /** The samples seen in training mode. */
    public long learningIterations() {
        return learningIterations;
    }

    /** A host copy of the duty cycles, one per feature. */
    public float[] dutyCycles() {
        requireOpen();
        return backend.download(dutyCycle);
    }

    /** The fraction of features kept per sample. */
    public double density() {
        return density;
    }

    /** The factor the boost strength is multiplied by after each epoch. */
    public double boostStrengthFactor() {
        return boostStrengthFactor;
    }

    /** The number of samples the duty cycles average over. */
    public int dutyCyclePeriod() {
        return dutyCyclePeriod;
    }

    /** Evaluation keeps {@code floor(k * kInferenceFactor)} winners. */
    public double kInferenceFactor() {
        return kInferenceFactor;
    }

    /** Frees the duty cycles. */
    @Override
    protected void releaseResources() {
        dutyCycle.close();
    }

    /** The backend holding the duty cycles. */
    Backend backend() {
        return backend;
    }

    /**
     * Restores saved training state: duty cycles (one per feature), the current boost strength and
     * the samples seen. The caller has checked the values.
     */
    void restoreState(float[] dutyCycles, double savedBoostStrength, long savedLearningIterations) {
        if (dutyCycles.length != features
                || !(savedBoostStrength >= 0)
                || Double.isInfinite(savedBoostStrength)
                || savedLearningIterations < 0) {
            throw new IllegalArgumentException(this + ": saved state does not fit: " + dutyCycles.length
                    + " duty cycles, boost strength " + savedBoostStrength + ", " + savedLearningIterations
                    + " samples seen");
        }
        dutyCycle.copyFrom(dutyCycles);
        this.boostStrength = savedBoostStrength;
        this.learningIterations = savedLearningIterations;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /**
     * Settings, current boost strength and samples seen; tensor {@code duty_cycle} {@code [features]}
     * (state, not a parameter).
     */
    @Override
    public void describe(StateWriter out) {
        out.config("features", features)
                .config("density", density)
                .config("boost_strength", boostStrength)
                .config("boost_strength_factor", boostStrengthFactor)
                .config("duty_cycle_period", dutyCyclePeriod)
                .config("k_inference_factor", kInferenceFactor)
                .config("learning_iterations", learningIterations);
        out.tensor("duty_cycle", HostTensor.f32(dutyCycles(), features));
    }

    /** Reads a saved {@link KWinners} (kind {@value #KIND}); registered by {@link BuiltInLayers}. */
    static SavedLayer read(LayerReader reader) throws IOException {
        Config f = reader.config();
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
        float[] duty = reader.floats("duty_cycle", features);
        for (int i = 0; i < duty.length; i++) {
            if (!(duty[i] >= 0 && duty[i] <= 1)) {
                throw reader.fail(
                        "tensor 'duty_cycle' entry " + i + " is " + duty[i] + ", expected a fraction in [0, 1]");
            }
        }
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                KWinners layer = reader.construct(() -> new KWinners(
                        features,
                        density,
                        options()
                                .boostStrength(boostStrength)
                                .boostStrengthFactor(boostStrengthFactor)
                                .dutyCyclePeriod(period)
                                .kInferenceFactor(kInferenceFactor)
                                .backend(backend)));
                layer.restoreState(duty, boostStrength, iterations);
                return layer;
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                KWinners layer = (KWinners) target;
                if (layer.features != features || layer.density != density) {
                    throw reader.fail("the file has features=" + features + ", density=" + density
                            + " but the model's layer is " + layer);
                }
                return () -> layer.restoreState(duty, boostStrength, iterations);
            }

            @Override
            public String description() {
                return String.format(
                        Locale.ROOT,
                        "KWinners(n=%d, density=%s, boost_strength=%s, " + "duty_cycle_period=%d)",
                        features,
                        density,
                        (float) boostStrength,
                        period);
            }

            @Override
            public long parameterCount() {
                return 0;
            }
        };
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "KWinners(n=%d, density=%s, k=%d, k_inference=%d, boost_strength=%s, "
                        + "boost_strength_factor=%s, duty_cycle_period=%d)",
                features,
                density,
                k,
                kInference,
                (float) boostStrength,
                boostStrengthFactor,
                dutyCyclePeriod);
    }

    /** The fluent, mutable options of a {@link KWinners}; each setter checks its argument. */
    public static final class Options {

        private double boostStrength = 1.0;
        private double boostStrengthFactor = 0.9;
        private int dutyCyclePeriod = 1000;
        private double kInferenceFactor = 1.0;
        private Backend backend;

        private Options() {}

        /** How strongly rarely winning features are favoured, finite, >= 0 (0: no boosting); default 1. */
        public Options boostStrength(double boostStrength) {
            this.boostStrength = Checks.nonNegativeFinite(boostStrength, "KWinners boostStrength");
            return this;
        }

        /** The factor the boost strength is multiplied by after each epoch, in [0, 1]; default 0.9. */
        public Options boostStrengthFactor(double factor) {
            if (!(factor >= 0 && factor <= 1)) {
                throw new IllegalArgumentException("KWinners boostStrengthFactor must be in [0, 1], got " + factor);
            }
            this.boostStrengthFactor = factor;
            return this;
        }

        /** The number of samples the duty cycles average over, >= 1; default 1000. */
        public Options dutyCyclePeriod(int period) {
            this.dutyCyclePeriod = Checks.positive(period, "KWinners dutyCyclePeriod");
            return this;
        }

        /** Evaluation keeps {@code floor(k * factor)} winners; finite, > 0; default 1. */
        public Options kInferenceFactor(double factor) {
            this.kInferenceFactor = Checks.positiveFinite(factor, "KWinners kInferenceFactor");
            return this;
        }

        /** The backend of the duty cycles; default {@link Backends#get()}. */
        public Options backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }
    }
}
