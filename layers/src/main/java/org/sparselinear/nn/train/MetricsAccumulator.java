package org.sparselinear.nn.train;

/** Sums the measures of one pass, batch by batch, into {@link Metrics}. */
final class MetricsAccumulator {

    private final boolean classification;
    private double lossSum;
    private long samples;
    private long correct;
    private long topKCorrect;
    private int topK;
    private double squaredErrors;
    private double absoluteErrors;
    private long targetValues;

    MetricsAccumulator(boolean classification) {
        this.classification = classification;
    }

    /** A batch of {@code size} samples whose mean loss was {@code loss}. */
    void addLoss(float loss, int size) {
        lossSum += (double) loss * size;
        samples += size;
    }

    void addCorrect(long count) {
        correct += count;
    }

    void addTopK(int k, long count) {
        topK = k;
        topKCorrect += count;
    }

    void addErrors(double squared, double absolute, long values) {
        squaredErrors += squared;
        absoluteErrors += absolute;
        targetValues += values;
    }

    /** The mean loss per sample so far, NaN before any sample. */
    double meanLoss() {
        return samples > 0 ? lossSum / samples : Double.NaN;
    }

    long samples() {
        return samples;
    }

    Metrics metrics(double seconds) {
        double mse = targetValues > 0 ? squaredErrors / targetValues : Double.NaN;
        double mae = targetValues > 0 ? absoluteErrors / targetValues : Double.NaN;
        return new Metrics(classification, meanLoss(), samples, correct, topKCorrect, topK, mse, mae, seconds);
    }
}
