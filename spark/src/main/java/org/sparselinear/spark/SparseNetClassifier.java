package org.sparselinear.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

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
        implements SparseNetParams<SparseNetClassifier>, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private String uid;
    private final SparseNetParamSet params;

    /** An estimator with a new random uid and the default params. */
    public SparseNetClassifier() {
        this(Uids.pending(Uids.take("sparseNetClassifier")));
    }

    /** An estimator with the given uid (Spark's readers use this). */
    public SparseNetClassifier(String uid) {
        this(Uids.pending(uid));
    }

    private SparseNetClassifier(Uids.Pending pending) {
        params = new SparseNetParamSet(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("sparseNetClassifier");
        }
        return uid;
    }

    @Override
    public SparseNetParamSet sparseNetParams() {
        return params;
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
        List<RoundReport> rounds = new ArrayList<>();
        byte[] network = SparseNetFit.fit(
                this,
                dataset,
                getFeaturesCol(),
                getLabelCol(),
                Objective.classification(getNumClasses(dataset, 10_000)),
                rounds);
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
