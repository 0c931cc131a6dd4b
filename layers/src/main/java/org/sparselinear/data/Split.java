package org.sparselinear.data;

/** The two parts of an MNIST-style data set, named by the prefix of their IDX files. */
public enum Split {

    /** The training part: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}. */
    TRAIN("train"),

    /** The test part: {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}. */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
        this.prefix = prefix;
    }

    /** The name of the images file, without the optional {@code .gz}. */
    public String imagesFile() {
        return prefix + "-images-idx3-ubyte";
    }

    /** The name of the labels file, without the optional {@code .gz}. */
    public String labelsFile() {
        return prefix + "-labels-idx1-ubyte";
    }
}
