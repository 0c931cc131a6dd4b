package org.sparselinear.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory {@link Dataset} read from a file, with the file's labels of its classes
 * ({@link #classLabels()}). It serves the samples of the data set it wraps.
 */
public final class LabelledDataset implements Dataset, LabelledSource {

    private final Dataset samples;
    private final ClassLabels classLabels;
    private final List<String> header;

    /**
     * The data set {@code samples}, whose class {@code c} is labelled {@code classLabels.name(c)}
     * in its file.
     *
     * @throws IllegalArgumentException when the number of labels is not the number of classes
     */
    public LabelledDataset(Dataset samples, ClassLabels classLabels) {
        this(samples, classLabels, List.of());
    }

    private LabelledDataset(Dataset samples, ClassLabels classLabels, List<String> header) {
        this.samples = Objects.requireNonNull(samples, "samples");
        this.classLabels = Objects.requireNonNull(classLabels, "classLabels");
        this.header = List.copyOf(header);
        if (classLabels.size() != samples.classes()) {
            throw new IllegalArgumentException("the data set has " + samples.classes() + " classes but "
                    + classLabels.size() + " class labels are given " + classLabels + "; give one label per class");
        }
    }

    @Override
    public ClassLabels classLabels() {
        return classLabels;
    }

    @Override
    public List<String> header() {
        return header;
    }

    /** This data set with the column names of the CSV file it was read from. */
    LabelledDataset withHeader(List<String> names) {
        return new LabelledDataset(samples, classLabels, names);
    }

    @Override
    public int size() {
        return samples.size();
    }

    @Override
    public Sample get(int index) {
        return samples.get(index);
    }

    @Override
    public int featureCount() {
        return samples.featureCount();
    }

    @Override
    public int[] sampleShape() {
        return samples.sampleShape();
    }

    @Override
    public boolean isSparse() {
        return samples.isSparse();
    }

    @Override
    public int classes() {
        return samples.classes();
    }

    @Override
    public int targetWidth() {
        return samples.targetWidth();
    }

    @Override
    public SampleIterator open() {
        return samples.open();
    }

    @Override
    public String toString() {
        return samples + (classLabels.size() > 0 ? " with class labels " + classLabels : "");
    }
}
