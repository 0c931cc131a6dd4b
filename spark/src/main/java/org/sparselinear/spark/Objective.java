package org.sparselinear.spark;

import java.io.Serializable;
import org.apache.spark.ml.linalg.Vector;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Tensor;
import org.sparselinear.data.Batch;
import org.sparselinear.data.Sample;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.loss.MSELoss;

/**
 * What the network learns: classes (softmax cross-entropy on class labels {@code 0 .. classes-1})
 * or one real target (mean squared error), with the label column read accordingly.
 *
 * @param classes the number of classes, or 0 for regression
 */
record Objective(int classes) implements Serializable {

    static Objective classification(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        return new Objective(classes);
    }

    static Objective regression() {
        return new Objective(0);
    }

    boolean isClassification() {
        return classes > 0;
    }

    /** The network's output width. */
    int outputs() {
        return isClassification() ? classes : 1;
    }

    /** A training sample of {@code features} with {@code label}, checked against the classes. */
    Sample sample(Vector features, int width, boolean sparse, double label) {
        if (!isClassification()) {
            if (!Double.isFinite(label)) {
                throw new IllegalArgumentException("a label is " + label + "; regression needs finite labels");
            }
            return FeatureRows.sample(features, width, sparse, 0, new float[] {(float) label});
        }
        if (label != Math.rint(label) || label < 0 || label >= classes) {
            throw new IllegalArgumentException("a label is " + label + " but a classifier of " + classes
                    + " classes takes the integers 0 to " + (classes - 1) + "; index string labels with "
                    + "StringIndexer first");
        }
        return FeatureRows.sample(features, width, sparse, (int) label, null);
    }

    /** The batch's mean loss for the network's {@code output}. */
    Tensor loss(Tensor output, Batch batch, Backend backend) {
        return isClassification()
                ? new CrossEntropyLoss().forward(output, batch.labels())
                : new MSELoss().forward(output, batch.targets(backend));
    }
}
