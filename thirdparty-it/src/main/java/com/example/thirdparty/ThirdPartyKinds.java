package com.example.thirdparty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Rewiring;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerProvider;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.OptimizerProvider;
import org.sparselinear.io.OptimizerReader;
import org.sparselinear.io.RewiringProvider;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.SavedOptimizer;

/**
 * This module's kinds, registered in {@code META-INF/services/org.sparselinear.io.LayerProvider},
 * {@code ...OptimizerProvider} and {@code ...RewiringProvider}: {@link LowRankAdapter}, {@link Adagrad} and
 * {@link RandomRegrowth}.
 */
public final class ThirdPartyKinds implements LayerProvider, OptimizerProvider, RewiringProvider {

    @Override
    public Map<String, LayerProvider.Kind> layerKinds() {
        return Map.of(LowRankAdapter.KIND, ThirdPartyKinds::readAdapter);
    }

    @Override
    public Map<String, OptimizerProvider.Kind> optimizerKinds() {
        return Map.of(Adagrad.KIND, ThirdPartyKinds::readAdagrad);
    }

    @Override
    public Map<String, RewiringProvider.Kind> rewiringKinds() {
        return Map.of(RandomRegrowth.KIND, ThirdPartyKinds::readRegrowth);
    }

    /** Reads a saved {@link RandomRegrowth} rule. */
    private static Rewiring readRegrowth(Config settings) throws ModelFileException {
        return new RandomRegrowth(settings.positiveInt("count"));
    }

    /** Reads a saved {@link LowRankAdapter}. */
    private static SavedLayer readAdapter(LayerReader reader) throws IOException {
        Config config = reader.config();
        int features = config.positiveInt("features");
        int rank = config.positiveInt("rank");
        if (rank > features) {
            throw config.fail("rank", "must be at most features = " + features + ", got " + rank);
        }
        double alpha = config.finite("alpha");
        float[] a = reader.floats("lora_a", rank, features);
        float[] b = reader.floats("lora_b", features, rank);
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) throws ModelFileException {
                LowRankAdapter layer = reader.construct(() -> new LowRankAdapter(features, rank, alpha, 0, backend));
                layer.restore(a, b);
                return layer;
            }

            @Override
            public Runnable prepareRestore(Layer target) throws ModelFileException {
                LowRankAdapter layer = (LowRankAdapter) target;
                if (layer.features != features || layer.rank != rank || layer.alpha != alpha) {
                    throw reader.fail("the file has features=" + features + ", rank=" + rank + ", alpha=" + alpha
                            + " but the model's layer is " + layer);
                }
                return () -> layer.restore(a, b);
            }

            @Override
            public String description() {
                return LowRankAdapter.description(features, rank, alpha);
            }

            @Override
            public long parameterCount() {
                return 2L * features * rank;
            }
        };
    }

    /** Reads the saved state of an {@link Adagrad}. */
    private static SavedOptimizer readAdagrad(OptimizerReader reader) throws IOException {
        if (!reader.states().equals(List.of(Adagrad.SUM))) {
            throw reader.config().fail("state", "expected [" + Adagrad.SUM + "] for Adagrad, got " + reader.states());
        }
        long steps = reader.config().nonNegativeLong("steps");
        List<float[]> sums = new ArrayList<>();
        for (int i = 0; i < reader.parameters().size(); i++) {
            sums.add(reader.parameterState(i, Adagrad.SUM));
        }
        double lr = reader.config().finite("lr");
        return new SavedOptimizer() {
            @Override
            public Runnable prepareRestore(Saveable target) {
                Adagrad adagrad = (Adagrad) target;
                return () -> {
                    for (int i = 0; i < sums.size(); i++) {
                        adagrad.sums.set(i, sums.get(i).clone());
                    }
                    adagrad.steps = steps;
                };
            }

            @Override
            public Saveable build(List<Parameter> parameters) throws ModelFileException {
                return reader.construct(() -> new Adagrad(parameters, lr));
            }
        };
    }
}
