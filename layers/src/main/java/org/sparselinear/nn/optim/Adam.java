package org.sparselinear.nn.optim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Config;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.OptimizerReader;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedOptimizer;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.Parameters;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.Checks;

/**
 * Adam (Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization") with PyTorch's
 * {@code optim.Adam} semantics: bias-corrected first and second moments, L2 weight decay added
 * to the gradient (not decoupled as in AdamW). The moments, one pair per parameter on the
 * parameter's backend, are allocated as zeros here; a step counter starting at 1 drives the
 * bias correction. Each step is one fused {@code adamStep} kernel per parameter. When a sparse
 * layer is rewired, the moments follow its connections ({@link #remapState}): a new connection
 * starts from zero moments, and the step counter, and so the bias correction, stays the
 * optimizer's (one per optimizer, as PyTorch's per-parameter step count of a parameter that keeps
 * its identity).
 *
 * <p>{@link AdamW} is this class with the weight decay decoupled from the gradient, as PyTorch's
 * {@code AdamW} is its {@code Adam} with {@code decoupled_weight_decay=True}: it shares the
 * moments, the step counter, rewiring and checkpointing here.
 */
public sealed class Adam extends PerParameterOptimizer permits AdamW {

    /** The kind name of Adam in checkpoints. */
    public static final String KIND = "Adam";

    /** The names of the moments in checkpoints, PyTorch's. */
    private static final List<String> MOMENTS = List.of("exp_avg", "exp_avg_sq");

    private final List<DenseMatrix> firstMoments;
    private final List<DenseMatrix> secondMoments;
    private final String name;
    private final boolean decoupled;
    private final float weightDecay;
    /** The settings of the fused kernel; its L2 weight decay is 0 when the decay is decoupled. */
    private AdamSettings settings;

    private long steps;

