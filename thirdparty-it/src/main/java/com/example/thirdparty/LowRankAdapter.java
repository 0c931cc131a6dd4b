package com.example.thirdparty;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.io.Saveable;
import org.sparselinear.io.StateWriter;
import org.sparselinear.nn.AbstractLayer;

/**
 * A residual low-rank adapter (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models"): {@code y = x + (alpha / rank) x A^T B^T}, with {@code A} {@code (rank, features)} and
 * {@code B} {@code (features, rank)} its own trainable parameters ({@code "lora_a"},
 * {@code "lora_b"}). Written against the library's public API only, as a third party would: it
 * saves through {@link Saveable} and is read back through {@link ThirdPartyKinds}.
 */
public final class LowRankAdapter extends AbstractLayer implements Saveable {

    /** The kind name files record: the class's full name, as a third party should choose. */
    public static final String KIND = "com.example.thirdparty.LowRankAdapter";

    final int features;
    final int rank;
    final double alpha;
    private final Backend backend;
    final Parameter a;
    final Parameter b;

    /**
     * An adapter of {@code features} features and rank {@code rank} (1 to features), scaled by
     * {@code alpha / rank}; {@code A} and {@code B} start uniform in {@code +-1/sqrt(features)} from {@code seed}.
     */
    public LowRankAdapter(int features, int rank, double alpha, long seed, Backend backend) {
        if (features < 1 || rank < 1 || rank > features || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LowRankAdapter needs features >= 1, rank in [1, features] and a finite "
                    + "alpha, got features=" + features + ", rank=" + rank + ", alpha=" + alpha);
        }
        this.features = features;
        this.rank = rank;
        this.alpha = alpha;
        this.backend = Objects.requireNonNull(backend, "backend");
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1 / Math.sqrt(features);
        this.a = new Parameter("lora_a", backend.upload(uniform(rank * features, bound, random), rank, features));
        this.b = new Parameter("lora_b", backend.upload(uniform(features * rank, bound, random), features, rank));
    }

    private static float[] uniform(int n, double bound, SplittableRandom random) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble(-bound, bound);
        }
        return values;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.columns() != features) {
            throw new IllegalArgumentException(this + ": expected " + features + " features, got " + input.columns());
        }
        DenseMatrix x = input.value();
        int n = x.rows();
        float scale = (float) (alpha / rank);
        DenseMatrix h = backend.zeros(n, rank);
        backend.gemm(x, false, a.value(), true, h, false);
        backend.scale(h, scale);
        DenseMatrix y = backend.zeros(n, features);
        backend.copy(x, y);
        backend.gemm(h, false, b.value(), true, y, true);
        return Tensor.derived(
                y,
                dy -> {
                    DenseMatrix g = backend.zeros(n, rank);
                    backend.gemm(dy, false, b.value(), false, g, false);
                    backend.scale(g, scale);
                    backend.gemm(g, true, x, false, a.grad(), true);
                    backend.gemm(dy, true, h, false, b.grad(), true);
                    if (input.requiresGrad()) {
                        DenseMatrix dx = input.gradOrZeros();
                        backend.axpy(1f, dy, dx);
                        backend.gemm(g, false, a.value(), false, dx, true);
                    }
                },
                input,
                a,
                b);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(a, b);
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Features, rank and alpha; tensors {@code lora_a} {@code [rank, features]} and {@code lora_b} {@code [features, rank]}. */
    @Override
    public void describe(StateWriter out) {
        out.config("features", features).config("rank", rank).config("alpha", alpha);
        out.parameter("lora_a", a).parameter("lora_b", b);
    }

    /** Overwrites the parameters with saved values (row-major). */
    void restore(float[] aValues, float[] bValues) {
        try (MemoryScope scope = backend.newScope()) {
            backend.copy(backend.upload(aValues, rank, features), a.value());
            backend.copy(backend.upload(bValues, features, rank), b.value());
        }
    }

    @Override
    public String toString() {
        return description(features, rank, alpha);
    }

    static String description(int features, int rank, double alpha) {
        return String.format(Locale.ROOT, "LowRankAdapter(features=%d, rank=%d, alpha=%s)", features, rank, alpha);
    }
}
