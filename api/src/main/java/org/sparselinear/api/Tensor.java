package org.sparselinear.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.sparselinear.spi.Checks;

/**
 * A value in a define-by-run autograd graph: a {@link DenseMatrix} on some backend, its
 * logical shape, and, when it was computed from tensors that require gradients, the
 * operation that made it. {@link #backward()} on a scalar walks the graph in reverse
 * topological order and accumulates gradients into every tensor that requires one.
 *
 * <p>The logical shape has the batch first; the matrix is {@code (shape[0], product of the
 * rest)}, so an image batch {@code (N, 1, 28, 28)} is stored as {@code (N, 784)} and
 * {@link #reshape} is free. Operations are defined outside this class (in the layers module or
 * by third parties) with {@link #derived}.
 *
 * <p>Not thread-safe: a graph is built and walked by one thread.
 */
public class Tensor {

    private final DenseMatrix value;
    private final int[] shape;
    private final boolean requiresGrad;
    private List<Tensor> inputs;
    private BackwardFunction backwardFunction;
    private boolean released;
    private DenseMatrix grad;

    Tensor(
            DenseMatrix value,
            int[] shape,
            boolean requiresGrad,
            List<Tensor> inputs,
            BackwardFunction backwardFunction) {
        this.value = Objects.requireNonNull(value, "value");
        this.shape = checkShape(value, shape);
        this.requiresGrad = requiresGrad;
        this.inputs = inputs;
        this.backwardFunction = backwardFunction;
    }

    /**
     * A leaf whose data is not a dense matrix of its shape ({@link SparseTensor}): {@code storage}
     * holds its stored values, and its gradient has the shape of {@code storage}.
     */
    Tensor(DenseMatrix storage, int[] shape, boolean requiresGrad) {
        this.value = Objects.requireNonNull(storage, "storage");
        this.shape = shape.clone();
        this.requiresGrad = requiresGrad;
        this.inputs = List.of();
    }

    /** A tensor that needs no gradient (inputs, targets), with shape {@code (rows, columns)}. */
    public static Tensor constant(DenseMatrix value) {
        Objects.requireNonNull(value, "Tensor.constant: value (the matrix to wrap) is null");
        return new Tensor(value, new int[] {value.rows(), value.columns()}, false, List.of(), null);
    }

    /** A tensor that needs no gradient, with a logical shape whose first entry is the batch. */
    public static Tensor constant(DenseMatrix value, int... shape) {
        Objects.requireNonNull(value, "Tensor.constant: value (the matrix to wrap) is null");
        Objects.requireNonNull(shape, "Tensor.constant: shape is null");
        return new Tensor(value, shape.clone(), false, List.of(), null);
    }

    /**
     * The output of an operation on {@code inputs}: it requires a gradient when gradient mode
     * is on and any input requires one, and then remembers the inputs and how to propagate.
     */
    public static Tensor derived(DenseMatrix value, BackwardFunction backward, Tensor... inputs) {
        return derived(value, new int[] {value.rows(), value.columns()}, backward, inputs);
    }

    /** As {@link #derived(DenseMatrix, BackwardFunction, Tensor...)}, with a logical shape. */
    public static Tensor derived(DenseMatrix value, int[] shape, BackwardFunction backward, Tensor... inputs) {
        Objects.requireNonNull(backward, "backward");
        boolean needsGrad = GradMode.isEnabled() && Arrays.stream(inputs).anyMatch(Tensor::requiresGrad);
        if (!needsGrad) {
            return new Tensor(value, shape.clone(), false, List.of(), null);
        }
        return new Tensor(value, shape.clone(), true, List.of(inputs), backward);
    }

    /** The same data with another logical shape (same batch size); gradients flow through. */
    public Tensor reshape(int... newShape) {
        int[] checked = newShape.clone();
        if (checked.length == 0 || checked[0] != shape[0]) {
            throw new IllegalArgumentException(
                    "reshape keeps the batch dimension " + shape[0] + ", got " + Arrays.toString(newShape));
        }
        checkShape(value, checked);
        Tensor source = this;
        return derived(value, checked, g -> value.backend().axpy(1f, g, source.gradOrZeros()), this);
    }

