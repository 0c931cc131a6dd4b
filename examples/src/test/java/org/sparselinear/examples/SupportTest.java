package org.sparselinear.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparselinear.io.JsonCodec;

/** The helpers: atomic writes, the data search, the summary table, the loss-fall wording. */
class SupportTest {

    @TempDir
    Path temp;

    @Test
    void anEpochRecordReadsBackWithNonFiniteNumbersAsNaN() throws Exception {
        EpochStats diverged = new EpochStats(
                3, new PhaseStats(Double.NaN, 12.5, 64, 0.25), new PhaseStats(Double.POSITIVE_INFINITY, 10, 32, 0.125));
        String json = JsonCodec.writeIndented(List.of(diverged.toJson()));
        assertTrue(json.contains("\"train_loss\": null"), json);
        EpochStats back = EpochStats.fromJson((Map<?, ?>) ((List<?>) JsonCodec.parse(json)).get(0));
        assertEquals(
                new EpochStats(
                        3, new PhaseStats(Double.NaN, 12.5, 64, 0.25), new PhaseStats(Double.NaN, 10, 32, 0.125)),
                back);
    }

    @Test
    void atomicWriteReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path target = temp.resolve("sub").resolve("record.json");
        AtomicFiles.writeString(target, "first");
        AtomicFiles.writeString(target, "second \u00e9");
        assertEquals("second \u00e9", Files.readString(target));
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void dataIsFoundInAnAncestorFolder() throws IOException {
        Path repo = temp.resolve("repo");
        Path data = Files.createDirectories(repo.resolve("data"));
        Path start = Files.createDirectories(repo.resolve("examples").resolve("target"));
        assertNull(DataLocator.searchUpwards(start), "no files yet");
        for (String name : MnistData.FILES) {
            Files.writeString(data.resolve(name + ".gz"), "");
        }
        assertEquals(data.toAbsolutePath().normalize(), DataLocator.searchUpwards(start));
        assertEquals(Path.of("given"), DataLocator.resolve(Path.of("given")), "--data wins");
    }

    @Test
    void tableComparesBothModels() {
        PhaseStats train = new PhaseStats(0.1, 97.0, 7936, 8.0);
        PhaseStats test = new PhaseStats(0.2, 95.25, 2000, 0.5);
        PhaseStats fastTrain = new PhaseStats(0.1, 96.0, 7936, 2.0);
        String table = DemoCommand.table(List.of(
                new DemoCommand.Summary(ModelKind.dense, 1_594_010, List.of(new EpochStats(1, train, test))),
                new DemoCommand.Summary(ModelKind.sparse, 164_810, List.of(new EpochStats(1, fastTrain, test)))));
        assertEquals("""
                model      parameters   test acc %    s/epoch
                dense       1,594,010        95.25        8.0
                sparse        164,810        95.25        2.0
                sparse/dense parameters: 0.1034 (89.7 % fewer)
                dense/sparse seconds per epoch: 4.00
                """, table);
    }

    @Test
    void describesHowALossFell() {
        assertEquals("by a factor of 100 (4.000 to 0.0400)", RegressionCommand.describeFall(4f, 0.04f));
        assertEquals("from 4.000 to 0", RegressionCommand.describeFall(4f, 0f));
        assertTrue(RegressionCommand.describeFall(1f, 2f).startsWith("not at all"));
    }

    @Test
    void epochLineReadsWell() {
        EpochStats stats =
                new EpochStats(2, new PhaseStats(0.16, 95.38, 7936, 9.1), new PhaseStats(0.2126, 93.9, 2000, 0.5));
        assertEquals(
                "epoch 2/5  train loss 0.1600 acc  95.38 %  test loss 0.2126 acc  93.90 %  9.1 s (+0.5 s test)",
                stats.format(5));
    }

    @Test
    void hugeLossesStayReadable() {
        assertEquals("0.1234", EpochStats.loss(0.12344));
        assertEquals("5.562e+31", EpochStats.loss(5.562e31));
    }

    @Test
    void defaultRecordNameCarriesModelAndTime() {
        assertEquals(
                Path.of("runs", "train-dense-20260102-030405.json"),
                TrainCommand.defaultOutput(ModelKind.dense, CliHarness.NOW, 1));
    }
}
