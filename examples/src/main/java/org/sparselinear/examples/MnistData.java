package org.sparselinear.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.sparselinear.data.DataFormatException;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.Split;

/**
 * The MNIST training and test sets from a folder of gzipped IDX files (the layout of the
 * original MNIST distribution), normalised with the usual mean 0.1307 and standard deviation
 * 0.3081 as the reference notebook does.
 *
 * @param folder where the files were read from
 * @param train the training split
 * @param test the test split
 */
public record MnistData(Path folder, Dataset train, Dataset test) {

    /** Mean of the MNIST training pixels scaled to [0, 1]. */
    public static final float MEAN = 0.1307f;

    /** Standard deviation of the MNIST training pixels scaled to [0, 1]. */
    public static final float STD = 0.3081f;

    /** The files a data folder must hold, each plain or gzipped ({@code .gz}). */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    /** Whether {@code folder} holds all of {@link #FILES}. */
    public static boolean looksLikeData(Path folder) {
        return folder != null && FILES.stream().allMatch(name -> present(folder, name));
    }

    private static boolean present(Path folder, String name) {
        return Files.isRegularFile(folder.resolve(name)) || Files.isRegularFile(folder.resolve(name + ".gz"));
    }

    /**
     * Checks that {@code folder} holds the four files.
     *
     * @throws UsageException naming the folder and what is missing
     */
    public static Path check(Path folder) {
        String notAFolder = notAFolder(folder);
        if (notAFolder != null) {
            throw new UsageException("data folder " + folder + " " + notAFolder + "; pass --data DIR, a folder with "
                    + String.join(", ", FILES) + " (IDX files, plain or .gz)");
        }
        if (!Files.isReadable(folder) || !Files.isExecutable(folder)) {
            throw new UsageException("data folder " + folder + " cannot be read (no permission to list or open it); "
                    + "allow reading it or pass --data DIR, another folder with the four MNIST IDX files");
        }
        List<String> missing = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (String name : FILES) {
            if (!present(folder, name)) {
                missing.add(name + "[.gz]");
            } else if (!Files.isReadable(folder.resolve(name)) && !Files.isReadable(folder.resolve(name + ".gz"))) {
                unreadable.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new UsageException("data folder " + folder + " lacks " + String.join(", ", missing)
                    + "; pass --data DIR, a folder with the four MNIST IDX files");
        }
        if (!unreadable.isEmpty()) {
            throw new UsageException(
                    "data folder " + folder + ": no permission to read " + String.join(", ", unreadable)
                            + "; allow reading them or pass --data DIR, another folder with the four MNIST IDX files");
        }
        return folder;
    }

    /** Why {@code path} is not a folder, or null when it is one. */
    private static String notAFolder(Path path) {
        if (Files.isDirectory(path)) {
            return null;
        }
        if (Files.isRegularFile(path)) {
            return "is a file, not a folder";
        }
        if (Files.exists(path)) {
            return "is not a folder but a special file (a device, FIFO or socket)";
        }
        if (Files.isSymbolicLink(path)) {
            return "is a symbolic link that leads to no folder (a loop of links or a missing target)";
        }
        return "does not exist";
    }

    /**
     * Reads both splits from {@code folder}, keeping only the first {@code limit} samples of each
     * when {@code limit > 0}.
     */
    public static MnistData load(Path folder, int limit) throws IOException {
        check(folder);
        Dataset train;
        Dataset test;
        try {
            train = Dataset.loadIdx(folder, Split.TRAIN, MEAN, STD);
            test = Dataset.loadIdx(folder, Split.TEST, MEAN, STD);
        } catch (DataFormatException e) {
            throw new UsageException(e.getMessage() + "; pass --data DIR, a folder with intact MNIST IDX files");
        }
        DataChecks.requireCompatible(folder, train, test);
        if (limit > 0) {
            train = first(train, limit);
            test = first(test, limit);
        }
        return new MnistData(folder, train, test);
    }

    /**
     * Checks that a training batch of {@code batch} samples fits the training split.
     *
     * @throws UsageException when the split has fewer samples, naming both numbers and what to do
     */
    public void requireBatch(int batch) {
        MnistRun.requireBatch(batch, train);
    }

    /** The first {@code count} samples of {@code dataset} (all of them when it has no more). */
    static Dataset first(Dataset dataset, int count) {
        if (count >= dataset.size()) {
            return dataset;
        }
        return dataset.subset(IntStream.range(0, count).toArray());
    }
}
