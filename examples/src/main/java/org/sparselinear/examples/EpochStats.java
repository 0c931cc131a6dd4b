package org.sparselinear.examples;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import org.sparselinear.nn.train.EpochMetrics;

/**
 * One epoch: a training pass and the evaluation that follows it.
 *
 * @param epoch 1-based epoch number
 * @param train the training pass (loss and accuracy measured on the fly, in training mode)
 * @param test the evaluation on the whole test set, in evaluation mode without gradients
 */
public record EpochStats(int epoch, PhaseStats train, PhaseStats test) {

    /** Prints each epoch to {@code out} as {@link #format(int)} of {@code epochs}, flushed at once. */
    static Consumer<EpochStats> printer(PrintWriter out, int epochs) {
        return stats -> {
            out.println(stats.format(epochs));
            out.flush();
        };
    }

    /** The epoch as the layers' trainer measured it; the run must have a validation (test) set. */
    static EpochStats of(EpochMetrics metrics) {
        return new EpochStats(metrics.epoch(), PhaseStats.of(metrics.train()), PhaseStats.of(metrics.validation()));
    }

    /** One line for the console. */
    public String format(int epochs) {
        return String.format(
                Locale.ROOT,
                "epoch %d/%d  train loss %s acc %6.2f %%  test loss %s acc %6.2f %%  %.1f s (+%.1f s test)",
                epoch,
                epochs,
                loss(train.loss()),
                train.accuracy(),
                loss(test.loss()),
                test.accuracy(),
                train.seconds(),
                test.seconds());
    }

    /** Four decimals, or four significant digits for a loss too large for that to read well. */
    static String loss(double value) {
        return String.format(Locale.ROOT, Math.abs(value) < 1e4 ? "%.4f" : "%.4g", value);
    }

    /**
     * The epoch {@link #toJson()} wrote, read back (as parsed by {@code JsonCodec}; a NaN or
     * infinite value, written as null, reads as NaN).
     *
     * @throws IllegalArgumentException naming the first field that is missing or has the wrong type
     */
    public static EpochStats fromJson(Map<?, ?> json) {
        if (!(json.get("epoch") instanceof Long epoch) || epoch < 1 || epoch > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "epoch field \"epoch\": expected a positive integer, got " + json.get("epoch"));
        }
        return new EpochStats((int) (long) epoch, phase(json, "train"), phase(json, "test"));
    }

    private static PhaseStats phase(Map<?, ?> json, String prefix) {
        if (!(json.get(prefix + "_samples") instanceof Long samples) || samples < 0) {
            throw new IllegalArgumentException(
                    "epoch field \"" + prefix + "_samples\": expected a count, got " + json.get(prefix + "_samples"));
        }
        return new PhaseStats(
                real(json, prefix + "_loss"),
                real(json, prefix + "_accuracy"),
                samples,
                real(json, prefix + "_seconds"));
    }

    private static double real(Map<?, ?> json, String key) {
        Object value = json.get(key);
        if (value == null && json.containsKey(key)) {
            return Double.NaN;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("epoch field \"" + key + "\": expected a number, got " + value);
        }
        return number.doubleValue();
    }

    /** The fields of a run record's epoch entry. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("epoch", epoch);
        json.put("train_loss", train.loss());
        json.put("train_accuracy", train.accuracy());
        json.put("train_samples", train.samples());
        json.put("train_seconds", train.seconds());
        json.put("test_loss", test.loss());
        json.put("test_accuracy", test.accuracy());
        json.put("test_samples", test.samples());
        json.put("test_seconds", test.seconds());
        return json;
    }
}
