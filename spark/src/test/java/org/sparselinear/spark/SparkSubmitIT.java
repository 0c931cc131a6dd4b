package org.sparselinear.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;

/**
 * The jar users submit, {@code target/sparselinear-spark.jar}, run through Spark's own submit path
 * ({@code org.apache.spark.deploy.SparkSubmit}, what {@code spark-submit} calls) in a JVM of its own
 * whose class path holds Spark's jars only, as a Spark installation's would: the library, its
 * backends and picocli must come from the jar. Runs after {@code package} (surefire execution
 * {@code submit-jar}).
 */
class SparkSubmitIT {

    private static final int WIDTH = 6;

    @Test
    void sparkSubmitTrainsWithTheShadedJarAndSavesAModelPlainJavaOpens(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path jar = Path.of("target", "sparselinear-spark.jar").toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is built by package, before this test");
        Path train = svmLight(dir.resolve("train.svm"), 240, 1);
        Path test = svmLight(dir.resolve("test.svm"), 60, 2);
        Path model = dir.resolve("model");
        Path log = dir.resolve("submit.log");

        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + Path.of("target", "spark-jvm.args").toAbsolutePath());
        command.add("-cp");
        command.add(Files.readString(Path.of("target", "spark-classpath.txt")).strip());
        command.add("org.apache.spark.deploy.SparkSubmit");
        command.addAll(List.of(
                "--master",
                "local[2]",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--class",
                SparkTrainCommand.class.getName(),
                jar.toString(),
                "--train",
                train.toString(),
                "--test",
                test.toString(),
                "--hidden",
                "8",
                "--batch",
                "16",
                "--epochs",
                "2",
                "--local-steps",
                "2",
                "--save",
                model.toString()));
        Process submit = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = submit.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            submit.destroyForcibly();
        }
        String output = Files.readString(log);
        assertTrue(ended, "spark-submit did not end within 3 minutes:\n" + output);
        assertEquals(0, submit.exitValue(), "spark-submit failed:\n" + output);
        assertTrue(output.contains("data: 240 training and 60 test samples, 6 features"), output);
        assertTrue(
                output.lines().anyMatch(line -> line.startsWith("local[2]")), "a result line for local[2]:\n" + output);

        try (Layer network = ModelFile.load(model.resolve("network.safetensors"), Backends.get())) {
            SparseLinear first = (SparseLinear) ((Sequential) network).layers().get(0);
            assertEquals(WIDTH, first.inFeatures());
            assertEquals(8, first.outFeatures());
        }
    }

    /** {@code n} svmlight lines of {@code WIDTH} features, label 1 when the first feature exceeds the second. */
    private static Path svmLight(Path file, int n, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double[] x = new double[WIDTH];
            for (int j = 0; j < WIDTH; j++) {
                x[j] = random.nextGaussian();
            }
            text.append(x[0] > x[1] ? 1 : 0);
            for (int j = 0; j < WIDTH; j++) {
                text.append(String.format(Locale.ROOT, " %d:%.4f", j + 1, x[j]));
            }
            text.append('\n');
        }
        return Files.writeString(file, text);
    }
}
