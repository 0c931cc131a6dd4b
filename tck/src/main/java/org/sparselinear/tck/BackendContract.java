package org.sparselinear.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sparselinear.api.Backend;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.MemoryScope;
import org.sparselinear.tck.reference.Expected;
import org.sparselinear.tck.reference.HostMatrix;
import org.sparselinear.tck.reference.Tolerance;

/**
 * The base of the kit's contract classes: the backend under test, a memory scope around every
 * test (so that a device backend frees each test's matrices), and the moves every test makes:
 * upload host data, allocate outputs, compare with a reference. Failures carry the name of
 * their case ({@link NamedFailures}).
 */
@ExtendWith(NamedFailures.class)
abstract class BackendContract {

    private MemoryScope scope;

    /** The backend under test, the same instance for every test of a run. */
    abstract Backend backend();

    @BeforeEach
    final void openScope() {
        scope = backend().newScope();
    }

    @AfterEach
    final void closeScope() {
        scope.close();
    }

    final DenseMatrix upload(HostMatrix host) {
        return backend().upload(host.values(), host.rows(), host.columns());
    }

    /** A matrix of NaN: an output that an overwriting operation must not read. */
    final DenseMatrix garbage(int rows, int columns) {
        float[] nan = new float[rows * columns];
        Arrays.fill(nan, Float.NaN);
        return backend().upload(nan, rows, columns);
    }

    /** The output of an operation: {@code prior} when it accumulates, NaN garbage when it overwrites. */
    final DenseMatrix output(HostMatrix prior, boolean accumulate) {
        return accumulate ? upload(prior) : garbage(prior.rows(), prior.columns());
    }

    /** What the output holds after the operation: the result, plus the prior when accumulating. */
    static Expected accumulated(Expected result, HostMatrix prior, boolean accumulate) {
        return accumulate ? result.plus(prior) : result;
    }

    final void assertMatches(String what, Expected expected, DenseMatrix actual) {
        Tolerance.assertMatches(what, expected, backend().download(actual));
    }

    /** Checks that an operation left one of its inputs as it was. */
    final void assertUnchanged(String what, HostMatrix original, DenseMatrix matrix) {
        assertArrayEquals(original.values(), backend().download(matrix), what + " is an input and must not change");
    }
}
