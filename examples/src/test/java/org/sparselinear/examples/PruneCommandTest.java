package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sparselinear prune} on a small subset of the shipped digits: the table has the dense
 * model, each pruned model and each sparse model from scratch, with the parameter counts the
 * sparsities give (hand-computed below), the pruned layers are real SparseLinear layers, and bad
 * options are refused.
 */
class PruneCommandTest {

    private static final Pattern ROW = Pattern.compile(
            "(?m)^(dense|pruned to [\\d.]+ %|sparse [\\d.]+ % from scratch)\\s+(\\d+)\\s+([\\d,]+)\\s+([\\d.]+)%\\s+([\\d.]+)$");

    /** Weights and biases of the demo's network (784 -> 64 -> 10 here) at a sparsity. */
    private static long parameters(double sparsity) {
        long first = Math.round((1 - sparsity) * 784 * 64);
        long second = Math.round((1 - sparsity) * 64 * 10);
        return first + 64 + 2 * 64 + second + 10; // + biases, LayerNorm's gain and shift
    }

    @Test
    void theTableComparesDensePrunedAndFromScratchModels() {
        CliHarness.Result result = CliHarness.run(
                "prune",
                "--no-progress",
                "--data",
                CliHarness.shippedData().toString(),
                "--limit",
                "640",
                "--epochs",
                "1",
                "--fine-tune-epochs",
                "1",
                "--prune-every",
                "2",
                "--hidden",
                "64",
                "--sparsity",
                "0.5,0.9");
        assertEquals(0, result.exitCode(), result.err() + result.out());
        Matcher rows = ROW.matcher(result.out());
        List<String> models = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        while (rows.find()) {
            models.add(rows.group(1));
            counts.add(Long.parseLong(rows.group(3).replace(",", "")));
            double accuracy = Double.parseDouble(rows.group(5));
            assertTrue(accuracy > 30, rows.group(1) + " learned nothing:\n" + result.out());
            assertEquals(rows.group(1).equals("dense") ? 1 : 2, Integer.parseInt(rows.group(2)), rows.group());
        }
        assertEquals(
                List.of(
                        "dense",
                        "pruned to 50 %",
                        "sparse 50 % from scratch",
                        "pruned to 90 %",
                        "sparse 90 % from scratch"),
                models,
                result.out());
        assertEquals(
                List.of(parameters(0), parameters(0.5), parameters(0.5), parameters(0.9), parameters(0.9)), counts);
        assertTrue(result.out().contains("(1): SparseLinear(in_features=784, out_features=64"), result.out());
    }

    @Test
    void badOptionsAreRefusedWithWhatIsExpected() {
        CliHarness.Result result = CliHarness.run("prune", "--sparsity", "1.0");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--sparsity values must be in (0, 1)"), result.err());
        result = CliHarness.run("prune", "--fine-tune-epochs", "0");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--fine-tune-epochs must be at least 1, got 0"), result.err());
    }
}
