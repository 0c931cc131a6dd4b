package org.sparselinear.nn.train;

/**
 * What one pass over a data set measured: the mean loss per sample and, for classification, how
 * many samples the model got right (its largest output is the label) and right within its
 * {@code topK} largest outputs; for regression, the mean squared and mean absolute error per
 * target value. The measures a task does not have, or a pass did not take, are NaN (a training
 * pass measures the loss and the accuracy only).
 *
 * @param classification whether the task is classification (labels), not regression (target vectors)
 * @param loss mean loss per sample (cross-entropy or mean squared error)
 * @param samples samples seen
 * @param correct samples whose largest output is the label (0 for regression)
 * @param topKCorrect samples whose label is among the {@code topK} largest outputs (0 when not measured)
 * @param topK the k of {@link #topKAccuracy()}, 0 when not measured (regression, training passes)
 * @param meanSquaredError mean over samples and target values of the squared error; NaN when not measured
 * @param meanAbsoluteError mean over samples and target values of the absolute error; NaN when not measured
 * @param seconds wall-clock time of the pass
 */
public record Metrics(
        boolean classification,
        double loss,
        long samples,
        long correct,
        long topKCorrect,
        int topK,
        double meanSquaredError,
        double meanAbsoluteError,
        double seconds) {

    /** The fraction of samples classified right, in [0, 1]; NaN for regression or no samples. */
    public double accuracy() {
        return classification && samples > 0 ? (double) correct / samples : Double.NaN;
    }

    /** The fraction of samples whose label is among the {@link #topK()} largest outputs; NaN when not measured. */
    public double topKAccuracy() {
        return topK > 0 && samples > 0 ? (double) topKCorrect / samples : Double.NaN;
    }

    /** Samples per second, or 0 when no time was measured. */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : 0;
    }
}
