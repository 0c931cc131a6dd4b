package org.sparselinear.data;

import java.nio.file.Path;

/**
 * What the streamed files ({@link SvmLightSource}, {@link CsvSource}) share: the file, its
 * width, targets and class names, fixed before the first pass; each subclass reads its format.
 */
abstract class FileSource implements LabelledSource {

    private final Path file;
    private final int featureCount;
    private final boolean sparse;
    private final int targetWidth;
    private final ClassLabels classLabels;

    FileSource(Path file, int featureCount, boolean sparse, int targetWidth, ClassLabels classLabels) {
        this.file = file;
        this.featureCount = featureCount;
        this.sparse = sparse;
        this.targetWidth = targetWidth;
        this.classLabels = classLabels;
    }

    /** The file this source reads. */
    public Path file() {
        return file;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public boolean isSparse() {
        return sparse;
    }

    @Override
    public int classes() {
        return classLabels.size();
    }

    @Override
    public int targetWidth() {
        return targetWidth;
    }

    @Override
    public ClassLabels classLabels() {
        return classLabels;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + file + ", " + featureCount + " features, "
                + (classes() > 0 ? classes() + " classes" : targetWidth + " targets") + ")";
    }
}