    private static int[] checkShape(DenseMatrix value, int[] shape) {
        long product = 1;
        for (int i = 1; i < shape.length; i++) {
            product *= Checks.nonNegative(shape[i], "dimension " + i);
        }
        if (shape.length < 1 || shape[0] != value.rows() || product != value.columns()) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " does not fit a matrix " + value.shapeString()
                            + ": the first dimension must be the rows and the rest must multiply to the columns");
        }
        return shape;
    }

    /** The data; a {@link SparseTensor} has no dense data and throws. */
    public DenseMatrix value() {
        return value;
    }

    /** The backend the data lives on. */
    public Backend backend() {
        return value.backend();
    }

    /** The logical shape, batch first. */
    public int[] shape() {
        return shape.clone();
    }

    /** Rows of the data matrix (the batch). */
    public int rows() {
        return shape[0];
    }

    /** Columns of the data matrix (features, all non-batch dimensions flattened). */
    public int columns() {
        return value.columns();
    }

    /** Whether backward computes a gradient for this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The accumulated gradient, or null when none has been computed. */
    public DenseMatrix grad() {
        return grad;
    }

    /**
     * The gradient buffer, allocated as zeros (in the current memory scope) on first use: the shape
     * of the data, or for a {@link SparseTensor} of its stored values.
     */
    public DenseMatrix gradOrZeros() {
        if (grad == null) {
            grad = value.backend().zeros(value.rows(), value.columns());
        }
        return grad;
    }

    /** Sets the gradient buffer; used by parameters, which keep theirs across steps. */
    void setGrad(DenseMatrix buffer) {
        this.grad = buffer;
    }

    /** The single element of a {@code (1, 1)} tensor, copied to the host. */
    public float item() {
        if (value.size() != 1) {
            throw new IllegalStateException("item() needs a tensor with one element, got " + value.shapeString());
        }
        return value.backend().download(value())[0];
    }

    /** The data in row-major order, copied to the host. */
    public float[] toArray() {
        return value.backend().download(value());
    }

    /**
     * Back-propagates from this scalar (a loss): seeds its gradient with 1 and accumulates the
     * gradient of every tensor in its graph that requires one. The graph is released afterwards
     * (as PyTorch does without {@code retain_graph}): a second backward through it is an error.
     */
    public void backward() {
        if (value.size() != 1) {
            throw new IllegalStateException("backward() starts from a scalar (a loss of shape (1, 1)), got "
                    + value.shapeString() + "; reduce it to a loss first");
        }
        if (!requiresGrad) {
            throw new IllegalStateException("backward(): this tensor does not require a gradient; it was computed "
                    + "with gradient mode off or from inputs that need none (no parameters)");
        }
        if (released) {
            throw new IllegalStateException("backward() was already called on this loss and its graph was released; "
                    + "run the forward pass again for another backward()");
        }
        backend().fill(gradOrZeros(), 1f);
        List<Tensor> order = topologicalOrder();
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor node = order.get(i);
            if (node.backwardFunction != null && node.grad != null) {
                node.backwardFunction.backward(node.grad);
            }
            if (node.backwardFunction != null) {
                node.backwardFunction = null;
                node.inputs = List.of();
                node.released = true;
            }
        }
    }

    /** Inputs before outputs; this tensor last. Iterative, so deep graphs do not overflow the stack. */
    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Tensor> stack = new ArrayDeque<>();
        Deque<Integer> nextInput = new ArrayDeque<>();
        stack.push(this);
        nextInput.push(0);
        visited.add(this);
        while (!stack.isEmpty()) {
            Tensor node = stack.peek();
            int next = nextInput.pop();
            if (next < node.inputs.size()) {
                nextInput.push(next + 1);
                Tensor input = node.inputs.get(next);
                if (input.released) {
                    throw new IllegalStateException("backward(): part of this graph was already used by an earlier "
                            + "backward() and released; add the losses first and call backward() once on the sum, "
                            + "or run the forward pass again");
                }
                if (input.requiresGrad && visited.add(input)) {
                    stack.push(input);
                    nextInput.push(0);
                }
            } else {
                order.add(stack.pop());
            }
        }
        return order;
    }

    @Override
    public String toString() {
        return "Tensor(shape=" + Arrays.toString(shape) + ", backend="
                + backend().name() + (requiresGrad ? ", requiresGrad" : "") + ")";
    }
}
