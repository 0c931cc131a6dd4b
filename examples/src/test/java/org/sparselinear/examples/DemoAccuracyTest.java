package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The headline claim of {@code ./sparselinear demo}: on the shipped 8,000 / 2,000 MNIST digits,
 * the dense and the 90 % sparse model both reach at least 94 % test accuracy in the demo's
 * default three epochs, with the sparse model holding about a tenth of the dense one's
 * parameters. The full run, as a user gets it (about half a minute on two cores).
 */
class DemoAccuracyTest {

    private static final Pattern ROW = Pattern.compile("(?m)^(dense|sparse)\\s+([\\d,]+)\\s+([\\d.]+)\\s+([\\d.]+)$");

    @Test
    void bothModelsReach94PercentOnTheShippedData() {
        CliHarness.Result result = CliHarness.run(
                "demo", "--no-progress", "--data", CliHarness.shippedData().toString());
        assertEquals(0, result.exitCode(), result.err());
        Matcher rows = ROW.matcher(result.out());
        long denseParameters = 0;
        long sparseParameters = 0;
        int found = 0;
        while (rows.find()) {
            found++;
            long parameters = Long.parseLong(rows.group(2).replace(",", ""));
            double accuracy = Double.parseDouble(rows.group(3));
            assertTrue(accuracy >= 94.0, rows.group(1) + " model reached only " + accuracy + " %:\n" + result.out());
            if (rows.group(1).equals("dense")) {
                denseParameters = parameters;
            } else {
                sparseParameters = parameters;
            }
        }
        assertEquals(2, found, result.out());
        double ratio = (double) sparseParameters / denseParameters;
        assertTrue(ratio > 0.09 && ratio < 0.12, "sparse/dense parameters " + ratio);
    }
}
