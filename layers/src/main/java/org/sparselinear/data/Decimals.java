package org.sparselinear.data;

/**
 * Parses the numbers of text data files: decimal floats such as {@code 1}, {@code -0.25} or
 * {@code 3e-5}, finite. Java's {@link Float#parseFloat} alone would also take {@code NaN},
 * {@code Infinity}, hexadecimal floats such as {@code 0x1p3} (8) and the suffixes {@code f} and
 * {@code d}, which a data file has no business holding: a missing or overflowing value is
 * reported, not trained on, and a value is read as the decimal it is documented to be.
 */
final class Decimals {

    private Decimals() {}

    /**
     * The value of {@code token}.
     *
     * @throws NumberFormatException whose message says why {@code token} is not a finite decimal number
     */
    static float parse(String token) {
        float value;
        try {
            value = Float.parseFloat(token);
        } catch (NumberFormatException e) {
            throw notANumber(token);
        }
        check(token, value, "float");
        return value;
    }

    /**
     * The value of {@code token} in double precision, for the integers that name classes (a float
     * holds integers exactly only up to 2^24).
     *
     * @throws NumberFormatException whose message says why {@code token} is not a finite decimal number
     */
    static double parseDouble(String token) {
        double value;
        try {
            value = Double.parseDouble(token);
        } catch (NumberFormatException e) {
            throw notANumber(token);
        }
        check(token, value, "double");
        return value;
    }

    private static NumberFormatException notANumber(String token) {
        return new NumberFormatException(token.isBlank() ? "empty (missing values are not supported)" : "not a number");
    }

    private static void check(String token, double value, String type) {
        char last = token.isEmpty() ? ' ' : Character.toLowerCase(token.charAt(token.length() - 1));
        // parseFloat takes an x only in a hexadecimal float, whose exponent p it needs
        boolean hexadecimal = token.indexOf('x') >= 0 || token.indexOf('X') >= 0;
        if (hexadecimal || !Double.isFinite(value) || last == 'f' || last == 'd') {
            throw new NumberFormatException(
                    !hexadecimal && Double.isInfinite(value) && !token.contains("nf")
                            ? "beyond the " + type + " range"
                            : "not a finite decimal number");
        }
    }
}
