package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.sparselinear.data.DataFileAssertions.assertDamagePlaced;
import static org.sparselinear.data.DataFileAssertions.assertMessage;
import static org.sparselinear.data.DataFileAssertions.assertProblem;
import static org.sparselinear.data.DataFileAssertions.assertSameSamples;
import static org.sparselinear.data.DataFileAssertions.assertSparse;
import static org.sparselinear.data.DataFileAssertions.assertStreamedUpToDamage;
import static org.sparselinear.data.DataFileAssertions.decodable;
import static org.sparselinear.data.DataFileAssertions.samples;
import static org.sparselinear.data.DataFileAssertions.truncate;
import static org.sparselinear.data.DataFileAssertions.wholeLines;
import static org.sparselinear.data.DataFileAssertions.write;
import static org.sparselinear.data.DataFileAssertions.writeGzipCut;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SvmLightTest {

    @TempDir
    Path temp;

    @Test
    void readsLabelsIndicesAndValuesSkippingCommentsBlankLinesAndQid() throws IOException {
        Path file = write(
                temp.resolve("small.svm"),
                "# a comment line",
                "+1 qid:3 1:0.5 4:-2 7:1e-3 # a trailing comment",
                "",
                "-1\t2:3\t 3:0.25  ",
                "   ",
                "1 qid:4",
                "-1 7:0");
        LabelledDataset data = SvmLight.read(file);

        assertEquals(4, data.size());
        assertEquals(7, data.featureCount(), "the largest 1-based index");
        assertTrue(data.isSparse());
        assertEquals(2, data.classes());
        assertEquals(List.of("-1", "1"), data.classLabels().names(), "-1 is class 0, +1 class 1");
        assertSparse(new int[] {0, 3, 6}, new float[] {0.5f, -2f, 1e-3f}, 1, data.get(0));
        assertSparse(new int[] {1, 2}, new float[] {3f, 0.25f}, 0, data.get(1));
        assertSparse(new int[] {}, new float[] {}, 1, data.get(2));
        assertSparse(new int[] {6}, new float[] {0f}, 0, data.get(3));
    }

    @Test
    void labelsZeroToKMinusOneKeepTheirValueAndOneToKAreShiftedDown() throws IOException {
        LabelledDataset zeroBased = SvmLight.read(write(temp.resolve("a.svm"), "2 1:1", "0 1:1", "1 1:1", "2 1:1"));
        assertTrue(zeroBased.classLabels().isIdentity());
        assertEquals(3, zeroBased.classes());
        assertEquals(2, zeroBased.get(0).label());
        assertEquals(0, zeroBased.get(1).label());

        LabelledDataset oneBased = SvmLight.read(write(temp.resolve("b.svm"), "10 1:1", "2 1:1", "1 1:1", "02 1:1"));
        assertEquals(List.of("1", "2", "10"), oneBased.classLabels().names(), "numeric order, not text order");
        assertFalse(oneBased.classLabels().isIdentity());
        assertEquals(2, oneBased.get(0).label());
        assertEquals(1, oneBased.get(1).label());
        assertEquals(0, oneBased.get(2).label());
        assertEquals(1, oneBased.get(3).label(), "02 is label 2");
        assertEquals("10", oneBased.classLabels().name(oneBased.get(0).label()));

        LabelledDataset decimals =
                SvmLight.read(write(temp.resolve("c.svm"), "10.0 1:1", "2 1:1", "1e0 1:1", "2.00 1:1"));
        assertEquals(List.of("1", "2", "10"), decimals.classLabels().names(), "1.0 is label 1, as in a CSV file");
        assertEquals(2, decimals.get(0).label());
        assertEquals(1, decimals.get(3).label());
    }

    @Test
    void aGivenFeatureCountWidensTheDataAndBoundsTheIndices() throws IOException {
        Path file = write(temp.resolve("f.svm"), "1 2:1 3:1", "0 1:1");
        assertEquals(3, SvmLight.read(file).featureCount());
        LabelledDataset wide = SvmLight.read(file, SvmLightOptions.defaults().withFeatureCount(10));
        assertEquals(10, wide.featureCount());
        assertSparse(new int[] {1, 2}, new float[] {1f, 1f}, 1, wide.get(0));

        assertProblem(
                file,
                1,
                () -> SvmLight.read(file, SvmLightOptions.defaults().withFeatureCount(2)),
                "feature index 3 is beyond the 2 features given",
                "1..2");
    }

    @Test
    void zeroBasedFilesKeepTheirIndices() throws IOException {
        Path file = write(temp.resolve("z.svm"), "1 0:1.5 2:2", "0 1:1");
        LabelledDataset data = SvmLight.read(file, SvmLightOptions.defaults().withZeroBased(true));
        assertEquals(3, data.featureCount());
        assertSparse(new int[] {0, 2}, new float[] {1.5f, 2f}, 1, data.get(0));
    }

    @Test
    void regressionKeepsTheFirstFieldAsAFloatTarget() throws IOException {
        Path file = write(temp.resolve("r.svm"), "0.75 1:1", "-2.5e1 2:3");
        LabelledDataset data = SvmLight.read(file, SvmLightOptions.defaults().withRegression(true));
        assertEquals(0, data.classes());
        assertEquals(1, data.targetWidth());
        assertEquals(0, data.classLabels().size());
        assertArrayEquals(new float[] {0.75f}, data.get(0).target());
        assertArrayEquals(new float[] {-25f}, data.get(1).target());
        assertArrayEquals(new int[] {1}, data.get(1).indices());

        assertProblem(file, 1, () -> SvmLight.read(file), "label '0.75' is not an integer", "regression");
        Path hexadecimal = write(temp.resolve("hex.svm"), "0.75 1:1", "0x1p3 2:3");
        assertProblem(
                hexadecimal,
                2,
                () -> SvmLight.read(hexadecimal, SvmLightOptions.defaults().withRegression(true)),
                "target '0x1p3' is not a finite decimal number");
    }

    @Test
    void aTestSetIsReadWithTheClassesAndFeaturesOfItsTrainingSet() throws IOException {
        LabelledDataset train = SvmLight.read(write(temp.resolve("train.svm"), "5 1:1 9:1", "1 2:1", "3 3:1"));
        Path testFile = write(temp.resolve("test.svm"), "5 1:2", "1 4:1");
        LabelledDataset alone = SvmLight.read(testFile);
        assertEquals(4, alone.featureCount());
        assertEquals(List.of("1", "5"), alone.classLabels().names());

        SvmLightOptions likeTrain = SvmLightOptions.defaults().likeTrainingSet(train);
        LabelledDataset test = SvmLight.read(testFile, likeTrain);
        assertEquals(9, test.featureCount());
        assertEquals(train.classLabels(), test.classLabels());
        assertEquals(3, test.classes());
        assertEquals(2, test.get(0).label(), "label 5 is class 2 of the training set");
        assertEquals(0, test.get(1).label());

        Path unknownLabel = write(temp.resolve("unknown.svm"), "1 1:1", "7 2:1");
        assertProblem(
                unknownLabel, 2, () -> SvmLight.read(unknownLabel, likeTrain), "label 7 is not one of the 3 classes");
        Path unknownFeature = write(temp.resolve("wide.svm"), "1 10:1");
        assertProblem(
                unknownFeature,
                1,
                () -> SvmLight.read(unknownFeature, likeTrain),
                "feature index 10 is beyond the 9 features given");
    }

    @Test
    void everyBadLineIsOneLineNamingTheFileTheLineAndTheProblem() throws IOException {
        assertBadLine("1 0:1 2:1", "feature index 0", "1-based");
        assertBadLine("1 3:1 2:1", "feature index 2 comes after 3", "ascend");
        assertBadLine("1 2:1 2:5", "feature index 2 appears twice");
        assertBadLine("1 2:abc", "value of feature 2 'abc' is not a number");
        assertBadLine("1 2:NaN", "value of feature 2 'NaN' is not a finite");
        assertBadLine("1 2:1e99", "value of feature 2 '1e99' is beyond the float range");
        assertBadLine("1 2:0x1p3", "value of feature 2 '0x1p3' is not a finite decimal number");
        assertBadLine("1 2:-0X1.8P-2", "value of feature 2 '-0X1.8P-2' is not a finite decimal number");
        assertBadLine("1 2:0x1p200", "value of feature 2 '0x1p200' is not a finite decimal number");
        assertBadLine("1 x:1", "feature index 'x' is not an integer");
        assertBadLine("1 2", "'2' is not an index:value pair");
        assertBadLine("1 :3", "feature index '' is not an integer (empty)");
        assertBadLine("one 1:1", "label 'one' is not an integer", "SvmLightOptions.withRegression(true)");
        assertBadLine("0x1p3 1:1", "label '0x1p3' is not an integer");
        assertBadLine("1e16 1:1", "label '1e16' is not an integer");
        assertBadLine("1,2 1:1", "several classes", "multi-label");
        assertBadLine("0.5,0.25,cat", "'0.5,0.25,cat' is not an svmlight line", "is the file CSV?");
        assertBadLine("3:1 4:1", "expected a label first");
        assertBadLine("1 qid:x 1:1", "qid 'x' is not an integer");
        assertBadLine("1 -3:1", "feature index -3", "1-based");
        assertBadLine("1 12345678901234567890:1", "feature index '12345678901234567890' is too large");
        assertBadLine("1 99999999999:1", "feature index 99999999999 is beyond the largest supported index");
    }

    private void assertBadLine(String badLine, String... phrases) throws IOException {
        Path file = write(temp.resolve("bad.svm"), "# header comment", "0 1:1", badLine, "1 1:1");
        assertProblem(file, 3, () -> SvmLight.read(file), phrases);
        assertProblem(file, 3, () -> SvmLight.stream(file, SvmLightOptions.defaults()), phrases);
    }

    @Test
    void gzipFilesAreReadAsThePlainFile() throws IOException {
        String[] lines = {"1 1:0.5 3:2", "0 2:1", "1 4:1.25"};
        LabelledDataset plain = SvmLight.read(write(temp.resolve("d.svm"), lines));
        LabelledDataset gzip = SvmLight.read(write(temp.resolve("d.svm.gz"), lines));
        assertEquals(4, gzip.featureCount());
        assertSameSamples(plain, gzip);
    }

    @Test
    void aTruncatedGzipFailsWithOneLineNamingTheFileAndTheFirstLineLost() throws IOException {
        StringBuilder line = new StringBuilder("1");
        for (int i = 1; i <= 200; i++) {
            line.append(' ').append(i).append(':').append(i * 0.37);
        }
        String[] lines = new String[200];
        Arrays.fill(lines, line.toString());
        Path file = write(temp.resolve("cut.svm.gz"), lines);
        truncate(file, 30);

        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> SvmLight.read(file))
                        .getMessage(),
                file);
        SvmLightSource source = SvmLight.stream(
                file, SvmLightOptions.defaults().withFeatureCount(200).withClassLabels(ClassLabels.of(List.of("1"))));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> samples(source));
        assertInstanceOf(DataFormatException.class, e.getCause());
        assertDamagePlaced(e.getCause().getMessage(), file);

        Path header = temp.resolve("header.svm.gz");
        Files.write(header, new byte[] {0x1f, (byte) 0x8b, 8});
        assertProblem(header.toString(), () -> SvmLight.read(header), "gzip data ends early");
    }

    @Test
    void aGzipCutAtAnyByteGivesEveryWholeLineAndFailsAtTheFirstLineNotWhole() throws IOException {
        String[] lines = new String[60];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i % 3 + " 1:0.35 " + (2 + i % 5) + ":" + i * 0.37 + " 9:" + (i + 10);
        }
        Path file = write(temp.resolve("whole.svm.gz"), lines);
        LabelledDataset expected = SvmLight.read(file);
        SvmLightOptions known = SvmLightOptions.defaults().likeTrainingSet(expected);
        byte[] gzip = Files.readAllBytes(file);
        for (int length = 37; length < gzip.length; length += 37) {
            Path cut = Files.write(temp.resolve("cut" + length + ".svm.gz"), Arrays.copyOf(gzip, length));
            assertDamagePlaced(
                    assertThrows(DataFormatException.class, () -> SvmLight.read(cut))
                            .getMessage(),
                    cut);
            long line = assertStreamedUpToDamage(
                    () -> SvmLight.stream(cut, known), cut, 0, expected, "the gzip data ends early");
            assertEquals(wholeLines(cut) + 1, line, "cut at byte " + length);
        }
    }

    @Test
    void aGzipCutInsideAValueOrAtALineFeedFailsAtTheLineNotWhole() throws IOException {
        String[] lines = {"1 1:0.35 2:1", "2 1:0.35", "1 2:0.5"};
        String text = String.join("\n", lines) + "\n";
        LabelledDataset expected = SvmLight.read(write(temp.resolve("whole.svm"), lines));
        SvmLightOptions known = SvmLightOptions.defaults().likeTrainingSet(expected);

        int inValue = text.indexOf("0.35", text.indexOf('\n')) + 2;
        Path midLine = writeGzipCut(temp.resolve("mid.svm.gz"), text, inValue);
        assertTrue(decodable(midLine).endsWith("\n2 1:0."), decodable(midLine));
        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> SvmLight.read(midLine))
                        .getMessage(),
                midLine);
        assertEquals(
                2,
                assertStreamedUpToDamage(
                        () -> SvmLight.stream(midLine, known), midLine, 0, expected, "the gzip data ends early"),
                "'2 1:0.' is not read as the value 0");

        Path atLineFeed = writeGzipCut(temp.resolve("linefeed.svm.gz"), text, text.indexOf('\n', inValue) + 1);
        assertTrue(decodable(atLineFeed).endsWith("\n2 1:0.35\n"), decodable(atLineFeed));
        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> SvmLight.read(atLineFeed))
                        .getMessage(),
                atLineFeed);
        assertEquals(
                3,
                assertStreamedUpToDamage(
                        () -> SvmLight.stream(atLineFeed, known), atLineFeed, 0, expected, "the gzip data ends early"));
    }

    @Test
    void corruptGzipDataFailsAfterWholeLinesNamingTheFirstLineNotRead() throws IOException {
        String[] lines = new String[3000];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = i % 3 + " 1:" + i * 0.37 + " 2:0.35";
        }
        String text = String.join("\n", lines) + "\n";
        LabelledDataset expected = SvmLight.read(write(temp.resolve("whole.svm"), lines));
        int at = 0;
        for (int i = 0; i < 2000; i++) {
            at = text.indexOf('\n', at) + 1;
        }
        Path corrupt = writeGzipCut(temp.resolve("corrupt.svm.gz"), text, at, (byte) 7);
        String damage = "corrupt gzip data (invalid block type); compress the file again or download it again";
        long line = assertStreamedUpToDamage(
                () -> SvmLight.stream(corrupt, SvmLightOptions.defaults().likeTrainingSet(expected)),
                corrupt,
                0,
                expected,
                damage);
        // The JDK drops what it decompressed in the read that met the damage: at most one read's text is lost.
        assertTrue(line > 1 && line <= wholeLines(corrupt) + 1, "line " + line);
        assertProblem(corrupt, line, () -> SvmLight.read(corrupt), damage);
    }

    @Test
    void aPairIsReadAtTheWiderOfTheTwoFilesWidthsWithTheTrainingFilesClasses() throws IOException {
        Path train = write(temp.resolve("pair-train.svm"), "0 1:1 3:2", "1 2:1 4:0.5");
        Path wider = write(temp.resolve("pair-wide.svm"), "1 2:1 9:3", "0 1:1");
        SvmLightPair pair = SvmLight.readPair(train, wider);
        assertTrue(pair.widenedByTest());
        assertEquals(
                "features up to index 9, beyond the training file's 4: both read with 9 features", pair.widening());
        assertEquals(4, pair.trainingFileFeatures());
        assertEquals(9, pair.train().featureCount());
        assertEquals(9, pair.test().featureCount());
        assertSparse(new int[] {1, 8}, new float[] {1, 3}, 1, pair.test().get(0));
        assertSparse(new int[] {1, 3}, new float[] {1, 0.5f}, 1, pair.train().get(1));

        Path narrower = write(temp.resolve("pair-narrow.svm"), "1 2:1", "0 1:1");
        SvmLightPair same = SvmLight.readPair(train, narrower);
        assertFalse(same.widenedByTest());
        assertEquals("", same.widening());
        assertEquals(4, same.train().featureCount());
        assertEquals(4, same.test().featureCount());

        // A number of features given is kept: the wider test file is then an error, as read alone.
        assertProblem(
                wider,
                1,
                () -> SvmLight.readPair(train, wider, SvmLightOptions.defaults().withFeatureCount(4)),
                "feature index 9 is beyond the 4 features given");
        Path unknownLabel = write(temp.resolve("pair-label.svm"), "7 1:1");
        assertProblem(unknownLabel, 1, () -> SvmLight.readPair(train, unknownLabel), "7");
    }

    @Test
    void aFileWithoutSamplesOrFeaturesIsAnError() throws IOException {
        Path empty = write(temp.resolve("empty.svm"), "# only a comment", "");
        assertProblem(empty.toString(), () -> SvmLight.read(empty), "no samples");
        assertProblem(empty.toString(), () -> SvmLight.stream(empty, SvmLightOptions.defaults()), "no samples");
        Path noFeatures = write(temp.resolve("nofeatures.svm"), "1", "0");
        assertProblem(noFeatures.toString(), () -> SvmLight.read(noFeatures), "no line has a feature");
        assertEquals(
                3,
                SvmLight.read(noFeatures, SvmLightOptions.defaults().withFeatureCount(3))
                        .featureCount());
    }

    @Test
    void aStreamGivesTheSamplesOfTheInMemoryReadOnEveryPass() throws IOException {
        Path file = write(temp.resolve("s.svm.gz"), "3 1:1 5:2", "# note", "1 2:0.5", "2 5:1", "3 3:3");
        LabelledDataset data = SvmLight.read(file);
        SvmLightSource source = SvmLight.stream(file, SvmLightOptions.defaults());
        assertEquals(data.classLabels(), source.classLabels());
        assertSameSamples(data, source);
        assertSameSamples(data, source);
        assertSameSamples(data, Dataset.collect(source));
    }

    @Test
    void aStreamReadsTheFileOnEachPassAndChecksLinesAsItGoes() throws IOException {
        Path file = write(temp.resolve("live.svm"), "1 1:1", "0 2:1");
        SvmLightOptions given =
                SvmLightOptions.defaults().withFeatureCount(2).withClassLabels(ClassLabels.of(List.of("0", "1")));
        SvmLightSource source = SvmLight.stream(file, given);
        assertEquals(2, samples(source).size());

        write(file, "1 1:1", "0 2:4", "1 3:1");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> samples(source));
        assertMessage(e.getCause().getMessage(), file + ":3", "feature index 3 is beyond the 2 features given");
        assertEquals(3, SvmLight.stream(file, given.withFeatureCount(0)).featureCount(), "inferred by a first pass");
    }

    @Test
    void aLoaderCutsTheFileIntoSparseBatchesOfItsLinesInMemoryOrStreamed() throws IOException {
        Path file = write(temp.resolve("batches.svm.gz"), "1 2:0.5 4:1", "-1", "1 1:2", "-1 3:-1 4:3");
        LabelledDataset data = SvmLight.read(file);
        List<Batch> batches = new ArrayList<>();
        new DataLoader(data, 3, false, 0, false).forEach(batches::add);

        assertEquals(2, batches.size());
        Batch first = batches.get(0);
        assertTrue(first.isSparse());
        assertEquals(3, first.size());
        assertArrayEquals(new int[] {0, 2, 2, 3}, first.rowPointers());
        assertArrayEquals(new int[] {1, 3, 0}, first.columnIndices());
        assertArrayEquals(new float[] {0.5f, 1f, 2f}, first.values());
        assertArrayEquals(new int[] {1, 0, 1}, first.labels());
        assertArrayEquals(new int[] {0, 2}, batches.get(1).rowPointers());
        assertArrayEquals(new int[] {2, 3}, batches.get(1).columnIndices());

        List<Batch> streamed = new ArrayList<>();
        DataLoader.streaming(SvmLight.stream(file, SvmLightOptions.defaults()), 3)
                .forEach(streamed::add);
        assertEquals(batches, streamed);
    }

    @Test
    void readsTheDebianSectionsTrainingSet() throws IOException {
        Path file = debianSections("train.svm.gz");
        assumeTrue(Files.isRegularFile(file), "the Debian sections data set is not at " + file);
        LabelledDataset data = SvmLight.read(file);
        assertEquals(50_346, data.size());
        assertEquals(46_369, data.featureCount());
        assertEquals(50, data.classes());
        assertTrue(data.classLabels().isIdentity(), "labels are 0..49 already");
        long nnz = 0;
        for (int i = 0; i < data.size(); i++) {
            nnz += data.get(i).nnz();
        }
        assertEquals(10.8, (double) nnz / data.size(), 0.05, "non-zeros per sample");

        LabelledDataset test = SvmLight.read(
                debianSections("test.svm.gz"), SvmLightOptions.defaults().likeTrainingSet(data));
        assertEquals(12_735, test.size());
        assertEquals(46_369, test.featureCount());
    }

    /**
     * A file of the Debian sections data set, in {@code shared/datasets/debian-sections} beside the
     * repository ({@code ../shared}) or in it: the first such folder above the working directory.
     */
    private static Path debianSections(String name) {
        Path folder = Path.of("shared", "datasets", "debian-sections");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(folder))) {
                return dir.resolve(folder).resolve(name);
            }
        }
        return Path.of("..", "..", "shared", "datasets", "debian-sections", name)
                .toAbsolutePath()
                .normalize();
    }
}
