package org.sparselinear.nn;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.api.Tensor;

/**
 * Differentiable operations on {@link Tensor}s that are not layers, for models wired by hand
 * (a residual connection, see {@link Residual}; branches side by side, see {@link Concat}). Each returns a {@link Tensor#derived} tensor, so
 * gradients flow back to its inputs when gradient mode is on.
 */
public final class Ops {

    private Ops() {}

    /**
     * The element-wise sum {@code a + b}, like PyTorch's {@code torch.add(a, b)} without
     * broadcasting: the gradient of each input is the output's gradient (twice when {@code a} and
     * {@code b} are the same tensor). The result has the inputs' logical shape.
     *
     * @throws IllegalArgumentException when the logical shapes differ or the tensors live on
     *         different backends (the message gives both)
     */
    public static Tensor add(Tensor a, Tensor b) {
        return add(a, b, "Ops.add");
    }

    /** As {@link #add(Tensor, Tensor)}, with {@code operation} naming the caller in error messages. */
    static Tensor add(Tensor a, Tensor b, String operation) {
        Objects.requireNonNull(a, () -> operation + ": the first tensor is null");
        Objects.requireNonNull(b, () -> operation + ": the second tensor is null");
        int[] shape = a.shape();
        if (!Arrays.equals(shape, b.shape())) {
            throw new IllegalArgumentException(operation + ": element-wise addition needs equal shapes, got "
                    + Arrays.toString(shape) + " and " + Arrays.toString(b.shape()) + " (there is no broadcasting)");
        }
        Backend backend = a.backend();
        if (b.backend() != backend) {
            throw new IllegalArgumentException(operation + ": the tensors live on different backends, " + backend.name()
                    + " and " + b.backend().name() + "; move one with model.to(backend)");
        }
        DenseMatrix y = backend.zeros(a.rows(), a.columns());
        backend.copy(a.value(), y);
        backend.axpy(1f, b.value(), y);
        return Tensor.derived(
                y,
                shape,
                dy -> {
                    if (a.requiresGrad()) {
                        backend.axpy(1f, dy, a.gradOrZeros());
                    }
                    if (b.requiresGrad()) {
                        backend.axpy(1f, dy, b.gradOrZeros());
                    }
                },
                a,
                b);
    }

    /**
     * The tensors side by side along the feature (column) axis, like PyTorch's
     * {@code torch.cat(tensors, dim=1)} for {@code (batch, features)} tensors: the result is
     * {@code (batch, sum of features)}, input {@code i}'s features in the columns after those of
     * the inputs before it. The gradient of each input is its block of the output's gradient (a
     * tensor given twice gets both blocks). Inputs and outputs are copied bit for bit.
     *
     * @throws IllegalArgumentException when no tensor is given, a tensor is not two-dimensional
     *         (flatten it first) or is a sparse batch, the batch sizes differ, or the tensors live
     *         on different backends (the message names the tensor and both values)
     */
    public static Tensor concat(Tensor... tensors) {
        return concat(Arrays.asList(Objects.requireNonNull(tensors, "Ops.concat: the tensors are null")), "Ops.concat");
    }

    /** As {@link #concat(Tensor...)}, with {@code operation} naming the caller in error messages. */
    static Tensor concat(List<Tensor> tensors, String operation) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(operation + ": concatenation needs at least one tensor, got none");
        }
        Tensor first = Objects.requireNonNull(tensors.get(0), () -> operation + ": tensor 0 is null");
        Backend backend = first.backend();
        int rows = first.rows();
        int[] offsets = new int[tensors.size() + 1];
        for (int i = 0; i < tensors.size(); i++) {
            int index = i;
            Tensor tensor = Objects.requireNonNull(tensors.get(i), () -> operation + ": tensor " + index + " is null");
            if (tensor instanceof SparseTensor) {
                throw new IllegalArgumentException(operation + ": tensor " + i + " is a sparse batch; concatenation "
                        + "takes dense tensors, so feed the sparse batch to a Linear or SparseLinear layer first");
            }
            if (tensor.shape().length != 2) {
                throw new IllegalArgumentException(operation + ": concatenation joins (batch, features) tensors along "
                        + "the features, but tensor " + i + " has shape " + Arrays.toString(tensor.shape())
                        + "; flatten it first (Flatten or reshape)");
            }
            if (tensor.rows() != rows) {
                throw new IllegalArgumentException(operation + ": all tensors need the same batch size, but tensor 0 "
                        + "has " + rows + " rows and tensor " + i + " has " + tensor.rows());
            }
            if (tensor.backend() != backend) {
                throw new IllegalArgumentException(operation + ": tensor " + i + " lives on backend "
                        + tensor.backend().name() + " and tensor 0 on " + backend.name()
                        + "; move one with model.to(backend)");
            }
            offsets[i + 1] = Math.addExact(offsets[i], tensor.columns());
        }
        DenseMatrix y = backend.zeros(rows, offsets[tensors.size()]);
        for (int i = 0; i < tensors.size(); i++) {
            backend.copyColumns(
                    tensors.get(i).value(), 0, y, offsets[i], tensors.get(i).columns());
        }
        List<Tensor> inputs = List.copyOf(tensors);
        return Tensor.derived(
                y,
                dy -> {
                    for (int i = 0; i < inputs.size(); i++) {
                        Tensor input = inputs.get(i);
                        if (input.requiresGrad()) {
                            DenseMatrix block = backend.zeros(rows, input.columns());
                            backend.copyColumns(dy, offsets[i], block, 0, input.columns());
                            backend.axpy(1f, block, input.gradOrZeros());
                        }
                    }
                },
                inputs.toArray(Tensor[]::new));
    }
}
