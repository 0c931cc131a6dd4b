package org.sparselinear.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.sparselinear.io.Checkpoint;

/**
 * Saves a {@link Checkpoint} at the end of every epoch (after the layers' after-epoch hooks), from
 * which {@link Trainer.Builder#resumeFrom} continues the run bit for bit. Each file is written
 * atomically: a crash mid-write leaves the previous one. It holds the model and the optimizer as
 * they are at that moment: in a pruning run, the layers pruned so far and the optimizer over them
 * (resume it from {@link org.sparselinear.io.Checkpoint#buildModel} and
 * {@link org.sparselinear.io.Checkpoint#buildOptimizer}).
 */
public final class CheckpointListener implements TrainingListener {

    private final IntFunction<Path> files;
    private final Function<TrainingRun, Map<String, String>> extras;

    /** Overwrites {@code file} after every epoch: it always holds the last completed epoch. */
    public static CheckpointListener to(Path file) {
        Objects.requireNonNull(file, "file");
        return new CheckpointListener(epoch -> file, run -> Map.of());
    }

    /** Writes epoch {@code e}'s checkpoint to {@code folder/epoch-e.ckpt}, keeping every epoch's. */
    public static CheckpointListener everyEpochIn(Path folder) {
        Objects.requireNonNull(folder, "folder");
        return new CheckpointListener(epoch -> folder.resolve("epoch-" + epoch + ".ckpt"), run -> Map.of());
    }

    /**
     * Writes epoch {@code e}'s checkpoint to {@code files.apply(e)}, with the strings
     * {@code extras.apply(run)} (e.g. the run's settings and history as JSON).
     */
    public CheckpointListener(IntFunction<Path> files, Function<TrainingRun, Map<String, String>> extras) {
        this.files = Objects.requireNonNull(files, "files");
        this.extras = Objects.requireNonNull(extras, "extras");
    }

    /** @throws UncheckedIOException when the checkpoint cannot be written (training stops) */
    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
        Path file = files.apply(metrics.epoch());
        try {
            Checkpoint.save(file, run.model(), run.optimizer(), run.progress(), extras.apply(run));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not write the checkpoint of epoch " + metrics.epoch() + " to " + file + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
