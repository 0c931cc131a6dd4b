package org.sparselinear.benchmarks;

import java.util.SplittableRandom;
import org.sparselinear.api.Connectivity;
import org.sparselinear.tck.reference.Patterns;

/**
 * A seeded synthetic batch shaped like TF-IDF rows of short texts: each row holds
 * {@code rowSize} distinct features drawn with Zipf frequencies ({@link Patterns#zipfRows}: a few
 * features appear in most rows, most in none), with positive values scaled to unit length per
 * row, as TF-IDF vectors are.
 */
record TextBatch(Connectivity rows, float[] values) {

    static TextBatch generate(int batch, int features, int rowSize, long seed) {
        Connectivity rows = Patterns.zipfRows(batch, features, rowSize, seed);
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[rows.nnz()];
        for (int b = 0; b < batch; b++) {
            double squares = 0;
            for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                values[k] = (float) (0.1 + random.nextDouble());
                squares += values[k] * values[k];
            }
            for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                values[k] /= (float) Math.sqrt(squares);
            }
        }
        return new TextBatch(rows, values);
    }

    /** The batch as a dense row-major {@code (batch, features)} array: what a densifying loader would feed. */
    float[] densified() {
        float[] dense = new float[rows.rows() * rows.columns()];
        for (int b = 0; b < rows.rows(); b++) {
            for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                dense[b * rows.columns() + rows.column(k)] = values[k];
            }
        }
        return dense;
    }
}
