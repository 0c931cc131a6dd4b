package org.sparselinear.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Parameter;
import org.sparselinear.api.Tensor;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.data.Batch;
import org.sparselinear.data.DataLoader;
import org.sparselinear.data.Dataset;
import org.sparselinear.nn.loss.CrossEntropyLoss;
import org.sparselinear.nn.optim.Adam;
import org.sparselinear.nn.optim.SGD;
import org.sparselinear.nn.sparsity.RigL;
import org.sparselinear.nn.sparsity.SET;

/**
 * Careless and hostile arguments to the public constructors and methods of the layers module: each
 * fails at once with a message that states what was expected and what was given.
 */
class HostileInputTest {

    private static final Backend CPU = new CpuBackend(1);

    private record Case(String what, Class<? extends Throwable> type, String message, Executable call) {}

    private static final List<Case> CASES = new ArrayList<>();

    private static void expect(String what, String message, Executable call) {
        CASES.add(new Case(what, IllegalArgumentException.class, message, call));
    }

    private static void expectNull(String what, String message, Executable call) {
        CASES.add(new Case(what, NullPointerException.class, message, call));
    }

    static {
        List<Parameter> parameters = new Linear(2, 2, true, 0, CPU).parameters();
        Dataset ten = Dataset.of(new float[20], new int[10], new int[] {2}, 3);

        // Sizes and shapes.
        expect("SparseLinear in", "SparseLinear in_features must be positive, got 0", () -> new SparseLinear(0, 3));
        expect("SparseLinear out", "SparseLinear out_features must be positive, got -1", () -> new SparseLinear(3, -1));
        expect("Linear in", "Linear in_features must be positive, got 0", () -> new Linear(0, 3, true, 0, CPU));
        expect("Linear too large", "use a SparseLinear", () -> new Linear(100_000, 100_000, true, 0, CPU));
        expect("LayerNorm features", "LayerNorm features must be positive, got 0", () -> new LayerNorm(0, CPU));
        expect("KWinners features", "KWinners features must be positive, got -4", () -> new KWinners(-4, 0.5));
        expect(
                "FeatureAffine features",
                "FeatureAffine features must be positive, got 0",
                () -> new FeatureAffine(0, CPU));
        expect(
                "repeatEach features",
                "repeatEach features must be positive, got 0",
                () -> FixedSparseMap.repeatEach(0, 2, CPU));
        expect(
                "repeatEach times",
                "repeatEach times must be positive, got -1",
                () -> FixedSparseMap.repeatEach(3, -1, CPU));
        expect(
                "repeatEach overflow",
                "more than one layer can index",
                () -> FixedSparseMap.repeatEach(1 << 20, 1 << 12, CPU));
        expect(
                "sumGroups groups",
                "sumGroups groups must be positive, got 0",
                () -> FixedSparseMap.sumGroups(10, 0, CPU));
        expect(
                "sumGroups divisibility",
                "divisible by groups, got 10 and 3",
                () -> FixedSparseMap.sumGroups(10, 3, CPU));
        expect("Sequential empty", "Sequential needs at least one layer, got none", Sequential::new);
        expect("input features", "expected an input of shape (N, 4), got [2, 5]", () -> new SparseLinear(
                        4, 3, SparseLinear.options().seed(1).backend(CPU))
                .forward(Tensor.constant(CPU.upload(new float[10], 2, 5))));
        expect(
                "connectivity range",
                "column (input) index 9 is out of range [0, 4)",
                () -> new SparseLinear(
                        4,
                        3,
                        SparseLinear.options()
                                .connectivity(new int[][] {{0}, {9}})
                                .backend(CPU)));
        expect("connectivity shape", "shape (2, nnz)", () -> SparseLinear.options()
                .connectivity(new int[][] {{0}}));

        // Sparsity and densities.
        expect("sparsity 1", "sparsity must be in [0, 1)", () -> SparseLinear.options()
                .sparsity(1.0));
        expect("sparsity negative", "got -0.1", () -> SparseLinear.options().sparsity(-0.1));
        expect("sparsity NaN", "got NaN", () -> SparseLinear.options().sparsity(Double.NaN));
        expect(
                "layer too large",
                "more than the 2147483639 one layer can index",
                () -> new SparseLinear(
                        1 << 20, 1 << 20, SparseLinear.options().sparsity(0.5).backend(CPU)));
        expect("KWinners density 0", "must be in (0, 1], got 0.0", () -> new KWinners(10, 0));
        expect("KWinners density above 1", "got 1.5", () -> new KWinners(10, 1.5));
        expect("KWinners k rounds to 0", "raise the density", () -> new KWinners(10, 0.01));
        expect(
                "KWinners boost strength",
                "KWinners boostStrength must be finite and >= 0, got -1.0",
                () -> KWinners.options().boostStrength(-1));
        expect("KWinners period", "KWinners dutyCyclePeriod must be positive, got 0", () -> KWinners.options()
                .dutyCyclePeriod(0));
        expect("RigL planned steps", "got 0", () -> RigL.forPlannedSteps(0));
        expect("RigL alpha", "got 0.0", () -> RigL.forPlannedSteps(10).withAlpha(0));
        expect("SET zeta", "must be in (0, 1), got 1.0", () -> SET.withZeta(1));

        // Learning rates and optimizer settings.
        expect("SGD lr 0", "SGD learning rate must be finite and > 0, got 0.0", () -> new SGD(parameters, 0));
        expect(
                "SGD lr NaN",
                "SGD learning rate must be finite and > 0, got NaN",
                () -> new SGD(parameters, Double.NaN));
        expect("SGD lr infinite", "got Infinity", () -> new SGD(parameters, Double.POSITIVE_INFINITY));
        expect("SGD lr negative", "got -0.1", () -> new SGD(parameters, -0.1));
        expect("SGD momentum", "SGD momentum must be in [0.0, 1.0), got 1.0", () -> new SGD(parameters, 0.1, 1));
        expect(
                "SGD weight decay",
                "SGD weight decay must be finite and >= 0, got -1.0",
                () -> new SGD(parameters, 0.1, 0, false, -1));
        expect("SGD no parameters", "empty parameter list", () -> new SGD(List.of(), 0.1));
        expect(
                "SGD duplicate parameter",
                "appears more than once",
                () -> new SGD(List.of(parameters.get(0), parameters.get(0)), 0.1));
        expect("Adam lr", "Adam learning rate must be finite and > 0, got 0.0", () -> new Adam(parameters, 0));
        expect(
                "Adam beta",
                "Adam beta1 must be in [0.0, 1.0), got 1.0",
                () -> new Adam(parameters, 0.1, 1, 0.9, 1e-8, 0));
        expect("Adam eps", "Adam eps must be finite and > 0, got 0.0", () -> new Adam(parameters, 0.1, 0.9, 0.9, 0, 0));

        // Data: labels, batch sizes, shapes.
        expect(
                "labels above classes",
                "sample 1 has label 3, expected a class in [0, 3)",
                () -> Dataset.of(new float[4], new int[] {0, 3}, new int[] {2}, 3));
        expect(
                "negative label",
                "sample 0 has label -1",
                () -> Dataset.of(new float[4], new int[] {-1, 0}, new int[] {2}, 3));
        expect(
                "classes",
                "classes must be positive, got 0",
                () -> Dataset.of(new float[2], new int[] {0}, new int[] {2}, 0));
        expect(
                "feature count",
                "expected 2 samples of shape [2] = 4 feature values, got 5",
                () -> Dataset.of(new float[5], new int[] {0, 1}, new int[] {2}, 3));
        expect(
                "sample shape",
                "sampleShape dimension 1 must be positive, got 0",
                () -> Dataset.of(new float[2], new int[] {0}, new int[] {2, 0}, 3));
        expect("batch size 0", "batch size must be positive, got 0", () -> new DataLoader(ten, 0, true, 0, false));
        expect(
                "batch size above data",
                "batch size 11 is larger than the data set (10 samples)",
                () -> new DataLoader(ten, 11, true, 0, true));
        expect(
                "batch arrays",
                "a batch of 2 samples needs 2 labels, got 1",
                () -> new Batch(new float[4], new int[1], 2, new int[] {2}));
        expect("loss labels count", "expected one label per row", () -> new CrossEntropyLoss()
                .forward(Tensor.constant(CPU.upload(new float[6], 2, 3)), new int[] {0}));
        expect(
                "loss label range",
                "label 1 of the batch is 7, expected a class in [0, 3): the model's output has 3 columns",
                () -> new CrossEntropyLoss()
                        .forward(Tensor.constant(CPU.upload(new float[6], 2, 3)), new int[] {0, 7}));
        expect("epoch number", "epoch (1-based) must be positive, got 0", () -> new DataLoader(ten, 2, true, 0, false)
                .epoch(0));

        // Training state.
        expect("progress", "training progress counts must be >= 0", () -> new TrainingProgress(-1, 0, 0, 0));
        expectNull("Init.withSeed", "build", () -> Init.withSeed(1, null));
        expectNull("Parameter value", "parameter value", () -> new Parameter("w", null));
        expectNull("Sequential null layer", "Sequential layer 1 is null", () -> new Sequential(new ReLU(), null));
    }

    @Test
    void everyBadArgumentIsRejectedWithExpectedAndGiven() {
        List<String> failures = new ArrayList<>();
        for (Case c : CASES) {
            Throwable thrown = assertThrows(Throwable.class, c.call(), c.what());
            if (!c.type().isInstance(thrown)
                    || thrown.getMessage() == null
                    || !thrown.getMessage().contains(c.message())) {
                failures.add(c.what() + ": expected " + c.type().getSimpleName() + " saying '" + c.message() + "', got "
                        + thrown);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertTrue(CASES.size() >= 50, "cases: " + CASES.size());
    }
}
