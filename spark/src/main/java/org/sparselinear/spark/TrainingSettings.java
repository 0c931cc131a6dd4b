package org.sparselinear.spark;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.sparselinear.api.Parameter;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.optim.SGD;

/**
 * How {@link ParameterAveraging} trains: the optimizer and its learning rate, the global batch size,
 * the epochs, the local steps per round and the seed of the shuffles.
 *
 * @param optimizer {@code "sgd"} or {@code "adam"}
 * @param learningRate the optimizer's learning rate, positive
 * @param momentum SGD's momentum in [0, 1) (ignored by Adam)
 * @param batchSize samples per synchronized step over all partitions (the global batch): each
 *     partition's local steps take its share, see {@link #localBatches}
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

    /**
     * Each partition's share of the global batch: {@code batchSize} split evenly over the partitions
     * holding data, the remainder one sample each to the largest of them (the first among equals),
     * none to an empty partition.
     * One round of {@code K = 1} steps thus covers {@code batchSize} samples, as one single-process
     * step does, and an epoch takes as many synchronized steps as in one process.
     *
     * @param shardSizes the number of rows of every partition, in partition order
     * @throws IllegalArgumentException when fewer samples per step than partitions holding data
     */
    public int[] localBatches(List<Long> shardSizes) {
        long holding = shardSizes.stream().filter(n -> n > 0).count();
        if (holding > batchSize) {
            throw new IllegalArgumentException("the batch size (" + batchSize + ") is the global batch, split over the "
                    + holding + " partitions holding data, so it must be at least " + holding
                    + "; raise the batch size or use fewer partitions (repartition or coalesce the data)");
        }
        int[] local = new int[shardSizes.size()];
        List<Integer> largestFirst = IntStream.range(0, local.length)
                .filter(p -> shardSizes.get(p) > 0)
                .boxed()
                .sorted(Comparator.comparing((Integer p) -> shardSizes.get(p)).reversed())
                .toList();
        for (int rank = 0; rank < largestFirst.size(); rank++) {
            local[largestFirst.get(rank)] = (int) (batchSize / holding) + (rank < batchSize % holding ? 1 : 0);
        }
        return local;
    }

    /** A new optimizer of these settings over {@code parameters}. */
    public Optimizer newOptimizer(List<Parameter> parameters) {
        return optimizer.equals("adam")
                ? new Adam(parameters, learningRate)
                : new SGD(parameters, learningRate, momentum);
    }
}
