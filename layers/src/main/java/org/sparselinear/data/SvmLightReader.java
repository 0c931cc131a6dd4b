package org.sparselinear.data;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * One pass over the sample lines of an svmlight file (blank and comment lines skipped), parsed by
 * {@link SvmLightLine}. It also records what inferring the shape of the data needs: the widest
 * line and, for classification, the distinct labels.
 */
final class SvmLightReader implements Closeable {

    private final Path file;
    private final SvmLightOptions options;
    private final BufferedReader in;
    private final SvmLightLine line;
    private final Set<String> labels = new HashSet<>();
    private long lineNumber;
    private int width;
    private int samples;

    /** Opens {@code file} (plain or gzip), with {@code featureCount} features (0: not known yet). */
    SvmLightReader(Path file, SvmLightOptions options, int featureCount) throws IOException {
        this.file = file;
        this.options = options;
        this.in = TextFiles.open(file);
        this.line = new SvmLightLine(file, options.zeroBased(), options.regression(), featureCount);
    }

    /**
     * Reads up to the next sample line.
     *
     * @return false at the end of the file
     * @throws DataFormatException naming the file and line when the line is not valid svmlight
     */
    boolean next() throws IOException {
        String text;
        while ((text = in.readLine()) != null) {
            if (line.parse(text, ++lineNumber)) {
                samples++;
                width = Math.max(width, line.width());
                if (options.classLabels() != null) {
                    line.classIn(options.classLabels());
                } else if (!options.regression()) {
                    labels.add(Long.toString(line.label()));
                }
                return true;
            }
        }
        return false;
    }

    /** Reads (and checks) every line left, recording the width and the labels. */
    void skipToEnd() throws IOException {
        while (next()) {
            // next() records what it reads
        }
    }

    /** The sample line just read. */
    SvmLightLine line() {
        return line;
    }

    /**
     * The classes of the lines read: those of the options, else the distinct labels read in sorted
     * order; none for regression.
     *
     * @throws DataFormatException when they are inferred and no line was read
     */
    ClassLabels classLabels() throws DataFormatException {
        if (options.regression()) {
            return ClassLabels.none();
        }
        if (options.classLabels() != null) {
            return options.classLabels();
        }
        requireSamples();
        return ClassLabels.sorted(labels);
    }

    /**
     * The number of features of the lines read: that of the options, else the largest index read.
     *
     * @throws DataFormatException when it is inferred and no line has a feature, or no line was read
     */
    int featureCount() throws DataFormatException {
        if (options.featureCount() > 0) {
            return options.featureCount();
        }
        requireSamples();
        if (width == 0) {
            throw new DataFormatException(file + ": no line has a feature, so the number of features cannot be"
                    + " inferred; give it in the options");
        }
        return width;
    }

    private void requireSamples() throws DataFormatException {
        if (samples == 0) {
            throw new DataFormatException(file + ": no samples (every line is blank or a comment); expected lines"
                    + " of 'label index:value ...'");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
