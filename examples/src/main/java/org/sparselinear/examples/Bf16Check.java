package org.sparselinear.examples;

import java.util.Locale;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.train.Evaluator;
import org.sparselinear.nn.train.Metrics;

/**
 * The {@code --bf16} check of {@code demo} and {@code evaluate}: a model's test accuracy and loss
 * beside those of a copy compressed for inference ({@link Sequential#compressForInference()}:
 * sparse weights in bfloat16), so that the cost of the rounding is seen in one line.
 */
final class Bf16Check {

    private Bf16Check() {}

    /**
     * One line comparing {@code model} (left as it is) with its bfloat16 copy on {@code data}, or
     * saying why there is nothing to compare: the model has no sparse layer to compress, or one sits
     * in a container that cannot swap it.
     */
    static String compare(Layer model, Dataset data, Backend backend) {
        Layer compressed;
        try {
            compressed = compressedCopy(model, backend);
        } catch (UnsupportedOperationException e) {
            return "bfloat16: not compared: " + e.getMessage() + System.lineSeparator();
        }
        if (!hasSparseLayer(model)) {
            compressed.close();
            return "bfloat16: nothing to compare, the model has no SparseLinear layer (dense layers stay float32)"
                    + System.lineSeparator();
        }
        Metrics float32 = evaluate(model, data);
        try (compressed) {
            Metrics bf16 = evaluate(compressed, data);
            return String.format(
                    Locale.ROOT,
                    "bfloat16 sparse weights (%s): accuracy %.2f %% against %.2f %% in float32 (%+.2f points), "
                            + "loss %.4f against %.4f%n",
                    backend.storesBf16()
                            ? "16 bits each"
                            : "rounded but kept in float32: backend " + backend.name() + " has no bfloat16 kernel",
                    100 * bf16.accuracy(),
                    100 * float32.accuracy(),
                    100 * (bf16.accuracy() - float32.accuracy()),
                    bf16.loss(),
                    float32.loss());
        }
    }

    private static Metrics evaluate(Layer model, Dataset data) {
        return Evaluator.of(model, new CrossEntropyLoss())
                .withBatchSize(MnistRun.TEST_BATCH)
                .evaluate(data);
    }

    /** Whether {@code model} is, or holds in nested {@code Sequential}s, a {@code SparseLinear}. */
    private static boolean hasSparseLayer(Layer model) {
        if (model instanceof Sequential sequential) {
            return sequential.layers().stream().anyMatch(Bf16Check::hasSparseLayer);
        }
        return model instanceof SparseLinear;
    }

    private static Layer compressedCopy(Layer model, Backend backend) {
        if (model instanceof Sequential sequential) {
            Sequential copy = sequential.to(backend);
            try {
                return copy.compressForInference();
            } catch (UnsupportedOperationException e) {
                copy.close();
                throw e;
            }
        }
        if (model instanceof SparseLinear sparse) {
            return sparse.compressForInference();
        }
        throw new UsageException("--bf16 compresses a Sequential model or a single SparseLinear layer; this model is a "
                + model.getClass().getSimpleName());
    }
}
