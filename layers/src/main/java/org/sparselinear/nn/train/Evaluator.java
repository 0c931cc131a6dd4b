package org.sparselinear.nn.train;

import java.util.Objects;
import java.util.function.LongSupplier;
import org.sparselinear.api.Backend;
import org.sparselinear.api.GradMode;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.loss.MSELoss;

/**
 * Measures a model on a data set in evaluation mode with gradients off ({@link Metrics}: loss,
 * accuracy and top-k accuracy for classification; loss, MSE and MAE for regression), batch by
 * batch, each batch in its own {@link MemoryScope}. A saved model needs no optimizer to be measured:
 * <pre>{@code
 * Metrics metrics = Evaluator.of(ModelFile.load(path), new CrossEntropyLoss()).evaluate(test);
 * }</pre>
 * Leaves the model in evaluation mode. Immutable; the {@code with} methods return a copy.
 */
public final class Evaluator {

    private final Layer model;
    private final Objective objective;
    private final Backend backend;
    private final int batchSize;
    private final LongSupplier nanoClock;

    Evaluator(Layer model, Objective objective, Backend backend, int batchSize, LongSupplier nanoClock) {
        this.model = Objects.requireNonNull(model, "model");
        this.objective = objective;
        this.backend = Objects.requireNonNull(backend, "backend");
        if (batchSize < 1) {
            throw new IllegalArgumentException("the evaluation batch size must be positive, got " + batchSize);
        }
        this.batchSize = batchSize;
        this.nanoClock = Objects.requireNonNull(nanoClock, "clock");
    }

    /** Classification measures (cross-entropy, accuracy, top-5 accuracy) in batches of 256. */
    public static Evaluator of(Layer model, CrossEntropyLoss loss) {
        return new Evaluator(
                model,
                new ClassificationObjective(Objects.requireNonNull(loss, "loss"), 5),
                Trainer.backendOf(model),
                256,
                System::nanoTime);
    }

    /** Regression measures (squared error, MSE, MAE) in batches of 256. */
    public static Evaluator of(Layer model, MSELoss loss) {
        return new Evaluator(
                model,
                new RegressionObjective(Objects.requireNonNull(loss, "loss")),
                Trainer.backendOf(model),
                256,
                System::nanoTime);
    }

    /** The same in batches of {@code batchSize} (speed only: the measures do not depend on it beyond rounding). */
    public Evaluator withBatchSize(int batchSize) {
        return new Evaluator(model, objective, backend, batchSize, nanoClock);
    }

    /** The same with top-{@code k} accuracy (classification). */
    public Evaluator withTopK(int k) {
        if (!(objective instanceof ClassificationObjective classification)) {
            throw new IllegalArgumentException("top-k accuracy is a classification measure; this evaluator measures "
                    + "a regression (" + objective.lossName() + ")");
        }
        return new Evaluator(model, classification.withTopK(k), backend, batchSize, nanoClock);
    }

    /** The same timed with {@code nanoClock}, a monotonic clock in nanoseconds. */
    public Evaluator withClock(LongSupplier nanoClock) {
        return new Evaluator(model, objective, backend, batchSize, nanoClock);
    }

    /** The model's measures on {@code data}. */
    @SuppressWarnings("try") // the scopes are used for what they free on close
    public Metrics evaluate(Dataset data) {
        Objects.requireNonNull(data, "data");
        model.eval();
        MetricsAccumulator sums = new MetricsAccumulator(objective.classification());
        long start = nanoClock.getAsLong();
        try (GradMode off = GradMode.disable()) {
            for (Batch batch : new DataLoader(data, batchSize, false, 0L, false)) {
                try (MemoryScope scope = backend.newScope()) {
                    Tensor output = model.forward(batch.features(backend));
                    float loss = objective.loss(output, batch, backend).item();
                    objective.measure(output, batch, backend, sums, true);
                    sums.addLoss(loss, batch.size());
                }
            }
        }
        return sums.metrics((nanoClock.getAsLong() - start) / 1e9);
    }
}
