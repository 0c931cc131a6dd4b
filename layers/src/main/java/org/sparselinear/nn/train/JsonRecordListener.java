package org.sparselinear.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.sparselinear.io.AtomicFile;
import org.sparselinear.io.JsonCodec;

/**
 * A JSON record of the run in one file, rewritten atomically after every epoch and at the end: the
 * model and optimizer as text, the planned epochs, whatever {@code settings} the caller adds, one
 * entry per epoch ({@code epoch}, {@code step}, then {@code train_} and {@code validation_}
 * {@code loss}, {@code accuracy}, {@code top_k_accuracy}, {@code mse}, {@code mae},
 * {@code samples}, {@code seconds}; a measure not taken is {@code null}), whether the run finished
 * and why it stopped early, if it did.
 */
public final class JsonRecordListener implements TrainingListener {

    private final Path file;
    private final Map<String, Object> settings;
    private final List<Map<String, Object>> epochs = new ArrayList<>();

    /** A record in {@code file}. */
    public JsonRecordListener(Path file) {
        this(file, Map.of());
    }

    /** A record in {@code file} that also holds {@code settings} (values JSON can hold: numbers, strings, lists, maps). */
    public JsonRecordListener(Path file, Map<String, Object> settings) {
        this.file = Objects.requireNonNull(file, "file");
        this.settings = new LinkedHashMap<>(Objects.requireNonNull(settings, "settings"));
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochMetrics metrics) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("epoch", metrics.epoch());
        entry.put("step", metrics.step());
        put(entry, "train_", metrics.train());
        if (metrics.hasValidation()) {
            put(entry, "validation_", metrics.validation());
        }
        epochs.add(entry);
        write(run, false);
    }

    @Override
    public void onTrainingEnd(TrainingRun run, List<EpochMetrics> history) {
        write(run, true);
    }

    private static void put(Map<String, Object> entry, String prefix, Metrics metrics) {
        entry.put(prefix + "loss", metrics.loss());
        entry.put(prefix + "accuracy", metrics.accuracy());
        entry.put(prefix + "top_k_accuracy", metrics.topKAccuracy());
        entry.put(prefix + "mse", metrics.meanSquaredError());
        entry.put(prefix + "mae", metrics.meanAbsoluteError());
        entry.put(prefix + "samples", metrics.samples());
        entry.put(prefix + "seconds", metrics.seconds());
    }

    private void write(TrainingRun run, boolean finished) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("model", run.model().toString());
        record.put("optimizer", run.optimizer().toString());
        record.put("epochs", run.epochs());
        record.put("settings", settings);
        record.put("history", epochs);
        record.put("finished", finished);
        record.put("stopped", run.stopReason());
        byte[] json = (JsonCodec.writeIndented(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFile.write(file, out -> out.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the run record " + file + ": " + e.getMessage(), e);
        }
    }
}
