package org.sparselinear.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.zip.ZipException;
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

    /**
     * Writes to {@code file} the gzip data of the first {@code at} characters of {@code text},
     * followed by the bytes {@code after}: with none the data ends early there; {@code (byte) 7}, a
     * deflate block of the invalid type 3, makes it corrupt there.
     */
    static Path writeGzipCut(Path file, String text, int at, byte... after) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GZIPOutputStream gzip = new GZIPOutputStream(bytes, true); // not closed: that would end the data whole
        gzip.write(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        gzip.flush(); // a sync flush: every character written decompresses from the bytes so far
        bytes.write(after);
        return Files.write(file, bytes.toByteArray());
    }

    /**
     * The text that {@link GZIPInputStream} decompresses from a damaged gzip {@code file} before it
     * fails, read a byte at a time.
     */
    static String decodable(Path file) throws IOException {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                text.write(b);
            }
        } catch (EOFException | ZipException expected) {
            return text.toString(StandardCharsets.UTF_8);
        }
        throw new AssertionError(file + " is not damaged");
    }

    /** The lines of a damaged gzip {@code file} that decompress whole: its line feeds before the damage. */
    static long wholeLines(Path file) throws IOException {
        return decodable(file).chars().filter(c -> c == '\n').count();
    }

    /**
     * Asserts that {@code message} is one line that says a truncated gzip {@code file} ends early, in
     * its current wording, and places the damage at the first line that does not decompress whole:
     * {@code file:line: } where line is one more than the {@link #wholeLines}.
     */
    static void assertDamagePlaced(String message, Path file) throws IOException {
        assertMessage(
                message,
                file + ":" + (wholeLines(file) + 1),
                "the gzip data ends early (a truncated file or an incomplete download?);"
                        + " compress the file again or download it again");
    }

    /** Makes a source that streams a file. */
    @FunctionalInterface
    interface Streaming {
        SampleSource stream() throws IOException;
    }

    /**
     * Streams a damaged {@code file} until it fails, the source made and opened anew; asserts that
     * the samples it gave before are the first of {@code expected}, those of every line before the
     * one the failure names ({@code headerLines} lines hold no sample), and that the failure is one
     * line naming {@code file:line: } and containing {@code phrase}. Returns that line.
     */
    static long assertStreamedUpToDamage(
            Streaming streaming, Path file, int headerLines, Dataset expected, String phrase) {
        List<Sample> read = new ArrayList<>();
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            try (SampleIterator iterator = streaming.stream().open()) {
                iterator.forEachRemaining(read::add);
            } catch (UncheckedIOException failed) {
                throw failed.getCause();
            }
        });
        String message = e.getMessage();
        Matcher at =
                Pattern.compile(Pattern.quote(file.toString()) + ":(\\d+): ").matcher(message);
        assertTrue(at.lookingAt(), "starts with '" + file + ":LINE: ': " + message);
        long line = Long.parseLong(at.group(1));
        assertMessage(message, file + ":" + line, phrase);
        assertEquals(Math.max(0, line - 1 - headerLines), read.size(), "the samples of the lines before line " + line);
        for (int i = 0; i < read.size(); i++) {
            assertSameSample(expected.get(i), read.get(i));
        }
        return line;
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
