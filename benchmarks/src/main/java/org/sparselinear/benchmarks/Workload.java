package org.sparselinear.benchmarks;

import java.util.Locale;

/**
 * The layer shapes the benchmarks measure (float32, uniform random connectivity), named as in
 * the project's performance targets.
 */
public enum Workload {

    /** 20000 x 20000 at 99 % (4 M connections), batch 1. */
    A(20_000, 20_000, 0.99, 1),
    /** 20000 x 20000 at 99 %, batch 64. */
    B(20_000, 20_000, 0.99, 64),
    /** 784 -> 2000 at 90 %, batch 64: the MNIST demo's hidden layer. */
    C(784, 2_000, 0.9, 64),
    /** 50000 x 50000 at 99.9 % (2.5 M connections), batch 64. */
    D(50_000, 50_000, 0.999, 64);

    private final int in;
    private final int out;
    private final double sparsity;
    private final int batch;

    Workload(int in, int out, double sparsity, int batch) {
        this.in = in;
        this.out = out;
        this.sparsity = sparsity;
        this.batch = batch;
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public double sparsity() {
        return sparsity;
    }

    public int batch() {
        return batch;
    }

    /** Connections: {@code round((1 - sparsity) * in * out)}, as the random topology makes. */
    public long nnz() {
        return Math.round((1 - sparsity) * in * out);
    }

    /** Floating-point operations of one sparse product: {@code 2 * nnz * batch}. */
    public double sparseFlops() {
        return 2.0 * nnz() * batch;
    }

    /** Floating-point operations of one dense product: {@code 2 * in * out * batch}. */
    public double denseFlops() {
        return 2.0 * in * out * batch;
    }

    /**
     * Bytes the forward product must read or write at least once: values and column indices
     * (4 bytes each per connection), row pointers, the input and the output.
     */
    public double forwardBytes() {
        return 4.0 * (2.0 * nnz() + out + 1 + (double) in * batch + (double) out * batch);
    }

    /** Bytes of a dense weight matrix. */
    public long denseWeightBytes() {
        return 4L * in * out;
    }

    /** E.g. {@code "20000x20000 99% b1"}. */
    public String label() {
        return String.format(
                Locale.ROOT,
                "%dx%d %s%% b%d",
                in,
                out,
                java.math.BigDecimal.valueOf(sparsity)
                        .movePointRight(2)
                        .stripTrailingZeros()
                        .toPlainString(),
                batch);
    }
}
