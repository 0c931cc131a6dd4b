package org.sparselinear.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * A Spark ML estimator that trains a sparse network ({@link NetworkSpec}, one output) to predict a
 * real label from a features column of ML {@link Vector}s (dense or sparse), with the mean squared
 * error, by parameter averaging on the cluster ({@link ParameterAveraging}); the same params as
 * {@link SparseNetClassifier}. Returns a {@link SparseNetRegressionModel}.
 */
public final class SparseNetRegressor extends Regressor<Vector, SparseNetRegressor, SparseNetRegressionModel>
        implements SparseNetParams<SparseNetRegressor>, DefaultParamsWritable {

    private static final long serialVersionUID = 1L;

    private String uid;
    private final SparseNetParamSet params;
    private transient List<RoundReport> lastRounds = List.of();

    /** An estimator with a new random uid and the default params. */
    public SparseNetRegressor() {
        this(Uids.pending(Uids.take("sparseNetRegressor")));
    }

    /** An estimator with the given uid (Spark's readers use this). */
    public SparseNetRegressor(String uid) {
        this(Uids.pending(uid));
    }

    private SparseNetRegressor(Uids.Pending pending) {
        params = new SparseNetParamSet(this);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("sparseNetRegressor");
        }
        return uid;
    }

    @Override
    public SparseNetParamSet sparseNetParams() {
        return params;
    }

    /** What each round of the last fit cost (wall time and local training time), in order. */
    public List<RoundReport> lastRounds() {
        return lastRounds;
    }

    @Override
    public SparseNetRegressionModel train(Dataset<?> dataset) {
        List<RoundReport> rounds = new ArrayList<>();
        byte[] network =
                SparseNetFit.fit(this, dataset, getFeaturesCol(), getLabelCol(), Objective.regression(), rounds);
        lastRounds = List.copyOf(rounds);
        return new SparseNetRegressionModel(uid() + "_model", network);
    }

    @Override
    public SparseNetRegressor copy(ParamMap extra) {
        return copyValues(new SparseNetRegressor(), extra);
    }

    /** Reads an estimator saved with {@code write()}. */
    public static MLReader<SparseNetRegressor> read() {
        return new DefaultParamsReader<>();
    }

    /** Reads the estimator saved at {@code path}. */
    public static SparseNetRegressor load(String path) {
        return read().load(path);
    }
}
