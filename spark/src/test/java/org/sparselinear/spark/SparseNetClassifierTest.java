package org.sparselinear.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.HashingTF;
import org.apache.spark.ml.feature.Tokenizer;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.io.ModelFile;

class SparseNetClassifierTest {

    private static final String[][] TOPICS = {
        {"kernel", "driver", "module", "boot", "firmware", "scheduler"},
        {"font", "theme", "icon", "window", "desktop", "widget"},
        {"python", "library", "import", "package", "binding", "wheel"}
    };

    /** Short texts whose words come mostly from their topic's vocabulary. */
    private static Dataset<Row> texts(int n, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int topic = i % TOPICS.length;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 6; w++) {
                String[] words = TOPICS[random.nextInt(5) == 0 ? random.nextInt(TOPICS.length) : topic];
                text.append(words[random.nextInt(words.length)]).append(' ');
            }
            rows.add(RowFactory.create(text.toString().trim(), (double) topic));
        }
        StructType schema = new StructType().add("text", DataTypes.StringType).add("label", DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema).repartition(2);
    }

    private static Pipeline pipeline() {
        Tokenizer tokenizer = new Tokenizer().setInputCol("text").setOutputCol("words");
        HashingTF hashing =
                new HashingTF().setInputCol("words").setOutputCol("features").setNumFeatures(256);
        SparseNetClassifier classifier = new SparseNetClassifier()
                .setHiddenLayers(new int[] {32})
                .setSparsity(0.8)
                .setOptimizer("adam")
                .setLearningRate(0.01)
                .setBatchSize(16)
                .setEpochs(8)
                .setLocalSteps(4)
                .setSeed(3);
        return new Pipeline().setStages(new PipelineStage[] {tokenizer, hashing, classifier});
    }

    private static double accuracy(Dataset<Row> scored) {
        long right = scored.filter("prediction = label").count();
        return (double) right / scored.count();
    }

    @Test
    void aPipelineOfTokenizerHashingTfAndTheClassifierFitsAndScoresSparseTexts(@TempDir Path dir) throws IOException {
        Dataset<Row> train = texts(240, 1);
        Dataset<Row> test = texts(90, 2);
        PipelineModel fitted = pipeline().fit(train);
        Dataset<Row> scored = fitted.transform(test).cache();
        assertTrue(((Vector) scored.first().getAs("features")) instanceof SparseVector, "HashingTF rows are sparse");
        double accuracy = accuracy(scored);
        assertTrue(accuracy > 0.85, "test accuracy " + accuracy);
        for (Row row :
                scored.select("probability", "rawPrediction", "prediction").collectAsList()) {
            double[] p = ((Vector) row.get(0)).toArray();
            double[] raw = ((Vector) row.get(1)).toArray();
            double sum = 0;
            int best = 0;
            for (int c = 0; c < p.length; c++) {
                sum += p[c];
                best = raw[c] > raw[best] ? c : best;
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(best, row.getDouble(2), "the prediction is the class of the largest logit");
        }

        String saved = dir.resolve("pipeline").toString();
        fitted.write().overwrite().save(saved);
        PipelineModel loaded = PipelineModel.load(saved);
        List<Row> before = scored.select("rawPrediction").collectAsList();
        List<Row> after = loaded.transform(test).select("rawPrediction").collectAsList();
        assertEquals(before, after, "the loaded pipeline scores the same");
    }

    @Test
    void aModelSavedFromSparkOpensInPlainJavaWithTheSamePredictions(@TempDir Path dir) throws IOException {
        Dataset<Row> data = denseBlobs(120, 4);
        SparseNetClassificationModel model = new SparseNetClassifier()
                .setHiddenLayers(new int[] {16})
                .setSparsity(0.5)
                .setLearningRate(0.1)
                .setBatchSize(10)
                .setEpochs(4)
                .setLocalSteps(2)
                .fit(data);
        Path saved = dir.resolve("model");
        model.write().save(saved.toString());
        SparseNetClassificationModel loaded = SparseNetClassificationModel.load(saved.toString());
        assertEquals(model.uid(), loaded.uid());
        assertArrayEquals(model.network(), loaded.network());

        List<Row> scored = model.transform(data)
                .select("features", "rawPrediction", "prediction")
                .collectAsList();
        Backend backend = Backends.get();
        try (Layer plain = ModelFile.load(saved.resolve(NetworkFiles.NETWORK), backend)) {
            plain.eval();
            List<Vector> features = new ArrayList<>();
            scored.forEach(row -> features.add((Vector) row.get(0)));
            float[][] logits = NetworkScorer.outputs(plain, backend, features, 4);
            for (int r = 0; r < scored.size(); r++) {
                double[] raw = ((Vector) scored.get(r).get(1)).toArray();
                int best = 0;
                for (int c = 0; c < raw.length; c++) {
                    // Spark scored the partitions' batches, this one batch of all rows: the CPU kernels
                    // may sum in another order for another batch size, so logits agree to float rounding.
                    assertEquals(logits[r][c], raw[c], 1e-5, "row " + r + " class " + c);
                    best = logits[r][c] > logits[r][best] ? c : best;
                }
                assertEquals(best, scored.get(r).getDouble(2), "row " + r + ": the same prediction");
                // one row at a time may take another kernel (summation order) than a batch
                assertArrayEquals(
                        raw, model.predictRaw((Vector) scored.get(r).get(0)).toArray(), 1e-5);
            }
        }
    }

    @Test
    void badInputIsRefusedWithAMessageSayingWhatToDo() {
        List<Row> rows =
                List.of(RowFactory.create(Vectors.dense(1, 2), 0.0), RowFactory.create(Vectors.dense(1, 2, 3), 1.0));
        StructType schema = new StructType()
                .add("features", new org.apache.spark.ml.linalg.VectorUDT())
                .add("label", DataTypes.DoubleType);
        Dataset<Row> ragged = LocalSpark.session().createDataFrame(rows, schema);
        Exception e = assertThrows(Exception.class, () -> new SparseNetClassifier().fit(ragged));
        assertTrue(messages(e).contains("give every row a vector of the same size"), messages(e));
        assertThrows(IllegalArgumentException.class, () -> new SparseNetClassifier().setOptimizer("rmsprop"));
    }

    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    /** Four features, two well separated classes. */
    private static Dataset<Row> denseBlobs(int n, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double shift = label == 0 ? -1 : 1;
            rows.add(RowFactory.create(
                    Vectors.dense(
                            shift + random.nextGaussian() * 0.3,
                            -shift + random.nextGaussian() * 0.3,
                            random.nextGaussian(),
                            shift * 0.5),
                    (double) label));
        }
        StructType schema = new StructType()
                .add("features", new org.apache.spark.ml.linalg.VectorUDT())
                .add("label", DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema).repartition(2);
    }
}
