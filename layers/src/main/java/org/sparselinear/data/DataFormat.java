package org.sparselinear.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The formats of data files the library reads, and how to tell them from a file's name: what a
 * command line needs to pick the reader for {@code --data FILE}.
 */
public enum DataFormat {
    /** svmlight/LIBSVM text, sparse ({@link SvmLight}): {@code .svm}, {@code .libsvm}, {@code .svmlight}, each optionally {@code .gz}. */
    SVMLIGHT("svmlight", ".svm", ".libsvm", ".svmlight"),
    /** Comma-separated values, dense ({@link Csv}): {@code .csv} or {@code .csv.gz}. */
    CSV("csv", ".csv"),
    /** MNIST-style IDX files in a folder ({@link Dataset#loadIdx}): the folder itself. */
    IDX("idx");

    private final String id;
    private final String[] extensions;

    DataFormat(String id, String... extensions) {
        this.id = id;
        this.extensions = extensions;
    }

    /** The name of the format, as {@link #named} takes it: {@code svmlight}, {@code csv} or {@code idx}. */
    public String id() {
        return id;
    }

    /**
     * The format of {@code path} from its name: a folder is IDX; a file's extension, with or
     * without a final {@code .gz}, gives svmlight or CSV. A {@code .txt} file may be either, so it
     * needs its format named.
     *
     * @throws IllegalArgumentException when the name does not tell, saying which names do and how to name the format
     */
    public static DataFormat of(Path path) {
        Objects.requireNonNull(path, "path");
        if (Files.isDirectory(path)) {
            return IDX;
        }
        String name =
                path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        for (DataFormat format : values()) {
            for (String extension : format.extensions) {
                if (base.endsWith(extension)) {
                    return format;
                }
            }
        }
        throw new IllegalArgumentException("cannot tell the format of " + path + " from its name: expected .svm,"
                + " .libsvm or .svmlight (svmlight), .csv (CSV), each optionally .gz, or a folder of IDX files;"
                + " name the format (svmlight, csv or idx)");
    }

    /**
     * The format named {@code name} ({@code svmlight}, also {@code libsvm} or {@code svm}; {@code csv};
     * {@code idx}), in any case.
     *
     * @throws IllegalArgumentException for another name, listing the names
     */
    public static DataFormat named(String name) {
        Objects.requireNonNull(name, "name");
        String id = name.strip().toLowerCase(Locale.ROOT);
        if (id.equals("libsvm") || id.equals("svm")) {
            return SVMLIGHT;
        }
        for (DataFormat format : values()) {
            if (format.id.equals(id)) {
                return format;
            }
        }
        throw new IllegalArgumentException(
                "unknown data format '" + name + "'; expected svmlight (or libsvm, svm), csv or idx");
    }
}
