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
import org.sparselinear.io.ModelFileException;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.TrainingProgress;
import org.sparselinear.nn.optim.Optimizer;

/**
 * What one partition does in a round: rebuilds the broadcast model and optimizer from their
 * checkpoint bytes, runs the round's optimizer steps on batches of its shard, and returns its
 * checkpoint as a {@link RoundResult}.
 *
 * <p>The batches depend only on the seed, the partition and the global step: partition {@code p}
 * shuffles its shard once per local epoch with a {@link DataLoader} seeded from {@code (seed, p)},
 * and global step {@code t} takes batch {@code (t - 1) mod b} of local epoch
 * {@code (t - 1) / b + 1}, where {@code b} is its batches per local epoch. A retried task therefore
 * trains on exactly the batches of the failed attempt.
 *
 * <p>The partition never rewires: it calls the after-step hooks of all but the round's last step
 * (rounds end at every step where a rule wants grow candidates, so none of these rewires) and, when
 * the plan asks, reads each sparse layer's grow candidates after the last backward pass. The driver
 * runs the last step's hook on the averaged model ({@link ParameterAveraging}).
 */
final class LocalSteps {

    private LocalSteps() {}

    static RoundResult run(
            byte[] state,
            Dataset shard,
            int partition,
            RoundPlan plan,
            TrainingSettings settings,
            Objective objective,
            Backend backend) {
        if (shard.size() == 0) {
            return RoundResult.empty();
        }
        Checkpoint start;
        try {
            start = Checkpoint.read(state, "round " + plan.round() + " state");
        } catch (IOException e) {
            throw new IllegalStateException("the broadcast state of round " + plan.round() + " is unreadable", e);
        }
        try (Layer model = start.buildModel(backend);
                Optimizer optimizer = start.buildOptimizer(model)) {
            long started = System.nanoTime();
            model.train();
            Iterator<Batch> batches = batches(shard, settings, partition, plan.firstStep());
            List<SparseLinear> sparse = sparseLayers(model);
            for (int i = 0; i < plan.steps(); i++) {
                Batch batch = batches.next();
                try (MemoryScope step = backend.newScope()) {
                    optimizer.zeroGrad();
                    objective
                            .loss(model.forward(batch.features(backend)), batch, backend)
                            .backward();
                    optimizer.step();
                }
                if (i < plan.steps() - 1) {
                    TrainingHooks.afterStep(model);
                }
            }
            List<int[][]> candidates = new ArrayList<>();
            for (SparseLinear layer : sparse) {
                candidates.add(plan.wantsCandidates() ? layer.gradientCandidates() : null);
            }
            byte[] after = Checkpoint.toBytes(model, optimizer, new TrainingProgress(0, 0, 0, 0), Map.of());
            return RoundResult.of(partition, after, candidates, System.nanoTime() - started);
        } catch (ModelFileException e) {
            throw new IllegalStateException("the broadcast state of round " + plan.round() + " does not build", e);
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
    private static Iterator<Batch> batches(Dataset shard, TrainingSettings settings, int partition, long firstStep) {
        long seed = settings.seed() * 0x9E3779B97F4A7C15L + partition;
        DataLoader loader = new DataLoader(shard, settings.batchSize(), true, seed, false);
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
