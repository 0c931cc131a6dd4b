package org.sparselinear.io;

import java.io.IOException;
import java.util.List;
import org.sparselinear.api.Connectivity;

/**
 * A {@link StateReader} for one saved layer: its tensors, named as the layer wrote them (without
 * the position prefix the file adds), sparse connections and the values that go with them, and a
 * container's sub-layers.
 */
public interface LayerReader extends StateReader {

    /** The shape of tensor {@code name} (named as the layer wrote it, without its position prefix), or null when the file has none. */
    long[] shape(String name);

    /** A float32 tensor of exactly this shape. */
    float[] floats(String name, long... shape) throws IOException;

    /** An int32 or int64 tensor of exactly this shape whose values all fit an {@code int}. */
    int[] ints(String name, long... shape) throws IOException;

    /** An int32 or int64 tensor of exactly this shape. */
    long[] longs(String name, long... shape) throws IOException;

    /**
     * The connections of a {@code (rows, columns)} pattern from a {@code (2, nnz)} int32 or int64
     * tensor (output rows, then input columns), checked: every index in range, no duplicate. Any
     * order is accepted, as PyTorch's {@code coalesce()} leaves it or not; values read afterwards
     * with {@link #connectionValues} follow the sort.
     */
    Connectivity connections(String indices, int rows, int columns) throws IOException;

    /**
     * A float32 tensor of one value per connection of {@code indices} (read first with
     * {@link #connections}), in the order of the returned {@link Connectivity}: when the file's
     * connections were not sorted, the values are sorted with them, never mismatched.
     */
    float[] connectionValues(String values, String indices) throws IOException;

    /** The sub-layers a container wrote under configuration key {@code key}, each read by its own provider. */
    List<SavedLayer> children(String key) throws IOException;

    /**
     * Whether {@link #config()} describes a model built in code rather than the file: true when a
     * PyTorch {@code state_dict}, which has no description of its own, is read against a model with
     * {@link ModelFile#loadStateDict}. A configuration field that does not fit the tensors is then
     * the model's, not a corrupt file's, and the message should say how to build the model to fit.
     */
    boolean configFromModel();
}
