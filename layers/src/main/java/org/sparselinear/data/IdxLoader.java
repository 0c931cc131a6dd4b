package org.sparselinear.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.sparselinear.spi.Checks;

/** Loads one split of an MNIST-style data set from its IDX files; see {@link Dataset#loadIdx}. */
final class IdxLoader {

    private IdxLoader() {}

    static Dataset load(Path folder, Split split, float mean, float std) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Objects.requireNonNull(split, "split");
        if (!Float.isFinite(mean)) {
            throw new IllegalArgumentException("mean must be finite, got " + mean);
        }
        Checks.positiveFinite(std, "std");
        Path imagesPath = find(folder, split.imagesFile(), split);
        Path labelsPath = find(folder, split.labelsFile(), split);
        IdxFile images = IdxReader.read(imagesPath);
        IdxFile labelFile = IdxReader.read(labelsPath);
        int[] imageDimensions = images.dimensions();
        if (imageDimensions.length != 3) {
            throw new DataFormatException(imagesPath + ": expected images of dimensions (count, rows, columns), got "
                    + Arrays.toString(imageDimensions));
        }
        if (imageDimensions[1] < 1 || imageDimensions[2] < 1) {
            throw new DataFormatException(imagesPath + ": images of " + imageDimensions[1] + " x " + imageDimensions[2]
                    + " pixels; expected at least 1 x 1");
        }
        if (labelFile.dimensions().length != 1) {
            throw new DataFormatException(labelsPath + ": expected labels of dimensions (count), got "
                    + Arrays.toString(labelFile.dimensions()));
        }
        if (images.count() != labelFile.count()) {
            throw new DataFormatException(split + " split in " + folder + ": " + images.count() + " images but "
                    + labelFile.count() + " labels; the two files must come from the same data set");
        }
        if (images.count() == 0) {
            throw new DataFormatException(imagesPath + " and " + labelsPath + " declare 0 samples; the " + split
                    + " split needs at least one");
        }
        int classes = 1;
        for (int i = 0; i < labelFile.count(); i++) {
            classes = Math.max(classes, labelFile.get(i) + 1);
        }
        int[] sampleShape = {1, imageDimensions[1], imageDimensions[2]};
        DatasetBuilder builder = new DatasetBuilder(new SampleSpec(sampleShape, false, classes, 1));
        int pixels = images.itemSize();
        for (int i = 0; i < images.count(); i++) {
            float[] features = new float[pixels];
            for (int p = 0; p < pixels; p++) {
                features[p] = (images.get(i * pixels + p) / 255f - mean) / std;
            }
            builder.add(Sample.dense(features, labelFile.get(i)));
        }
        return builder.build();
    }

    private static Path find(Path folder, String name, Split split) throws IOException {
        for (Path candidate : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        String found;
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                found = entries.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(", "));
            }
            found = found.isEmpty() ? "the folder is empty" : "found: " + found;
        } else {
            found = "the folder does not exist";
        }
        throw new FileNotFoundException("no " + name + "[.gz] in " + folder.toAbsolutePath() + " (" + found
                + "). The " + split + " split needs " + split.imagesFile() + "[.gz] and " + split.labelsFile()
                + "[.gz], the MNIST files in IDX format; point to the folder that holds them");
    }
}
