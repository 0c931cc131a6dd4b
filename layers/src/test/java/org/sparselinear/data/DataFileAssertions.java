package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** What the tests of the file readers ({@link SvmLightTest}, {@link CsvTest}) share: writing files, checking errors and samples. */
final class DataFileAssertions {

    private DataFileAssertions() {}

    /** Writes {@code lines} (each ended by a line feed) to {@code file}, gzip-compressed when its name ends in .gz. */
    static Path write(Path file, String... lines) throws IOException {
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        if (file.getFileName().toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(text);
            }
        } else {
            Files.write(file, text);
        }
        return file;
    }

    /** Cuts the last {@code bytes} bytes off {@code file}. */
    static void truncate(Path file, int bytes) throws IOException {
        byte[] content = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(content, content.length - bytes));
    }

    /** The lines of a truncated gzip {@code file} that decompress whole: its line feeds before the data ends. */
    static long wholeLines(Path file) throws IOException {
        long lines = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b == '\n') {
                    lines++;
                }
            }
        } catch (EOFException expected) {
            return lines;
        }
        throw new AssertionError(file + " is not truncated");
    }

    /**
     * Asserts that {@code message} is one line that says a truncated gzip {@code file} ends early and
     * places the damage at a line {@code file:line: }: not past the first line that does not decompress whole, and past the
     * first half of those that do (the readers' buffers may hold back some whole lines, never half
     * of a file this large).
     */
    static void assertDamagePlaced(String message, Path file) throws IOException {
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains("the gzip data ends early"), message);
        Matcher at =
                Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+): ").matcher(message);
        assertTrue(at.lookingAt(), "starts with '" + file + ":LINE: ': " + message);
        long line = Long.parseLong(at.group(1));
        long whole = wholeLines(file);
        assertTrue(line <= whole + 1 && line > whole / 2, "line " + line + " of " + whole + " whole lines: " + message);
    }

    /**
     * Asserts that {@code call} fails with a {@link DataFormatException} of one line that starts with
     * {@code where: } and contains every phrase; returns the message.
     */
    static String assertProblem(String where, Executable call, String... phrases) {
        DataFormatException e = assertThrows(DataFormatException.class, call);
        return assertMessage(e.getMessage(), where, phrases);
    }

    /** As {@link #assertProblem}, for a file line {@code file:line}. */
    static String assertProblem(Path file, long line, Executable call, String... phrases) {
        return assertProblem(file + ":" + line, call, phrases);
    }

    static String assertMessage(String message, String where, String... phrases) {
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith(where + ": "), "starts with '" + where + ": ': " + message);
        for (String phrase : phrases) {
            assertTrue(message.contains(phrase), "contains '" + phrase + "': " + message);
        }
        return message;
    }

    /** Every sample of {@code source}, in order. */
    static List<Sample> samples(SampleSource source) throws IOException {
        List<Sample> samples = new ArrayList<>();
        try (SampleIterator iterator = source.open()) {
            iterator.forEachRemaining(samples::add);
        }
        return samples;
    }

    /** Asserts that {@code actual} is a sparse sample with these indices, values and label. */
    static void assertSparse(int[] indices, float[] values, int label, Sample actual) {
        assertTrue(actual.isSparse(), actual.toString());
        assertArrayEquals(indices, actual.indices());
        assertArrayEquals(values, actual.values());
        assertEquals(label, actual.label());
    }

    /** Asserts that two samples hold the same features and target. */
    static void assertSameSample(Sample expected, Sample actual) {
        assertEquals(expected.isSparse(), actual.isSparse());
        if (expected.isSparse()) {
            assertArrayEquals(expected.indices(), actual.indices());
        }
        assertArrayEquals(expected.values(), actual.values());
        assertEquals(expected.hasLabel(), actual.hasLabel());
        if (expected.hasLabel()) {
            assertEquals(expected.label(), actual.label());
        } else {
            assertArrayEquals(expected.target(), actual.target());
        }
    }

    /** Asserts that {@code source} streams exactly the samples of {@code expected}, in order. */
    static void assertSameSamples(Dataset expected, SampleSource source) throws IOException {
        assertEquals(expected.featureCount(), source.featureCount());
        assertEquals(expected.classes(), source.classes());
        assertEquals(expected.targetWidth(), source.targetWidth());
        assertEquals(expected.isSparse(), source.isSparse());
        List<Sample> streamed = samples(source);
        assertEquals(expected.size(), streamed.size());
        for (int i = 0; i < streamed.size(); i++) {
            assertSameSample(expected.get(i), streamed.get(i));
        }
    }
}
