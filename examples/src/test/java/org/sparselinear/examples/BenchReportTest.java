package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparselinear.benchmarks.MemoryBandwidthBenchmark;
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
        report.put("cpu", "C sparse forward", 0.5);
        report.put("cpu", "C dense forward", 20.0);
        report.put("cpu", "B sparse trainingStep", 10.0);
        report.put("cpu", "B sparse-1thread trainingStep", 18.0);
        report.put("cpu", "E sparse", 4.0);
        String table = report.table("cpu");
        assertTrue(table.contains("A forward: 50 % of the memory-bound limit"), table);
        assertTrue(table.contains("A training step / forward: 2.50x"), table);
        assertTrue(table.contains("40.0x"), table);
        double cGflops = Workload.C.sparseFlops() / (0.5 * 1e6);
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "%.1f", cGflops)), table);
        assertTrue(table.contains("B training step, all threads vs one: 1.80x"), table);
        assertTrue(table.contains("E demo sparse model training step (batch 64): 4.000 ms, 16000 samples/s"), table);
        assertEquals(10.0, (Double) report.toJson().get("memoryBandwidthGBps"), 1e-9);
        assertTrue(((Map<?, ?>) report.toJson().get("millisecondsPerOp")).containsKey("cpu"));
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
}
