package org.sparselinear.io;

import java.io.IOException;
import java.util.List;

/**
 * A {@link StateReader} for a checkpoint's optimizer: besides its configuration, the state it
 * wrote for each parameter it updates. The parameters are those of the saved model, in the
 * optimizer's order; restoring checks that the optimizer built in code updates the same ones.
 */
public interface OptimizerReader extends StateReader {

    /** The names of the parameters updated, in order (e.g. {@code "1.weights"}). */
    List<String> parameters();

    /** The names of the per-parameter states saved for every parameter, e.g. {@code [exp_avg, exp_avg_sq]}. */
    List<String> states();

    /** State {@code state} of parameter {@code index} (in {@link #parameters()} order), with the parameter's saved shape. */
    float[] parameterState(int index, String state) throws IOException;
}
