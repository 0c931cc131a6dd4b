package org.sparselinear.examples;

import org.sparselinear.nn.train.Metrics;

/**
 * What one pass over a data set measured.
 *
 * @param loss mean cross-entropy per sample
 * @param accuracy percentage of samples whose largest logit is the label, 0 to 100
 * @param samples number of samples seen
 * @param seconds wall-clock time of the pass
 */
public record PhaseStats(double loss, double accuracy, long samples, double seconds) {

    /** A pass the layers' trainer measured: its accuracy as a percentage. */
    static PhaseStats of(Metrics metrics) {
        return new PhaseStats(
                metrics.loss(), 100.0 * metrics.correct() / metrics.samples(), metrics.samples(), metrics.seconds());
    }

    /** Samples per second, or 0 when no time was measured. */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : 0;
    }
}
