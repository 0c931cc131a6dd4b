package org.sparselinear.spark;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;

/**
 * A sparse network trained by {@link SparseNetRegressor}: adds a {@code prediction} column (the
 * network's one output), scoring partitions in batches with the network broadcast once. Saved
 * like {@link SparseNetClassificationModel}: Spark ML params plus the library's safetensors file.
 */
public final class SparseNetRegressionModel extends RegressionModel<Vector, SparseNetRegressionModel>
        implements MLWritable {

    private static final long serialVersionUID = 1L;

    private String uid;
    private final byte[] modelFile;
    private final int numFeatures;
    private transient Layer network;

    /** A model of the network in {@code modelFile} (bytes of a model file with one output). */
    public SparseNetRegressionModel(String uid, byte[] modelFile) {
        this(Uids.pending(uid), modelFile);
    }

    private SparseNetRegressionModel(Uids.Pending uid, byte[] modelFile) {
        this.modelFile = modelFile.clone();
        this.network = NetworkFiles.load(this.modelFile);
        int[] shape = NetworkFiles.shape(network);
        if (shape[1] != 1) {
            throw new IllegalArgumentException(
                    "a regression model needs a network with one output, this one has " + shape[1]);
        }
        this.numFeatures = shape[0];
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("sparseNetRegressionModel");
        }
        return uid;
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    /** The network as the bytes of a safetensors model file. */
    public byte[] network() {
        return modelFile.clone();
    }

    @Override
    public double predict(Vector features) {
        return NetworkScorer.outputs(openNetwork(), Backends.get(), List.of(features), numFeatures)[0][0];
    }

    /** Scores every partition in batches with the network broadcast once. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return NetworkScorer.transform(
                dataset, modelFile, getFeaturesCol(), numFeatures, transformSchema(dataset.schema(), true), output ->
                        new Object[] {(double) output[0]});
    }

    private synchronized Layer openNetwork() {
        if (network == null) {
            network = NetworkFiles.load(modelFile);
        }
        return network;
    }

    @Override
    public SparseNetRegressionModel copy(ParamMap extra) {
        return copyValues(new SparseNetRegressionModel(uid(), modelFile), extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return NetworkFiles.writer(this, modelFile);
    }

    /** Reads a model saved with {@link #write()}. */
    public static MLReader<SparseNetRegressionModel> read() {
        return NetworkFiles.reader(SparseNetRegressionModel.class, SparseNetRegressionModel::new);
    }

    /** Reads the model saved at {@code path}. */
    public static SparseNetRegressionModel load(String path) {
        return read().load(path);
    }
}
