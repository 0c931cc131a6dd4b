package org.sparselinear.examples;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options the {@code demo} and {@code train} commands share. */
public final class RunOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--seed",
            paramLabel = "K",
            defaultValue = "0",
            description = "Seed of the weights, connections and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Folder with the MNIST IDX files (train-images-idx3-ubyte.gz, ...); 'train' also reads "
                    + "an svmlight (.svm) or CSV (.csv) file, plain or .gz. "
                    + "Default: -D" + DataLocator.PROPERTY + ", $" + DataLocator.ENVIRONMENT
                    + ", else a 'data' folder next to the jar or the working directory or above them.")
    Path data;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N samples of each split (0: all; default: ${DEFAULT-VALUE}).")
    int limit;

    /** Checks the values; throws a {@link ParameterException} naming the first bad one. */
    void validate() {
        if (epochs < 1) {
            throw fail("--epochs must be at least 1, got " + epochs);
        }
        if (limit < 0) {
            throw fail("--limit must be 0 (all samples) or positive, got " + limit);
        }
    }

    /**
     * Checks a learning rate given as {@code option}: positive and finite also as the float the
     * optimizers compute with ({@code 1e308} is finite as a double but infinite as a float).
     */
    static void requireLearningRate(CommandLine commandLine, String option, double value) {
        float asFloat = (float) value;
        if (!(value > 0 && asFloat > 0 && Float.isFinite(asFloat))) {
            throw new ParameterException(
                    commandLine,
                    option + " must be a positive number that fits a float (about 1.4e-45 to 3.4e38), got " + value);
        }
    }

    /** The data folder: {@code --data} or the one {@link DataLocator} finds, checked to hold the files. */
    Path dataFolder() {
        Path folder = DataLocator.resolve(data);
        try {
            return MnistData.check(folder);
        } catch (UsageException e) {
            throw fail(e.getMessage());
        }
    }

    ParameterException fail(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
