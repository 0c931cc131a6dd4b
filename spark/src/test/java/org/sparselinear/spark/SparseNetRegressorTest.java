package org.sparselinear.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparseNetRegressorTest {

    /** y = 2 x0 - x1 + 0.5 x2 on sparse rows of 20 features. */
    private static Dataset<Row> linear(int n, long seed) {
        Random random = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double[] x = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            int[] at = {0, 1, 2, 3 + random.nextInt(17)};
            double noise = random.nextGaussian();
            rows.add(RowFactory.create(
                    Vectors.sparse(20, at, new double[] {x[0], x[1], x[2], noise}), 2 * x[0] - x[1] + 0.5 * x[2]));
        }
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema).repartition(2);
    }

    @Test
    void learnsALinearTargetFromSparseRowsAndSavesAndLoads(@TempDir Path dir) throws IOException {
        Dataset<Row> train = linear(400, 1);
        SparseNetRegressor regressor = new SparseNetRegressor()
                .setHiddenLayers(new int[] {})
                .setSparsity(0.0)
                .setOptimizer("adam")
                .setLearningRate(0.05)
                .setBatchSize(20)
                .setEpochs(10)
                .setLocalSteps(10);
        assertTrue(regressor.explainParams().contains("localSteps"), "Spark finds the shared params");
        SparseNetRegressionModel model = regressor.fit(train);
        Dataset<Row> test = linear(100, 2);
        List<Row> scored = model.transform(test).select("label", "prediction").collectAsList();
        double squared = 0;
        double variance = 0;
        for (Row row : scored) {
            squared += Math.pow(row.getDouble(0) - row.getDouble(1), 2);
            variance += row.getDouble(0) * row.getDouble(0);
        }
        assertTrue(
                squared < 0.01 * variance,
                "mean squared error " + squared / scored.size() + " against a label variance of "
                        + variance / scored.size());

        String saved = dir.resolve("regression").toString();
        model.write().save(saved);
        SparseNetRegressionModel loaded = SparseNetRegressionModel.load(saved);
        assertArrayEquals(model.network(), loaded.network());
        assertEquals(
                scored,
                loaded.transform(test).select("label", "prediction").collectAsList(),
                "the loaded model predicts the same");
    }

    @Test
    void anUnfittedEstimatorSavesAndLoadsWithItsUidAndParams(@TempDir Path dir) throws IOException {
        SparseNetClassifier classifier =
                new SparseNetClassifier().setLocalSteps(7).setRewiring("set").setHiddenLayers(new int[] {30, 20});
        String saved = dir.resolve("estimator").toString();
        classifier.write().save(saved);
        SparseNetClassifier loaded = SparseNetClassifier.load(saved);
        assertEquals(classifier.uid(), loaded.uid());
        assertEquals(7, (int) loaded.getOrDefault(loaded.localSteps()));
        assertEquals("set", loaded.getOrDefault(loaded.rewiring()));
        assertArrayEquals(new int[] {30, 20}, loaded.getOrDefault(loaded.hiddenLayers()));
    }
}
