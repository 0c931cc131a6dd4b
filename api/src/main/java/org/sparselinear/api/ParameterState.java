package org.sparselinear.api;

/**
 * Per-element state that something keeps for parameters, such as an optimizer's velocity or
 * Adam moments, and that must follow the elements when a parameter is rearranged by
 * {@link Parameter#remap} (a sparse layer being rewired). Register with
 * {@link Parameter#trackState}; the parameter then calls {@link #remapState} on every remap, so
 * the state stays attached to the right connection whoever rewires the layer.
 */
public interface ParameterState {

    /**
     * Rearranges the state kept for {@code parameter} the way {@link Parameter#remap} rearranged
     * its elements: the state of new element {@code j} becomes that of old element
     * {@code sourcePositions[j]}, or the initial (zero) state where that is {@code -1}. Does
     * nothing for a parameter it keeps no state for.
     */
    void remapState(Parameter parameter, int[] sourcePositions);
}
