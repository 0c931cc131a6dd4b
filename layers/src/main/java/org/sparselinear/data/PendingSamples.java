package org.sparselinear.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The samples of a file read into memory in one pass, held until the whole file is read and the
 * number of features and the classes are known (the largest index, the distinct labels); then
 * {@link #build} numbers their labels and stores them in a {@link Dataset}, releasing each sample
 * once it is copied there. Used by
 * {@link SvmLight#read} and {@link Csv#read}.
 */
final class PendingSamples {

    private final Path file;
    private final boolean sparse;
    private final List<int[]> indices = new ArrayList<>();
    private final List<float[]> values = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private final List<float[]> targets = new ArrayList<>();

    /** Samples of {@code file} with sparse ({@code true}) or dense features. */
    PendingSamples(Path file, boolean sparse) {
        this.file = file;
        this.sparse = sparse;
    }

    /** Adds the features ({@code indices} null when dense) of a sample of class label {@code label}. */
    void add(int[] indices, float[] values, String label) {
        this.indices.add(indices);
        this.values.add(values);
        this.labels.add(label);
    }

    /** Adds the features ({@code indices} null when dense) of a sample with the target vector {@code target}. */
    void add(int[] indices, float[] values, float[] target) {
        this.indices.add(indices);
        this.values.add(values);
        this.targets.add(target);
    }

    /**
     * The data set of the samples added, of width {@code featureCount}: class labels numbered by
     * {@code classLabels} (which holds every label added), or targets of {@code targetWidth} values
     * when {@code classLabels} is {@link ClassLabels#none()}. Call it once.
     *
     * @throws DataFormatException when no sample was added
     */
    LabelledDataset build(int featureCount, ClassLabels classLabels, int targetWidth) throws DataFormatException {
        if (values.isEmpty()) {
            throw new DataFormatException(file + ": no samples, only blank lines" + (sparse ? " or comments" : "")
                    + "; a data set needs at least one");
        }
        int classes = classLabels.size();
        DatasetBuilder builder = Dataset.builder(featureCount, sparse, classes, targetWidth);
        for (int i = 0; i < values.size(); i++) {
            builder.add(classes > 0 ? labelled(i, classLabels.classOf(labels.get(i))) : withTarget(i));
            indices.set(i, null); // the builder holds a copy: let the collector have the original
            values.set(i, null);
        }
        return new LabelledDataset(builder.build(), classLabels);
    }

    private Sample labelled(int i, int label) {
        return sparse ? Sample.sparse(indices.get(i), values.get(i), label) : Sample.dense(values.get(i), label);
    }

    private Sample withTarget(int i) {
        return sparse
                ? Sample.sparse(indices.get(i), values.get(i), targets.get(i))
                : Sample.dense(values.get(i), targets.get(i));
    }
}
