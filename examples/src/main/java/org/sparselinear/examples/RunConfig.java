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
 * @param learningRate the optimizer's learning rate
 * @param momentum SGD momentum, in [0, 1) (unused by Adam)
 * @param batchSize training batch size (the last partial batch is dropped)
 * @param seed seeds the weights, the connections and the shuffling
 * @param limit use only the first {@code limit} samples of each split; 0 for all
 * @param optimizer SGD (with the momentum), Adam or Adagrad
 */
public record RunConfig(
        ModelKind model,
        double sparsity,
        int hidden,
        int epochs,
        double learningRate,
        double momentum,
        int batchSize,
        long seed,
        int limit,
        OptimizerKind optimizer) {

    /** The notebook's settings for {@code model}: 90 % sparsity, 2000 hidden, batch 64, momentum 0.9. */
    public static RunConfig notebook(ModelKind model, int epochs, long seed) {
        return new RunConfig(
                model, 0.9, 2000, epochs, model.defaultLearningRate(), 0.9, 64, seed, 0, OptimizerKind.sgd);
    }

    /** This configuration with {@code limit} samples per split (0 for all). */
    public RunConfig withLimit(int limit) {
        return new RunConfig(
                model, sparsity, hidden, epochs, learningRate, momentum, batchSize, seed, limit, optimizer);
    }

    /**
     * The configuration {@link #toJson()} wrote, read back (as parsed by {@code JsonCodec}).
     *
     * @throws IllegalArgumentException naming the first field that is missing or out of range
     */
    public static RunConfig fromJson(Map<?, ?> json) {
        ModelKind model;
        try {
            model = ModelKind.valueOf(String.valueOf(json.get("model")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "config field \"model\": expected dense or sparse, got " + json.get("model"));
        }
        double sparsity = number(json, "sparsity").doubleValue();
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new IllegalArgumentException("config field \"sparsity\": expected [0, 1), got " + sparsity);
        }
        int hidden = positive(json, "hidden");
        int epochs = positive(json, "epochs");
        double learningRate = number(json, "learning_rate").doubleValue();
        double momentum = number(json, "momentum").doubleValue();
        if (!(learningRate > 0) || Double.isInfinite(learningRate) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("config fields \"learning_rate\" and \"momentum\": expected a finite "
                    + "rate > 0 and a momentum in [0, 1), got " + learningRate + " and " + momentum);
        }
        int batchSize = positive(json, "batch_size");
        if (!(json.get("seed") instanceof Long seed)) {
            throw new IllegalArgumentException("config field \"seed\": expected an integer, got " + json.get("seed"));
        }
        int limit = json.get("limit") == null ? 0 : positive(json, "limit");
        OptimizerKind optimizer;
        try {
            // Records written before the option existed trained with SGD.
            optimizer = json.get("optimizer") == null
                    ? OptimizerKind.sgd
                    : OptimizerKind.valueOf(String.valueOf(json.get("optimizer")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "config field \"optimizer\": expected sgd, adam or adagrad, got " + json.get("optimizer"));
        }
        return new RunConfig(
                model,
                model == ModelKind.sparse ? sparsity : 0.9,
                hidden,
                epochs,
                learningRate,
                momentum,
                batchSize,
                seed,
                limit,
                optimizer);
    }

    private static Number number(Map<?, ?> json, String key) {
        if (!(json.get(key) instanceof Number value)) {
            throw new IllegalArgumentException("config field \"" + key + "\": expected a number, got " + json.get(key));
        }
        return value;
    }

    private static int positive(Map<?, ?> json, String key) {
        if (!(json.get(key) instanceof Long value) || value < 1 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "config field \"" + key + "\": expected a positive integer, got " + json.get(key));
        }
        return (int) (long) value;
    }

    /** This configuration with {@code epochs} epochs in all. */
    public RunConfig withEpochs(int epochs) {
        return new RunConfig(
                model, sparsity, hidden, epochs, learningRate, momentum, batchSize, seed, limit, optimizer);
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
        json.put("optimizer", optimizer.name());
        return json;
    }
}
