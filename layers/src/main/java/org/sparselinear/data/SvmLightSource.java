package org.sparselinear.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * An svmlight file streamed: each {@link #open()} reads the file from the start, one line at a
 * time, without holding it. Made by {@link SvmLight#stream}, which fixes the number of features
 * and the classes before the first pass.
 */
public final class SvmLightSource extends FileSource {

    private final SvmLightOptions options;

    SvmLightSource(Path file, SvmLightOptions options, int featureCount, ClassLabels classLabels) {
        super(file, featureCount, true, 1, classLabels);
        this.options = options.withFeatureCount(featureCount);
    }

    /**
     * One pass over the file. Its {@code hasNext} and {@code next} throw an
     * {@link UncheckedIOException} whose cause, a {@link DataFormatException}, names the file and
     * line of a line that is not valid (or the file when it cannot be read).
     */
    @Override
    public SampleIterator open() throws IOException {
        SvmLightReader reader = new SvmLightReader(file(), options, featureCount());
        return new FileSamples(file(), () -> reader.next() ? reader.line().sample(classLabels()) : null, reader);
    }
}
