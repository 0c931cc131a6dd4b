package org.sparselinear.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Rewiring;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.DatasetBuilder;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.Optimizer;

/**
 * Synchronous data-parallel training on Spark by parameter averaging (McDonald, Hall and Mann,
 * NAACL 2010; Zinkevich, Weimer, Smola and Li, NIPS 2010; "local SGD", Stich, ICLR 2019), in rounds:
 *
 * <ol>
 *   <li>the driver writes the model and the optimizer's state as a {@link Checkpoint} and
 *       broadcasts its bytes;
 *   <li>every partition rebuilds them and runs up to {@code K} optimizer steps on batches of its
 *       own shard ({@link LocalSteps}; the batches depend only on the seed, the partition and the
 *       step, so a retried task repeats the failed attempt exactly);
 *   <li>{@code treeAggregate} sums the partitions' floating-point tensors (connection values,
 *       biases, momentum or Adam's moments), each weighted by the samples the partition trained on
 *       in the round, in double precision; the driver divides by the total weight (the weighted
 *       average of federated averaging, McMahan et al., AISTATS 2017) and restores the averages
 *       into its model and optimizer;
 *   <li>the driver runs the rewiring on the averaged model and broadcasts the result with the next
 *       round, so every partition always holds the same connections: SET at the end of each epoch
 *       (magnitudes and the layer's seeded random stream); RigL at its update steps, where every
 *       partition reports its top-k grow candidates and the driver merges them by vote
 *       ({@link CandidateVotes}) and lets the rule drop and grow once;
 *   <li>with a checkpoint path, the driver saves the round in today's checkpoint format; a later
 *       run with the same path, data and settings resumes from it.
 * </ol>
 *
 * The batch size is the global batch: each partition's local steps take its share
 * ({@link TrainingSettings#localBatches}), so a round of {@code K = 1} covers as many samples as one
 * single-process step and an epoch, {@code ceil(shard / local batch)} steps of the slowest
 * partition, has as many synchronized steps as one process would take. A round ends after
 * {@code K} steps, at the end of an epoch, or at a step where a rule wants grow candidates,
 * whichever comes first. With plain SGD (or momentum) and {@code K = 1}, a round equals one step
 * on the union of the partitions' batches: the sample-weighted mean of the partitions' mean
 * gradients is the gradient of the mean loss over the union.
 */
public final class ParameterAveraging {

    /** Test hook, see {@link PartitionHook}; null outside tests. */
    static volatile PartitionHook hook;

    private final NetworkSpec spec;
    private final TrainingSettings settings;
    private final Objective objective;
    private final Path checkpoint;
    private final Consumer<RoundReport> onRound;

