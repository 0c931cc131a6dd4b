package org.sparselinear.io;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What a saved model holds, as {@link ModelFile#inspect} reads it without building the model:
 * one row per layer with its tensors, trainable parameter count and weight sparsity, and, for a
 * checkpoint, the training progress, and what was verified of the tensor data. {@link #toString()}
 * prints it as a table.
 *
 * @param file the file read
 * @param format its format tag, e.g. {@value ModelFile#FORMAT}
 * @param bytes its size
 * @param rows one row per layer, in order (containers left out)
 * @param training for a checkpoint, its progress and optimizer as text; empty for a model file
 * @param checksumsVerified true when the file records checksums of its tensors and they matched;
 *     false when it records none (version 0.1), so damage to its data could not be detected
 */
public record ModelSummary(
        String file,
        String format,
        long bytes,
        List<Row> rows,
        Map<String, String> training,
        boolean checksumsVerified) {

    /** Copies the lists. */
    public ModelSummary {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        rows = List.copyOf(rows);
        training = Map.copyOf(training);
    }

    /**
     * One layer.
     *
     * @param name its position in the model, e.g. {@code "1"} or {@code "2.0"} (empty for a single layer)
     * @param description the layer as its {@code toString()} reads
     * @param tensors each tensor as {@code "name [shape] dtype"}
     * @param parameters trainable scalars
     * @param sparsity the fraction of absent connections of its weight, or NaN for a layer without one
     */
    public record Row(String name, String description, List<String> tensors, long parameters, double sparsity) {

        /** Copies the tensor list. */
        public Row {
            tensors = List.copyOf(tensors);
        }
    }

    /** Trainable scalars of the whole model. */
    public long parameters() {
        return rows.stream().mapToLong(Row::parameters).sum();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "%s: %s, %,d bytes, %d layers, %,d parameters%n",
                file,
                format,
                bytes,
                rows.size(),
                parameters()));
        text.append(String.format(
                Locale.ROOT, "%-6s %-14s %9s %14s  %s%n", "layer", "kind", "sparsity", "parameters", "tensors"));
        for (Row row : rows) {
            String kind = row.description().contains("(")
                    ? row.description().substring(0, row.description().indexOf('('))
                    : row.description();
            text.append(String.format(
                    Locale.ROOT,
                    "%-6s %-14s %9s %,14d  %s%n",
                    row.name().isEmpty() ? "-" : row.name(),
                    kind,
                    Double.isNaN(row.sparsity()) ? "-" : String.format(Locale.ROOT, "%.4f", row.sparsity()),
                    row.parameters(),
                    String.join(", ", row.tensors())));
            text.append("       ").append(row.description()).append(System.lineSeparator());
        }
        text.append(
                        checksumsVerified
                                ? "tensor data: CRC32C checksums verified"
                                : "tensor data: no checksums recorded (written by version 0.1), damage cannot be detected")
                .append("; all float values finite")
                .append(System.lineSeparator());
        training.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> text.append(entry.getKey())
                .append(": ")
                .append(entry.getValue())
                .append(System.lineSeparator()));
        return text.toString();
    }
}
