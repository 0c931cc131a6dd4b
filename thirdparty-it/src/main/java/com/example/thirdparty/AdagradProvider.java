package com.example.thirdparty;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.sparselinear.io.OptimizerProvider;
import org.sparselinear.io.OptimizerReader;
import org.sparselinear.io.SavedOptimizer;

/** Restores {@link Adagrad}'s state from checkpoints; registered in {@code META-INF/services/org.sparselinear.io.OptimizerProvider}. */
public final class AdagradProvider implements OptimizerProvider {

    @Override
    public String kind() {
        return Adagrad.KIND;
    }

    @Override
    public SavedOptimizer read(OptimizerReader reader) throws IOException {
        if (!reader.states().equals(List.of(Adagrad.SUM))) {
            throw reader.config().fail("state", "expected [" + Adagrad.SUM + "] for Adagrad, got " + reader.states());
        }
        long steps = reader.config().nonNegativeLong("steps");
        List<float[]> sums = new ArrayList<>();
        for (int i = 0; i < reader.parameters().size(); i++) {
            sums.add(reader.parameterState(i, Adagrad.SUM));
        }
        return target -> () -> {
            Adagrad adagrad = (Adagrad) target;
            for (int i = 0; i < sums.size(); i++) {
                adagrad.sums.set(i, sums.get(i).clone());
            }
            adagrad.steps = steps;
        };
    }
}
