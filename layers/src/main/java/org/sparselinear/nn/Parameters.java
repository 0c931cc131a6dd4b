package org.sparselinear.nn;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sparselinear.api.Parameter;

/** Helpers over lists of parameters: counting them, and checking the list an optimizer is given (for built-in and third-party optimizers alike). */
public final class Parameters {

    private Parameters() {}

    /** The number of scalars in {@code parameters} (for a sparse layer: nnz, plus the bias). */
    public static long count(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        long total = 0;
        for (Parameter parameter : parameters) {
            total += Objects.requireNonNull(parameter, "parameter").numel();
        }
        return total;
    }

    /**
     * An unmodifiable copy of a parameter list for an optimizer, checked: not empty, no null
     * entry, no parameter twice (it would be updated twice per step). Public so that optimizers written outside
     * the library check their input as the built-in ones do.
     *
     * @param optimizer the optimizer's name, for the messages
     * @throws IllegalArgumentException naming the problem and what to pass instead
     */
    public static List<Parameter> forOptimizer(List<Parameter> parameters, String optimizer) {
        Objects.requireNonNull(parameters, () -> optimizer + " parameters");
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException(optimizer + " got an empty parameter list; pass model.parameters() of "
                    + "a model with trainable layers");
        }
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < parameters.size(); i++) {
            Parameter parameter = Objects.requireNonNull(parameters.get(i), optimizer + " parameter " + i + " is null");
            if (!seen.add(parameter)) {
                throw new IllegalArgumentException(optimizer + ": parameter " + i + " (" + parameter
                        + ") appears more than once; pass each parameter once");
            }
        }
        return List.copyOf(parameters);
    }

    /**
     * Tells every parameter that an optimizer step has updated it ({@link Parameter#updated()}), in
     * order, so that their layers' after-step work runs (a rewiring's drop and grow). Optimizers call
     * it at the end of {@code step()}, once every parameter is updated; a third party's should too.
     */
    public static void afterUpdate(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        for (Parameter parameter : parameters) {
            parameter.updated();
        }
    }
}