    /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public Adam(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every option.
     *
     * @param lr finite, > 0
     * @param beta1 decay of the first moment, in [0, 1)
     * @param beta2 decay of the second moment, in [0, 1)
     * @param eps added to the root of the second moment, finite, > 0
     * @param weightDecay L2 penalty, finite, >= 0
     */
    public Adam(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this(KIND, false, parameters, lr, beta1, beta2, eps, weightDecay);
    }

    /**
     * Adam named {@code name} (its kind, and the start of its messages), with the weight decay
     * added to the gradient or, when {@code decoupled}, applied to the parameter ({@link AdamW}).
     */
    Adam(
            String name,
            boolean decoupled,
            List<Parameter> parameters,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay) {
        super(parameters, name);
        this.name = name;
        this.decoupled = decoupled;
        this.weightDecay = Checks.nonNegativeFinite(weightDecay, name + " weight decay");
        this.settings = new AdamSettings(
                Checks.positiveFinite(lr, name + " learning rate"),
                (float) Checks.inRange(beta1, 0, 1, name + " beta1"),
                (float) Checks.inRange(beta2, 0, 1, name + " beta2"),
                Checks.positiveFinite(eps, name + " eps"),
                decoupled ? 0f : this.weightDecay);
        this.firstMoments = keepState(parameter -> parameter.backend().zeros(parameter.rows(), parameter.columns()), 0);
        this.secondMoments =
                keepState(parameter -> parameter.backend().zeros(parameter.rows(), parameter.columns()), 0);
        trackParameters();
    }

    /**
     * One update of every parameter. With decoupled weight decay ({@link AdamW}) each parameter is
     * first multiplied by {@code 1 - lr * weightDecay} on its backend, then moved by the Adam
     * update of its gradient without L2 term, as PyTorch does.
     */
    @Override
    public final void step() {
        requireOpen();
        steps++;
        float decay = (float) (1 - (double) settings.learningRate() * weightDecay);
        for (int i = 0; i < parameters().size(); i++) {
            Parameter parameter = parameters().get(i);
            if (decoupled && weightDecay > 0) {
                parameter.backend().scale(parameter.value(), decay);
            }
            parameter
                    .backend()
                    .adamStep(
                            parameter.value(),
                            parameter.grad(),
                            firstMoments.get(i),
                            secondMoments.get(i),
                            settings,
                            steps);
        }
        Parameters.afterUpdate(parameters());
    }

    @Override
    public final double learningRate() {
        return settings.learningRate();
    }

    @Override
    public final void setLearningRate(double learningRate) {
        settings = new AdamSettings(
                Checks.positiveFinite(learningRate, name + " learning rate"),
                settings.beta1(),
                settings.beta2(),
                settings.epsilon(),
                settings.weightDecay());
    }

    /**
     * The first ({@code which == 1}) or second ({@code which == 2}) moment kept for {@code parameter}, as PyTorch's
     * {@code optimizer.state[p]["exp_avg"]} and {@code ["exp_avg_sq"]}: the live device matrix, one value per
     * element of the parameter, for inspection (download it; it is freed by {@link #close()}, not by the caller).
     * Null for a parameter this optimizer does not update.
     *
     * @throws IllegalArgumentException when {@code which} is neither 1 nor 2
     */
    DenseMatrix moment(Parameter parameter, int which) {
        if (which != 1 && which != 2) {
            throw new IllegalArgumentException(name + " keeps moment 1 (exp_avg) and moment 2 (exp_avg_sq), "
                    + "got moment " + which + "; ask for 1 or 2");
        }
        return stateOf(which == 1 ? firstMoments : secondMoments, parameter);
    }

    /** Number of steps taken so far. */
    public final long steps() {
        return steps;
    }

    @Override
    public final String kind() {
        return name;
    }

    /** The weight decay: an L2 penalty added to the gradient here, decoupled in {@link AdamW}. */
    public final double weightDecay() {
        return weightDecay;
    }

    /** The step count and settings; each parameter's first and second moments as {@code exp_avg} and {@code exp_avg_sq}. */
    @Override
    public final void describe(StateWriter out) {
        out.config("steps", steps)
                .config("lr", settings.learningRate())
                .config("beta1", (double) settings.beta1())
                .config("beta2", (double) settings.beta2())
                .config("eps", settings.epsilon())
                .config("weight_decay", weightDecay);
        for (int i = 0; i < parameters().size(); i++) {
            out.parameterState(parameters().get(i), MOMENTS.get(0), firstMoments.get(i));
            out.parameterState(parameters().get(i), MOMENTS.get(1), secondMoments.get(i));
        }
    }

    /** Reads a saved {@link Adam} state (kind {@value #KIND}); registered by {@link BuiltInOptimizers}. */
    static SavedOptimizer read(OptimizerReader reader) throws IOException {
        return read(reader, KIND, Adam::new);
    }

    /** Builds an optimizer of one Adam kind from its saved settings. */
    @FunctionalInterface
    interface Constructor {
        Adam construct(List<Parameter> parameters, double lr, double beta1, double beta2, double eps, double wd);
    }

    /** Reads a saved state of the Adam kind {@code kind}, built by {@code constructor}; shared with {@link AdamW}. */
    static SavedOptimizer read(OptimizerReader reader, String kind, Constructor constructor) throws IOException {
        if (!reader.states().equals(MOMENTS)) {
            throw reader.config().fail("state", "expected " + MOMENTS + " for " + kind + ", got " + reader.states());
        }
        long steps = reader.config().nonNegativeLong("steps");
        List<float[]> first = new ArrayList<>();
        List<float[]> second = new ArrayList<>();
        for (int i = 0; i < reader.parameters().size(); i++) {
            first.add(reader.parameterState(i, MOMENTS.get(0)));
            second.add(reader.parameterState(i, MOMENTS.get(1)));
        }
        Config config = reader.config();
        boolean saved = config.has("lr");
        double lr = saved ? config.finite("lr") : 0;
        double beta1 = saved ? config.finite("beta1") : 0;
        double beta2 = saved ? config.finite("beta2") : 0;
        double eps = saved ? config.finite("eps") : 0;
        double weightDecay = saved ? config.finite("weight_decay") : 0;
        return new SavedOptimizer() {
            @Override
            public Runnable prepareRestore(Saveable target) {
                Adam adam = (Adam) target;
                return () -> {
                    for (int i = 0; i < first.size(); i++) {
                        adam.firstMoments.get(i).copyFrom(first.get(i));
                        adam.secondMoments.get(i).copyFrom(second.get(i));
                    }
                    adam.steps = steps;
                };
            }

            @Override
            public Saveable build(List<Parameter> parameters) throws ModelFileException {
                if (!saved) {
                    throw reader.fail("this checkpoint (version 0.1) holds no " + kind + " settings; build the "
                            + "optimizer in code and use Checkpoint.restore");
                }
                return reader.construct(() -> constructor.construct(parameters, lr, beta1, beta2, eps, weightDecay));
            }
        };
    }

    @Override
    public final String toString() {
        return String.format(
                Locale.ROOT,
                "%s(lr=%s, betas=(%s, %s), eps=%s, weight_decay=%s)",
                name,
                settings.learningRate(),
                settings.beta1(),
                settings.beta2(),
                settings.epsilon(),
                weightDecay);
    }
}
