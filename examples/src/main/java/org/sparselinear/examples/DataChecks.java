package org.sparselinear.examples;

import java.nio.file.Path;
import java.util.Arrays;
import org.sparselinear.data.Dataset;

/**
 * Checks that the training and test splits of a classification data set agree, before any
 * training, so that a corrupt file is refused instead of making a model of the wrong shape.
 *
 * <p>The rule (IDX files do not record the number of classes, so it is taken from the training
 * labels): the classes are {@code 0 .. max}, with {@code max} the largest training label, and
 * <ul>
 *   <li>every one of them has at least one training sample: a class no training sample has means
 *       a corrupt label (one byte 255 among the digits 0-9 would make a 256-class model) or files
 *       of different data sets;</li>
 *   <li>every test label is one of them;</li>
 *   <li>test samples have the training samples' shape.</li>
 * </ul>
 * The checks run on the whole files, before {@code --limit} keeps a first part of them.
 */
final class DataChecks {

    private static final int LISTED = 5;

    private DataChecks() {}

    /**
     * Fails when the splits break the rule above.
     *
     * @throws UsageException naming the folder, the offending label or shape and what to do
     */
    static void requireCompatible(Path folder, Dataset train, Dataset test) {
        int classes = train.classes();
        int[] counts = new int[classes];
        for (int i = 0; i < train.size(); i++) {
            counts[train.get(i).label()]++;
        }
        int missing = 0;
        StringBuilder listed = new StringBuilder();
        for (int c = 0; c < classes; c++) {
            if (counts[c] == 0) {
                if (missing < LISTED) {
                    listed.append(missing == 0 ? "" : ", ").append(c);
                }
                missing++;
            }
        }
        if (missing > 0) {
            throw new UsageException("the training labels in " + folder + " go up to " + (classes - 1) + " but "
                    + missing + " of the classes 0.." + (classes - 1) + " have no training sample (" + listed
                    + (missing > LISTED ? ", ..." : "") + "); a label is corrupt or the files come from different "
                    + "data sets: pass --data DIR with intact files");
        }
        if (!Arrays.equals(train.sampleShape(), test.sampleShape())) {
            throw new UsageException("the test images in " + folder + " have shape "
                    + Arrays.toString(test.sampleShape()) + " but the training images "
                    + Arrays.toString(train.sampleShape()) + "; both splits must come from the same data set");
        }
        for (int i = 0; i < test.size(); i++) {
            int label = test.get(i).label();
            if (label >= classes) {
                throw new UsageException("test label " + i + " in " + folder + " is " + label
                        + ", not one of the " + classes + " classes of the training labels (0.." + (classes - 1)
                        + "); a label is corrupt or the files come from different data sets");
            }
        }
    }
}
