package org.sparselinear.benchmarks;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.SparseTensor;
import org.sparselinear.nn.Init;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.ReLU;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adagrad;
import org.sparselinear.nn.optim.Optimizer;
import org.sparselinear.nn.sparsity.RigL;

/**
 * What a RigL rewiring step adds to a training step of the text model's network (a batch of 256
 * real Debian-sections rows into a 91 % sparse layer of 1,000 with half of its connections on
 * fully connected units, ReLU, 50 classes, Adagrad): the same step on a layer that RigL rewires at
 * every step (a third of its connections, its first steps' rate) and, as the baseline in the same
 * run, on the same layer left static. Their difference is one rewiring: the growth candidates in
 * the backward pass, the drop and the new pattern after the optimizer step, and the column form
 * the next forward pass builds again.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx4g", "--add-modules", "jdk.incubator.vector"})
public class RigLEventBenchmark {

    private static final int BATCH = 256;
    private static final int HIDDEN = 1000;
    private static final int CLASSES = 50;
    private static final double SPARSITY = 0.91;

    private Backend backend;
    private SparseTensor input;
    private int[] labels;
    private Layer rewired;
    private Layer fixed;
    private Optimizer rewiredOptimizer;
    private Optimizer fixedOptimizer;
    private final CrossEntropyLoss loss = new CrossEntropyLoss(0.5);

    @Setup(Level.Trial)
    public void setUp() {
        backend = Backends.get();
        TextBatch text = TextBatch.firstSamples(BATCH);
        input = SparseTensor.upload(backend, text.rows(), text.values());
        labels = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
            labels[b] = b % CLASSES;
        }
        int features = text.rows().columns();
        // An end far away keeps RigL's cosine decay at its start: a third of the connections each step.
        rewired = network(
                features,
                SparseLinear.options()
                        .rewiring(RigL.forPlannedSteps(1L << 40).withDeltaT(1).withAlpha(1.0 / 3)));
        fixed = network(features, SparseLinear.options());
        rewiredOptimizer = new Adagrad(rewired.parameters(), 0.07);
        fixedOptimizer = new Adagrad(fixed.parameters(), 0.07);
    }

    private Layer network(int features, SparseLinear.Options options) {
        Layer network = Init.withSeed(
                1,
                () -> new Sequential(
                        new SparseLinear(
                                features,
                                HIDDEN,
                                options.sparsity(SPARSITY)
                                        .topology("dense-units", Map.of("share", 0.5))
                                        .backend(backend)),
                        new ReLU(),
                        new Linear(HIDDEN, CLASSES, true, Init.nextSeed(), backend)));
        network.train();
        return network;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (AutoCloseable resource : List.<AutoCloseable>of(
                rewiredOptimizer, fixedOptimizer, rewired, fixed, input.pattern(), input.values())) {
            try {
                resource.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A training step that rewires a third of the first layer's connections. */
    @Benchmark
    public Layer rewiredStep() {
        step(rewired, rewiredOptimizer);
        return rewired;
    }

    /** The same step on the layer left static. */
    @Benchmark
    public Layer staticStep() {
        step(fixed, fixedOptimizer);
        return fixed;
    }

    private void step(Layer network, Optimizer optimizer) {
        try (MemoryScope scope = backend.newScope()) {
            optimizer.zeroGrad();
            loss.forward(network.forward(input), labels).backward();
            optimizer.step();
        }
        backend.synchronize();
    }
}
