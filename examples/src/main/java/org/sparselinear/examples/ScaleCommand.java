package org.sparselinear.examples;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.api.Tensor;
import org.sparselinear.api.Topologies;
import org.sparselinear.api.Topology;
import org.sparselinear.nn.SparseLinear;
import org.sparselinear.nn.loss.MSELoss;
import org.sparselinear.nn.optim.SGD;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Builds one very large sparse layer and trains it for a step, to show that cost follows the
 * number of connections: creation time (O(nnz) generation), one training step (forward, loss,
 * backward, SGD with momentum), peak memory and the bytes each connection takes.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = {
            "Create one very large SparseLinear layer and train it one step; print time, memory and "
                    + "bytes per connection.",
            "Default: 1,000,000 x 1,000,000 at 99.99 %% (10^8 connections), batch 8. Needs about 4 GB of heap: "
                    + "SPARSELINEAR_HEAP=8g ./sparselinear scale"
        })
final class ScaleCommand implements Callable<Integer> {

    private static final double MIB = HeapUsage.MIB;

    @ParentCommand
    SparseLinearCli cli;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--in",
            paramLabel = "N",
            defaultValue = "1000000",
            description = "Inputs (default: ${DEFAULT-VALUE}).")
    int in;

    @Option(
            names = "--out",
            paramLabel = "M",
            defaultValue = "1000000",
            description = "Outputs (default: ${DEFAULT-VALUE}).")
    int out;

    @Option(
            names = "--sparsity",
            paramLabel = "S",
            defaultValue = "0.9999",
            description = "Fraction of absent connections (default: ${DEFAULT-VALUE}).")
    double sparsity;

    @Option(
            names = "--batch",
            paramLabel = "B",
            defaultValue = "8",
            description = "Batch of the training step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(
            names = "--topology",
            paramLabel = "NAME",
            defaultValue = "random",
            description = "Topology of the connections (default: ${DEFAULT-VALUE}).")
    String topology;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        Backend backend = Backends.get();
        out.println("backend: " + backend.name() + " (" + backend.description() + ")");
        out.printf(
                Locale.ROOT,
                "layer: %,d inputs x %,d outputs at sparsity %s (%s), batch %d%n",
                in,
                this.out,
                sparsity,
                topology,
                batch);
        out.flush();
        long heapBefore = HeapUsage.usedAfterCollection();
        HeapUsage.resetPeak();
        long start = cli.time().monotonicNanos();
        SparseLinear layer;
        try {
            layer = new SparseLinear(
                    in,
                    this.out,
                    SparseLinear.options()
                            .sparsity(sparsity)
                            .topology(topology)
                            .seed(1)
                            .backend(backend));
        } catch (IllegalArgumentException e) {
            // The layer checks its settings (e.g. more connections than int32 indexes) before allocating.
            throw new UsageException(e.getMessage());
        }
        double createSeconds = seconds(start);
        long nnz = layer.nnz();
        long heapAfterCreate = HeapUsage.used();
        out.printf(
                Locale.ROOT,
                "created %,d connections in %.2f s (%.1f M connections/s); heap in use %.0f MiB%n",
                nnz,
                createSeconds,
                nnz / createSeconds / 1e6,
                heapAfterCreate / MIB);
        out.flush();

        SGD optimizer = new SGD(layer.parameters(), 0.01, 0.9);
        DenseMatrix x = backend.upload(gaussian(batch * in), batch, in);
        DenseMatrix target = backend.zeros(batch, this.out);
        MSELoss loss = new MSELoss(MSELoss.Reduction.MEAN);
        float value;
        double forwardSeconds;
        start = cli.time().monotonicNanos();
        try (MemoryScope step = backend.newScope()) {
            optimizer.zeroGrad();
            Tensor output = layer.forward(Tensor.constant(x));
            forwardSeconds = seconds(start);
            Tensor error = loss.forward(output, Tensor.constant(target));
            error.backward();
            optimizer.step();
            value = error.item();
        }
        double stepSeconds = seconds(start);
        out.printf(
                Locale.ROOT,
                "training step (forward, MSE, backward, SGD momentum): %.3f s, forward %.3f s, loss %.4g%n",
                stepSeconds,
                forwardSeconds,
                value);
        out.printf(
                Locale.ROOT,
                "memory: heap in use %.0f MiB after the step; peak heap %.0f MiB (sum of pool peaks, "
                        + "an upper bound); non-heap %.0f MiB; maximum heap %.0f MiB%n",
                HeapUsage.used() / MIB,
                HeapUsage.peak() / MIB,
                ManagementFactory.getMemoryMXBean().getNonHeapMemoryUsage().getUsed() / MIB,
                Runtime.getRuntime().maxMemory() / MIB);
        // What the heap retains besides the input and target batches (float32, on a host-memory backend).
        long retained = HeapUsage.usedAfterCollection() - heapBefore - 4L * batch * ((long) in + this.out);
        printBytesPerConnection(out, backend, nnz, backend.usesHostMemory() ? retained : -1);
        // The layer and its optimizer state must still be reachable when the heap is measured.
        Reference.reachabilityFence(layer);
        Reference.reachabilityFence(optimizer);
        x.close();
        target.close();
        return 0;
    }

    /**
     * The bytes per connection of each part, and the total: the parts from the arrays the layer
     * holds (float32 value, gradient and momentum; the host CSR; the backend's pattern as
     * {@link Backend#patternBytes} sizes it); on a backend whose memory is the Java heap, also
     * what the heap really retains after the step ({@code retained}, measured after a full
     * collection; -1 elsewhere), which catches anything the parts miss (e.g. a CSC form a kernel
     * built).
     */
    private void printBytesPerConnection(PrintWriter out, Backend backend, long nnz, long retained) {
        double hostPattern = (4.0 * (this.out + 1) + 4.0 * nnz) / nnz;
        double devicePattern = (double) backend.patternBytes(this.out, in, nnz) / nnz;
        double total = 4 + hostPattern + devicePattern + 4 + 4;
        out.println("bytes per connection:");
        out.printf(Locale.ROOT, "  weight value                  %6.2f%n", 4.0);
        out.printf(Locale.ROOT, "  indices, host pattern (CSR)   %6.2f%n", hostPattern);
        out.printf(
                Locale.ROOT,
                "  indices, %-6s pattern        %6.2f  (Backend.patternBytes)%n",
                backend.name(),
                devicePattern);
        out.printf(Locale.ROOT, "  gradient                      %6.2f%n", 4.0);
        out.printf(Locale.ROOT, "  optimizer state (momentum)    %6.2f  (Adam: 8)%n", 4.0);
        out.printf(
                Locale.ROOT,
                "  total                         %6.2f  (a dense layer: %.0f per connection kept)%n",
                total,
                12.0 / (1 - sparsity));
        if (retained >= 0) {
            out.printf(
                    Locale.ROOT,
                    "  measured: the heap retains    %6.2f  (after a full GC: the layer, gradient, momentum; "
                            + "the input and target batches not counted)%n",
                    (double) retained / nnz);
        }
        out.flush();
    }

    private void validate() {
        if (in < 1 || out < 1) {
            throw new ParameterException(
                    spec.commandLine(), "--in and --out must be at least 1, got " + in + " and " + out);
        }
        if (!(sparsity >= 0 && sparsity < 1)) {
            throw new ParameterException(spec.commandLine(), "--sparsity must be in [0, 1), got " + sparsity);
        }
        if (batch < 1) {
            throw new ParameterException(spec.commandLine(), "--batch must be at least 1, got " + batch);
        }
        Topology chosen;
        try {
            chosen = Topologies.byName(topology);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--topology: " + e.getMessage());
        }
        long connections = chosen.connectionCount(in, out, sparsity);
        if (connections > Connectivity.MAX_NNZ) {
            throw new ParameterException(
                    spec.commandLine(),
                    String.format(
                            Locale.ROOT,
                            "--in %d x --out %d at --sparsity %s makes %,d connections, more than the %,d one layer "
                                    + "can index with int32; raise --sparsity or make the layer smaller",
                            in,
                            out,
                            sparsity,
                            connections,
                            Connectivity.MAX_NNZ));
        }
        if ((long) batch * Math.max(in, out) > Integer.MAX_VALUE - 8) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--batch " + batch + " times " + Math.max(in, out)
                            + " features exceeds one activation matrix's int32 size; use a smaller batch");
        }
    }

    private double seconds(long startNanos) {
        return (cli.time().monotonicNanos() - startNanos) / 1e9;
    }

    private static float[] gaussian(int length) {
        SplittableRandom random = new SplittableRandom(2);
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
