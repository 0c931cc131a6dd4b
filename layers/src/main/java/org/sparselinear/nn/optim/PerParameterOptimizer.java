package org.sparselinear.nn.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.Parameter;
import org.sparselinear.io.Saveable;
import org.sparselinear.nn.Parameters;

/**
 * The frame the built-in optimizers share: the parameters they update, the state they keep for
 * each one on its backend (a velocity, Adam's two moments, Adagrad's sum: each a list of one matrix
 * per parameter, or null where none is kept), and their life cycle. Zeroing the gradients,
 * rearranging the state when a sparse layer is rewired ({@link #remapState}), freeing it
 * ({@link #close}) and failing clearly once closed are done here once; a subclass adds its update
 * and its settings.
 */
abstract class PerParameterOptimizer implements Optimizer, Saveable {

    private final List<Parameter> parameters;
    private final List<List<DenseMatrix>> states = new ArrayList<>();
    private final List<Float> freshValues = new ArrayList<>();
    private boolean closed;

    /** Over {@code parameters}, checked and copied; {@code name} starts the messages about them. */
    PerParameterOptimizer(List<Parameter> parameters, String name) {
        this.parameters = Parameters.forOptimizer(parameters, name);
    }

    /**
     * Keeps a state of one matrix per parameter, made by {@code create} (null for a parameter that
     * needs none); where a rewiring adds a connection, the state starts at {@code fresh}.
     *
     * @return the state, in parameter order, unmodifiable
     */
    final List<DenseMatrix> keepState(Function<Parameter, DenseMatrix> create, float fresh) {
        List<DenseMatrix> state = new ArrayList<>();
        for (Parameter parameter : parameters) {
            state.add(create.apply(parameter));
        }
        List<DenseMatrix> kept = Collections.unmodifiableList(state);
        states.add(kept);
        freshValues.add(fresh);
        return kept;
    }

    /** Registers this optimizer with its parameters, so that a rewiring remaps its state; the end of a constructor. */
    final void trackParameters() {
        parameters.forEach(parameter -> parameter.trackState(this));
    }

    /**
     * Fails when this optimizer was closed.
     *
     * @throws IllegalStateException when closed
     */
    final void requireOpen() {
        if (closed) {
            throw new IllegalStateException(this + " was closed and its state freed; build a new optimizer "
                    + "over the parameters to go on training");
        }
    }

    /** The matrix of {@code state} kept for {@code parameter}; null for none or for a parameter not updated here. */
    final DenseMatrix stateOf(List<DenseMatrix> state, Parameter parameter) {
        int index = parameters.indexOf(parameter);
        return index < 0 ? null : state.get(index);
    }

    @Override
    public final List<Parameter> parameters() {
        return parameters;
    }

    @Override
    public final void zeroGrad() {
        requireOpen();
        parameters.forEach(Parameter::zeroGrad);
    }

    /**
     * Rearranges every state kept for {@code parameter}; see {@link Optimizer#remapState}. A kept
     * connection keeps its state bit for bit; a new one starts at its state's fresh value (0 for
     * velocities and moments).
     */
    @Override
    public final void remapState(Parameter parameter, int[] sourcePositions) {
        requireOpen();
        for (int i = 0; i < parameters.size(); i++) {
            if (parameters.get(i) != parameter) {
                continue;
            }
            for (int s = 0; s < states.size(); s++) {
                DenseMatrix state = states.get(s).get(i);
                if (state != null) {
                    StateVectors.remap(state, sourcePositions, freshValues.get(s));
                }
            }
        }
    }

    /** Frees every state kept; see {@link Optimizer#close()}. Idempotent. */
    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            parameters.forEach(parameter -> parameter.untrackState(this));
            for (List<DenseMatrix> state : states) {
                for (DenseMatrix matrix : state) {
                    if (matrix != null) {
                        matrix.close();
                    }
                }
            }
        }
    }
}
