package org.sparselinear.data;

/**
 * The samples of another data set at chosen indices, in the order given: a view that copies
 * nothing but the indices. See {@link Dataset#subset}.
 */
final class SubsetDataset implements Dataset {

    private final Dataset data;
    private final int[] indices;

    /** Takes ownership of {@code indices}, every one of which the caller has checked to be in range. */
    SubsetDataset(Dataset data, int[] indices) {
        this.data = data;
        this.indices = indices;
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        return data.get(indices[index]);
    }

    @Override
    public int featureCount() {
        return data.featureCount();
    }

    @Override
    public int[] sampleShape() {
        return data.sampleShape();
    }

    @Override
    public boolean isSparse() {
        return data.isSparse();
    }

    @Override
    public int classes() {
        return data.classes();
    }

    @Override
    public int targetWidth() {
        return data.targetWidth();
    }

    @Override
    public String toString() {
        return "Subset(" + indices.length + " of " + data + ")";
    }
}
