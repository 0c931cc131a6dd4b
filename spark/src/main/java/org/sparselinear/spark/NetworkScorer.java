package org.sparselinear.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;

/**
 * Scores the rows of one partition in batches: reads the features column, runs the network on
 * {@value #BATCH} rows at a time (sparse vectors as a sparse input, see {@link FeatureRows}) and
 * appends the values {@code columns} makes of each row's output. Rows stream through: one batch is
 * held at a time. The network is closed when the task completes.
 */
final class NetworkScorer {

    /** Rows scored per forward pass. */
    static final int BATCH = 512;

    private NetworkScorer() {}

    /** The network's outputs for {@code features}, one row per vector, in evaluation mode without gradients. */
    static float[][] outputs(Layer network, Backend backend, List<Vector> features, int width) {
        try (GradMode off = GradMode.disable();
                MemoryScope scope = backend.newScope()) {
            float[] flat = backend.download(network.forward(FeatureRows.tensor(backend, features, width))
                    .value());
            int rows = features.size();
            int width2 = flat.length / rows;
            float[][] out = new float[rows][width2];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(flat, r * width2, out[r], 0, width2);
            }
            return out;
        }
    }

    /** The values a model appends to a row, made from the network's output for it. */
    @FunctionalInterface
    interface Columns extends Serializable {
        Object[] of(float[] output);
    }

    /**
     * {@code dataset} with the columns of {@code output} beyond its own filled by {@code columns}:
     * the network ({@code modelFile}) is broadcast once and every partition scored in batches.
     */
    static Dataset<Row> transform(
            Dataset<?> dataset, byte[] modelFile, String featuresCol, int width, StructType output, Columns columns) {
        int featuresIndex = dataset.schema().fieldIndex(featuresCol);
        Broadcast<byte[]> shared = JavaSparkContext.fromSparkContext(
                        dataset.sparkSession().sparkContext())
                .broadcast(modelFile);
        MapPartitionsFunction<Row, Row> score =
                rows -> score(rows, NetworkFiles.load(shared.value()), Backends.get(), featuresIndex, width, columns);
        return dataset.toDF().mapPartitions(score, Encoders.row(output));
    }

    /** The rows of {@code input} with the values {@code columns} derives from each row's output appended. */
    static Iterator<Row> score(
            Iterator<Row> input, Layer network, Backend backend, int featuresIndex, int width, Columns columns) {
        return new Iterator<>() {
            private final List<Row> done = new ArrayList<>();
            private int next;

            @Override
            public boolean hasNext() {
                if (next < done.size()) {
                    return true;
                }
                done.clear();
                next = 0;
                List<Row> batch = new ArrayList<>(BATCH);
                List<Vector> features = new ArrayList<>(BATCH);
                while (batch.size() < BATCH && input.hasNext()) {
                    Row row = input.next();
                    batch.add(row);
                    features.add((Vector) row.get(featuresIndex));
                }
                if (batch.isEmpty()) {
                    return false;
                }
                float[][] outputs = outputs(network, backend, features, width);
                for (int r = 0; r < batch.size(); r++) {
                    Row row = batch.get(r);
                    Object[] added = columns.of(outputs[r]);
                    Object[] values = new Object[row.length() + added.length];
                    for (int c = 0; c < row.length(); c++) {
                        values[c] = row.get(c);
                    }
                    System.arraycopy(added, 0, values, row.length(), added.length);
                    done.add(org.apache.spark.sql.RowFactory.create(values));
                }
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return done.get(next++);
            }
        };
    }
}
