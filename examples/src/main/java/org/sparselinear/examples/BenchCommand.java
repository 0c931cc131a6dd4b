package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.benchmarks.DemoTrainingStepBenchmark;
import org.sparselinear.benchmarks.DenseLayerBenchmark;
import org.sparselinear.benchmarks.InputAccessBenchmark;
import org.sparselinear.benchmarks.MemoryBandwidthBenchmark;
import org.sparselinear.benchmarks.SparseInputBenchmark;
import org.sparselinear.benchmarks.SparseInputTraffic;
import org.sparselinear.benchmarks.SparseLayerBenchmark;
import org.sparselinear.benchmarks.Workload;
import org.sparselinear.io.JsonCodec;
import org.sparselinear.spi.Availability;
import org.sparselinear.spi.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A short run of the JMH benchmarks of the {@code benchmarks} module on the backend named by
 * {@code --backend} (or {@code -Dsparselinear.backend}, {@code SPARSELINEAR_BACKEND}), else on
 * every available one: the machine's memory bandwidth, the sparse layer kernels of each
 * {@link Workload} against their dense equivalent and (CPU) against their access limit
 * ({@link InputAccessBenchmark}), the demo model's training step, and the CPU
 * backend's scaling from one thread to all. Prints a table (ms per op, GFLOP/s, GB/s of sparse data, speed-up over dense) and can
 * write it as JSON. For publishable numbers run the benchmarks jar itself with more iterations.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Run a short version of the JMH benchmarks and print a table per backend: the one named by "
                    + "--backend, else every available one.",
            "Cases: A 20000x20000 99%% b1, B same at b64, C 784->2000 90%% b64, D 50000x50000 99.9%% b64, "
                    + "E the demo model's training step, F the text model's first layer (Debian sections, b64, "
                    + "sparse inputs) at 90%% (input-major, and in row order) and dense against its memory-bound limit.",
            "On the CPU, A to D are also set against their access limit: the time the reads of each connection's "
                    + "input (and, for a training step, the updates of the input gradient) take alone."
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Case F's first layers ({@link SparseInputBenchmark}'s {@code layer}) and batch. */
    static final List<String> TEXT_LAYERS = List.of("sparse90", "sparse90rows", "dense");

    static final int TEXT_BATCH = 64;

    @Option(
            names = "--cases",
            paramLabel = "LIST",
            split = ",",
            defaultValue = "A,B,C,D,E,F",
            description = "Cases to run (default: ${DEFAULT-VALUE}).")
    List<String> cases;

    @Option(
            names = "--iterations",
            paramLabel = "N",
            defaultValue = "3",
            description = "Measured iterations of one second per benchmark (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--no-dense", description = "Skip the dense baselines (the slowest part).")
    boolean noDense;

    @Option(
            names = "--forks",
            paramLabel = "N",
            defaultValue = "1",
            description = "JVMs per benchmark; 0 runs in this JVM (default: ${DEFAULT-VALUE}).")
    int forks;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Override
    public Integer call() throws IOException {
        List<Workload> workloads = new ArrayList<>();
        boolean demo = false;
        boolean text = false;
        for (String name : cases) {
            String key = name.trim().toUpperCase(Locale.ROOT);
            if (key.equals("E")) {
                demo = true;
            } else if (key.equals("F")) {
                text = true;
            } else {
                try {
                    workloads.add(Workload.valueOf(key));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(
                            spec.commandLine(), "--cases takes A, B, C, D, E or F, got '" + name + "'");
                }
            }
        }
        if (iterations < 1 || forks < 0) {
            throw new ParameterException(spec.commandLine(), "--iterations must be >= 1 and --forks >= 0");
        }
        List<BackendProvider> backends = backendsToRun(Backends.providers(), Backends.requestedName());
        PrintWriter out = spec.commandLine().getOut();
        BenchReport report =
                new BenchReport(score(run(MemoryBandwidthBenchmark.class, "streamingSum", null, List.of(), Map.of())));
        out.printf(
                Locale.ROOT,
                "memory read bandwidth: %.1f GB/s (streaming sum over %d MB)%n",
                report.bandwidthGbps(),
                MemoryBandwidthBenchmark.MEGABYTES);
        out.flush();
        for (BackendProvider provider : backends) {
            Availability availability = provider.availability();
            if (!availability.available()) {
                out.println("backend " + provider.name() + ": skipped (" + availability.detail() + ")");
                continue;
            }
            String backend = provider.name();
            recordPatternBytes(report, provider, workloads);
            if (!workloads.isEmpty()) {
                String names =
                        String.join(",", workloads.stream().map(Workload::name).toList());
                if (backend.equals(CpuBackend.NAME)) {
                    report.addAccessLimits(
                            run(InputAccessBenchmark.class, null, null, List.of(), Map.of("workload", names)));
                }
                report.addSparse(
                        backend, run(SparseLayerBenchmark.class, null, backend, List.of(), Map.of("workload", names)));
                List<Workload> denseable =
                        workloads.stream().filter(w -> w != Workload.D).toList();
                if (!noDense && !denseable.isEmpty()) {
                    report.addDense(
                            backend,
                            run(
                                    DenseLayerBenchmark.class,
                                    null,
                                    backend,
                                    List.of(),
                                    Map.of(
                                            "workload",
                                            String.join(
                                                    ",",
                                                    denseable.stream()
                                                            .map(Workload::name)
                                                            .toList()))));
                }
                if (backend.equals(CpuBackend.NAME) && workloads.contains(Workload.B)) {
                    report.addSingleThread(run(
                            SparseLayerBenchmark.class,
                            null,
                            backend,
                            List.of("-D" + CpuBackend.THREADS_PROPERTY + "=1"),
                            Map.of("workload", "B")));
                }
            }
            if (demo) {
                report.addDemo(backend, run(DemoTrainingStepBenchmark.class, null, backend, List.of(), Map.of()));
            }
            if (text) {
                report.addText(
                        backend,
                        run(
                                SparseInputBenchmark.class,
                                "sparseInput.*",
                                backend,
                                List.of(),
                                Map.of("layer", String.join(",", TEXT_LAYERS), "batch", String.valueOf(TEXT_BATCH))));
            }
            out.print(report.table(backend));
            if (!noDense) {
                String description = Backends.get(backend).description();
                report.denseBaseline(backend, description);
                out.println(
                        "dense ms/op: the same products with a dense (out, in) weight through gemm, on " + description);
            }
            out.flush();
        }
        if (json != null) {
            AtomicFiles.writeString(json, JsonCodec.writeIndented(report.toJson()));
            out.println("wrote " + json);
        }
        return 0;
    }

    /**
     * The backends to measure: only the one {@code requested} (by {@code --backend}, the property
     * or the environment), checked to exist and be available, else every one {@code found}.
     *
     * @throws org.sparselinear.api.BackendException when the requested backend is missing or unavailable
     */
    static List<BackendProvider> backendsToRun(List<BackendProvider> found, String requested) {
        return requested == null ? found : List.of(Backends.select(found, requested));
    }

    /** Records what the provider's backend takes for the pattern of each workload, its indices as it stores them. */
    private static void recordPatternBytes(BenchReport report, BackendProvider provider, List<Workload> workloads) {
        if (workloads.isEmpty()) {
            return;
        }
        Backend backend = provider.create();
        try {
            for (Workload w : workloads) {
                report.putPatternBytes(provider.name(), w, backend.patternBytes(w.out(), w.in(), w.nnz()));
            }
        } finally {
            backend.close();
        }
    }

    private Collection<RunResult> run(
            Class<?> benchmark, String method, String backend, List<String> jvmArgs, Map<String, String> params) {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(benchmark.getName() + "." + (method != null ? method : ".*"))
                .warmupIterations(1)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(1))
                .forks(forks)
                .verbosity(VerboseMode.SILENT);
        List<String> args = new ArrayList<>(jvmArgs);
        if (backend != null) {
            args.add("-D" + Backends.PROPERTY + "=" + backend);
        }
        if (!args.isEmpty()) {
            // Prepend: an appended list would replace the benchmarks' own (heap size, Vector API module).
            options.jvmArgsPrepend(args.toArray(new String[0]));
        }
        params.forEach((name, values) -> options.param(name, values.split(",")));
        try {
            return new Runner(options.build()).run();
        } catch (RunnerException e) {
            throw new IllegalStateException("benchmark " + benchmark.getSimpleName() + " failed: " + e.getMessage(), e);
        }
    }

    private static double score(Collection<RunResult> results) {
        return results.iterator().next().getPrimaryResult().getScore();
    }

    /** The numbers of one run, and the table and JSON made from them. */
    static final class BenchReport {

        private final double bandwidthMillis;
        private final Map<String, Map<String, Double>> millis = new LinkedHashMap<>();
        private final Map<String, Long> patternBytes = new LinkedHashMap<>();
        private final Map<String, Double> accessMillis = new LinkedHashMap<>();
        private final Map<String, String> denseBaselines = new LinkedHashMap<>();

        BenchReport(double bandwidthMillis) {
            this.bandwidthMillis = bandwidthMillis;
        }

        double bandwidthGbps() {
            return MemoryBandwidthBenchmark.BYTES / (bandwidthMillis * 1e6);
        }

        /** What the dense products of {@code backend} ran on (its description), for the JSON. */
        void denseBaseline(String backend, String description) {
            denseBaselines.put(backend, description);
        }

        void addSparse(String backend, Collection<RunResult> results) {
            add(backend, "sparse", results);
        }

        void addDense(String backend, Collection<RunResult> results) {
            add(backend, "dense", results);
        }

        void addSingleThread(Collection<RunResult> results) {
            add(CpuBackend.NAME, "sparse-1thread", results);
        }

        /** {@link InputAccessBenchmark}'s results: the CPU's access limit of each workload's products. */
        void addAccessLimits(Collection<RunResult> results) {
            for (RunResult result : results) {
                putAccessLimit(
                        Workload.valueOf(result.getParams().getParam("workload")),
                        result.getParams().getBenchmark().replaceAll(".*\\.", ""),
                        result.getPrimaryResult().getScore());
            }
        }

        /** Records {@link InputAccessBenchmark}'s {@code op} ({@code forwardReads} or {@code backwardAccesses}) for {@code w}. */
        void putAccessLimit(Workload w, String op, double ms) {
            accessMillis.put(w + " " + op, ms);
        }

        /**
         * The CPU backend's lines on the access limit (see {@link InputAccessBenchmark}): each workload's
         * forward against the time its input reads alone take in this run, and its training step
         * against those reads plus the backward's accesses.
         */
        private void appendAccessLimits(StringBuilder t, String backend) {
            if (!backend.equals(CpuBackend.NAME)) {
                return;
            }
            int lines = t.length();
            for (Workload w : Workload.values()) {
                Double reads = accessMillis.get(w + " forwardReads");
                Double forward = get(backend, w + " sparse forward");
                if (reads == null || forward == null) {
                    continue;
                }
                t.append(String.format(
                        Locale.ROOT,
                        "%s forward: %.0f %% of the access limit (%.3f ms to read the input each connection "
                                + "multiplies and nothing else, at most %.1f GFLOP/s)%n",
                        w,
                        100 * reads / forward,
                        reads,
                        w.sparseFlops() / (reads * 1e6)));
                Double backward = accessMillis.get(w + " backwardAccesses");
                Double step = get(backend, w + " sparse trainingStep");
                if (backward != null && step != null) {
                    t.append(String.format(
                            Locale.ROOT,
                            "%s training step: %.0f %% of the access limit (%.3f ms: those reads, then each "
                                    + "connection's input read again and its input gradient updated; %.2fx the "
                                    + "forward's limit)%n",
                            w,
                            100 * (reads + backward) / step,
                            reads + backward,
                            (reads + backward) / reads));
                }
            }
            if (t.length() > lines) {
                t.append("(access limits and kernels are measured minutes apart; on a busy shared machine either can "
                        + "be off by a third, and a kernel then shows over 100 %)\n");
            }
        }

        void addDemo(String backend, Collection<RunResult> results) {
            for (RunResult result : results) {
                put(
                        backend,
                        "E " + result.getParams().getParam("model"),
                        result.getPrimaryResult().getScore());
            }
        }

        private void add(String backend, String kind, Collection<RunResult> results) {
            for (RunResult result : results) {
                String op = result.getParams().getBenchmark().replaceAll(".*\\.", "");
                put(
                        backend,
                        result.getParams().getParam("workload") + " " + kind + " " + op,
                        result.getPrimaryResult().getScore());
            }
        }

        /** Case F: {@link SparseInputBenchmark} reports operations per second, kept as ms per op. */
        void addText(String backend, Collection<RunResult> results) {
            for (RunResult result : results) {
                String op = result.getParams().getBenchmark().replaceAll(".*\\.sparseInput", "");
                put(
                        backend,
                        "F " + result.getParams().getParam("layer") + " " + op,
                        1e3 / result.getPrimaryResult().getScore());
            }
        }

        /**
         * Case F's lines: each operation's time and its share of the memory-bound limit, the
         * {@link SparseInputTraffic} bytes at the bandwidth measured in this run.
         */
        private void appendText(StringBuilder t, String backend) {
            for (String layer : TEXT_LAYERS) {
                SparseInputTraffic traffic = null;
                for (String op : List.of("Forward", "TrainingStep")) {
                    Double ms = get(backend, "F " + layer + " " + op);
                    if (ms == null) {
                        continue;
                    }
                    if (traffic == null) {
                        traffic = SparseInputTraffic.of(layer, TEXT_BATCH);
                    }
                    long bytes = op.equals("Forward") ? traffic.forward() : traffic.trainingStep();
                    double limit = bytes / (bandwidthGbps() * 1e6);
                    t.append(String.format(
                            Locale.ROOT,
                            "F Debian sections b%d, 46369->1000 %s, %s: %.3f ms, %.0f %% of the memory-bound limit "
                                    + "(%.2f MB at %.1f GB/s = %.3f ms)%n",
                            TEXT_BATCH,
                            textLayerName(layer),
                            op.equals("Forward") ? "forward" : "training step",
                            ms,
                            100 * limit / ms,
                            bytes / 1e6,
                            bandwidthGbps(),
                            limit));
                }
            }
        }

        /** How case F's lines name {@code layer}: "dense", "90 %" (input-major, as the layer holds it) or "90 % in row order". */
        private static String textLayerName(String layer) {
            if (layer.equals("dense")) {
                return "dense";
            }
            String percent = layer.substring("sparse".length(), "sparse".length() + 2) + " %";
            return layer.endsWith("rows") ? percent + " in row order" : percent;
        }

        /** Records the bytes of the backend's pattern of {@code w} ({@code Backend.patternBytes}). */
        void putPatternBytes(String backend, Workload w, long bytes) {
            patternBytes.put(backend + " " + w, bytes);
        }

        /**
         * Bytes the forward of {@code w} reads or writes at least once on {@code backend}: the
         * values, the pattern as the backend stores it (its indices; 4 bytes per connection and
         * row pointers when not recorded), the input and the output.
         */
        double forwardBytes(String backend, Workload w) {
            Long pattern = patternBytes.get(backend + " " + w);
            if (pattern == null) {
                return w.forwardBytes();
            }
            return 4.0 * w.nnz() + pattern + 4.0 * ((double) w.in() * w.batch() + (double) w.out() * w.batch());
        }

        /** {@link #forwardBytes} with the values in bfloat16: 2 bytes per connection fewer. */
        double forwardBf16Bytes(String backend, Workload w) {
            return forwardBytes(backend, w) - 2.0 * w.nnz();
        }

        void put(String backend, String key, double ms) {
            millis.computeIfAbsent(backend, b -> new LinkedHashMap<>()).put(key, ms);
        }

        /** Whether dense baselines were measured on this backend (so a missing one failed). */
        private boolean ranDense(String backend) {
            return millis.getOrDefault(backend, Map.of()).keySet().stream().anyMatch(key -> key.contains(" dense "));
        }

        private Double get(String backend, String key) {
            return millis.getOrDefault(backend, Map.of()).get(key);
        }

        String table(String backend) {
            StringBuilder t = new StringBuilder();
            t.append(String.format(
                    Locale.ROOT,
                    "%nbackend %s%n%-22s %-13s %10s %9s %8s %12s %14s%n",
                    backend,
                    "case",
                    "op",
                    "ms/op",
                    "GFLOP/s",
                    "GB/s",
                    "dense ms/op",
                    "sparse speed-up"));
            for (Workload w : Workload.values()) {
                for (String op : List.of("forward", "forwardBf16", "trainingStep")) {
                    Double sparse = get(backend, w + " sparse " + op);
                    if (sparse == null) {
                        continue;
                    }
                    double products = op.equals("trainingStep") ? 3 : 1;
                    double gflops = products * w.sparseFlops() / (sparse * 1e6);
                    double gbps = op.equals("forward")
                            ? forwardBytes(backend, w) / (sparse * 1e6)
                            : op.equals("forwardBf16") ? forwardBf16Bytes(backend, w) / (sparse * 1e6) : Double.NaN;
                    Double dense = get(backend, w + " dense " + (op.equals("forwardBf16") ? "forward" : op));
                    t.append(String.format(
                            Locale.ROOT,
                            "%-22s %-13s %10.3f %9.1f %8s %12s %14s%n",
                            w + " " + w.label(),
                            op,
                            sparse,
                            gflops,
                            Double.isNaN(gbps) ? "" : String.format(Locale.ROOT, "%.1f", gbps),
                            dense == null
                                    ? (w == Workload.D ? "(10 GB)" : ranDense(backend) ? "failed" : "-")
                                    : String.format(Locale.ROOT, "%.2f", dense),
                            dense == null ? "-" : String.format(Locale.ROOT, "%.1fx", dense / sparse)));
                }
            }
            Double aForward = get(backend, "A sparse forward");
            if (aForward != null) {
                double bytes = forwardBytes(backend, Workload.A);
                double limit = bytes / (bandwidthGbps() * 1e6);
                t.append(String.format(
                        Locale.ROOT,
                        "A forward: %.0f %% of the memory-bound limit (%.1f MB of values, indices as stored, input "
                                + "and output at %.1f GB/s = %.3f ms)%n",
                        100 * limit / aForward,
                        bytes / 1e6,
                        bandwidthGbps(),
                        limit));
            }
            Double aBf16 = get(backend, "A sparse forwardBf16");
            if (aBf16 != null) {
                double limit = forwardBf16Bytes(backend, Workload.A) / (bandwidthGbps() * 1e6);
                t.append(String.format(
                        Locale.ROOT,
                        "A forward, bfloat16 values: %.0f %% of the memory-bound limit (%.1f MB = %.3f ms)%s%n",
                        100 * limit / aBf16,
                        forwardBf16Bytes(backend, Workload.A) / 1e6,
                        limit,
                        aForward != null
                                ? String.format(Locale.ROOT, ", %.2fx the float32 forward", aForward / aBf16)
                                : ""));
            }
            Double aStep = get(backend, "A sparse trainingStep");
            if (aForward != null && aStep != null) {
                t.append(String.format(Locale.ROOT, "A training step / forward: %.2fx%n", aStep / aForward));
            }
            Double one = get(backend, "B sparse-1thread trainingStep");
            Double all = get(backend, "B sparse trainingStep");
            if (one != null && all != null) {
                t.append(String.format(Locale.ROOT, "B training step, all threads vs one: %.2fx%n", one / all));
            }
            for (String model : List.of("sparse", "dense")) {
                Double step = get(backend, "E " + model);
                if (step != null) {
                    t.append(String.format(
                            Locale.ROOT,
                            "E demo %s model training step (batch 64): %.3f ms, %.0f samples/s%n",
                            model,
                            step,
                            64 / (step / 1e3)));
                }
            }
            appendAccessLimits(t, backend);
            appendText(t, backend);
            return t.toString();
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("memoryBandwidthGBps", bandwidthGbps());
            json.put("millisecondsPerOp", millis);
            if (!accessMillis.isEmpty()) {
                json.put("cpuAccessLimitMilliseconds", accessMillis);
            }
            if (!denseBaselines.isEmpty()) {
                json.put("denseBaseline", denseBaselines);
            }
            json.put(
                    "workloads",
                    Arrays.stream(Workload.values()).map(Workload::label).toList());
            return json;
        }
    }
}
