package org.sparselinear.tck;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.sparselinear.tck.reference.Shape;

/**
 * The dense shapes shared by the element-wise contracts, and a boolean flag (accumulate, in
 * place) crossed with any list of cases.
 */
final class Cases {

    /** One element, a single row, an odd batch, a full batch of 64, a single column. */
    static final List<Shape> SHAPES =
            List.of(new Shape(1, 1), new Shape(1, 37), new Shape(7, 13), new Shape(64, 100), new Shape(33, 1));

    private Cases() {}

    /** {@link #SHAPES}, as a {@code @MethodSource("org.sparselinear.tck.Cases#shapes")}. */
    static Stream<Shape> shapes() {
        return SHAPES.stream();
    }

    /** {@link #SHAPES} with a flag, as a {@code @MethodSource("org.sparselinear.tck.Cases#shapesWithFlag")}. */
    static Stream<Arguments> shapesWithFlag() {
        return withFlag(SHAPES);
    }

    /** Each case twice: {@code (case, false)} and {@code (case, true)}. */
    static Stream<Arguments> withFlag(List<?> cases) {
        return cases.stream().flatMap(c -> Stream.of(Arguments.of(c, false), Arguments.of(c, true)));
    }
}
