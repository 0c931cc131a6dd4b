package org.sparselinear.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sparselinear.api.Connectivity;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.Sample;
import org.sparselinear.data.SvmLight;

/**
 * A batch of real TF-IDF rows: the first samples of the Debian package descriptions shipped in
 * {@code data/debian-sections/train.svm.gz} (46,369 features, about 11 non-zeros per row, unit
 * length), as CSR rows and their values.
 */
record TextBatch(Connectivity rows, float[] values) {

    /** The shipped training file, relative to the data folder. */
    static final String FILE = "debian-sections/train.svm.gz";

    /**
     * The first {@code batch} samples of the shipped file, found in the folder named by
     * {@code -Dsparselinear.data} or in a {@code data} folder in the working directory or above it.
     *
     * @throws IllegalStateException when the file is not found, saying where it was looked for
     */
    static TextBatch firstSamples(int batch) {
        Path file = locate();
        Dataset data;
        try {
            data = SvmLight.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (data.size() < batch) {
            throw new IllegalStateException(
                    file + " holds " + data.size() + " samples, fewer than a batch of " + batch);
        }
        int[] rowPointers = new int[batch + 1];
        for (int b = 0; b < batch; b++) {
            rowPointers[b + 1] = rowPointers[b] + data.get(b).nnz();
        }
        int[] columns = new int[rowPointers[batch]];
        float[] values = new float[rowPointers[batch]];
        for (int b = 0; b < batch; b++) {
            Sample sample = data.get(b);
            System.arraycopy(sample.indices(), 0, columns, rowPointers[b], sample.nnz());
            System.arraycopy(sample.values(), 0, values, rowPointers[b], sample.nnz());
        }
        return new TextBatch(Connectivity.fromCsr(batch, data.featureCount(), rowPointers, columns), values);
    }

    private static Path locate() {
        String property = System.getProperty("sparselinear.data");
        if (property != null) {
            Path file = Path.of(property).resolve(FILE);
            if (Files.isRegularFile(file)) {
                return file;
            }
            throw new IllegalStateException("-Dsparselinear.data=" + property + " has no " + FILE
                    + "; point it to the repository's data folder");
        }
        for (Path folder = Path.of("").toAbsolutePath(); folder != null; folder = folder.getParent()) {
            Path file = folder.resolve("data").resolve(FILE);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IllegalStateException("no data/" + FILE + " in " + Path.of("").toAbsolutePath()
                + " or above it; run from the repository or pass -Dsparselinear.data=<repository>/data");
    }

    /** The batch as a dense row-major {@code (batch, features)} array: what a densifying loader would feed. */
    float[] densified() {
        float[] dense = new float[rows.rows() * rows.columns()];
        for (int b = 0; b < rows.rows(); b++) {
            for (int k = rows.rowStart(b); k < rows.rowStart(b + 1); k++) {
                dense[b * rows.columns() + rows.column(k)] = values[k];
            }
        }
        return dense;
    }
}
