package org.sparselinear.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * A Spark ML estimator that trains a sparse network ({@link NetworkSpec}: {@code SparseLinear}
 * layers with ReLU between them) to classify a features column of ML {@link Vector}s (dense or
 * sparse; sparse vectors go in as sparse input rows, never densified) with a label column of class
 * indices {@code 0 .. k-1}. It trains on the cluster by parameter averaging in rounds of
 * {@link #localSteps()} optimizer steps per partition ({@link ParameterAveraging}) and returns a
 * {@link SparseNetClassificationModel}. Usable in a {@code Pipeline}; its params save with it.
 *
 * <pre>{@code
 * SparseNetClassifier classifier = new SparseNetClassifier()
 *         .setHiddenLayers(new int[] {256}).setSparsity(0.9).setOptimizer("adam").setLearningRate(0.001)
 *         .setEpochs(3).setLocalSteps(4);
 * SparseNetClassificationModel model = classifier.fit(training);   // features, label columns
 * model.transform(test).select("prediction", "probability").show();
 * }</pre>
 */
public final class SparseNetClassifier
        extends ProbabilisticClassifier<Vector, SparseNetClassifier, SparseNetClassificationModel>
        implements DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private String uid;
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

    /** An estimator with a new random uid and the default params. */
    public SparseNetClassifier() {
        this(Uids.pending(Uids.take("sparseNetClassifier")));
    }

    /** An estimator with the given uid (Spark's readers use this). */
    public SparseNetClassifier(String uid) {
        this(Uids.pending(uid));
    }

    private SparseNetClassifier(Uids.Pending pending) {
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "widths of the hidden layers (may be empty)");
        sparsity = new DoubleParam(
                this,
                "sparsity",
                "fraction of absent connections over the network, in [0, 1)",
                ParamValidators.inRange(0, 1, true, false));
        sparsityDistribution = new Param<>(
                this,
                "sparsityDistribution",
                "how the sparsity is spread over the layers: " + NetworkSpec.DISTRIBUTIONS,
                ParamValidators.inArray(NetworkSpec.DISTRIBUTIONS));
        topology = new Param<>(
                this,
                "topology",
                "connection topology of every sparse layer, e.g. random, " + "small-world, watts-strogatz");
        rewiring = new Param<>(
                this,
                "rewiring",
                "dynamic sparsity, decided on the driver: " + NetworkSpec.REWIRINGS,
                ParamValidators.inArray(NetworkSpec.REWIRINGS));
        optimizer = new Param<>(
                this,
                "optimizer",
                "the optimizer: " + TrainingSettings.OPTIMIZERS,
                ParamValidators.inArray(TrainingSettings.OPTIMIZERS));
        learningRate =
                new DoubleParam(this, "learningRate", "the optimizer's learning rate (> 0)", ParamValidators.gt(0));
        momentum = new DoubleParam(
                this, "momentum", "SGD's momentum in [0, 1)", ParamValidators.inRange(0, 1, true, false));
        batchSize = new IntParam(
                this, "batchSize", "samples per local step on each partition (>= 1)", ParamValidators.gtEq(1));
        epochs = new IntParam(this, "epochs", "passes over the data (>= 1)", ParamValidators.gtEq(1));
        localSteps = new IntParam(
                this,
                "localSteps",
                "K: optimizer steps each partition runs between two averagings (>= 1)",
                ParamValidators.gtEq(1));
        seed = new LongParam(this, "seed", "seed of the connections, initial values and shuffles");
        checkpointPath = new Param<>(
                this,
                "checkpointPath",
                "a local file the driver writes a checkpoint to "
                        + "after every round and resumes from; empty for none");
        setDefault(hiddenLayers, new int[] {256});
        setDefault(sparsity, 0.9);
        setDefault(sparsityDistribution, "uniform");
        setDefault(topology, "random");
        setDefault(rewiring, "none");
        setDefault(optimizer, "sgd");
        setDefault(learningRate, 0.05);
        setDefault(momentum, 0.9);
        setDefault(batchSize, 64);
        setDefault(epochs, 3);
        setDefault(localSteps, 4);
        setDefault(seed, 0L);
        setDefault(checkpointPath, "");
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("sparseNetClassifier");
        }
        return uid;
    }

    // ---- params (Spark ML finds them through these public getters) --------------------------

    public IntArrayParam hiddenLayers() {
        return hiddenLayers;
    }

    public DoubleParam sparsity() {
        return sparsity;
    }

    public Param<String> sparsityDistribution() {
        return sparsityDistribution;
    }

    public Param<String> topology() {
        return topology;
    }

    public Param<String> rewiring() {
        return rewiring;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public DoubleParam learningRate() {
        return learningRate;
    }

    public DoubleParam momentum() {
        return momentum;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam localSteps() {
        return localSteps;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> checkpointPath() {
        return checkpointPath;
    }

    public SparseNetClassifier setHiddenLayers(int[] value) {
        return (SparseNetClassifier) set(hiddenLayers, value);
    }

    public SparseNetClassifier setSparsity(double value) {
        return (SparseNetClassifier) set(sparsity, value);
    }

    public SparseNetClassifier setSparsityDistribution(String value) {
        return (SparseNetClassifier) set(sparsityDistribution, value);
    }

    public SparseNetClassifier setTopology(String value) {
        return (SparseNetClassifier) set(topology, value);
    }

    public SparseNetClassifier setRewiring(String value) {
        return (SparseNetClassifier) set(rewiring, value);
    }

    public SparseNetClassifier setOptimizer(String value) {
        return (SparseNetClassifier) set(optimizer, value);
    }

    public SparseNetClassifier setLearningRate(double value) {
        return (SparseNetClassifier) set(learningRate, value);
    }

    public SparseNetClassifier setMomentum(double value) {
        return (SparseNetClassifier) set(momentum, value);
    }

    public SparseNetClassifier setBatchSize(int value) {
        return (SparseNetClassifier) set(batchSize, value);
    }

    public SparseNetClassifier setEpochs(int value) {
        return (SparseNetClassifier) set(epochs, value);
    }

    public SparseNetClassifier setLocalSteps(int value) {
        return (SparseNetClassifier) set(localSteps, value);
    }

    public SparseNetClassifier setSeed(long value) {
        return (SparseNetClassifier) set(seed, value);
    }

    public SparseNetClassifier setCheckpointPath(String value) {
        return (SparseNetClassifier) set(checkpointPath, value);
    }

    // ---- training ------------------------------------------------------------------------

    /** The per-round costs of the last {@link #fit} on this instance (empty before). */
    private transient List<RoundReport> lastRounds = List.of();

    /** What each round of the last fit cost (wall time and local training time), in order. */
    public List<RoundReport> lastRounds() {
        return lastRounds;
    }

    @Override
    public SparseNetClassificationModel train(Dataset<?> dataset) {
        int classes = getNumClasses(dataset, 10_000);
        Dataset<Row> rows = dataset.select(
                functions.col(getFeaturesCol()), functions.col(getLabelCol()).cast("double"));
        Row first = rows.first();
        int width = ((Vector) first.get(0)).size();
        NetworkSpec spec = new NetworkSpec(
                width,
                $(hiddenLayers),
                classes,
                (Double) $(sparsity),
                $(sparsityDistribution),
                $(topology),
                $(rewiring),
                1,
                (Long) $(seed));
        TrainingSettings settings = new TrainingSettings(
                $(optimizer),
                (Double) $(learningRate),
                (Double) $(momentum),
                (Integer) $(batchSize),
                (Integer) $(epochs),
                (Integer) $(localSteps),
                (Long) $(seed));
        String checkpoint = $(checkpointPath);
        List<RoundReport> rounds = new ArrayList<>();
        byte[] network = new ParameterAveraging(
                        spec,
                        settings,
                        Objective.classification(classes),
                        checkpoint.isEmpty() ? null : Path.of(checkpoint),
                        rounds::add)
                .fit(rows.toJavaRDD());
        lastRounds = List.copyOf(rounds);
        return new SparseNetClassificationModel(uid() + "_model", network);
    }

    @Override
    public SparseNetClassifier copy(ParamMap extra) {
        return copyValues(new SparseNetClassifier(), extra);
    }

    /** Reads an estimator saved with {@code write()}. */
    public static MLReader<SparseNetClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Reads the estimator saved at {@code path}. */
    public static SparseNetClassifier load(String path) {
        return read().load(path);
    }
}
