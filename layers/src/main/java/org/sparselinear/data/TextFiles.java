package org.sparselinear.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.LineNumberReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Opens the text data files of the readers ({@link SvmLight}, {@link Csv}) as UTF-8, plain or
 * gzip-compressed. Compression is recognised by the content (the bytes {@code 0x1f 0x8b}), not
 * the name. A gzip stream that ends early or is corrupt fails, when the reading reaches the damage,
 * with a {@link DataFormatException} naming the file and the first line that could not be read
 * ({@code file:line: ...}; every line before it was read whole), instead of the bare
 * {@link EOFException} the JDK throws.
 */
final class TextFiles {

    private static final int BUFFER = 1 << 16;
    private static final int BYTE_ORDER_MARK = '\uFEFF';

    private TextFiles() {}

    /**
     * A reader of {@code file}'s text, decompressed when the file is gzip, after the byte order mark
     * that some programs write at the start of UTF-8 text.
     *
     * @throws FileNotFoundException when there is no such file, or it is a folder
     */
    static BufferedReader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FileNotFoundException(file.toAbsolutePath() + ": "
                    + (Files.isDirectory(file) ? "a folder, expected a data file" : "no such file"));
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            InputStream in = isGzip(raw) ? new CheckedGzip(file, new GZIPInputStream(raw, BUFFER)) : raw;
            BufferedReader reader = new NumberedLines(new InputStreamReader(in, StandardCharsets.UTF_8));
            reader.mark(1);
            if (reader.read() != BYTE_ORDER_MARK) {
                reader.reset();
            }
            return reader;
        } catch (EOFException | ZipException e) {
            raw.close();
            throw CheckedGzip.problem(file, e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    /**
     * Counts the lines it hands out, so that damaged gzip data below it ({@link GzipDamage}) is
     * reported at the first line that could not be read.
     */
    private static final class NumberedLines extends LineNumberReader {

        NumberedLines(Reader in) {
            super(in, BUFFER);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (GzipDamage e) {
                throw e.at(getLineNumber() + 1L);
            }
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (GzipDamage e) {
                throw e.at(getLineNumber() + 1L);
            }
        }

        @Override
        public String readLine() throws IOException {
            try {
                return super.readLine();
            } catch (GzipDamage e) {
                throw e.at(getLineNumber() + 1L);
            }
        }
    }

    /** Damaged gzip data: what is wrong with it, said of the file or of a line of it ({@link #at}). */
    private static final class GzipDamage extends DataFormatException {

        private static final long serialVersionUID = 1L;

        private final transient Path file;
        private final String what;

        GzipDamage(Path file, String what) {
            super(file + ": " + what);
            this.file = file;
            this.what = what;
        }

        /** The same damage, placed at {@code line} of the file, the first that could not be read. */
        DataFormatException at(long line) {
            return new DataFormatException(file + ":" + line + ": " + what);
        }
    }

    /** Turns the JDK's gzip failures into a one-line {@link DataFormatException} that names the file. */
    private static final class CheckedGzip extends FilterInputStream {

        private final Path file;

        CheckedGzip(Path file, InputStream gzip) {
            super(gzip);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (EOFException | ZipException e) {
                throw problem(file, e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return super.read(buffer, offset, length);
            } catch (EOFException | ZipException e) {
                throw problem(file, e);
            }
        }

        static GzipDamage problem(Path file, IOException e) {
            String what = e instanceof EOFException
                    ? "the gzip data ends early (a truncated file or an incomplete download?)"
                    : "corrupt gzip data (" + e.getMessage() + ")";
            return new GzipDamage(file, what + "; compress the file again or download it again");
        }
    }
}
