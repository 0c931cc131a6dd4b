package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sparselinear.data.DataFileAssertions.assertDamagePlaced;
import static org.sparselinear.data.DataFileAssertions.assertProblem;
import static org.sparselinear.data.DataFileAssertions.assertSameSamples;
import static org.sparselinear.data.DataFileAssertions.assertStreamedUpToDamage;
import static org.sparselinear.data.DataFileAssertions.decodable;
import static org.sparselinear.data.DataFileAssertions.samples;
import static org.sparselinear.data.DataFileAssertions.truncate;
import static org.sparselinear.data.DataFileAssertions.wholeLines;
import static org.sparselinear.data.DataFileAssertions.write;
import static org.sparselinear.data.DataFileAssertions.writeGzipCut;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    private static final String[] IRIS = {
        "sepal_length,sepal_width,species,petal_length",
        "5.1,3.5,setosa,1.4",
        "",
        "7.0, 3.2 ,versicolor,4.7",
        "6.3,3.3,virginica,6.0",
        "4.9,3.0,setosa,1.4"
    };

    @TempDir
    Path temp;

    @Test
    void readsALabelColumnByNameAndEveryOtherColumnAsFeatures() throws IOException {
        LabelledDataset data = Csv.read(
                write(temp.resolve("iris.csv"), IRIS), CsvOptions.defaults().withLabel("species"));

        assertEquals(4, data.size());
        assertEquals(3, data.featureCount());
        assertFalse(data.isSparse());
        assertEquals(
                List.of("setosa", "versicolor", "virginica"), data.classLabels().names());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f}, data.get(0).values());
        assertEquals(0, data.get(0).label());
        assertArrayEquals(new float[] {7.0f, 3.2f, 4.7f}, data.get(1).values(), "spaces around a field are ignored");
        assertEquals(1, data.get(1).label());
        assertEquals(2, data.get(2).label());
        assertEquals(0, data.get(3).label());
    }

    @Test
    void byDefaultTheLastColumnIsTheLabelAndIntegerLabelsAreSortedNumerically() throws IOException {
        Path file = write(temp.resolve("numbers.csv"), "a,b,class", "1,2,10", "3,4,2", "5,6,1", "7,8,2");
        LabelledDataset data = Csv.read(file);
        assertEquals(2, data.featureCount());
        assertEquals(List.of("1", "2", "10"), data.classLabels().names());
        assertEquals(2, data.get(0).label());
        assertEquals(1, data.get(1).label());
        assertEquals(0, data.get(2).label());
        assertArrayEquals(new float[] {7, 8}, data.get(3).values());
    }

    @Test
    void integerLabelsWrittenAsDecimalsAreTheIntegerClassesInNumericOrder() throws IOException {
        Path file = write(temp.resolve("pandas.csv"), "x,label", "1,1.0", "2,10.0", "3,2.0", "4,2", "5,+1", "6,1e1");
        LabelledDataset data = Csv.read(file);
        assertEquals(List.of("1", "2", "10"), data.classLabels().names(), "as svmlight: by value, named as integers");
        int[] labels = new int[data.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = data.get(i).label();
        }
        assertArrayEquals(new int[] {0, 2, 1, 1, 0, 2}, labels);
        assertEquals(data.classLabels(), Csv.stream(file, CsvOptions.defaults()).classLabels());
        assertSameSamples(data, Csv.stream(file, CsvOptions.defaults()));
        assertEquals(
                List.of("1", "cat"),
                Csv.read(write(temp.resolve("mixed.csv"), "x,label", "1,cat", "2,1.0"))
                        .classLabels()
                        .names(),
                "with a name among them, labels keep their text order");
    }

    @Test
    void aTestSetsIntegerLabelsMatchItsTrainingSetsDecimalLabelsAndTheOtherWayRound() throws IOException {
        CsvOptions options = CsvOptions.defaults();
        LabelledDataset decimals = Csv.read(write(temp.resolve("train.csv"), "x,label", "1,1.0", "2,2.0", "3,10.0"));
        Path integers = write(temp.resolve("test.csv"), "x,label", "4,10", "5,1");
        LabelledDataset test = Csv.read(integers, options.likeTrainingSet(decimals));
        assertEquals(2, test.get(0).label(), "10 is the training set's 10.0");
        assertEquals(0, test.get(1).label());
        assertEquals(
                List.of(2, 0),
                samples(Csv.stream(integers, options.likeTrainingSet(decimals))).stream()
                        .map(Sample::label)
                        .toList(),
                "streamed the same");

        LabelledDataset train = Csv.read(integers);
        Path decimalTest = write(temp.resolve("decimal-test.csv"), "x,label", "6,1.0", "7,10.00");
        LabelledDataset fromDecimals = Csv.read(decimalTest, options.likeTrainingSet(train));
        assertEquals(0, fromDecimals.get(0).label());
        assertEquals(1, fromDecimals.get(1).label());
        Path unknown = write(temp.resolve("unknown.csv"), "x,label", "6,1.0", "7,3.0");
        assertProblem(
                unknown,
                3,
                () -> Csv.read(unknown, options.likeTrainingSet(train)),
                "column 'label' (index 1): label '3' is not one of the 2 classes given [1, 10]");
    }

    @Test
    void aLabelInAnotherEncodingThanUtf8IsAnErrorNamingTheLine() throws IOException {
        Path file = temp.resolve("latin1.csv");
        java.nio.file.Files.write(
                file, "x,label\n1,cafe\n2,caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertProblem(
                file,
                3,
                () -> Csv.read(file),
                "column 'label' (index 1): label 'caf\uFFFD' holds bytes that are not UTF-8 text");
        Path utf8 = write(temp.resolve("utf8.csv"), "x,label", "1,cafe", "2,caf\u00e9");
        assertEquals(List.of("cafe", "caf\u00e9"), Csv.read(utf8).classLabels().names());
    }

    @Test
    void aTestFileWhoseHeaderNamesOtherColumnsThanTheTrainingFilesIsAnError() throws IOException {
        LabelledDataset train = Csv.read(write(temp.resolve("train.csv"), "a,b,label", "1,2,x", "3,4,y"));
        assertEquals(List.of("a", "b", "label"), train.header());
        CsvOptions like = CsvOptions.defaults().likeTrainingSet(train);
        Path swapped = write(temp.resolve("swapped.csv"), "b,a,label", "2,1,x");
        String named = "the header names the columns [b, a, label], the training file's [a, b, label]; columns are"
                + " matched by position";
        assertProblem(swapped, 1, () -> Csv.read(swapped, like), named);
        assertProblem(swapped, 1, () -> Csv.stream(swapped, like), named);
        LabelledDataset byPosition = Csv.read(swapped, CsvOptions.defaults().withClassLabels(train.classLabels()));
        assertArrayEquals(new float[] {2, 1}, byPosition.get(0).values(), "the way out the message gives");
        Path spaced = write(temp.resolve("spaced.csv"), " a , b ,label", "5,6,y");
        assertEquals(1, Csv.read(spaced, like).get(0).label(), "names compare without surrounding spaces");
        assertEquals(List.of("a", "b", "label"), Csv.stream(spaced, like).header());
        LabelledDataset headless = Csv.read(
                write(temp.resolve("headless.csv"), "1,2,x", "3,4,y"),
                CsvOptions.defaults().withHeader(false));
        assertEquals(List.of(), headless.header());

        // the same check from a list of names, as for a file read for a saved model
        CsvOptions expecting = CsvOptions.defaults().withExpectedHeader(List.of("a", " b", "label"));
        assertProblem(swapped, 1, () -> Csv.read(swapped, expecting), named);
        assertEquals(2, Csv.read(spaced, expecting).featureCount());
        assertThrows(
                IllegalArgumentException.class,
                () -> CsvOptions.defaults().withHeader(false).withExpectedHeader(List.of("a")));
    }

    @Test
    void aFileOfOneColumnSaysTheDelimiterMayBeAnother() throws IOException {
        Path file = write(temp.resolve("semicolons.csv"), "a;b;label", "1;2;x", "3;4;y");
        assertProblem(
                file,
                1,
                () -> Csv.read(file),
                "one column; expected features and a label (the last column); if"
                        + " the fields are separated by another character than ',', give it (CsvOptions.withDelimiter)");
        assertEquals(2, Csv.read(file, CsvOptions.defaults().withDelimiter(';')).featureCount());
    }

    @Test
    void aLabelThatIsANumberButNotAnIntegerIsAnErrorNamingTheRegressionCall() throws IOException {
        Path file = write(temp.resolve("floats.csv"), "a,x", "1,0.5", "0.37,0.25", "2,1");
        String named = "column 'a' (index 0): label '0.37' is not a class: class labels are integers or names;"
                + " to predict float values read the column as a regression target (CsvOptions.withTargets(\"a\"))";
        CsvOptions byA = CsvOptions.defaults().withLabel("a");
        assertProblem(file, 3, () -> Csv.read(file, byA), named);
        assertProblem(file, 3, () -> Csv.stream(file, byA), named);
        LabelledDataset train = Csv.read(write(temp.resolve("train.csv"), "a,x", "1,0.5", "2,1"), byA);
        assertProblem(file, 3, () -> Csv.read(file, byA.likeTrainingSet(train)), named);
        assertArrayEquals(
                new float[] {0.37f},
                Csv.read(file, CsvOptions.defaults().withTargets("a")).get(1).target(),
                "the call the message names reads it");

        Path headless = write(temp.resolve("headless.csv"), "0.5,1e-1");
        assertProblem(
                headless,
                1,
                () -> Csv.read(headless, CsvOptions.defaults().withHeader(false)),
                "column 1: label '1e-1' is not a class",
                "(CsvOptions.withTargets(1))");
    }

    @Test
    void withoutAHeaderColumnsAreChosenByIndex() throws IOException {
        Path file = write(temp.resolve("plain.csv"), "0,1.5,2.5,3.5", "1,-1,0,1e2");
        CsvOptions options = CsvOptions.defaults().withHeader(false).withLabel(0);
        LabelledDataset data = Csv.read(file, options);
        assertEquals(2, data.size(), "the first line is a sample");
        assertTrue(data.classLabels().isIdentity());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f}, data.get(0).values());
        assertArrayEquals(new float[] {-1f, 0f, 100f}, data.get(1).values());
        assertEquals(1, data.get(1).label());

        LabelledDataset chosen = Csv.read(file, options.withFeatures(3, 1));
        assertArrayEquals(new float[] {3.5f, 1.5f}, chosen.get(0).values(), "features in the order given");

        IllegalArgumentException byName =
                assertThrows(IllegalArgumentException.class, () -> Csv.read(file, options.withLabel("class")));
        assertTrue(byName.getMessage().contains("no header"), byName.getMessage());
    }

    @Test
    void regressionReadsOneOrMoreTargetColumns() throws IOException {
        Path file = write(temp.resolve("houses.csv"), "rooms,price,area,tax", "3,250.5,80,1.5", "5,410,120,2.25");
        LabelledDataset data = Csv.read(file, CsvOptions.defaults().withTargets("price", "tax"));
        assertEquals(0, data.classes());
        assertEquals(2, data.targetWidth());
        assertEquals(2, data.featureCount());
        assertArrayEquals(new float[] {3, 80}, data.get(0).values());
        assertArrayEquals(new float[] {250.5f, 1.5f}, data.get(0).target());
        assertArrayEquals(new float[] {410f, 2.25f}, data.get(1).target());
        Path hexadecimal = write(temp.resolve("hex.csv"), "rooms,price", "3,0x1p3");
        assertProblem(
                hexadecimal,
                2,
                () -> Csv.read(hexadecimal, CsvOptions.defaults().withTargets("price")),
                "column 'price' (index 1): '0x1p3' is not a finite decimal number");

        LabelledDataset explicit =
                Csv.read(file, CsvOptions.defaults().withTargets(1).withFeatures("area"));
        assertEquals(1, explicit.featureCount());
        assertArrayEquals(new float[] {120}, explicit.get(1).values());
        assertArrayEquals(new float[] {410}, explicit.get(1).target());
    }

    @Test
    void quotedFieldsMayHoldDelimitersAndLineBreaks() throws IOException {
        Path file = write(temp.resolve("quoted.csv"), "x;label", "\"1.5\";\"a;b\"", "2;\"c", "d\"", "3;oops");
        CsvOptions options = CsvOptions.defaults().withDelimiter(';');
        LabelledDataset data = Csv.read(file, options.withLabel("label"));
        assertEquals(List.of("a;b", "c\nd", "oops"), data.classLabels().names());
        assertArrayEquals(new float[] {2}, data.get(1).values());

        Path bad = write(temp.resolve("quoted-bad.csv"), "x;y", "1;2", "2;\"c", "d\"", "x;3");
        assertProblem(bad, 5, () -> Csv.read(bad, options), "column 'x' (index 0): 'x' is not a number");
    }

    @Test
    void everyBadRowIsOneLineNamingTheFileTheLineAndTheColumn() throws IOException {
        CsvOptions options = CsvOptions.defaults().withLabel("species");
        assertBadRow(options, "5.1,abc,setosa,1.4", "column 'sepal_width' (index 1): 'abc' is not a number");
        assertBadRow(options, "5.1,,setosa,1.4", "column 'sepal_width' (index 1): '' is empty");
        assertBadRow(options, "5.1,NaN,setosa,1.4", "'NaN' is not a finite");
        assertBadRow(
                options,
                "5.1,0x1p3,setosa,1.4",
                "column 'sepal_width' (index 1): '0x1p3' is not a finite decimal number");
        assertBadRow(options, "5.1,3.5,setosa,0X1.8P1", "column 'petal_length' (index 3): '0X1.8P1' is not a finite");
        assertBadRow(options, "5.1,3.5,setosa", "3 fields, expected 4 as in the header");
        assertBadRow(options, "5.1,3.5,setosa,1.4,9", "5 fields, expected 4");
        assertBadRow(options, "5.1,3.5,,1.4", "column 'species' (index 2): the class label is empty");
        assertBadRow(options, "5.1,\"3.5,setosa,1.4", "not valid CSV");
        Path headless = write(temp.resolve("headless.csv"), "1,2,a", "3,x,b");
        assertProblem(
                headless, 2, () -> Csv.read(headless, CsvOptions.defaults().withHeader(false)), "column 1: 'x'");
    }

    private void assertBadRow(CsvOptions options, String badRow, String... phrases) throws IOException {
        Path file = write(temp.resolve("bad.csv"), IRIS[0], IRIS[1], IRIS[3], badRow, IRIS[4]);
        assertProblem(file, 4, () -> Csv.read(file, options), phrases);
        assertProblem(file, 4, () -> Csv.stream(file, options), phrases);
    }

    @Test
    void columnsThatAreNotThereAreErrorsListingTheHeader() throws IOException {
        Path file = write(temp.resolve("iris.csv"), IRIS);
        assertProblem(
                file,
                1,
                () -> Csv.read(file, CsvOptions.defaults().withLabel("class")),
                "no column 'class' in the header [sepal_length, sepal_width, species, petal_length]");
        assertProblem(
                file,
                1,
                () -> Csv.read(file, CsvOptions.defaults().withLabel(4)),
                "column index 4 is beyond the 4 columns");
        assertProblem(
                file, 1, () -> Csv.read(file, CsvOptions.defaults().withLabel(2).withFeatures(0, 2)), "chosen twice");
        Path twice = write(temp.resolve("twice.csv"), "a,a,b", "1,2,3");
        assertProblem(twice, 1, () -> Csv.read(twice, CsvOptions.defaults().withTargets("a")), "two columns 'a'");
        Path empty = write(temp.resolve("empty.csv"));
        assertProblem(empty.toString(), () -> Csv.read(empty), "empty");
        Path headerOnly = write(temp.resolve("header.csv"), IRIS[0]);
        assertProblem(headerOnly.toString(), () -> Csv.read(headerOnly), "no data rows");
    }

    @Test
    void aTestSetIsReadWithTheClassesAndColumnsOfItsTrainingSet() throws IOException {
        CsvOptions options = CsvOptions.defaults().withLabel("species");
        LabelledDataset train = Csv.read(write(temp.resolve("train.csv"), IRIS), options);
        Path testFile = write(temp.resolve("test.csv"), IRIS[0], "6.0,2.2,virginica,5.0", "5.0,3.4,setosa,1.5");
        LabelledDataset test = Csv.read(testFile, options.likeTrainingSet(train));
        assertEquals(train.classLabels(), test.classLabels());
        assertEquals(2, test.get(0).label(), "virginica is class 2 of the training set");
        assertEquals(0, test.get(1).label());
        assertEquals(0, Csv.read(testFile, options).get(1).label(), "read alone, setosa would be class 0 of 2");

        Path unknown = write(temp.resolve("unknown.csv"), IRIS[0], "6.0,2.2,virginica,5.0", "1,1,daisy,1");
        assertProblem(
                unknown,
                3,
                () -> Csv.read(unknown, options.likeTrainingSet(train)),
                "label 'daisy' is not one of the 3 classes");
        Path narrow = write(temp.resolve("narrow.csv"), "sepal_length,species", "6.0,virginica");
        assertProblem(
                narrow,
                1,
                () -> Csv.read(narrow, options.likeTrainingSet(train)),
                "1 feature columns, but the training set has 3 features");
        assertThrows(
                IllegalArgumentException.class,
                () -> CsvOptions.defaults().withTargets(0).likeTrainingSet(train));
    }

    @Test
    void gzipFilesAreReadAsThePlainFileAndATruncatedOneFailsNamingTheFile() throws IOException {
        CsvOptions options = CsvOptions.defaults().withLabel("species");
        LabelledDataset plain = Csv.read(write(temp.resolve("iris.csv"), IRIS), options);
        Path gzip = write(temp.resolve("iris.csv.gz"), IRIS);
        assertSameSamples(plain, Csv.read(gzip, options));

        String[] rows = new String[20_000];
        rows[0] = "a,b,c,label";
        for (int i = 1; i < rows.length; i++) {
            rows[i] = i * 0.1 + "," + i * 0.2 + "," + i * 0.3 + "," + i % 3;
        }
        Path cut = write(temp.resolve("cut.csv.gz"), rows);
        truncate(cut, 25);
        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> Csv.read(cut)).getMessage(), cut);
        CsvSource source =
                Csv.stream(cut, CsvOptions.defaults().withClassLabels(ClassLabels.of(List.of("0", "1", "2"))));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> samples(source));
        assertDamagePlaced(e.getCause().getMessage(), cut);
    }

    @Test
    void aGzipCutAtAnyByteGivesEveryWholeRowAndFailsAtTheFirstLineNotWhole() throws IOException {
        String[] rows = new String[60];
        rows[0] = "a,b,label";
        for (int i = 1; i < rows.length; i++) {
            rows[i] = i * 0.37 + "," + (i % 7 + 0.35) + "," + (i % 3 == 0 ? "1" : "10");
        }
        Path file = write(temp.resolve("whole.csv.gz"), rows);
        LabelledDataset expected = Csv.read(file);
        CsvOptions known = CsvOptions.defaults().likeTrainingSet(expected);
        byte[] gzip = Files.readAllBytes(file);
        for (int length = 37; length < gzip.length; length += 37) {
            Path cut = Files.write(temp.resolve("cut" + length + ".csv.gz"), Arrays.copyOf(gzip, length));
            assertDamagePlaced(
                    assertThrows(DataFormatException.class, () -> Csv.read(cut)).getMessage(), cut);
            long line = assertStreamedUpToDamage(
                    () -> Csv.stream(cut, known), cut, 1, expected, "the gzip data ends early");
            assertEquals(wholeLines(cut) + 1, line, "cut at byte " + length);
        }
    }

    @Test
    void aGzipCutInsideALabelOrAtALineFeedFailsAtTheLineNotWhole() throws IOException {
        String[] rows = {"x,label", "0.35,1", "0.5,10", "0.75,1"};
        String text = String.join("\n", rows) + "\n";
        LabelledDataset expected = Csv.read(write(temp.resolve("whole.csv"), rows));
        CsvOptions known = CsvOptions.defaults().likeTrainingSet(expected);

        int inLabel = text.indexOf(",10") + 2;
        Path midLine = writeGzipCut(temp.resolve("mid.csv.gz"), text, inLabel);
        assertTrue(decodable(midLine).endsWith("\n0.5,1"), decodable(midLine));
        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> Csv.read(midLine)).getMessage(), midLine);
        assertEquals(
                3,
                assertStreamedUpToDamage(
                        () -> Csv.stream(midLine, known), midLine, 1, expected, "the gzip data ends early"),
                "the label '1' cut from '10' is not read as class 1");

        Path atLineFeed = writeGzipCut(temp.resolve("linefeed.csv.gz"), text, inLabel + 2);
        assertTrue(decodable(atLineFeed).endsWith("\n0.5,10\n"), decodable(atLineFeed));
        assertDamagePlaced(
                assertThrows(DataFormatException.class, () -> Csv.read(atLineFeed))
                        .getMessage(),
                atLineFeed);
        assertEquals(
                4,
                assertStreamedUpToDamage(
                        () -> Csv.stream(atLineFeed, known), atLineFeed, 1, expected, "the gzip data ends early"));
    }

    @Test
    void aStreamGivesTheSamplesOfTheInMemoryRead() throws IOException {
        Path file = write(temp.resolve("iris.csv.gz"), IRIS);
        CsvOptions classify = CsvOptions.defaults().withLabel("species");
        CsvSource source = Csv.stream(file, classify);
        LabelledDataset data = Csv.read(file, classify);
        assertEquals(data.classLabels(), source.classLabels());
        assertSameSamples(data, source);
        assertSameSamples(data, Dataset.collect(source));

        CsvOptions regress = CsvOptions.defaults().withTargets("petal_length").withFeatures(0, 1);
        CsvSource targets = Csv.stream(file, regress);
        assertEquals(1, targets.targetWidth());
        assertSameSamples(Csv.read(file, regress), targets);
    }

    @Test
    void aLoaderCutsTheFileIntoDenseBatchesOfItsRowsInMemoryOrStreamed() throws IOException {
        Path file = write(temp.resolve("iris.csv"), IRIS);
        CsvOptions options = CsvOptions.defaults().withLabel("species");
        List<Batch> batches = new ArrayList<>();
        new DataLoader(Csv.read(file, options), 3, false, 0, false).forEach(batches::add);

        assertEquals(2, batches.size());
        Batch first = batches.get(0);
        assertFalse(first.isSparse());
        assertArrayEquals(new float[] {5.1f, 3.5f, 1.4f, 7.0f, 3.2f, 4.7f, 6.3f, 3.3f, 6.0f}, first.features());
        assertArrayEquals(new int[] {0, 1, 2}, first.labels());
        assertArrayEquals(new int[] {0}, batches.get(1).labels());

        List<Batch> streamed = new ArrayList<>();
        DataLoader.streaming(Csv.stream(file, options), 3).forEach(streamed::add);
        assertEquals(batches, streamed);
    }

    @Test
    void aByteOrderMarkIsSkippedAndAMissingFileIsNamed() throws IOException {
        Path file = temp.resolve("excel.csv");
        Files.writeString(file, "\uFEFFlabel,x\r\nb,1\r\na,2\r\n");
        LabelledDataset data = Csv.read(file, CsvOptions.defaults().withLabel("label"));
        assertEquals(List.of("a", "b"), data.classLabels().names());
        assertArrayEquals(new float[] {2}, data.get(1).values());

        Path missing = temp.resolve("missing.csv");
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> Csv.read(missing));
        assertEquals(missing.toAbsolutePath() + ": no such file", e.getMessage());
        FileNotFoundException folder = assertThrows(FileNotFoundException.class, () -> SvmLight.read(temp));
        assertTrue(folder.getMessage().contains("a folder, expected a data file"), folder.getMessage());
    }
}
