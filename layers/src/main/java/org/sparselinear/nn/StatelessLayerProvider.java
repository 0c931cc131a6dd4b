package org.sparselinear.nn;

import java.util.function.Supplier;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.io.LayerProvider;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.SavedLayer;

/** The provider of a layer kind without configuration or state ({@link ReLU}, {@link Flatten}): it rebuilds a new one. */
abstract class StatelessLayerProvider implements LayerProvider {

    private final String kind;
    private final Supplier<Layer> factory;

    StatelessLayerProvider(String kind, Supplier<Layer> factory) {
        this.kind = kind;
        this.factory = factory;
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public SavedLayer read(LayerReader reader) {
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) {
                return factory.get();
            }

            @Override
            public Runnable prepareRestore(Layer target) {
                return () -> { };
            }

            @Override
            public String description() {
                return factory.get().toString();
            }

            @Override
            public long parameterCount() {
                return 0;
            }
        };
    }
}
