package org.sparselinear.nn;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Checkpoint;
import org.sparselinear.io.ModelFile;

/**
 * The base of the shipped layers: it holds the training flag (on after construction, as in
 * PyTorch) and passes {@link #setTraining} on to the sub-layers a container reports through
 * {@link #children()}.
 *
 * <p>It also gives every layer its lifecycle: {@link #close()} frees the sub-layers, the
 * parameters and whatever {@link #releaseResources()} frees, once; {@link #requireOpen()} makes a
 * closed layer fail clearly; {@link #to(Backend)} moves any layer a {@link ModelFile} can hold.
 */
public abstract class AbstractLayer implements Layer {

    private boolean training = true;
    private boolean closed;

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

    /**
     * Frees the device memory of this layer: its sub-layers (a layer shared with another model is
     * then closed there too), its parameters' values and gradients, and what
     * {@link #releaseResources()} frees. Closing twice does nothing; using the layer afterwards fails
     * with {@link IllegalStateException}. Optimizers built on the parameters are not closed.
     *
     * <p>Each sub-layer, each parameter and {@link #releaseResources()} is freed even when freeing
     * an earlier one fails; the first failure is then rethrown, with the later ones added as
     * suppressed.
     */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        List<Runnable> frees = new ArrayList<>();
        for (Layer child : children()) {
            frees.add(child::close);
        }
        for (Parameter parameter : parameters()) {
            frees.add(parameter::close);
        }
        frees.add(this::releaseResources);
        for (Runnable free : frees) {
            try {
                free.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Frees the device memory this layer holds besides its parameters and sub-layers (sparse
     * patterns, running statistics); called once, by the first {@link #close()}. Layers with no such
     * memory keep this empty default.
     */
    protected void releaseResources() {}

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Fails when the layer was closed; layers call it first in {@code forward} and in every
     * operation that uses their device memory.
     *
     * @throws IllegalStateException when {@link #close()} has been called
     */
    protected final void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " was closed and its device memory freed; build or load the "
                    + "model again, or keep a copy with model.to(backend) before closing it");
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The model goes through its model file, in memory: {@code ModelFile.load(ModelFile.toBytes(this),
     * name, backend)}, so every layer kind a model file can hold moves, with its connections and
     * saved state (a K-Winners' duty cycles, a rewiring's counters and seed). Limits: the file is one
     * {@code byte[]}, so a model whose file exceeds about 2 GiB cannot move this way (save it with
     * {@link ModelFile#save} and load it with {@link ModelFile#load(java.nio.file.Path, Backend)}
     * instead); optimizer state does not move: build a new optimizer on the moved model's parameters,
     * or, to resume training, save a {@link Checkpoint}, rebuild the model with
     * {@code Checkpoint.read(file).buildModel(backend)}, build the optimizer on it and
     * {@link Checkpoint#restore} both. The result is always a new model, also when {@code backend} is
     * this layer's own.
     *
     * @throws IllegalStateException when this layer was closed
     * @throws IllegalArgumentException when the parameters alone exceed the size of one {@code byte[]}
     * @throws UnsupportedOperationException when a layer of the model is of a kind a model file cannot
     *         rebuild (the message says which)
     */
    @Override
    public Layer to(Backend backend) {
        Objects.requireNonNull(backend, "backend");
        requireOpen();
        long parameterBytes = 0;
        for (Parameter parameter : parameters()) {
            parameterBytes += parameter.numel() * Float.BYTES;
        }
        if (parameterBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(this + ": to(" + backend.name() + ") copies the model through an "
                    + "in-memory model file of at most 2 GiB, but its parameters alone take " + parameterBytes
                    + " bytes; save it with ModelFile.save and load it with ModelFile.load(file, backend)");
        }
        String name = "model moved to " + backend.name();
        Layer moved;
        try {
            moved = ModelFile.load(ModelFile.toBytes(this), name, backend);
        } catch (IOException e) {
            throw new UnsupportedOperationException(
                    this + " cannot move to " + backend.name() + ": it goes through "
                            + "its model file, which fails to load: " + e.getMessage(),
                    e);
        }
        try {
            copyTrainingModes(this, moved);
        } catch (RuntimeException e) {
            try {
                moved.close();
            } catch (RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return moved;
    }

    /** Gives {@code target}, a copy of {@code source}, the training mode of each of its layers. */
    private static void copyTrainingModes(Layer source, Layer target) {
        target.setTraining(source.isTraining());
        if (source instanceof AbstractLayer from && target instanceof AbstractLayer into) {
            List<Layer> sourceChildren = from.children();
            List<Layer> targetChildren = into.children();
            if (sourceChildren.size() != targetChildren.size()) {
                throw new IllegalStateException("the copy of " + source + " has " + targetChildren.size()
                        + " sub-layers instead of " + sourceChildren.size());
            }
            for (int i = 0; i < sourceChildren.size(); i++) {
                copyTrainingModes(sourceChildren.get(i), targetChildren.get(i));
            }
        }
    }
}
