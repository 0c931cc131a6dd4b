package org.sparselinear.spark;

import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** The fit the SparseNet estimators share: reads the columns, sizes the network, trains by parameter averaging. */
final class SparseNetFit {

    private SparseNetFit() {}

    /**
     * Trains on {@code dataset}'s features and label columns for {@code objective} with
     * {@code stage}'s params; appends each round's cost to {@code rounds}; returns the model-file bytes.
     */
    static byte[] fit(
            SparseNetParams<?> stage,
            Dataset<?> dataset,
            String featuresCol,
            String labelCol,
            Objective objective,
            List<RoundReport> rounds) {
        Dataset<Row> rows = dataset.select(
                functions.col(featuresCol), functions.col(labelCol).cast("double"));
        List<Row> first = rows.takeAsList(1);
        if (first.isEmpty()) {
            throw new IllegalArgumentException("the training data set is empty");
        }
        int width = ((Vector) first.get(0).get(0)).size();
        SparseNetParamSet params = stage.sparseNetParams();
        return new ParameterAveraging(
                        params.network(stage, width, objective.outputs()),
                        params.training(stage),
                        objective,
                        params.checkpoint(stage),
                        rounds::add)
                .fit(rows.toJavaRDD());
    }
}
