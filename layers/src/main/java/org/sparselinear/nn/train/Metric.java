package org.sparselinear.nn.train;

/** A measure of {@link Metrics} to watch (early stopping), with the direction in which it improves. */
public enum Metric {
    /** Mean loss per sample; lower is better. */
    LOSS(false),
    /** Fraction classified right; higher is better. */
    ACCURACY(true),
    /** Fraction with the label among the top k outputs; higher is better. */
    TOP_K_ACCURACY(true),
    /** Mean squared error (regression); lower is better. */
    MSE(false),
    /** Mean absolute error (regression); lower is better. */
    MAE(false);

    private final boolean higherIsBetter;

    Metric(boolean higherIsBetter) {
        this.higherIsBetter = higherIsBetter;
    }

    /** Whether a larger value is an improvement (the natural mode of this metric). */
    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * This measure in {@code metrics}.
     *
     * @throws IllegalArgumentException when {@code metrics} does not have it (accuracy of a
     *         regression, MSE of a classification, top-k accuracy not measured)
     */
    public double of(Metrics metrics) {
        double value =
                switch (this) {
                    case LOSS -> metrics.loss();
                    case ACCURACY -> metrics.accuracy();
                    case TOP_K_ACCURACY -> metrics.topKAccuracy();
                    case MSE -> metrics.meanSquaredError();
                    case MAE -> metrics.meanAbsoluteError();
                };
        if (this != LOSS && Double.isNaN(value) && metrics.samples() > 0) {
            throw new IllegalArgumentException("the metric " + this + " is not measured for this "
                    + (metrics.classification() ? "classification" : "regression")
                    + " pass; watch "
                    + (metrics.classification() ? "LOSS, ACCURACY or TOP_K_ACCURACY" : "LOSS, MSE or MAE"));
        }
        return value;
    }
}
