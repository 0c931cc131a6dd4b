package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparselinear.api.Layer;
import org.sparselinear.api.Parameter;
import org.sparselinear.testing.GradientCheck;
import org.sparselinear.testing.Tensors;

class SequentialTest {

    @Test
    void gradientsThroughAChainOfLayersMatchFiniteDifferences() {
        Sequential model = new Sequential(
                new Flatten(),
                new SparseLinear(8, 6, SparseLinear.options().sparsity(0.5).seed(1)),
                new LayerNorm(6),
                new ReLU(),
                new Linear(6, 3, true, 2));
        Parameter input = Tensors.leaf(Tensors.uniform(3, 4 * 8, -1, 1), 4, 8);
        List<Parameter> leaves = new ArrayList<>(model.parameters());
        leaves.add(input);
        GradientCheck.assertGradients(() -> model.forward(input.reshape(4, 2, 4)), leaves);
    }

    @Test
    void parametersAreThoseOfTheLayersInOrder() {
        SparseLinear first = new SparseLinear(8, 6, SparseLinear.options().seed(1));
        LayerNorm norm = new LayerNorm(6);
        Linear last = new Linear(6, 3);
        Sequential model = new Sequential(first, norm, new ReLU(), last);
        List<Parameter> expected = new ArrayList<>();
        expected.addAll(first.parameters());
        expected.addAll(norm.parameters());
        expected.addAll(last.parameters());
        assertEquals(expected.size(), model.parameters().size());
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), model.parameters().get(i));
        }
        assertEquals(first.nnz() + 6 + 6 + 6 + 6 * 3 + 3, Parameters.count(model.parameters()));
    }

    @Test
    void trainAndEvalReachNestedLayers() {
        ReLU relu = new ReLU();
        Linear linear = new Linear(4, 2);
        Sequential inner = new Sequential(new Flatten(), relu);
        Sequential model = new Sequential(inner, linear);
        assertTrue(model.isTraining() && inner.isTraining() && relu.isTraining() && linear.isTraining());
        model.eval();
        for (Layer layer : List.of(model, inner, relu, linear)) {
            assertFalse(layer.isTraining(), layer + " is in evaluation mode");
        }
        model.train();
        for (Layer layer : List.of(model, inner, relu, linear)) {
            assertTrue(layer.isTraining(), layer + " is in training mode");
        }
    }

    @Test
    void printsOneNumberedLinePerLayerLikePyTorch() {
        Sequential model =
                new Sequential(new Flatten(), new Sequential(new Linear(4, 3, true, 1), new ReLU()), new LayerNorm(3));
        assertEquals(
                "Sequential(\n"
                        + "  (0): Flatten(start_dim=1, end_dim=-1)\n"
                        + "  (1): Sequential(\n"
                        + "    (0): Linear(in_features=4, out_features=3, bias=true)\n"
                        + "    (1): ReLU()\n"
                        + "  )\n"
                        + "  (2): LayerNorm((3,), eps=1e-05, elementwise_affine=true)\n"
                        + ")",
                model.toString());
    }

    @Test
    void rejectsNoLayersAndNullLayers() {
        assertThrows(IllegalArgumentException.class, Sequential::new);
        var error = assertThrows(NullPointerException.class, () -> new Sequential(new ReLU(), null));
        assertTrue(error.getMessage().contains("1"), error.getMessage());
        assertThrows(
                UnsupportedOperationException.class,
                () -> new Sequential(new ReLU()).layers().clear());
    }

    @Test
    void replaceSwapsOneLayerAndHandsBackTheOldOne() {
        Linear old = new Linear(4, 3, true, 1);
        Sequential model = new Sequential(new Flatten(), old, new ReLU());
        model.eval();
        Linear replacement = new Linear(4, 3, true, 2);
        assertSame(old, model.replace(1, replacement));
        assertSame(replacement, model.layers().get(1));
        assertFalse(replacement.isTraining(), "the new layer takes the model's mode");
        assertFalse(old.isClosed(), "the caller closes the old layer");
        assertEquals(replacement.parameters(), model.parameters());
        assertThrows(IndexOutOfBoundsException.class, () -> model.replace(3, new ReLU()));
        assertTrue(assertThrows(NullPointerException.class, () -> model.replace(0, null))
                .getMessage()
                .contains("position 0"));
    }
}
