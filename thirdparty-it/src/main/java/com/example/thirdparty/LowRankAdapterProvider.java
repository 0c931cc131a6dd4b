package com.example.thirdparty;

import java.io.IOException;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.io.Config;
import org.sparselinear.io.LayerProvider;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SavedLayer;

/** Reads {@link LowRankAdapter}s from model files; registered in {@code META-INF/services/org.sparselinear.io.LayerProvider}. */
public final class LowRankAdapterProvider implements LayerProvider {

    @Override
    public String kind() {
        return LowRankAdapter.KIND;
    }

    @Override
    public SavedLayer read(LayerReader reader) throws IOException {
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
                LowRankAdapter layer;
                try {
                    layer = new LowRankAdapter(features, rank, alpha, 0, backend);
                } catch (IllegalArgumentException e) {
                    throw reader.rejected(e);
                }
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
}
