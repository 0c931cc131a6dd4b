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
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.Checks;

/**
 * Adagrad (Duchi, Hazan and Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization") with PyTorch's {@code optim.Adagrad} semantics:
 * {@code clr = lr / (1 + (t - 1) lr_decay); g += wd p; sum += g^2; p -= clr g / (sqrt(sum) + eps)}.
 * The sums, one per parameter on the parameter's backend, start at {@code initialAccumulatorValue};
 * a step counter starting at 1 drives the learning-rate decay. Each step is one fused
 * {@code adagradStep} kernel per parameter.
 *
 * <p>Unlike Adam, Adagrad has no decay of its state: without weight decay an entry whose gradient
 * is exactly zero keeps its value and its sum, and the kernels skip it. Sparse inputs (a text
 * model's TF-IDF features) leave most of a first layer's gradient exactly zero, so a step there
 * writes only the entries of the features seen in the batch. When a sparse layer is rewired, the
 * sums follow its connections and a new connection starts at {@code initialAccumulatorValue}
 * ({@link #remapState}).
 */
public final class Adagrad extends PerParameterOptimizer {

    /** The kind name of Adagrad in checkpoints. */
    public static final String KIND = "Adagrad";

    /** The name of the sum of squared gradients in checkpoints, PyTorch's. */
    private static final String SUM = "sum";

    private final List<DenseMatrix> sums;
    private final float initialAccumulatorValue;
    private AdagradSettings settings;
    private long steps;

    /** Adagrad with PyTorch's defaults: no learning-rate decay, no weight decay, sums from 0, eps 1e-10. */
    public Adagrad(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0, 0, 0, AdagradSettings.DEFAULT_EPSILON);
    }

    /**
     * Adagrad with every option, in the order of PyTorch's {@code optim.Adagrad}.
     *
     * @param lr finite, > 0
     * @param lrDecay the learning rate of step t is {@code lr / (1 + (t - 1) lrDecay)}; finite, >= 0
     * @param weightDecay L2 penalty added to the gradient, finite, >= 0
     * @param initialAccumulatorValue the sums' start, finite, >= 0
     * @param eps added to the root of the sum, finite, > 0
     */
    public Adagrad(
            List<Parameter> parameters,
            double lr,
            double lrDecay,
            double weightDecay,
            double initialAccumulatorValue,
            double eps) {
        super(parameters, KIND);
        this.settings = new AdagradSettings(
                Checks.positiveFinite(lr, "Adagrad learning rate"),
                Checks.nonNegativeFinite(lrDecay, "Adagrad learning rate decay"),
                Checks.nonNegativeFinite(weightDecay, "Adagrad weight decay"),
                Checks.positiveFinite(eps, "Adagrad eps"));
        this.initialAccumulatorValue =
                Checks.nonNegativeFinite(initialAccumulatorValue, "Adagrad initial accumulator value");
        this.sums = keepState(this::startingSum, this.initialAccumulatorValue);
        trackParameters();
    }

    /** A sum for {@code parameter}, every entry at the initial accumulator value. */
    private DenseMatrix startingSum(Parameter parameter) {
        DenseMatrix sum = parameter.backend().zeros(parameter.rows(), parameter.columns());
        if (initialAccumulatorValue != 0) {
            parameter.backend().fill(sum, initialAccumulatorValue);
        }
        return sum;
    }

    @Override
    public void step() {
        requireOpen();
        steps++;
        for (int i = 0; i < parameters().size(); i++) {
            Parameter parameter = parameters().get(i);
            parameter.backend().adagradStep(parameter.value(), parameter.grad(), sums.get(i), settings, steps);
        }
        Parameters.afterUpdate(parameters());
    }

    @Override
    public double learningRate() {
        return settings.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        settings = new AdagradSettings(
                Checks.positiveFinite(learningRate, "Adagrad learning rate"),
                settings.learningRateDecay(),
                settings.weightDecay(),
                settings.epsilon());
    }

    /**
     * The sum of squared gradients kept for {@code parameter}, as PyTorch's {@code optimizer.state[p]["sum"]}: the
     * live device matrix, for inspection (download it; it is freed by {@link #close()}, not by the caller). Null for
     * a parameter this optimizer does not update.
     */
    DenseMatrix sum(Parameter parameter) {
        return stateOf(sums, parameter);
    }

    /** Number of steps taken so far. */
    public long steps() {
        return steps;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The step count and settings; each parameter's sum of squared gradients as {@code sum}. */
    @Override
    public void describe(StateWriter out) {
        out.config("steps", steps)
                .config("lr", settings.learningRate())
                .config("lr_decay", settings.learningRateDecay())
                .config("weight_decay", settings.weightDecay())
                .config("initial_accumulator_value", initialAccumulatorValue)
                .config("eps", settings.epsilon());
        for (int i = 0; i < parameters().size(); i++) {
            out.parameterState(parameters().get(i), SUM, sums.get(i));
        }
    }

    /** Reads a saved {@link Adagrad} state (kind {@value #KIND}); registered by {@link BuiltInOptimizers}. */
    static SavedOptimizer read(OptimizerReader reader) throws IOException {
        if (!reader.states().equals(List.of(SUM))) {
            throw reader.config().fail("state", "expected [" + SUM + "] for " + KIND + ", got " + reader.states());
        }
        Config config = reader.config();
        long steps = config.nonNegativeLong("steps");
        double lr = config.finite("lr");
        double lrDecay = config.finite("lr_decay");
        double weightDecay = config.finite("weight_decay");
        double initialAccumulatorValue = config.finite("initial_accumulator_value");
        double eps = config.finite("eps");
        List<float[]> sums = new ArrayList<>();
        for (int i = 0; i < reader.parameters().size(); i++) {
            sums.add(reader.parameterState(i, SUM));
        }
        return new SavedOptimizer() {
            @Override
            public Runnable prepareRestore(Saveable target) {
                Adagrad adagrad = (Adagrad) target;
                return () -> {
                    for (int i = 0; i < sums.size(); i++) {
                        adagrad.sums.get(i).copyFrom(sums.get(i));
                    }
                    adagrad.steps = steps;
                };
            }

            @Override
            public Saveable build(List<Parameter> parameters) throws ModelFileException {
                return reader.construct(
                        () -> new Adagrad(parameters, lr, lrDecay, weightDecay, initialAccumulatorValue, eps));
            }
        };
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "Adagrad(lr=%s, lr_decay=%s, weight_decay=%s, initial_accumulator_value=%s, eps=%s)",
                settings.learningRate(),
                settings.learningRateDecay(),
                settings.weightDecay(),
                initialAccumulatorValue,
                settings.epsilon());
    }
}