    /**
     * @param spec the network (its planned steps are set from the data)
     * @param settings optimizer, batch size, epochs, K, seed
     * @param objective classification or regression
     * @param checkpoint where the driver saves a checkpoint after each round and resumes from; null for none
     * @param onRound told after each round
     */
    ParameterAveraging(
            NetworkSpec spec,
            TrainingSettings settings,
            Objective objective,
            Path checkpoint,
            Consumer<RoundReport> onRound) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.objective = Objects.requireNonNull(objective, "objective");
        this.checkpoint = checkpoint;
        this.onRound = Objects.requireNonNull(onRound, "onRound");
    }

    /**
     * Trains on {@code rows} (each a features {@link Vector} and a {@code double} label, in that
     * order) and returns the trained network as model-file bytes ({@link ModelFile#toBytes}).
     */
    byte[] fit(JavaRDD<Row> rows) {
        JavaRDD<Row> data = rows.getStorageLevel().equals(StorageLevel.NONE())
                ? rows.persist(StorageLevel.MEMORY_AND_DISK())
                : rows;
        try {
            return train(data);
        } finally {
            ShardCache.forget(data.context().applicationId() + ":" + data.id() + ":");
            if (data != rows) {
                data.unpersist(false);
            }
        }
    }

    private byte[] train(JavaRDD<Row> rows) {
        List<Long> sizes = rows.mapPartitions(ParameterAveraging::count).collect();
        if (Collections.max(sizes) == 0) {
            throw new IllegalArgumentException("the training data set is empty");
        }
        int[] localBatches = settings.localBatches(sizes);
        long stepsPerEpoch = 0;
        for (int p = 0; p < localBatches.length; p++) {
            if (localBatches[p] > 0) {
                stepsPerEpoch = Math.max(stepsPerEpoch, (sizes.get(p) + localBatches[p] - 1) / localBatches[p]);
            }
        }
        long totalSteps = stepsPerEpoch * settings.epochs();
        Backend backend = Backends.get();
        JavaSparkContext spark = JavaSparkContext.fromSparkContext(rows.context());
        NetworkSpec planned = spec.withPlannedSteps(totalSteps);
        try (Sequential model = planned.build(backend);
                Optimizer optimizer = settings.newOptimizer(model.parameters())) {
            long step = resume(model, optimizer);
            int round = 0;
            while (step < totalSteps) {
                long started = System.nanoTime();
                RoundPlan plan = plan(++round, step, stepsPerEpoch, model);
                RoundResult result = runRound(
                        spark,
                        rows,
                        planned,
                        plan,
                        localBatches,
                        checkpointBytes(model, optimizer, step, stepsPerEpoch));
                average(result, model, optimizer, plan);
                step = plan.lastStep();
                if (step % stepsPerEpoch == 0) {
                    TrainingHooks.afterEpoch(model);
                }
                if (checkpoint != null) {
                    Checkpoint.save(checkpoint, model, optimizer, progress(step, stepsPerEpoch), Map.of());
                }
                onRound.accept(new RoundReport(
                        round, step, result.contributors(), System.nanoTime() - started, result.trainingNanos()));
            }
            return ModelFile.toBytes(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint " + checkpoint, e);
        }
    }

    /** Restores the checkpoint when there is one; the global step to continue after. */
    private long resume(Sequential model, Optimizer optimizer) throws IOException {
        if (checkpoint == null || !Files.exists(checkpoint)) {
            return 0;
        }
        Checkpoint saved = Checkpoint.read(checkpoint);
        saved.restore(model, optimizer);
        return saved.progress().step();
    }

    private TrainingProgress progress(long step, long stepsPerEpoch) {
        return new TrainingProgress(
                Math.toIntExact(step / stepsPerEpoch), Math.toIntExact(step % stepsPerEpoch), step, settings.seed());
    }

    private byte[] checkpointBytes(Sequential model, Optimizer optimizer, long step, long stepsPerEpoch) {
        return Checkpoint.toBytes(model, optimizer, progress(step, stepsPerEpoch), Map.of());
    }

    /** The next round after global step {@code done}: up to K steps, ending at the epoch's end or at a candidate step. */
    private RoundPlan plan(int round, long done, long stepsPerEpoch, Sequential model) {
        long epochEnd = (done / stepsPerEpoch + 1) * stepsPerEpoch;
        long last = Math.min(done + settings.localSteps(), epochEnd);
        List<SparseLinear> layers = LocalSteps.sparseLayers(model);
        for (long t = done + 1; t <= last; t++) {
            for (SparseLinear layer : layers) {
                Rewiring rule = layer.rewiring();
                if (rule != null && rule.gradientCandidates(t, layer.nnz()) > 0) {
                    return new RoundPlan(round, done + 1, Math.toIntExact(t - done), true);
                }
            }
        }
        return new RoundPlan(round, done + 1, Math.toIntExact(last - done), false);
    }

    private RoundResult runRound(
            JavaSparkContext spark,
            JavaRDD<Row> rows,
            NetworkSpec network,
            RoundPlan plan,
            int[] localBatches,
            byte[] state) {
        Broadcast<byte[]> shared = spark.broadcast(state);
        try {
            String shards = rows.context().applicationId() + ":" + rows.id() + ":";
            TrainingSettings training = settings;
            Objective task = objective;
            return rows.mapPartitionsWithIndex(
                            (partition, it) -> {
                                PartitionHook test = hook;
                                if (test != null) {
                                    test.beforeLocalSteps(
                                            partition, plan, TaskContext.get().attemptNumber());
                                }
                                Dataset shard =
                                        ShardCache.get(shards + partition, () -> shard(it, network.inputs(), task));
                                return List.of(LocalSteps.run(
                                                shared.value(),
                                                network,
                                                shard,
                                                partition,
                                                localBatches[partition],
                                                plan,
                                                training,
                                                task,
                                                Backends.get()))
                                        .iterator();
                            },
                            true)
                    .treeAggregate(RoundResult.empty(), RoundResult::merge, RoundResult::merge);
        } finally {
            shared.unpersist(false);
        }
    }

    /**
     * Puts the partitions' mean into the driver's model and optimizer (their step counts included:
     * the partitions' optimizer steps advanced them), then, at a step where a rule wanted grow
     * candidates, runs that rule once with the merged candidates.
     */
    private static void average(RoundResult result, Sequential model, Optimizer optimizer, RoundPlan plan)
            throws IOException {
        if (result.contributors() == 0) {
            throw new IllegalStateException("no partition trained in round " + plan.round());
        }
        byte[] template = Checkpoint.toBytes(model, optimizer, new TrainingProgress(0, 0, 0, 0), Map.of());
        SafeTensors.Writer averaged = new SafeTensors.Writer();
        result.metadata().forEach(averaged::metadata);
        try (SafeTensors.Contents contents = SafeTensors.read(template, "round " + plan.round())) {
            for (TensorInfo info : contents.tensors()) {
                if (info.dtype() == DType.F32) {
                    averaged.addFloats(info.name(), result.mean(info.name()), info.shape());
                } else {
                    averaged.addLongs(info.name(), contents.longs(info), info.shape());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Checkpoint.read(averaged.toBytes(), "the average of round " + plan.round())
                .restore(model, optimizer);
        if (plan.wantsCandidates()) {
            List<SparseLinear> layers = LocalSteps.sparseLayers(model);
            for (int l = 0; l < layers.size(); l++) {
                SparseLinear layer = layers.get(l);
                Rewiring rule = layer.rewiring();
                int[][] merged = result.candidates(l);
                if (rule != null && merged[0].length > 0) {
                    rule.afterStep(plan.lastStep(), new MergedCandidates(layer, merged));
                }
            }
        }
    }

    /** The partition's rows as a data set: sparse when any features vector is sparse. */
    static Dataset shard(Iterator<Row> rows, int width, Objective objective) {
        List<Row> all = new ArrayList<>();
        boolean sparse = false;
        while (rows.hasNext()) {
            Row row = rows.next();
            all.add(row);
            sparse |= row.get(0) instanceof SparseVector;
        }
        DatasetBuilder builder =
                Dataset.builder(width, sparse, objective.isClassification() ? objective.classes() : 0, 1);
        for (Row row : all) {
            builder.add(objective.sample((Vector) row.get(0), width, sparse, row.getDouble(1)));
        }
        return builder.build();
    }

    private static Iterator<Long> count(Iterator<Row> rows) {
        long n = 0;
        while (rows.hasNext()) {
            rows.next();
            n++;
        }
        return List.of(n).iterator();
    }
}
