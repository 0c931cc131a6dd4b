package org.sparselinear.nn.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.Divergence;
import org.sparselinear.nn.GradualMagnitudePruning;
import org.sparselinear.nn.PruningSchedule;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.GradientClipping;
import org.sparselinear.nn.optim.LearningRateSchedule;
import org.sparselinear.nn.optim.LearningRateScheduler;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Trains, evaluates and runs a model without a hand-written loop:
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new SGD(model.parameters(), 0.1, 0.9), new CrossEntropyLoss())
 *         .epochs(10).batchSize(64).shuffleSeed(0)
 *         .validation(test)
 *         .listeners(new ProgressBarListener(), EarlyStopping.on(Metric.ACCURACY).patience(2))
 *         .build();
 * List<EpochMetrics> history = trainer.fit(train);
 * Metrics metrics = trainer.evaluate(test);          // loss, accuracy, top-5 accuracy
 * float[] logits = trainer.predict(sample);
 * }</pre>
 *
 * <p>Each epoch {@code e} visits the batches of a {@link DataLoader} over the training set with
 * seeded shuffling ({@code loader.epoch(e)}, a function of the seed and {@code e} only); each step
 * runs forward, loss, backward, optional gradient clipping, the optimizer's step and the optional
 * learning-rate schedule, inside its own {@link MemoryScope}. Then the validation set is evaluated
 * (evaluation mode, gradients off), the layers' after-epoch hooks run ({@link TrainingHooks}: SET
 * rewires, K-Winners decays its boost) and the listeners see the epoch. Before the first epoch the
 * layers learn the run's planned steps ({@link TrainingHooks#beforeTraining}), from which a RigL
 * layer built without a horizon takes its own. The loss is checked every step: a NaN or infinite
 * loss stops training with a {@link org.sparselinear.nn.TrainingDivergedException} naming the step
 * and the first layer whose output was not finite.
 *
 * <p>Resuming: a run built with {@link Builder#resumeFrom(Checkpoint)} (a checkpoint that
 * {@link CheckpointListener} or {@link Checkpoint#save} wrote at the end of an epoch) continues with
 * the next epoch and ends with the same weights, to the bit, as the run that was not interrupted.
 *
 * <p>Pruning: a trainer built with {@link Builder#pruning(PruningSchedule)} prunes the model
 * gradually while it trains ({@link GradualMagnitudePruning}, Zhu and Gupta 2017): after every
 * optimizer step (and the schedule's step) it counts the step on the pruning schedule, and at its
 * pruning steps replaces the model's {@code Linear} and {@code SparseLinear} layers by sparser
 * {@code SparseLinear} ones. That rebuilds the optimizer over the new parameters and closes the old
 * one, so the builder's optimizer is closed after the first pruning step: {@link #optimizer()} is
 * the one in use (the one the learning-rate schedule, gradient clipping, listeners and checkpoints
 * follow), and the caller closes it when done. The schedule's steps are the run's optimizer steps,
 * counted as {@link #step()} counts them; a run resumed from a checkpoint written mid-schedule
 * continues it bit for bit, given the model and optimizer built from that checkpoint
 * ({@link Checkpoint#buildModel}, {@link Checkpoint#buildOptimizer}: their layers are the pruned
 * ones) and the same schedule.
 *
 * <p>Classification ({@link CrossEntropyLoss}) needs a data set with class labels; regression
 * ({@link MSELoss}) one with target vectors; both may have dense or sparse features. A trainer is
 * used from one thread; its {@link #predictor()} may then serve several.
 */
public final class Trainer {

    private final Layer model;
    private Optimizer optimizer;
    private final Objective objective;
    private final Evaluator evaluator;
    private final Backend backend;
    private final int epochs;
    private final int batchSize;
    private final int evaluationBatchSize;
    private final long shuffleSeed;
    private final boolean dropLast;
    private final Dataset validation;
    private final List<TrainingListener> listeners;
    private final LearningRateSchedule schedule;
    private LearningRateScheduler scheduler;
    private final GradualMagnitudePruning pruning;
    private final double clipNorm;
    private final LongSupplier nanoClock;
    private int completedEpochs;
    private long step;

    private final boolean resumed;

    private Trainer(Builder b, TrainingProgress resumed) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.objective = b.objective();
        this.backend = b.backend != null ? b.backend : backendOf(b.model);
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.evaluationBatchSize = b.evaluationBatchSize;
        this.shuffleSeed = resumed != null ? resumed.shuffleSeed() : b.shuffleSeed;
        this.dropLast = b.dropLast;
        this.validation = b.validation;
        this.listeners = List.copyOf(b.listeners);
        this.clipNorm = b.clipNorm;
        this.nanoClock = b.nanoClock;
        this.resumed = resumed != null;
        this.completedEpochs = resumed != null ? resumed.completedEpochs() : 0;
        this.step = resumed != null ? resumed.step() : 0;
        this.evaluator = new Evaluator(model, objective, backend, evaluationBatchSize, nanoClock);
        this.schedule = b.schedule;
        this.scheduler = schedule != null ? new LearningRateScheduler(optimizer, schedule, step) : null;
        this.pruning = b.pruning != null ? new GradualMagnitudePruning(b.pruning, step) : null;
    }

    /** A builder for training {@code model} with {@code optimizer} to minimise cross-entropy (classification). */
    public static Builder builder(Layer model, Optimizer optimizer, CrossEntropyLoss loss) {
        return new Builder(model, optimizer, Objects.requireNonNull(loss, "loss"), null);
    }

    /** A builder for training {@code model} with {@code optimizer} to minimise the squared error (regression). */
    public static Builder builder(Layer model, Optimizer optimizer, MSELoss loss) {
        return new Builder(model, optimizer, null, Objects.requireNonNull(loss, "loss"));
    }

    /** The backend of the model's first parameter, or the default backend for a model without parameters. */
    static Backend backendOf(Layer model) {
        List<Parameter> parameters = model.parameters();
        return parameters.isEmpty() ? Backends.get() : parameters.get(0).backend();
    }

    /** The model. */
    public Layer model() {
        return model;
    }

    /**
     * The optimizer training the model now: the builder's, until a pruning step replaces it (and
     * closes it) by one over the pruned layers' parameters. The caller closes it after training.
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The gradual pruning the trainer runs, if it was built with {@link Builder#pruning}: its sparsity now. */
    public Optional<GradualMagnitudePruning> pruning() {
        return Optional.ofNullable(pruning);
    }

    /** Optimizer steps taken so far (counting those before a resume). */
    public long step() {
        return step;
    }

    /** Epochs completed so far (counting those before a resume). */
    public int completedEpochs() {
        return completedEpochs;
    }

    /**
     * Trains the epochs not done yet on {@code train}, batched by {@link Builder#batchSize} with
     * the builder's shuffling seed; returns the epochs trained by this call.
     */
    public List<EpochMetrics> fit(Dataset train) {
        Objects.requireNonNull(train, "train");
        return fit(new DataLoader(train, batchSize, true, shuffleSeed, dropLast));
    }

    /**
     * Trains the epochs not done yet on the batches of {@code loader} (epoch {@code e} visits
     * {@code loader.epoch(e)}); returns the epochs trained by this call. When a listener stops
     * the run before its pruning schedule's end step, the model has not reached the final sparsity:
     * that is logged as a warning ({@link GradualMagnitudePruning#close()}).
     *
     * @throws IllegalArgumentException when the loader's seed is not the checkpoint's a resumed run
     *         continues, or the pruning schedule ends after the run's last step
     */
    public List<EpochMetrics> fit(DataLoader loader) {
        Objects.requireNonNull(loader, "loader");
        if (resumed && loader.shuffles() && loader.seed() != shuffleSeed) {
            throw new IllegalArgumentException("the run resumes a checkpoint whose shuffling seed is " + shuffleSeed
                    + " but the loader's is " + loader.seed() + "; build the loader with the saved seed");
        }
        if (loader.size() == 0) {
            throw new IllegalArgumentException("the training loader has no batch ("
                    + loader.dataset().size()
                    + " samples, batch size " + loader.batchSize() + ", last partial batch dropped); use a smaller "
                    + "batch size or keep the last batch");
        }
        long plannedSteps = (long) epochs * loader.size();
        requirePruningEndsBy(plannedSteps, loader.size());
        TrainingHooks.beforeTraining(model, plannedSteps);
        Run run = new Run(loader.seed());
        listeners.forEach(listener -> listener.onTrainingStart(run));
        for (int epoch = completedEpochs + 1; epoch <= epochs && run.stopReason == null; epoch++) {
            for (TrainingListener listener : listeners) {
                listener.onEpochStart(run, epoch, loader.size());
            }
            Metrics trained = trainEpoch(loader.epoch(epoch), epoch, loader.size(), run);
            Metrics validated = validation != null ? evaluate(validation) : null;
            EpochMetrics metrics = new EpochMetrics(epoch, epochs, step, trained, validated);
            for (TrainingListener listener : listeners) {
                listener.onEpochEvaluated(run, metrics);
            }
            TrainingHooks.afterEpoch(model);
            completedEpochs = epoch;
            run.history.add(metrics);
            for (TrainingListener listener : listeners) {
                listener.onEpochEnd(run, metrics);
            }
        }
        List<EpochMetrics> history = List.copyOf(run.history);
        for (TrainingListener listener : listeners) {
            listener.onTrainingEnd(run, history);
        }
        if (pruning != null) {
            pruning.close();
        }
        return history;
    }

    /** Fails before training when the pruning schedule would not reach its final sparsity in the run's steps. */
    private void requirePruningEndsBy(long plannedSteps, int batches) {
        if (pruning != null && pruning.schedule().endStep() > plannedSteps) {
            throw new IllegalArgumentException("the pruning schedule ends at step "
                    + pruning.schedule().endStep() + " but the run takes " + plannedSteps + " optimizer steps ("
                    + epochs + " epochs of " + batches + " batches), so the model would not reach sparsity "
                    + pruning.schedule().finalSparsity() + "; end the schedule by step " + plannedSteps
                    + " or train more epochs");
        }
    }

    @SuppressWarnings("try") // the scope is used for what it frees on close
    private Metrics trainEpoch(Iterable<Batch> batches, int epoch, int count, Run run) {
        model.train();
        MetricsAccumulator sums = new MetricsAccumulator(objective.classification());
        long start = nanoClock.getAsLong();
        int index = 0;
        for (Batch batch : batches) {
            step++;
            index++;
            float loss;
            try (MemoryScope scope = backend.newScope()) {
                Tensor input = batch.features(backend);
                Tensor output = model.forward(input);
                Tensor lossTensor = objective.loss(output, batch, backend);
                loss = lossTensor.item();
                Divergence.check(loss, step, model, input);
                objective.measure(output, batch, backend, sums, false);
                optimizer.zeroGrad();
                lossTensor.backward();
                if (clipNorm > 0) {
                    GradientClipping.clipByGlobalNorm(optimizer.parameters(), clipNorm);
                }
                optimizer.step();
                // nothing after a step the optimizer reported; drives the layers of an optimizer that does not
                TrainingHooks.afterStep(model);
            }
            if (scheduler != null) {
                scheduler.step();
            }
            if (pruning != null) {
                prune();
            }
            sums.addLoss(loss, batch.size());
            StepResult result = new StepResult(epoch, index, count, step, loss, batch.size());
            for (TrainingListener listener : listeners) {
                listener.onStep(run, result);
            }
        }
        return sums.metrics((nanoClock.getAsLong() - start) / 1e9);
    }

    /**
     * Counts the step on the pruning schedule, outside the step's memory scope (the pruned layers
     * outlive it); when it pruned, goes on with the optimizer over the new parameters.
     */
    private void prune() {
        Optimizer next = pruning.step((Sequential) model, optimizer);
        if (next != optimizer) {
            optimizer = next;
            if (scheduler != null) {
                scheduler = new LearningRateScheduler(optimizer, schedule, step);
            }
        }
    }

    /**
     * The model's measures on {@code data} in evaluation mode with gradients off, in batches of
     * {@link Builder#evaluationBatchSize}: loss, accuracy and top-k accuracy for classification,
     * loss, MSE and MAE for regression. Leaves the model in evaluation mode.
     */
    public Metrics evaluate(Dataset data) {
        return evaluator.evaluate(data);
    }

    /** A predictor of the model (in evaluation mode from now on), which several threads may call at once. */
    public Predictor predictor() {
        return new Predictor(model, backend, evaluationBatchSize);
    }

    /** The model's outputs for one dense sample; see {@link Predictor#predict(float[])}. */
    public float[] predict(float[] features) {
        return predictor().predict(features);
    }

    /** The model's outputs for one sparse row; see {@link Predictor#predictSparse(int[], float[])}. */
    public float[] predictSparse(int[] indices, float[] values) {
        return predictor().predictSparse(indices, values);
    }

    /** The model's outputs for a batch of dense samples, one row each. */
    public float[][] predict(float[][] samples) {
        return predictor().predict(samples);
    }

    /** The model's outputs for every sample of {@code data}, in order. */
    public float[][] predict(Dataset data) {
        return predictor().predict(data);
    }

    /** The run as listeners see it. */
    private final class Run implements TrainingRun {

        private final long seed;
        private final List<EpochMetrics> history = new ArrayList<>();
        private String stopReason;

        Run(long seed) {
            this.seed = seed;
        }

        @Override
        public Layer model() {
            return model;
        }

        @Override
        public Optimizer optimizer() {
            return optimizer;
        }

        @Override
        public Optional<GradualMagnitudePruning> pruning() {
            return Trainer.this.pruning();
        }

        @Override
        public int epochs() {
            return epochs;
        }

        @Override
        public int completedEpochs() {
            return completedEpochs;
        }

        @Override
        public long step() {
            return step;
        }

        @Override
        public TrainingProgress progress() {
            return TrainingProgress.afterEpoch(completedEpochs, step, seed);
        }

        @Override
        public boolean hasValidation() {
            return validation != null;
        }

        @Override
        public long nanoTime() {
            return nanoClock.getAsLong();
        }

        @Override
        public List<EpochMetrics> history() {
            return List.copyOf(history);
        }

        @Override
        public void requestStop(String reason) {
            if (stopReason == null) {
                stopReason = Objects.requireNonNull(reason, "reason");
            }
        }

        @Override
        public String stopReason() {
            return stopReason;
        }
    }

    /** The settings of a {@link Trainer}; every one but the model, optimizer and loss has a default. */
    public static final class Builder {

        private final Layer model;
        private final Optimizer optimizer;
        private final CrossEntropyLoss crossEntropy;
        private final MSELoss squaredError;
        private Backend backend;
        private int epochs = 1;
        private int batchSize = 32;
        private int evaluationBatchSize = 256;
        private long shuffleSeed;
        private boolean dropLast;
        private int topK = 5;
        private Dataset validation;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LearningRateSchedule schedule;
        private PruningSchedule pruning;
        private double clipNorm;
        private LongSupplier nanoClock = System::nanoTime;
        private TrainingProgress resumeFrom;

        private Builder(Layer model, Optimizer optimizer, CrossEntropyLoss crossEntropy, MSELoss squaredError) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.crossEntropy = crossEntropy;
            this.squaredError = squaredError;
        }

        private Objective objective() {
            return crossEntropy != null
                    ? new ClassificationObjective(crossEntropy, topK)
                    : new RegressionObjective(squaredError);
        }

        /** The epochs to train in all (counting those of a checkpoint resumed from); default 1. */
        public Builder epochs(int epochs) {
            this.epochs = positive(epochs, "epochs");
            return this;
        }

        /** Samples per training batch; default 32. */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive(batchSize, "batch size");
            return this;
        }

        /** Samples per batch in evaluation and prediction (no effect on the results but speed); default 256. */
        public Builder evaluationBatchSize(int evaluationBatchSize) {
            this.evaluationBatchSize = positive(evaluationBatchSize, "evaluation batch size");
            return this;
        }

        /** The seed of the training batches' shuffling; default 0. */
        public Builder shuffleSeed(long shuffleSeed) {
            this.shuffleSeed = shuffleSeed;
            return this;
        }

        /** Whether the last, partial batch of an epoch is left out; default false. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The k of the top-k accuracy {@link #evaluate} reports for classification; default 5. */
        public Builder topK(int topK) {
            this.topK = positive(topK, "top-k");
            return this;
        }

        /** A data set evaluated after every epoch (the metrics early stopping watches); none by default. */
        public Builder validation(Dataset validation) {
            this.validation = Objects.requireNonNull(validation, "validation");
            return this;
        }

        /** Listeners of the run, called in this order (added to those given before). */
        public Builder listeners(TrainingListener... listeners) {
            for (TrainingListener listener : listeners) {
                this.listeners.add(Objects.requireNonNull(listener, "listener"));
            }
            return this;
        }

        /** A learning-rate schedule the trainer steps after every optimizer step; none by default. */
        public Builder learningRateSchedule(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * Prunes the model gradually while it trains, by {@code schedule} (Zhu and Gupta's cubic
         * schedule, {@link GradualMagnitudePruning}), whose steps are the run's optimizer steps
         * counted from 1 at the run's first step (a resumed run goes on counting from its
         * checkpoint's step). The schedule must end by the run's last step; the optimizer is
         * replaced at each pruning step ({@link Trainer#optimizer()}). No pruning by default.
         *
         * @throws IllegalArgumentException at {@link #build()} when the model is not a {@link Sequential}
         */
        public Builder pruning(PruningSchedule schedule) {
            this.pruning = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * Clips the gradients to a global norm of at most {@code maxNorm} before every step
         * ({@link GradientClipping#clipByGlobalNorm}); off by default.
         */
        public Builder clipGradientNorm(double maxNorm) {
            if (!(maxNorm > 0 && Double.isFinite(maxNorm))) {
                throw new IllegalArgumentException(
                        "the gradient norm limit must be finite and positive, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /** Where batches are uploaded; by default the backend of the model's parameters. */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** The monotonic clock, in nanoseconds, that times the passes; default {@link System#nanoTime()}. */
        public Builder clock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "clock");
            return this;
        }

        /**
         * Continues a run from {@code checkpoint}, saved at the end of an epoch: restores the
         * model's and the optimizer's state now, and the trainer starts at the next epoch, with the
         * checkpoint's shuffling seed and step count (and so the schedule's position).
         *
         * @throws IllegalArgumentException when the checkpoint was saved mid-epoch
         * @throws ModelFileException when the checkpoint does not fit the model or the optimizer
         *         (nothing is changed then)
         */
        public Builder resumeFrom(Checkpoint checkpoint) throws ModelFileException {
            TrainingProgress progress =
                    Objects.requireNonNull(checkpoint, "checkpoint").progress();
            if (progress.batchesIntoEpoch() != 0) {
                throw new IllegalArgumentException("the checkpoint was saved " + progress.batchesIntoEpoch()
                        + " batches into epoch " + (progress.completedEpochs() + 1)
                        + "; the trainer resumes from the end of an epoch only");
            }
            checkpoint.restore(model, optimizer);
            return resumeAt(progress);
        }

        /**
         * Continues a run whose model and optimizer already hold a checkpoint's state
         * ({@link Checkpoint#restore} was called): the trainer starts after
         * {@code progress.completedEpochs()} epochs, with its shuffling seed and step count.
         *
         * @throws IllegalArgumentException when the progress is not at the end of an epoch
         */
        public Builder resumeAt(TrainingProgress progress) {
            Objects.requireNonNull(progress, "progress");
            if (progress.batchesIntoEpoch() != 0) {
                throw new IllegalArgumentException("the run stopped " + progress.batchesIntoEpoch()
                        + " batches into epoch " + (progress.completedEpochs() + 1)
                        + "; the trainer resumes from the end of an epoch only");
            }
            this.resumeFrom = progress;
            return this;
        }

        /**
         * The trainer.
         *
         * @throws IllegalArgumentException when the checkpoint resumed from has trained all the epochs
         *         already, or there is a pruning schedule and the model is not a {@link Sequential}
         */
        public Trainer build() {
            if (resumeFrom != null && resumeFrom.completedEpochs() >= epochs) {
                throw new IllegalArgumentException("the checkpoint has completed " + resumeFrom.completedEpochs()
                        + " epochs already; ask for more with epochs(n), n > " + resumeFrom.completedEpochs());
            }
            if (pruning != null && !(model instanceof Sequential)) {
                throw new IllegalArgumentException("pruning replaces the Linear and SparseLinear layers of a "
                        + "Sequential, but the model is a " + model.getClass().getSimpleName() + " (" + model
                        + "); wrap its layers in a Sequential");
            }
            return new Trainer(this, resumeFrom);
        }

        private static int positive(int value, String what) {
            if (value < 1) {
                throw new IllegalArgumentException("the " + what + " must be positive, got " + value);
            }
            return value;
        }
    }
}
