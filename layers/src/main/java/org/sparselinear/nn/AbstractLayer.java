package org.sparselinear.nn;

import java.util.List;
import org.sparselinear.api.Layer;

/**
 * The base of the shipped layers: it holds the training flag (on after construction, as in
 * PyTorch) and passes {@link #setTraining} on to the sub-layers a container reports through
 * {@link #children()}.
 */
public abstract class AbstractLayer implements Layer {

    private boolean training = true;

    /** The direct sub-layers, which follow this layer's training mode; none by default. */
    protected List<Layer> children() {
        return List.of();
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
        for (Layer child : children()) {
            child.setTraining(training);
        }
    }

    @Override
    public boolean isTraining() {
        return training;
    }
}
