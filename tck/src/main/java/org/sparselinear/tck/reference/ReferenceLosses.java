package org.sparselinear.tck.reference;

/**
 * Reference losses and their gradients, in double. Cross-entropy is computed in log space
 * ({@code loss = max + log(sum exp(x - max)) - x[label]}), so it stays finite for logits far
 * apart. As for layer normalisation, magnitudes count the terms a float kernel subtracts: the
 * loss's count {@code |max|} and {@code |x[label]|}, and a probability {@code p = exp(x - max) / sum}
 * is allowed the relative error of an exponent built from {@code |x| + |max|}.
 */
public final class ReferenceLosses {

    /** Softmax probabilities and the mean cross-entropy. */
    public record Softmax(Expected probabilities, Expected loss) {}

    private ReferenceLosses() {}

    public static Softmax softmaxCrossEntropy(HostMatrix logits, int[] labels) {
        int rows = logits.rows();
        int n = logits.columns();
        Expected probabilities = new Expected(rows, n);
        Expected loss = new Expected(1, 1);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < n; c++) {
                max = Math.max(max, logits.get(r, c));
            }
            double sum = 0;
            for (int c = 0; c < n; c++) {
                sum += Math.exp(logits.get(r, c) - max);
            }
            for (int c = 0; c < n; c++) {
                double p = Math.exp(logits.get(r, c) - max) / sum;
                probabilities.add(r * n + c, p, p * (1 + Math.abs(logits.get(r, c)) + Math.abs(max)));
            }
            double label = logits.get(r, labels[r]);
            loss.add(0, (max + Math.log(sum) - label) / rows, (Math.abs(max) + Math.log(sum) + Math.abs(label)) / rows);
        }
        return new Softmax(probabilities, loss);
    }

    /** {@code dLoss * (probabilities - onehot(labels)) / rows}. */
    public static Expected softmaxCrossEntropyBackward(HostMatrix probabilities, int[] labels, float dLoss) {
        int rows = probabilities.rows();
        int n = probabilities.columns();
        Expected dLogits = new Expected(rows, n);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < n; c++) {
                dLogits.add(r * n + c, (double) dLoss * probabilities.get(r, c) / rows);
            }
            dLogits.add(r * n + labels[r], -(double) dLoss / rows);
        }
        return dLogits;
    }

    /** {@code scale * sum (prediction - target)^2}; each term's magnitude is {@code scale * (|p| + |t|)^2}. */
    public static Expected squaredError(HostMatrix prediction, HostMatrix target, float scale) {
        Expected loss = new Expected(1, 1);
        for (int i = 0; i < prediction.values().length; i++) {
            double p = prediction.values()[i];
            double t = target.values()[i];
            double sumOfMagnitudes = Math.abs(p) + Math.abs(t);
            loss.add(0, scale * (p - t) * (p - t), Math.abs(scale) * sumOfMagnitudes * sumOfMagnitudes);
        }
        return loss;
    }

    /** {@code 2 * scale * dLoss * (prediction - target)}. */
    public static Expected squaredErrorBackward(HostMatrix prediction, HostMatrix target, float scale, float dLoss) {
        Expected dPrediction = new Expected(prediction.rows(), prediction.columns());
        double factor = 2.0 * scale * dLoss;
        for (int i = 0; i < prediction.values().length; i++) {
            double p = prediction.values()[i];
            double t = target.values()[i];
            dPrediction.add(i, factor * (p - t), Math.abs(factor) * (Math.abs(p) + Math.abs(t)));
        }
        return dPrediction;
    }
}
