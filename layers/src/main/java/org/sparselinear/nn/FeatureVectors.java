package org.sparselinear.nn;

import java.io.IOException;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;

/**
 * The saved form of a layer whose state is a {@code "weight"} and a {@code "bias"} of one value
 * per feature ({@link LayerNorm}, {@link FeatureAffine}): written and read the same way for both.
 */
final class FeatureVectors implements SavedLayer {

    private final LayerReader reader;
    private final int features;
    private final float[] weight;
    private final float[] bias;
    private final BiFunction<Integer, Backend, Layer> factory;
    private final ToIntFunction<Layer> featuresOf;
    private final String description;

    private FeatureVectors(
            LayerReader reader,
            int features,
            float[] weight,
            float[] bias,
            BiFunction<Integer, Backend, Layer> factory,
            ToIntFunction<Layer> featuresOf,
            String description) {
        this.reader = reader;
        this.features = features;
        this.weight = weight;
        this.bias = bias;
        this.factory = factory;
        this.featuresOf = featuresOf;
        this.description = description;
    }

    /** Writes field {@code "features"} and the two parameters, {@code [features]} each. */
    static void describe(StateWriter out, int features, List<Parameter> weightAndBias) {
        out.config("features", features);
        out.parameter("weight", weightAndBias.get(0)).parameter("bias", weightAndBias.get(1));
    }

    /**
     * Reads what {@link #describe} wrote.
     *
     * @param factory builds a layer of the kind from its features on a backend
     * @param featuresOf the features of a layer of the kind
     * @param description what the layer's {@code toString()} reads for its features
     */
    static FeatureVectors read(
            LayerReader reader,
            BiFunction<Integer, Backend, Layer> factory,
            ToIntFunction<Layer> featuresOf,
            IntFunction<String> description)
            throws IOException {
        int features = reader.config().positiveInt("features");
        return new FeatureVectors(
                reader,
                features,
                reader.floats("weight", features),
                reader.floats("bias", features),
                factory,
                featuresOf,
                description.apply(features));
    }

    @Override
    public Layer build(Backend backend) throws ModelFileException {
        Layer layer = reader.construct(() -> factory.apply(features, backend));
        restore(layer);
        return layer;
    }

    @Override
    public Runnable prepareRestore(Layer target) throws ModelFileException {
        int actual = featuresOf.applyAsInt(target);
        if (actual != features) {
            throw reader.fail(
                    "the file has " + features + " features but the model's layer has " + actual + " (" + target + ")");
        }
        return () -> restore(target);
    }

    private void restore(Layer layer) {
        List<Parameter> parameters = layer.parameters();
        parameters.get(0).value().copyFrom(weight);
        parameters.get(1).value().copyFrom(bias);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long parameterCount() {
        return 2L * features;
    }
}
