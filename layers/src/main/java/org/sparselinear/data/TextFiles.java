package org.sparselinear.data;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
 * whole ({@code file:line: ...}; every line before it was read, and the line cut short is never
 * handed out as if it were whole), instead of the bare {@link EOFException} the JDK throws.
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
            BufferedReader reader = isGzip(raw)
                    ? new DamageCheckedLines(new CheckedGzip(file, new GZIPInputStream(raw, BUFFER)))
                    : new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), BUFFER);
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
     * The text of a gzip file that fails where the text ends when {@link CheckedGzip} found damage
     * there: the last line, cut short, is never handed out as if it were whole.
     */
    private static final class DamageCheckedLines extends BufferedReader {

        private final CheckedGzip gzip;

        DamageCheckedLines(CheckedGzip gzip) {
            super(new InputStreamReader(gzip, StandardCharsets.UTF_8), BUFFER);
            this.gzip = gzip;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c < 0) {
                gzip.failIfDamaged();
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read < 0) {
                gzip.failIfDamaged();
            }
            return read;
        }

        @Override
        public String readLine() throws IOException {
            String line = super.readLine();
            if (line == null || gzip.isDamaged() && !gzip.endsWithLineFeed() && atEnd()) {
                gzip.failIfDamaged();
            }
            return line;
        }

        /** Whether every character was handed out, so a line just read ended with the text, not a line feed. */
        private boolean atEnd() throws IOException {
            mark(1);
            boolean end = super.read() < 0;
            reset();
            return end;
        }
    }

    /**
     * Gzip data that turns the JDK's failures on damaged data into a one-line
     * {@link DataFormatException} that names the file. Damage met while reading the text is
     * remembered and read as the end of the data; {@link #failIfDamaged} then reports it at the
     * first line that was not read whole, the one after the last line feed. Data that ends early is
     * met only once every byte before it was handed out ({@code InflaterInputStream} fails only in a
     * read that decompressed nothing), so that line is exact; for corrupt data the JDK drops what the
     * failing read decompressed, so the line named may come up to one read's text before the damage.
     */
    private static final class CheckedGzip extends FilterInputStream {

        private final Path file;
        private final byte[] one = new byte[1];
        private long lineFeeds;
        private int last = -1;
        private IOException damage;

        CheckedGzip(Path file, InputStream gzip) {
            super(gzip);
            this.file = file;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (damage != null) {
                return -1;
            }
            int read;
            try {
                read = super.read(buffer, offset, length);
            } catch (EOFException | ZipException e) {
                damage = e;
                return -1;
            }
            for (int i = offset; i < offset + read; i++) {
                if (buffer[i] == '\n') {
                    lineFeeds++;
                }
            }
            if (read > 0) {
                last = buffer[offset + read - 1];
            }
            return read;
        }

        /** Whether the data was found damaged: what was read before is all there is. */
        boolean isDamaged() {
            return damage != null;
        }

        /** Whether the last byte read is a line feed, so the text read ends with a whole line. */
        boolean endsWithLineFeed() {
            return last == '\n';
        }

        /**
         * Fails when the data was found damaged, naming the line after the last line feed read.
         *
         * @throws DataFormatException {@code file:line: what is wrong; what to do}
         */
        void failIfDamaged() throws DataFormatException {
            if (damage != null) {
                throw new DataFormatException(file + ":" + (lineFeeds + 1) + ": " + describe(damage));
            }
        }

        /** The damage found while reading the gzip header, before any line: {@code file: what is wrong; what to do}. */
        static DataFormatException problem(Path file, IOException e) {
            return new DataFormatException(file + ": " + describe(e));
        }

        private static String describe(IOException e) {
            String what = e instanceof EOFException
                    ? "the gzip data ends early (a truncated file or an incomplete download?)"
                    : "corrupt gzip data (" + e.getMessage() + ")";
            return what + "; compress the file again or download it again";
        }
    }
}
