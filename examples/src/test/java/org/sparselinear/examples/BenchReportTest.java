package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.benchmarks.MemoryBandwidthBenchmark;
import org.sparselinear.benchmarks.SparseInputTraffic;
import org.sparselinear.benchmarks.Workload;

/** The derived numbers of the bench table, from given timings (no benchmark is run). */
class BenchReportTest {

    @Test
    void derivesThroughputSpeedUpAndTheMemoryBoundFraction() {
        // A bandwidth of exactly 10 GB/s: BYTES / (ms * 1e6) = 10.
        double bandwidthMillis = MemoryBandwidthBenchmark.BYTES / 1e7;
        BenchCommand.BenchReport report = new BenchCommand.BenchReport(bandwidthMillis);
        assertEquals(10.0, report.bandwidthGbps(), 1e-9);
        double forward = Workload.A.forwardBytes() / 1e7 * 2; // twice the memory-bound time: 50 %
        report.put("cpu", "A sparse forward", forward);
        report.put("cpu", "A sparse trainingStep", forward * 2.5);
        report.put("cpu", "A sparse forwardBf16", report.forwardBf16Bytes("cpu", Workload.A) / 1e7 * 1.25); // 80 %
        report.put("cpu", "C sparse forward", 0.5);
        report.put("cpu", "C dense forward", 20.0);
        report.put("cpu", "B sparse trainingStep", 10.0);
        report.put("cpu", "B sparse-1thread trainingStep", 18.0);
        report.put("cpu", "E sparse", 4.0);
        String table = report.table("cpu");
        assertTrue(table.contains("A forward: 50 % of the memory-bound limit"), table);
        assertTrue(table.contains("A training step / forward: 2.50x"), table);
        double bf16Speedup = forward / (report.forwardBf16Bytes("cpu", Workload.A) / 1e7 * 1.25);
        assertTrue(
                table.contains(String.format(
                        java.util.Locale.ROOT,
                        "A forward, bfloat16 values: 80 %% of the memory-bound limit (%.1f MB = %.3f ms), %.2fx the "
                                + "float32 forward",
                        report.forwardBf16Bytes("cpu", Workload.A) / 1e6,
                        report.forwardBf16Bytes("cpu", Workload.A) / 1e7,
                        bf16Speedup)),
                table);
        assertTrue(table.contains("40.0x"), table);
        double cGflops = Workload.C.sparseFlops() / (0.5 * 1e6);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.1f", cGflops)), table);
        assertTrue(table.contains("B training step, all threads vs one: 1.80x"), table);
        assertTrue(table.contains("E demo sparse model training step (batch 64): 4.000 ms, 16000 samples/s"), table);
        assertEquals(10.0, (Double) report.toJson().get("memoryBandwidthGBps"), 1e-9);
        assertTrue(((Map<?, ?>) report.toJson().get("millisecondsPerOp")).containsKey("cpu"));
        assertFalse(report.toJson().containsKey("denseBaseline"), "none recorded yet");
        report.denseBaseline("cpu", "CPU (pure Java, blocked SIMD dense products)");
        assertEquals(
                Map.of("cpu", "CPU (pure Java, blocked SIMD dense products)"),
                report.toJson().get("denseBaseline"));
    }

    @Test
    void reportsTheTextLayerAgainstItsMemoryBoundLimit() {
        BenchCommand.BenchReport report = new BenchCommand.BenchReport(MemoryBandwidthBenchmark.BYTES / 1e7);
        SparseInputTraffic traffic = SparseInputTraffic.of("sparse90", BenchCommand.TEXT_BATCH);
        // At 10 GB/s the limit is bytes / 1e7 ms: four times it is 25 %, the limit itself 100 %.
        report.put("cpu", "F sparse90 Forward", traffic.forward() / 1e7 * 4);
        report.put("cpu", "F sparse90 TrainingStep", traffic.trainingStep() / 1e7);
        String table = report.table("cpu");
        assertTrue(table.contains("46369->1000 90 %, forward: "), table);
        assertTrue(table.contains("ms, 25 % of the memory-bound limit"), table);
        assertTrue(table.contains("training step: "), table);
        assertTrue(table.contains("ms, 100 % of the memory-bound limit"), table);
        assertTrue(traffic.trainingStep() > traffic.forward(), traffic.toString());
    }

    @Test
    void theMemoryBoundLimitCountsThePatternAsTheBackendStoresIt() {
        BenchCommand.BenchReport report = new BenchCommand.BenchReport(MemoryBandwidthBenchmark.BYTES / 1e7);
        Workload a = Workload.A;
        long nnz = a.nnz();
        long pattern = 2 * nnz + 4L * (a.out() + 1); // two-byte column indices and the row pointers
        report.putPatternBytes("cpu", a, pattern);
        double bytes = 4.0 * nnz + pattern + 4.0 * (a.in() + a.out()); // values, pattern, input and output at batch 1
        assertEquals(bytes, report.forwardBytes("cpu", a), 1e-6);
        assertEquals(a.forwardBytes(), report.forwardBytes("opencl", a), 1e-6, "no record: four-byte indices");
        report.put("cpu", "A sparse forward", bytes / 1e7 * 1.25); // 80 % of the limit at 10 GB/s
        String table = report.table("cpu");
        assertTrue(table.contains("A forward: 80 % of the memory-bound limit"), table);
        assertTrue(
                table.contains(
                        String.format(java.util.Locale.ROOT, "(%.1f MB of values, indices as stored", bytes / 1e6)),
                table);
    }

    @Test
    void reportsEachForwardAndStepAgainstTheCpuAccessLimit() {
        BenchCommand.BenchReport report = new BenchCommand.BenchReport(MemoryBandwidthBenchmark.BYTES / 1e7);
        report.putAccessLimit(Workload.B, "forwardReads", 8.0);
        report.putAccessLimit(Workload.B, "backwardAccesses", 16.0);
        report.put("cpu", "B sparse forward", 10.0); // 8 / 10: 80 %
        report.put("cpu", "B sparse trainingStep", 48.0); // (8 + 16) / 48: 50 %
        report.putAccessLimit(Workload.D, "forwardReads", 5.0); // no D timings: no D line
        String table = report.table("cpu");
        double ceiling = Workload.B.sparseFlops() / (8.0 * 1e6);
        assertTrue(
                table.contains(String.format(
                        java.util.Locale.ROOT,
                        "B forward: 80 %% of the access limit (8.000 ms to read the input each connection multiplies "
                                + "and nothing else, at most %.1f GFLOP/s)",
                        ceiling)),
                table);
        assertTrue(table.contains("B training step: 50 % of the access limit (24.000 ms: "), table);
        assertTrue(table.contains("; 3.00x the forward's limit)"), table);
        assertFalse(table.contains("D forward:"), table);
        assertTrue(table.contains("(access limits and kernels are measured minutes apart;"), table);
        report.put("opencl", "B sparse forward", 1.0);
        assertFalse(report.table("opencl").contains("access limit"), "a limit of the CPU, not of a device");
        assertEquals(
                Map.of("B forwardReads", 8.0, "B backwardAccesses", 16.0, "D forwardReads", 5.0),
                report.toJson().get("cpuAccessLimitMilliseconds"));
    }
}
