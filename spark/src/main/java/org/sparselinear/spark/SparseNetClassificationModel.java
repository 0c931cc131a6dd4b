package org.sparselinear.spark;

import java.util.List;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.io.ModelFile;

/**
 * A sparse network trained by {@link SparseNetClassifier}: a Spark ML model that adds
 * {@code rawPrediction} (the network's logits), {@code probability} (their softmax) and
 * {@code prediction} columns. {@link #transform} broadcasts the network once and scores each
 * partition in batches ({@link NetworkScorer}) on the executor's default backend. Saved with
 * {@link #write()} as Spark ML params plus the library's safetensors model file, which
 * {@link #network()} returns and {@link ModelFile#load} reads in plain Java.
 */
public final class SparseNetClassificationModel
        extends ProbabilisticClassificationModel<Vector, SparseNetClassificationModel> implements MLWritable {

    private static final long serialVersionUID = 1L;

    private String uid;
    private final byte[] modelFile;
    private final int numFeatures;
    private final int numClasses;
    private transient Layer network;

    /** A model of the network in {@code modelFile} (bytes of a model file whose output is one logit per class). */
    public SparseNetClassificationModel(String uid, byte[] modelFile) {
        this(Uids.pending(uid), modelFile);
    }

    private SparseNetClassificationModel(Uids.Pending uid, byte[] modelFile) {
        this.modelFile = modelFile.clone();
        this.network = NetworkFiles.load(this.modelFile);
        int[] shape = NetworkFiles.shape(network);
        this.numFeatures = shape[0];
        this.numClasses = shape[1];
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = Uids.take("sparseNetClassificationModel");
        }
        return uid;
    }

    @Override
    public int numFeatures() {
        return numFeatures;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    /** The network as the bytes of a safetensors model file ({@link ModelFile#load(byte[], String, org.sparselinear.api.Backend)}). */
    public byte[] network() {
        return modelFile.clone();
    }

    @Override
    public Vector predictRaw(Vector features) {
        return Vectors.dense(
                toDoubles(NetworkScorer.outputs(openNetwork(), Backends.get(), List.of(features), numFeatures)[0]));
    }

    @Override
    public Vector raw2probabilityInPlace(Vector rawPrediction) {
        double[] values = ((DenseVector) rawPrediction).values();
        softmaxInPlace(values);
        return rawPrediction;
    }

    /** Scores every partition in batches with the network broadcast once. */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema(), true);
        String[] names = output.fieldNames();
        String[] added = java.util.Arrays.copyOfRange(names, dataset.schema().length(), names.length);
        String rawCol = getRawPredictionCol();
        String probabilityCol = getProbabilityCol();
        double[] thresholds = isDefined(thresholds()) ? getThresholds() : null;
        return NetworkScorer.transform(dataset, modelFile, getFeaturesCol(), numFeatures, output, logits -> {
            double[] raw = toDoubles(logits);
            double[] probability = raw.clone();
            softmaxInPlace(probability);
            Object[] values = new Object[added.length];
            for (int i = 0; i < added.length; i++) {
                values[i] = added[i].equals(rawCol)
                        ? Vectors.dense(raw)
                        : added[i].equals(probabilityCol)
                                ? Vectors.dense(probability)
                                : predict(probability, thresholds);
            }
            return values;
        });
    }

    /** The class of highest probability, each divided by its threshold when thresholds are set (Spark's rule). */
    static double predict(double[] probability, double[] thresholds) {
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < probability.length; c++) {
            double score = thresholds == null ? probability[c] : probability[c] / thresholds[c];
            if (score > bestScore) {
                bestScore = score;
                best = c;
            }
        }
        return best;
    }

    static void softmaxInPlace(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(values[i] - max);
            sum += values[i];
        }
        for (int i = 0; i < values.length; i++) {
            values[i] /= sum;
        }
    }

    static double[] toDoubles(float[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private synchronized Layer openNetwork() {
        if (network == null) {
            network = NetworkFiles.load(modelFile);
        }
        return network;
    }

    /**
     * Spark's own summary hook, unchanged. Restated only because Java sees the Scala overrides in
     * {@code ClassificationModel} and {@code ProbabilisticClassificationModel} as a clash of generic
     * return types; the raw type fits both.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public SparseNetClassificationModel copy(ParamMap extra) {
        return copyValues(new SparseNetClassificationModel(uid(), modelFile), extra)
                .setParent(parent());
    }

    @Override
    public MLWriter write() {
        return NetworkFiles.writer(this, modelFile);
    }

    /** Reads a model saved with {@link #write()}. */
    public static MLReader<SparseNetClassificationModel> read() {
        return NetworkFiles.reader(SparseNetClassificationModel.class, SparseNetClassificationModel::new);
    }

    /** Reads the model saved at {@code path}. */
    public static SparseNetClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "SparseNetClassificationModel: uid=" + uid() + ", numFeatures=" + numFeatures + ", numClasses="
                + numClasses;
    }
}
