package org.sparselinear.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.Optimizer;

/**
 * What one partition does in a round: rebuilds the broadcast model and optimizer from their
 * checkpoint bytes, runs the round's optimizer steps on batches of its shard (of its share of the
 * global batch), and returns its checkpoint and the samples it trained on as a {@link RoundResult}.
 *
 * <p>The batches depend only on the seed, the partition and the global step: partition {@code p}
 * shuffles its shard once per local epoch with a {@link DataLoader} seeded from {@code (seed, p)},
 * and global step {@code t} takes batch {@code (t - 1) mod b} of local epoch
 * {@code (t - 1) / b + 1}, where {@code b} is its batches per local epoch. A retried task therefore
 * trains on exactly the batches of the failed attempt.
 *
 * <p>The partition never rewires: its network sees every rule through {@link DriverRewired}, and
 * when the plan asks, it reads each sparse layer's grow candidates after the last backward pass
 * (rounds end at every step where a rule wants them). The driver runs the rules on the averaged
 * model ({@link ParameterAveraging}). The optimizer's steps advance the layers' step counts, so the
 * returned checkpoint counts the round's steps.
 */
final class LocalSteps {

    private LocalSteps() {}

    /**
     * @param state the broadcast checkpoint of the driver's model and optimizer
     * @param network the network with the run's planned steps, built here for the partition
     *     ({@link NetworkSpec#buildForPartition}) and then given the broadcast state
     */
    static RoundResult run(
            byte[] state,
            NetworkSpec network,
            Dataset shard,
            int partition,
            int localBatch,
            RoundPlan plan,
            TrainingSettings settings,
            Objective objective,
            Backend backend) {
        if (shard.size() == 0) {
            return RoundResult.empty();
        }
        try (Sequential model = network.buildForPartition(backend);
                Optimizer optimizer = settings.newOptimizer(model.parameters())) {
            try {
                Checkpoint.read(state, "round " + plan.round() + " state").restore(model, optimizer);
            } catch (IOException e) {
                throw new IllegalStateException(
                        "the broadcast state of round " + plan.round() + " does not restore", e);
            }
            long started = System.nanoTime();
            model.train();
            Iterator<Batch> batches = batches(shard, localBatch, settings.seed(), partition, plan.firstStep());
            List<SparseLinear> sparse = sparseLayers(model);
            List<int[][]> candidates = new ArrayList<>();
            long samples = 0;
            for (int i = 0; i < plan.steps(); i++) {
                Batch batch = batches.next();
                samples += batch.size();
                try (MemoryScope step = backend.newScope()) {
                    optimizer.zeroGrad();
                    objective
                            .loss(model.forward(batch.features(backend)), batch, backend)
                            .backward();
                    if (i == plan.steps() - 1) {
                        for (SparseLinear layer : sparse) {
                            candidates.add(plan.wantsCandidates() ? layer.gradientCandidates() : null);
                        }
                    }
                    optimizer.step();
                }
            }
            byte[] after = Checkpoint.toBytes(model, optimizer, new TrainingProgress(0, 0, 0, 0), Map.of());
            return RoundResult.of(partition, samples, after, candidates, System.nanoTime() - started);
        }
    }

    /** The sparse layers of {@code model} in order: the layers whose candidates a round reports. */
    static List<SparseLinear> sparseLayers(Layer model) {
        List<SparseLinear> found = new ArrayList<>();
        for (TrainingHooks hooks : TrainingHooks.find(model)) {
            if (hooks instanceof SparseLinear layer) {
                found.add(layer);
            }
        }
        return found;
    }

    /** The partition's batches from global step {@code firstStep} on, endlessly. */
    private static Iterator<Batch> batches(Dataset shard, int localBatch, long seed, int partition, long firstStep) {
        DataLoader loader = new DataLoader(shard, localBatch, true, seed * 0x9E3779B97F4A7C15L + partition, false);
        int perEpoch = loader.size();
        return new Iterator<>() {
            long next = firstStep - 1;
            Iterator<Batch> current = null;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Batch next() {
                if (current == null || !current.hasNext()) {
                    int epoch = Math.toIntExact(next / perEpoch + 1);
                    current = loader.epoch(epoch, (int) (next % perEpoch)).iterator();
                }
                next++;
                return current.next();
            }
        };
    }
}
