package org.sparselinear.spark;

import org.sparselinear.api.Backend;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.TrainingHooks;
import org.sparselinear.nn.optim.Optimizer;

/**
 * The reference {@code spark-train} compares distributed training with: the same network, optimizer,
 * batch size and epochs trained in one process on all the data, with the library's plain loop
 * (after-step and after-epoch hooks included). An epoch is {@code ceil(samples / batch size)} steps.
 */
final class SingleProcessTraining {

    private SingleProcessTraining() {}

    /** Trains and returns the network as model-file bytes. */
    static byte[] train(
            Dataset data, NetworkSpec spec, TrainingSettings settings, Objective objective, Backend backend) {
        DataLoader loader = new DataLoader(data, settings.batchSize(), true, settings.seed(), false);
        long steps = (long) loader.size() * settings.epochs();
        try (Sequential model = spec.withPlannedSteps(steps).build(backend);
                Optimizer optimizer = settings.newOptimizer(model.parameters())) {
            model.train();
            for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
                for (Batch batch : loader.epoch(epoch)) {
                    try (MemoryScope step = backend.newScope()) {
                        optimizer.zeroGrad();
                        objective
                                .loss(model.forward(batch.features(backend)), batch, backend)
                                .backward();
                        optimizer.step();
                        TrainingHooks.afterStep(model);
                    }
                }
                TrainingHooks.afterEpoch(model);
            }
            return ModelFile.toBytes(model);
        }
    }
}
