package org.sparselinear.nn;

import java.util.ArrayList;
import java.util.List;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.io.LayerReader;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SavedLayer;

/** Building and restoring the saved sub-layers of a container ({@link Sequential}, {@link Concat}) as one. */
final class SavedChildren {

    private SavedChildren() {}

    /**
     * Builds every child on {@code backend}, in order; when one fails, those built already are
     * closed and the failure is rethrown.
     */
    static Layer[] buildAll(List<SavedLayer> children, Backend backend) throws ModelFileException {
        Layer[] built = new Layer[children.size()];
        int i = 0;
        try {
            for (; i < built.length; i++) {
                built[i] = children.get(i).build(backend);
            }
        } catch (ModelFileException | RuntimeException e) {
            for (int j = 0; j < i; j++) {
                try {
                    built[j].close();
                } catch (RuntimeException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return built;
    }

    /**
     * Checks that {@code layers} has the saved children's number and that each takes its saved
     * state, and returns the action restoring them all; nothing changes before it runs.
     */
    static Runnable prepareAll(List<SavedLayer> children, List<Layer> layers, LayerReader reader)
            throws ModelFileException {
        if (layers.size() != children.size()) {
            throw reader.fail("the file has " + children.size() + " layers here but the model has " + layers.size());
        }
        List<Runnable> restores = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            restores.add(children.get(i).prepareRestore(layers.get(i)));
        }
        return () -> restores.forEach(Runnable::run);
    }
}
