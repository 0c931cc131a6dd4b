package org.sparselinear.data;

import java.util.List;
import java.util.Objects;

/**
 * A column of a CSV file chosen in {@link CsvOptions}: by its name in the header, or by its 0-based
 * index.
 */
final class CsvColumn {

    private final String name;
    private final int index;

    private CsvColumn(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /** The column whose header is {@code name}. */
    static CsvColumn named(String name) {
        Objects.requireNonNull(name, "column name");
        return new CsvColumn(name.strip(), -1);
    }

    /** The column at 0-based {@code index}. */
    static CsvColumn at(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a column index is 0-based, >= 0, got " + index);
        }
        return new CsvColumn(null, index);
    }

    /** Whether the column is chosen by name, which needs a header. */
    boolean isNamed() {
        return name != null;
    }

    /**
     * The 0-based index of this column in rows of {@code fields} fields.
     *
     * @param header the column names, or null when the file has no header
     * @param where the file, and line of the first row, for the message
     * @throws DataFormatException when the header has no such name (listing the header), or has it
     *     twice, or the index is beyond the fields
     */
    int resolve(List<String> header, int fields, String where) throws DataFormatException {
        if (name == null) {
            if (index >= fields) {
                throw new DataFormatException(where + ": column index " + index + " is beyond the " + fields
                        + " columns of the file (indices 0.." + (fields - 1) + ")");
            }
            return index;
        }
        int found = header.indexOf(name);
        if (found < 0) {
            throw new DataFormatException(where + ": no column '" + name + "' in the header " + header);
        }
        if (header.lastIndexOf(name) != found) {
            throw new DataFormatException(where + ": the header names two columns '" + name + "' (indices " + found
                    + " and " + header.lastIndexOf(name) + "); choose the column by index");
        }
        return found;
    }

    @Override
    public String toString() {
        return name != null ? "'" + name + "'" : "column " + index;
    }
}
