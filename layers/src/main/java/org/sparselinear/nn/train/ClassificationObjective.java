package org.sparselinear.nn.train;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.nn.loss.CrossEntropyLoss;

/** Cross-entropy against class labels; measures accuracy and, in evaluation, top-k accuracy. */
final class ClassificationObjective implements Objective {

    private final CrossEntropyLoss criterion;
    private final int topK;

    ClassificationObjective(CrossEntropyLoss criterion, int topK) {
        if (topK < 1) {
            throw new IllegalArgumentException("the k of top-k accuracy must be positive, got " + topK);
        }
        this.criterion = criterion;
        this.topK = topK;
    }

    /** The same with top-{@code k} accuracy. */
    ClassificationObjective withTopK(int k) {
        return new ClassificationObjective(criterion, k);
    }

    @Override
    public Tensor loss(Tensor output, Batch batch, Backend backend) {
        return criterion.forward(output, Batches.labels(batch, "cross-entropy"));
    }

    @Override
    public void measure(Tensor output, Batch batch, Backend backend, MetricsAccumulator into, boolean evaluation) {
        int[] labels = batch.labels();
        int[] predicted = backend.argmaxRows(output.value());
        long correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        into.addCorrect(correct);
        if (evaluation) {
            into.addTopK(topK, countInTopK(output.toArray(), output.columns(), labels));
        }
    }

    /** Samples whose label's output has fewer than {@code topK} outputs strictly larger than it. */
    private long countInTopK(float[] outputs, int classes, int[] labels) {
        long inTopK = 0;
        for (int i = 0; i < labels.length; i++) {
            float own = outputs[i * classes + labels[i]];
            int larger = 0;
            for (int c = 0; c < classes; c++) {
                if (outputs[i * classes + c] > own) {
                    larger++;
                }
            }
            if (larger < topK) {
                inTopK++;
            }
        }
        return inTopK;
    }

    @Override
    public boolean classification() {
        return true;
    }

    @Override
    public String lossName() {
        return criterion.toString();
    }
}
