package org.sparselinear.nn.train;

import org.sparselinear.api.Backend;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.nn.loss.MSELoss;

/** Mean squared error against target vectors; measures, in evaluation, MSE and MAE per target value. */
final class RegressionObjective implements Objective {

    private final MSELoss criterion;

    RegressionObjective(MSELoss criterion) {
        this.criterion = criterion;
    }

    @Override
    public Tensor loss(Tensor output, Batch batch, Backend backend) {
        if (batch.hasLabels()) {
            throw new IllegalArgumentException("the trainer's loss is " + criterion + ", which needs target vectors, "
                    + "but the data set has class labels; use CrossEntropyLoss, or a data set made with targets "
                    + "(Dataset.of(features, targets))");
        }
        return criterion.forward(output, batch.targets(backend));
    }

    @Override
    public void measure(Tensor output, Batch batch, Backend backend, MetricsAccumulator into, boolean evaluation) {
        if (!evaluation) {
            return;
        }
        float[] predicted = output.toArray();
        float[] targets = batch.targets();
        double squared = 0;
        double absolute = 0;
        for (int i = 0; i < targets.length; i++) {
            double error = (double) predicted[i] - targets[i];
            squared += error * error;
            absolute += Math.abs(error);
        }
        into.addErrors(squared, absolute, targets.length);
    }

    @Override
    public boolean classification() {
        return false;
    }

    @Override
    public String lossName() {
        return criterion.toString();
    }
}
