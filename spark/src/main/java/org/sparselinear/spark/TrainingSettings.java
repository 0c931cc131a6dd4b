package org.sparselinear.spark;

import java.io.Serializable;
import java.util.List;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/**
 * How {@link ParameterAveraging} trains: the optimizer and its learning rate, the batch size of
 * every local step, the epochs, the local steps per round and the seed of the shuffles.
 *
 * @param optimizer {@code "sgd"} or {@code "adam"}
 * @param learningRate the optimizer's learning rate, positive
 * @param momentum SGD's momentum in [0, 1) (ignored by Adam)
 * @param batchSize samples per local step on each partition
 * @param epochs passes over the data
 * @param localSteps K: the optimizer steps each partition runs between two averagings
 * @param seed the seed of every partition's shuffles
 */
public record TrainingSettings(
        String optimizer, double learningRate, double momentum, int batchSize, int epochs, int localSteps, long seed)
        implements Serializable {

    /** The optimizers {@link #optimizer} accepts. */
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam");

    /** Checks every field; the messages say what is accepted. */
    public TrainingSettings {
        optimizer = NetworkSpec.oneOf("optimizer", optimizer, OPTIMIZERS);
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("the learning rate must be finite and positive, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        positive("batch size", batchSize);
        positive("epochs", epochs);
        positive("local steps (K)", localSteps);
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + value);
        }
    }

    /** A new optimizer of these settings over {@code parameters}. */
    public Optimizer newOptimizer(List<Parameter> parameters) {
        return optimizer.equals("adam")
                ? new Adam(parameters, learningRate)
                : new SGD(parameters, learningRate, momentum);
    }
}
