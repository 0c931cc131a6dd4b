package org.sparselinear.tck;

import java.util.function.Supplier;
import org.sparselinear.api.Connectivity;

/** A named pattern of the kit's sparse cases, generated on first use and then shared by every test. */
final class SparsePattern {

    private final String name;
    private final Supplier<Connectivity> generator;
    private Connectivity connectivity;

    SparsePattern(String name, Supplier<Connectivity> generator) {
        this.name = name;
        this.generator = generator;
    }

    synchronized Connectivity connectivity() {
        if (connectivity == null) {
            connectivity = generator.get();
        }
        return connectivity;
    }

    @Override
    public String toString() {
        return name;
    }
}
