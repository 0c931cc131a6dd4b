package org.sparselinear.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that defines one MNIST training run.
 *
 * @param model dense or sparse
 * @param sparsity fraction of missing connections in the sparse layers, in [0, 1)
 * @param hidden width of the hidden layer (2000 in the notebook)
 * @param epochs number of epochs, at least 1
 * @param learningRate SGD learning rate
 * @param momentum SGD momentum, in [0, 1)
 * @param batchSize training batch size (the last partial batch is dropped)
 * @param seed seeds the weights, the connections and the shuffling
 * @param limit use only the first {@code limit} samples of each split; 0 for all
 */
public record RunConfig(ModelKind model, double sparsity, int hidden, int epochs, double learningRate,
                        double momentum, int batchSize, long seed, int limit) {

    /** The notebook's settings for {@code model}: 90 % sparsity, 2000 hidden, batch 64, momentum 0.9. */
    public static RunConfig notebook(ModelKind model, int epochs, long seed) {
        return new RunConfig(model, 0.9, 2000, epochs, model.defaultLearningRate(), 0.9, 64, seed, 0);
    }

    /** This configuration with {@code limit} samples per split (0 for all). */
    public RunConfig withLimit(int limit) {
        return new RunConfig(model, sparsity, hidden, epochs, learningRate, momentum, batchSize, seed, limit);
    }

    /** The fields of a run record's {@code config} entry. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", model.name());
        json.put("sparsity", model == ModelKind.sparse ? sparsity : 0.0);
        json.put("hidden", hidden);
        json.put("epochs", epochs);
        json.put("learning_rate", learningRate);
        json.put("momentum", momentum);
        json.put("batch_size", batchSize);
        json.put("seed", seed);
        json.put("limit", limit > 0 ? (Object) limit : null);
        return json;
    }
}
