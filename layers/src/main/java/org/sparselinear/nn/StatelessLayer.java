package org.sparselinear.nn;

import java.util.function.Supplier;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.SavedLayer;
import org.sparselinear.io.StateWriter;

/** A layer without configuration or state ({@link ReLU}, {@link Flatten}): a file records its kind only. */
abstract class StatelessLayer extends AbstractLayer implements Saveable {

    private final String kind;

    StatelessLayer(String kind) {
        this.kind = kind;
    }

    @Override
    public String kind() {
        return kind;
    }

    /** Nothing: the layer has no configuration or state. */
    @Override
    public void describe(StateWriter out) {}

    /** A saved stateless layer: {@code factory} rebuilds it; restoring one changes nothing. */
    static SavedLayer saved(Supplier<Layer> factory) {
        return new SavedLayer() {
            @Override
            public Layer build(Backend backend) {
                return factory.get();
            }

            @Override
            public Runnable prepareRestore(Layer target) {
                return () -> {};
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
