package org.sparselinear.spark;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params the SparseNet estimators share ({@link SparseNetClassifier},
 * {@link SparseNetRegressor}): the network (hidden layer widths, sparsity and how it is spread
 * over the layers, topology, rewiring), the optimizer (kind, learning rate, momentum), the global
 * batch size (split over the partitions), epochs, local steps per round, seed and the driver's
 * checkpoint file. Spark ML finds them through these public methods, as it finds a Scala stage's
 * params in its traits.
 *
 * @param <T> the stage itself, which the setters return
 */
public interface SparseNetParams<T extends SparseNetParams<T>> extends Params {

    /** The param objects of this stage. */
    SparseNetParamSet sparseNetParams();

    @SuppressWarnings("unchecked")
    private T with(Param<?> param, Object value) {
        @SuppressWarnings("rawtypes")
        Param raw = param;
        set(raw, value);
        return (T) this;
    }

    /** Widths of the hidden layers (default {@code [256]}; may be empty). */
    default IntArrayParam hiddenLayers() {
        return sparseNetParams().hiddenLayers();
    }

    /** Fraction of absent connections over the network, in [0, 1) (default 0.9). */
    default DoubleParam sparsity() {
        return sparseNetParams().sparsity();
    }

    /** {@code uniform} (default) or {@code erk} (Erdos-Renyi-Kernel). */
    default Param<String> sparsityDistribution() {
        return sparseNetParams().sparsityDistribution();
    }

    /** The topology of every sparse layer, a registered name (default {@code random}). */
    default Param<String> topology() {
        return sparseNetParams().topology();
    }

    /** {@code none} (default), {@code set} or {@code rigl}; decided on the driver. */
    default Param<String> rewiring() {
        return sparseNetParams().rewiring();
    }

    /** {@code sgd} (default) or {@code adam}. */
    default Param<String> optimizer() {
        return sparseNetParams().optimizer();
    }

    /** The optimizer's learning rate (default 0.05). */
    default DoubleParam learningRate() {
        return sparseNetParams().learningRate();
    }

    /** SGD's momentum (default 0.9). */
    default DoubleParam momentum() {
        return sparseNetParams().momentum();
    }

    /** Samples per local step on each partition (default 64). */
    default IntParam batchSize() {
        return sparseNetParams().batchSize();
    }

    /** Passes over the data (default 3). */
    default IntParam epochs() {
        return sparseNetParams().epochs();
    }

    /** K, the optimizer steps each partition runs between two averagings (default 4). */
    default IntParam localSteps() {
        return sparseNetParams().localSteps();
    }

    /** The seed of connections, initial values and shuffles (default 0). */
    default LongParam seed() {
        return sparseNetParams().seed();
    }

    /** A local file the driver checkpoints to after every round and resumes from (default empty: none). */
    default Param<String> checkpointPath() {
        return sparseNetParams().checkpointPath();
    }

    default T setHiddenLayers(int[] value) {
        return with(hiddenLayers(), value);
    }

    default T setSparsity(double value) {
        return with(sparsity(), value);
    }

    default T setSparsityDistribution(String value) {
        return with(sparsityDistribution(), value);
    }

    default T setTopology(String value) {
        return with(topology(), value);
    }

    default T setRewiring(String value) {
        return with(rewiring(), value);
    }

    default T setOptimizer(String value) {
        return with(optimizer(), value);
    }

    default T setLearningRate(double value) {
        return with(learningRate(), value);
    }

    default T setMomentum(double value) {
        return with(momentum(), value);
    }

    default T setBatchSize(int value) {
        return with(batchSize(), value);
    }

    default T setEpochs(int value) {
        return with(epochs(), value);
    }

    default T setLocalSteps(int value) {
        return with(localSteps(), value);
    }

    default T setSeed(long value) {
        return with(seed(), value);
    }

    default T setCheckpointPath(String value) {
        return with(checkpointPath(), value);
    }
}
