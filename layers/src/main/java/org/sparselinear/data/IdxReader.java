package org.sparselinear.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of the MNIST database (LeCun et al.): a magic number
 * {@code 0x00 0x00 type ndims}, {@code ndims} big-endian 32-bit dimensions, then the elements.
 * Only type {@code 0x08} (unsigned byte) is supported. A gzip-compressed file is recognised by
 * its content (the bytes {@code 0x1f 0x8b}), not by its name.
 *
 * <p>The file is checked completely: a wrong magic number, another element type, dimensions
 * whose product does not fit in a Java array, too few bytes and bytes after the declared data
 * are each a {@link DataFormatException} whose message names the file and the problem.
 */
public final class IdxReader {

    /** The largest number of elements a file may declare (the largest Java array). */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {}

    /** Reads the whole file at {@code file}, gzipped or not. */
    public static IdxFile read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            InputStream in = isGzip(raw) ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
            return parse(in, file);
        } catch (EOFException e) {
            throw problem(file, "the gzip stream ends early (truncated download?): " + e.getMessage());
        } catch (ZipException e) {
            throw problem(file, "corrupt gzip data: " + e.getMessage());
        }
    }

    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        return first == 0x1f && second == 0x8b;
    }

    private static IdxFile parse(InputStream in, Path file) throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw problem(file, "truncated: " + magic.length + " bytes, too short for the 4-byte IDX magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw problem(
                    file,
                    String.format(
                            Locale.ROOT,
                            "not an IDX file: the magic number must start with two "
                                    + "zero bytes (0x00 0x00 type ndims), got 0x%02x 0x%02x",
                            magic[0] & 0xff,
                            magic[1] & 0xff));
        }
        int type = magic[2] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw problem(
                    file,
                    String.format(
                            Locale.ROOT,
                            "unsupported element type 0x%02x (%s); only 0x08 "
                                    + "(unsigned byte), the type of the MNIST files, is supported",
                            type,
                            typeName(type)));
        }
        int rank = magic[3] & 0xff;
        if (rank == 0) {
            throw problem(file, "the header declares 0 dimensions; expected at least 1");
        }
        int[] dimensions = readDimensions(in, file, rank);
        long itemSize = 1;
        for (int d = 1; d < rank; d++) {
            itemSize *= dimensions[d];
            if (itemSize > MAX_ELEMENTS) {
                throw tooLarge(file, dimensions);
            }
        }
        long elements = dimensions[0] * itemSize;
        if (elements > MAX_ELEMENTS) {
            throw tooLarge(file, dimensions);
        }
        byte[] data = in.readNBytes((int) elements);
        if (data.length < elements) {
            throw problem(
                    file,
                    "truncated: dimensions " + Arrays.toString(dimensions) + " declare " + elements
                            + " bytes of data, but only " + data.length + " follow the header");
        }
        if (in.read() != -1) {
            throw problem(
                    file,
                    "trailing data: more bytes follow the " + elements + " bytes that dimensions "
                            + Arrays.toString(dimensions) + " declare; the file or its header is corrupt");
        }
        return new IdxFile(dimensions, (int) itemSize, data);
    }

    private static int[] readDimensions(InputStream in, Path file, int rank) throws IOException {
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw problem(
                    file,
                    "truncated header: " + rank + " dimensions need " + 4 * rank + " bytes, got " + header.length);
        }
        int[] dimensions = new int[rank];
        for (int d = 0; d < rank; d++) {
            long value = ((header[4 * d] & 0xffL) << 24)
                    | ((header[4 * d + 1] & 0xff) << 16)
                    | ((header[4 * d + 2] & 0xff) << 8)
                    | (header[4 * d + 3] & 0xff);
            if (value > MAX_ELEMENTS) {
                throw problem(
                        file,
                        "dimension " + d + " is " + value + ", more than one Java array holds (" + MAX_ELEMENTS
                                + "); the header is corrupt");
            }
            dimensions[d] = (int) value;
        }
        return dimensions;
    }

    private static DataFormatException tooLarge(Path file, int[] dimensions) {
        return problem(
                file,
                "dimensions " + Arrays.toString(dimensions) + " declare more than " + MAX_ELEMENTS
                        + " elements (per file or per item), more than one Java array holds; the header is corrupt");
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }

    private static DataFormatException problem(Path file, String what) {
        return new DataFormatException("IDX file " + file + ": " + what);
    }
}
