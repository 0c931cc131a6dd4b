package org.sparselinear.tck;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AbstractDenseMatrix;
import org.sparselinear.spi.AbstractSparseMatrix;

/**
 * Matrices that belong to another backend, to check that the backend under test refuses them.
 * That other backend is a stand-in with a name and nothing else.
 */
final class ForeignResources {

    /** The name of the stand-in backend, which a refusal should mention. */
    static final String BACKEND_NAME = "foreign-test-backend";

    private static final Backend FOREIGN = (Backend) Proxy.newProxyInstance(
            Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, ForeignResources::answer);

    private ForeignResources() {}

    static DenseMatrix matrix(int rows, int columns) {
        return new ForeignMatrix(rows, columns);
    }

    static SparseMatrix pattern(Connectivity connectivity) {
        return new ForeignPattern(connectivity);
    }

    private static Object answer(Object proxy, Method method, Object[] arguments) {
        return switch (method.getName()) {
            case "name" -> BACKEND_NAME;
            case "toString" -> "backend " + BACKEND_NAME;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == arguments[0];
            default ->
                throw new UnsupportedOperationException(BACKEND_NAME + " is a stand-in: it has no " + method.getName());
        };
    }

    private static final class ForeignMatrix extends AbstractDenseMatrix {

        ForeignMatrix(int rows, int columns) {
            super(FOREIGN, rows, columns);
        }

        @Override
        protected void release() {
            // Nothing was allocated.
        }
    }

    private static final class ForeignPattern extends AbstractSparseMatrix {

        ForeignPattern(Connectivity connectivity) {
            super(FOREIGN, connectivity);
        }

        @Override
        protected void release() {
            // Nothing was allocated.
        }
    }
}
