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
import org.sparselinear.spi.Checks;
import org.sparselinear.spi.SgdSettings;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum (Sutskever, Martens,
 * Dahl and Hinton 2013, "On the importance of initialization and momentum in deep learning") and
 * L2 weight decay, with PyTorch's {@code optim.SGD} semantics (no dampening):
 * {@code d = g + wd p; v = m v + d; p -= lr (nesterov ? d + m v : v)}.
 *
 * <p>The velocity buffers, one per parameter on the parameter's backend, are allocated as zeros
 * here (so the first step uses {@code v = d}, as PyTorch does); none is kept without momentum.
 * Each step is one fused {@code sgdStep} kernel per parameter. When a sparse layer is rewired, the
 * velocity follows its connections ({@link #remapState}): new connections start from zero.
 */
public final class SGD extends PerParameterOptimizer {

    /** The kind name of SGD in checkpoints. */
    public static final String KIND = "SGD";

    /** The name of the velocity in checkpoints, PyTorch's. */
    private static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final List<DenseMatrix> velocities;
    private SgdSettings settings;

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Parameter> parameters, double lr) {
        this(parameters, lr, 0);
    }

    /** SGD with classical momentum in [0, 1). */
    public SGD(List<Parameter> parameters, double lr, double momentum) {
        this(parameters, lr, momentum, false, 0);
    }

    /**
     * SGD with every option.
     *
     * @param lr finite, > 0
     * @param momentum in [0, 1)
     * @param nesterov Nesterov momentum, which needs momentum > 0
     * @param weightDecay L2 penalty, finite, >= 0
     */
    public SGD(List<Parameter> parameters, double lr, double momentum, boolean nesterov, double weightDecay) {
        super(parameters, "SGD");
        this.settings = new SgdSettings(
                Checks.positiveFinite(lr, "SGD learning rate"),
                (float) Checks.inRange(momentum, 0, 1, "SGD momentum"),
                Checks.nonNegativeFinite(weightDecay, "SGD weight decay"),
                nesterov);
        this.velocities = keepState(
                parameter -> momentum > 0 ? parameter.backend().zeros(parameter.rows(), parameter.columns()) : null, 0);
        trackParameters();
    }

    @Override
    public void step() {
        requireOpen();
        for (int i = 0; i < parameters().size(); i++) {
            Parameter parameter = parameters().get(i);
            parameter.backend().sgdStep(parameter.value(), parameter.grad(), velocities.get(i), settings);
        }
        Parameters.afterUpdate(parameters());
    }

    @Override
    public double learningRate() {
        return settings.learningRate();
    }

    @Override
    public void setLearningRate(double learningRate) {
        settings = new SgdSettings(
                Checks.positiveFinite(learningRate, "SGD learning rate"),
                settings.momentum(),
                settings.weightDecay(),
                settings.nesterov());
    }

    /**
     * The velocity kept for {@code parameter}, as PyTorch's {@code optimizer.state[p]["momentum_buffer"]}: the live
     * device matrix, one value per element of the parameter, for inspection (download it; it is freed by
     * {@link #close()}, not by the caller). Null without momentum or for a parameter this optimizer does not update.
     */
    DenseMatrix velocity(Parameter parameter) {
        return stateOf(velocities, parameter);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** The settings; the velocity of each parameter as {@code momentum_buffer} (none without momentum). */
    @Override
    public void describe(StateWriter out) {
        out.config("lr", settings.learningRate())
                .config("momentum", (double) settings.momentum())
                .config("nesterov", settings.nesterov())
                .config("weight_decay", settings.weightDecay());
        for (int i = 0; i < parameters().size(); i++) {
            if (velocities.get(i) != null) {
                out.parameterState(parameters().get(i), MOMENTUM_BUFFER, velocities.get(i));
            }
        }
    }

    /** Reads a saved {@link SGD} state (kind {@value #KIND}); registered by {@link BuiltInOptimizers}. */
    static SavedOptimizer read(OptimizerReader reader) throws IOException {
        List<String> states = reader.states();
        if (!states.isEmpty() && !states.equals(List.of(MOMENTUM_BUFFER))) {
            throw reader.config().fail("state", "expected [] or [" + MOMENTUM_BUFFER + "] for SGD, got " + states);
        }
        boolean momentum = !states.isEmpty();
        List<float[]> buffers = new ArrayList<>();
        for (int i = 0; momentum && i < reader.parameters().size(); i++) {
            buffers.add(reader.parameterState(i, MOMENTUM_BUFFER));
        }
        Config config = reader.config();
        boolean saved = config.has("lr");
        double lr = saved ? config.finite("lr") : 0;
        double momentumFactor = saved ? config.finite("momentum") : 0;
        boolean nesterov = saved && config.bool("nesterov");
        double weightDecay = saved ? config.finite("weight_decay") : 0;
        if (saved && (momentumFactor > 0) != momentum) {
            throw config.fail(
                    "momentum",
                    "is " + momentumFactor + " but the checkpoint holds " + (momentum ? "" : "no ")
                            + "momentum buffers");
        }
        return new SavedOptimizer() {
            @Override
            public Runnable prepareRestore(Saveable target) throws ModelFileException {
                SGD sgd = (SGD) target;
                for (DenseMatrix velocity : sgd.velocities) {
                    if ((velocity != null) != momentum) {
                        throw reader.fail(
                                momentum
                                        ? "the checkpoint's SGD has momentum buffers but this one has no momentum ("
                                                + sgd + "); build it with the saved momentum"
                                        : "the checkpoint's SGD ran without momentum but this one has momentum (" + sgd
                                                + "); build it with the saved momentum");
                    }
                }
                return () -> {
                    for (int i = 0; i < buffers.size(); i++) {
                        sgd.velocities.get(i).copyFrom(buffers.get(i));
                    }
                };
            }

            @Override
            public Saveable build(List<Parameter> parameters) throws ModelFileException {
                if (!saved) {
                    throw reader.fail(
                            "this checkpoint (version 0.1) holds no SGD settings; build the optimizer in code "
                                    + "and use Checkpoint.restore");
                }
                return reader.construct(() -> new SGD(parameters, lr, momentumFactor, nesterov, weightDecay));
            }
        };
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "SGD(lr=%s, momentum=%s, nesterov=%b, weight_decay=%s)",
                settings.learningRate(),
                settings.momentum(),
                settings.nesterov(),
                settings.weightDecay());
    }
}
