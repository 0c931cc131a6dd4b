package org.sparselinear.spark;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/**
 * The Spark ML params of the SparseNet estimators (network, optimizer, rounds), made for one stage
 * with their defaults set; {@link SparseNetParams} exposes them as the stage's own. Reads them
 * back as the {@link NetworkSpec} and {@link TrainingSettings} a fit uses.
 */
public final class SparseNetParamSet implements Serializable {

    private static final long serialVersionUID = 1L;

    private final IntArrayParam hiddenLayers;
    private final DoubleParam sparsity;
    private final Param<String> sparsityDistribution;
    private final Param<String> topology;
    private final Param<String> rewiring;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam momentum;
    private final IntParam batchSize;
    private final IntParam epochs;
    private final IntParam localSteps;
    private final LongParam seed;
    private final Param<String> checkpointPath;

    /** The params of {@code stage}, with their defaults set on it. */
    SparseNetParamSet(SparseNetParams<?> stage) {
        hiddenLayers = new IntArrayParam(stage, "hiddenLayers", "widths of the hidden layers (may be empty)");
        sparsity = new DoubleParam(
                stage,
                "sparsity",
                "fraction of absent connections over the network, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        sparsityDistribution = new Param<>(
                stage,
                "sparsityDistribution",
                "how the sparsity is spread over the layers: " + NetworkSpec.DISTRIBUTIONS,
                ParamValidators.inArray(NetworkSpec.DISTRIBUTIONS));
        topology = new Param<>(
                stage,
                "topology",
                "connection topology of every sparse layer, e.g. random, small-world, watts-strogatz");
        rewiring = new Param<>(
                stage,
                "rewiring",
                "dynamic sparsity, decided on the driver: " + NetworkSpec.REWIRINGS,
                ParamValidators.inArray(NetworkSpec.REWIRINGS));
        optimizer = new Param<>(
                stage,
                "optimizer",
                "the optimizer: " + TrainingSettings.OPTIMIZERS,
                ParamValidators.inArray(TrainingSettings.OPTIMIZERS));
        learningRate =
                new DoubleParam(stage, "learningRate", "the optimizer's learning rate (> 0)", ParamValidators.gt(0));
        momentum = new DoubleParam(
                stage, "momentum", "SGD's momentum in [0, 1)", ParamValidators.inRange(0, 1, true, false));
        batchSize = new IntParam(
                stage,
                "batchSize",
                "global batch size: samples per synchronized step, split over the partitions holding data (>= their number)",
                ParamValidators.gtEq(1));
        epochs = new IntParam(stage, "epochs", "passes over the data (>= 1)", ParamValidators.gtEq(1));
        localSteps = new IntParam(
                stage,
                "localSteps",
                "K: optimizer steps each partition runs between two averagings (>= 1)",
                ParamValidators.gtEq(1));
        seed = new LongParam(stage, "seed", "seed of the connections, initial values and shuffles");
        checkpointPath = new Param<>(
                stage,
                "checkpointPath",
                "a local file the driver writes a checkpoint to after every round and resumes from; empty for none");
        stage.setDefault(hiddenLayers, new int[] {256});
        stage.setDefault(sparsity, 0.9);
        stage.setDefault(sparsityDistribution, "uniform");
        stage.setDefault(topology, "random");
        stage.setDefault(rewiring, "none");
        stage.setDefault(optimizer, "sgd");
        stage.setDefault(learningRate, 0.05);
        stage.setDefault(momentum, 0.9);
        stage.setDefault(batchSize, 64);
        stage.setDefault(epochs, 3);
        stage.setDefault(localSteps, 4);
        stage.setDefault(seed, 0L);
        stage.setDefault(checkpointPath, "");
    }

    IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    DoubleParam sparsity() {
        return sparsity;
    }

    Param<String> sparsityDistribution() {
        return sparsityDistribution;
    }

    Param<String> topology() {
        return topology;
    }

    Param<String> rewiring() {
        return rewiring;
    }

    Param<String> optimizer() {
        return optimizer;
    }

    DoubleParam learningRate() {
        return learningRate;
    }

    DoubleParam momentum() {
        return momentum;
    }

    IntParam batchSize() {
        return batchSize;
    }

    IntParam epochs() {
        return epochs;
    }

    IntParam localSteps() {
        return localSteps;
    }

    LongParam seed() {
        return seed;
    }

    Param<String> checkpointPath() {
        return checkpointPath;
    }

    /** The network {@code stage}'s params describe, for {@code inputs} features and {@code outputs} outputs. */
    NetworkSpec network(Params stage, int inputs, int outputs) {
        return new NetworkSpec(
                inputs,
                stage.getOrDefault(hiddenLayers),
                outputs,
                (Double) stage.getOrDefault(sparsity),
                stage.getOrDefault(sparsityDistribution),
                stage.getOrDefault(topology),
                stage.getOrDefault(rewiring),
                1,
                (Long) stage.getOrDefault(seed));
    }

    /** The training settings {@code stage}'s params describe. */
    TrainingSettings training(Params stage) {
        return new TrainingSettings(
                stage.getOrDefault(optimizer),
                (Double) stage.getOrDefault(learningRate),
                (Double) stage.getOrDefault(momentum),
                (Integer) stage.getOrDefault(batchSize),
                (Integer) stage.getOrDefault(epochs),
                (Integer) stage.getOrDefault(localSteps),
                (Long) stage.getOrDefault(seed));
    }

    /** The checkpoint file, or null for none. */
    Path checkpoint(Params stage) {
        String path = stage.getOrDefault(checkpointPath);
        return path.isEmpty() ? null : Path.of(path);
    }
}
