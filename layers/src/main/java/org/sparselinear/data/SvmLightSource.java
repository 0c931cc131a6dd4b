package org.sparselinear.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An svmlight file streamed: each {@link #open()} reads the file from the start, one line at a
 * time, without holding it. Made by {@link SvmLight#stream}, which fixes the number of features
 * and the classes before the first pass.
 */
public final class SvmLightSource implements LabelledSource {

    private final Path file;
    private final SvmLightOptions options;
    private final int featureCount;
    private final ClassLabels classLabels;

    SvmLightSource(Path file, SvmLightOptions options, int featureCount, ClassLabels classLabels) {
        this.file = file;
        this.options = options.withFeatureCount(featureCount);
        this.featureCount = featureCount;
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
        return true;
    }

    @Override
    public int classes() {
        return classLabels.size();
    }

    @Override
    public int targetWidth() {
        return 1;
    }

    @Override
    public ClassLabels classLabels() {
        return classLabels;
    }

    /**
     * One pass over the file. Its {@code hasNext} and {@code next} throw an
     * {@link UncheckedIOException} whose cause, a {@link DataFormatException}, names the file and
     * line of a line that is not valid (or the file when it cannot be read).
     */
    @Override
    public SampleIterator open() throws IOException {
        SvmLightReader reader = new SvmLightReader(file, options, featureCount);
        return new FileSamples(file, () -> reader.next() ? reader.line().sample(classLabels) : null, reader);
    }

    @Override
    public String toString() {
        return "SvmLightSource(" + file + ", " + featureCount + " features, "
                + (classes() > 0 ? classes() + " classes" : "regression") + ")";
    }
}
