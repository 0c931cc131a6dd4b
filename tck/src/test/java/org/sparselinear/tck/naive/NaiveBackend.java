package org.sparselinear.tck.naive;

import java.util.Arrays;
import org.sparselinear.api.Activation;
import org.sparselinear.api.Connectivity;
import org.sparselinear.api.DenseMatrix;
import org.sparselinear.api.SparseMatrix;
import org.sparselinear.spi.AbstractBackend;
import org.sparselinear.spi.AdagradSettings;
import org.sparselinear.spi.AdamSettings;
import org.sparselinear.spi.DropoutMask;
import org.sparselinear.spi.SgdSettings;

/**
 * The smallest complete backend: single-threaded float32 loops over feature-major arrays
 * (element {@code (r, c)} at {@code c * rows + r}). It exists to check the conformance kit
 * against a backend written apart from the kit's references, and shows what implementing a
 * backend takes: extend {@link AbstractBackend}, which checks every argument, and write the
 * kernels. The sparse kernels follow docs/ARCHITECTURE.md ("Data layout"): the forward product and the weight gradient
 * walk the CSR rows, the input gradient walks the transpose map. It leaves the optional
 * {@link org.sparselinear.spi.SparsityOps} to the host fallbacks. Not final: the kit's self-test
 * ({@code BrokenNaiveBackend}) breaks one kernel of it at a time.
 */
public class NaiveBackend extends AbstractBackend {

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public String description() {
        return "naive: one thread, plain float32 loops over feature-major arrays (conformance kit self-test)";
    }

    @Override
    public void close() {
        // Nothing to release but the flag: the arrays belong to the garbage collector.
        markClosed();
    }

    private static NaiveMatrix m(DenseMatrix matrix) {
        return (NaiveMatrix) matrix;
    }

    // ---- memory -------------------------------------------------------------------------

    @Override
    protected DenseMatrix allocate(int rows, int columns) {
        return new NaiveMatrix(this, rows, columns);
    }

    @Override
    protected SparseMatrix buildPattern(Connectivity connectivity) {
        return new NaivePattern(this, connectivity);
    }

    @Override
    protected void uploadImpl(float[] rowMajor, DenseMatrix target) {
        NaiveMatrix t = m(target);
        for (int i = 0; i < rowMajor.length; i++) {
            t.set(i / t.columns(), i % t.columns(), rowMajor[i]);
        }
    }

    @Override
    protected float[] downloadImpl(DenseMatrix matrix) {
        NaiveMatrix s = m(matrix);
        float[] rowMajor = new float[s.rows() * s.columns()];
        for (int i = 0; i < rowMajor.length; i++) {
            rowMajor[i] = s.get(i / s.columns(), i % s.columns());
        }
        return rowMajor;
    }

    @Override
    protected void copyImpl(DenseMatrix source, DenseMatrix target) {
        System.arraycopy(m(source).data(), 0, m(target).data(), 0, m(source).data().length);
    }

    @Override
    protected void copyColumnsImpl(
            DenseMatrix source, int sourceColumn, DenseMatrix target, int targetColumn, int count) {
        int rows = source.rows();
        System.arraycopy(m(source).data(), sourceColumn * rows, m(target).data(), targetColumn * rows, count * rows);
    }

    @Override
    protected void fillImpl(DenseMatrix matrix, float value) {
        Arrays.fill(m(matrix).data(), value);
    }

    // ---- sparse -------------------------------------------------------------------------

    @Override
    protected void spmmImpl(SparseMatrix weight, DenseMatrix values, DenseMatrix x, DenseMatrix y) {
        NaivePattern w = (NaivePattern) weight;
        float[] v = m(values).data();
        float[] in = m(x).data();
        float[] out = m(y).data();
        int batch = x.rows();
        for (int o = 0; o < w.rows(); o++) {
            Arrays.fill(out, o * batch, (o + 1) * batch, 0f);
            for (int k = w.rowPointers[o]; k < w.rowPointers[o + 1]; k++) {
                int from = w.columnIndices[k] * batch;
                for (int b = 0; b < batch; b++) {
                    out[o * batch + b] += v[k] * in[from + b];
                }
            }
        }
    }

    @Override
    protected void spmmTransposedImpl(
            SparseMatrix weight, DenseMatrix values, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        NaivePattern w = (NaivePattern) weight;
        float[] v = m(values).data();
        float[] gradOut = m(dy).data();
        float[] gradIn = m(dx).data();
        int batch = dy.rows();
        if (!accumulate) {
            Arrays.fill(gradIn, 0f);
        }
        for (int i = 0; i < w.columns(); i++) {
            for (int p = w.columnPointers[i]; p < w.columnPointers[i + 1]; p++) {
                float value = v[w.valuePosition[p]];
                int from = w.rowOfEntry[p] * batch;
                for (int b = 0; b < batch; b++) {
                    gradIn[i * batch + b] += value * gradOut[from + b];
                }
            }
        }
    }

    @Override
    protected void sddmmImpl(
            SparseMatrix weight, DenseMatrix dy, DenseMatrix x, DenseMatrix dValues, boolean accumulate) {
        NaivePattern w = (NaivePattern) weight;
        float[] gradOut = m(dy).data();
        float[] in = m(x).data();
        float[] gradValues = m(dValues).data();
        int batch = dy.rows();
        for (int o = 0; o < w.rows(); o++) {
            for (int k = w.rowPointers[o]; k < w.rowPointers[o + 1]; k++) {
                int from = w.columnIndices[k] * batch;
                float dot = 0;
                for (int b = 0; b < batch; b++) {
                    dot += gradOut[o * batch + b] * in[from + b];
                }
                gradValues[k] = accumulate ? gradValues[k] + dot : dot;
            }
        }
    }

    // ---- dense --------------------------------------------------------------------------

    @Override
    protected void gemmImpl(
            DenseMatrix a, boolean transposeA, DenseMatrix b, boolean transposeB, DenseMatrix c, boolean accumulate) {
        NaiveMatrix left = m(a);
        NaiveMatrix right = m(b);
        NaiveMatrix out = m(c);
        int inner = transposeA ? a.rows() : a.columns();
        for (int j = 0; j < c.columns(); j++) {
            for (int i = 0; i < c.rows(); i++) {
                float sum = 0;
                for (int p = 0; p < inner; p++) {
                    float fromA = transposeA ? left.get(p, i) : left.get(i, p);
                    float fromB = transposeB ? right.get(j, p) : right.get(p, j);
                    sum += fromA * fromB;
                }
                out.set(i, j, accumulate ? out.get(i, j) + sum : sum);
            }
        }
    }

    @Override
    protected void addRowVectorImpl(DenseMatrix y, DenseMatrix row) {
        NaiveMatrix out = m(y);
        float[] bias = m(row).data();
        for (int c = 0; c < y.columns(); c++) {
            for (int r = 0; r < y.rows(); r++) {
                out.set(r, c, out.get(r, c) + bias[c]);
            }
        }
    }

    @Override
    protected void columnSumsImpl(DenseMatrix x, DenseMatrix sums, boolean accumulate) {
        NaiveMatrix in = m(x);
        float[] out = m(sums).data();
        for (int c = 0; c < x.columns(); c++) {
            float sum = 0;
            for (int r = 0; r < x.rows(); r++) {
                sum += in.get(r, c);
            }
            out[c] = accumulate ? out[c] + sum : sum;
        }
    }

    @Override
    protected void activateImpl(Activation function, DenseMatrix x, DenseMatrix y) {
        float[] in = m(x).data();
        float[] out = m(y).data();
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) function.apply(in[i]);
        }
    }

    @Override
    protected void activateBackwardImpl(
            Activation function, DenseMatrix x, DenseMatrix y, DenseMatrix dy, DenseMatrix dx, boolean accumulate) {
        float[] input = m(x).data();
        float[] output = m(y).data();
        float[] gradOut = m(dy).data();
        float[] gradIn = m(dx).data();
        for (int i = 0; i < input.length; i++) {
            float g = (float) (gradOut[i] * function.derivative(input[i], output[i]));
            gradIn[i] = accumulate ? gradIn[i] + g : g;
        }
    }

    @Override
    protected void layerNormImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix beta,
            float epsilon,
            DenseMatrix y,
            DenseMatrix mean,
            DenseMatrix rstd) {
        NaiveMatrix in = m(x);
        NaiveMatrix out = m(y);
        float[] scale = m(gamma).data();
        float[] shift = beta == null ? new float[x.columns()] : m(beta).data();
        int n = x.columns();
        for (int r = 0; r < x.rows(); r++) {
            float sum = 0;
            for (int c = 0; c < n; c++) {
                sum += in.get(r, c);
            }
            float mu = sum / n;
            float squares = 0;
            for (int c = 0; c < n; c++) {
                float centred = in.get(r, c) - mu;
                squares += centred * centred;
            }
            float inverse = (float) (1 / Math.sqrt(squares / n + epsilon));
            for (int c = 0; c < n; c++) {
                out.set(r, c, (in.get(r, c) - mu) * inverse * scale[c] + shift[c]);
            }
            m(mean).data()[r] = mu;
            m(rstd).data()[r] = inverse;
        }
    }

    @Override
    protected void layerNormBackwardImpl(
            DenseMatrix x,
            DenseMatrix gamma,
            DenseMatrix mean,
            DenseMatrix rstd,
            DenseMatrix dy,
            DenseMatrix dx,
            DenseMatrix dGamma,
            DenseMatrix dBeta) {
        NaiveMatrix in = m(x);
        NaiveMatrix gradOut = m(dy);
        NaiveMatrix gradIn = m(dx);
        float[] scale = m(gamma).data();
        int n = x.columns();
        for (int r = 0; r < x.rows(); r++) {
            float mu = m(mean).data()[r];
            float inverse = m(rstd).data()[r];
            float sumG = 0;
            float sumGXhat = 0;
            for (int c = 0; c < n; c++) {
                float g = scale[c] * gradOut.get(r, c);
                sumG += g;
                sumGXhat += g * (in.get(r, c) - mu) * inverse;
            }
            for (int c = 0; c < n; c++) {
                float xhat = (in.get(r, c) - mu) * inverse;
                float g = scale[c] * gradOut.get(r, c);
                gradIn.set(r, c, gradIn.get(r, c) + inverse * (g - sumG / n - xhat * sumGXhat / n));
                if (dGamma != null) {
                    m(dGamma).data()[c] += gradOut.get(r, c) * xhat;
                }
                if (dBeta != null) {
                    m(dBeta).data()[c] += gradOut.get(r, c);
                }
            }
        }
    }

    @Override
    protected void softmaxCrossEntropyImpl(
            DenseMatrix logits, int[] labels, DenseMatrix probabilities, DenseMatrix loss) {
        NaiveMatrix in = m(logits);
        NaiveMatrix out = m(probabilities);
        float total = 0;
        for (int r = 0; r < logits.rows(); r++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < logits.columns(); c++) {
                max = Math.max(max, in.get(r, c));
            }
            float sum = 0;
            for (int c = 0; c < logits.columns(); c++) {
                sum += (float) Math.exp(in.get(r, c) - max);
            }
            float logSumExp = max + (float) Math.log(sum);
            for (int c = 0; c < logits.columns(); c++) {
                out.set(r, c, (float) Math.exp(in.get(r, c) - logSumExp));
            }
            total += logSumExp - in.get(r, labels[r]);
        }
        m(loss).data()[0] = total / logits.rows();
    }

    @Override
    protected void softmaxCrossEntropyBackwardImpl(
            DenseMatrix probabilities, int[] labels, DenseMatrix dLoss, DenseMatrix dLogits, boolean accumulate) {
        NaiveMatrix p = m(probabilities);
        NaiveMatrix out = m(dLogits);
        float factor = m(dLoss).data()[0] / probabilities.rows();
        for (int c = 0; c < p.columns(); c++) {
            for (int r = 0; r < p.rows(); r++) {
                float g = factor * (p.get(r, c) - (labels[r] == c ? 1f : 0f));
                out.set(r, c, accumulate ? out.get(r, c) + g : g);
            }
        }
    }

    @Override
    protected void squaredErrorImpl(DenseMatrix prediction, DenseMatrix target, float scale, DenseMatrix loss) {
        float[] p = m(prediction).data();
        float[] t = m(target).data();
        float sum = 0;
        for (int i = 0; i < p.length; i++) {
            sum += (p[i] - t[i]) * (p[i] - t[i]);
        }
        m(loss).data()[0] = scale * sum;
    }

    @Override
    protected void squaredErrorBackwardImpl(
            DenseMatrix prediction,
            DenseMatrix target,
            float scale,
            DenseMatrix dLoss,
            DenseMatrix dPrediction,
            boolean accumulate) {
        float[] p = m(prediction).data();
        float[] t = m(target).data();
        float[] out = m(dPrediction).data();
        float factor = 2 * scale * m(dLoss).data()[0];
        for (int i = 0; i < p.length; i++) {
            float g = factor * (p[i] - t[i]);
            out[i] = accumulate ? out[i] + g : g;
        }
    }

    @Override
    protected void axpyImpl(float alpha, DenseMatrix x, DenseMatrix y) {
        float[] in = m(x).data();
        float[] out = m(y).data();
        for (int i = 0; i < in.length; i++) {
            out[i] += alpha * in[i];
        }
    }

    @Override
    protected void scaleImpl(DenseMatrix x, float alpha) {
        float[] data = m(x).data();
        for (int i = 0; i < data.length; i++) {
            data[i] *= alpha;
        }
    }

    @Override
    protected void dropoutImpl(DenseMatrix x, DenseMatrix y, long key, int threshold, float scale, boolean accumulate) {
        float[] in = m(x).data();
        float[] out = m(y).data();
        int rows = x.rows();
        for (int i = 0; i < in.length; i++) {
            long index = (long) (i % rows) * x.columns() + i / rows;
            float v = in[i] * (DropoutMask.kept(key, index, threshold) ? scale : 0f);
            out[i] = accumulate ? out[i] + v : v;
        }
    }

    @Override
    protected int[] argmaxRowsImpl(DenseMatrix matrix) {
        NaiveMatrix in = m(matrix);
        int[] best = new int[matrix.rows()];
        for (int c = 1; c < matrix.columns(); c++) {
            for (int r = 0; r < matrix.rows(); r++) {
                if (in.get(r, c) > in.get(r, best[r])) {
                    best[r] = c;
                }
            }
        }
        return best;
    }

    // ---- optimizers ---------------------------------------------------------------------

    @Override
    protected void sgdStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix velocity, SgdSettings settings) {
        float[] p = m(parameter).data();
        float[] g = m(gradient).data();
        float[] v = velocity == null ? null : m(velocity).data();
        float mu = settings.momentum();
        for (int i = 0; i < p.length; i++) {
            float d = g[i] + settings.weightDecay() * p[i];
            if (v != null) {
                v[i] = mu * v[i] + d;
                d = settings.nesterov() ? d + mu * v[i] : v[i];
            }
            p[i] -= settings.learningRate() * d;
        }
    }

    @Override
    protected void adamStepImpl(
            DenseMatrix parameter,
            DenseMatrix gradient,
            DenseMatrix firstMoment,
            DenseMatrix secondMoment,
            AdamSettings settings,
            long step) {
        float[] p = m(parameter).data();
        float[] g = m(gradient).data();
        float[] first = m(firstMoment).data();
        float[] second = m(secondMoment).data();
        float b1 = settings.beta1();
        float b2 = settings.beta2();
        float stepSize = settings.learningRate() / (1 - (float) Math.pow(b1, step));
        float rootCorrection2 = (float) Math.sqrt(1 - Math.pow(b2, step));
        for (int i = 0; i < p.length; i++) {
            float d = g[i] + settings.weightDecay() * p[i];
            first[i] = b1 * first[i] + (1 - b1) * d;
            second[i] = b2 * second[i] + (1 - b2) * d * d;
            p[i] -= stepSize * first[i] / ((float) Math.sqrt(second[i]) / rootCorrection2 + settings.epsilon());
        }
    }

    @Override
    protected void adagradStepImpl(
            DenseMatrix parameter, DenseMatrix gradient, DenseMatrix sum, AdagradSettings settings, long step) {
        float[] p = m(parameter).data();
        float[] g = m(gradient).data();
        float[] s = m(sum).data();
        float clr = settings.stepLearningRate(step);
        for (int i = 0; i < p.length; i++) {
            float d = g[i] + settings.weightDecay() * p[i];
            s[i] += d * d;
            p[i] -= clr * d / ((float) Math.sqrt(s[i]) + settings.epsilon());
        }
    }

    // ---- sparse input -------------------------------------------------------------------
    // X's rows are walked in CSR order; a sparse weight's column i (its connections to input i)
    // is found through the weight's transpose map.

    @Override
    protected void sparseInputDenseImpl(SparseMatrix x, DenseMatrix xValues, DenseMatrix weight, DenseMatrix y) {
        NaivePattern input = (NaivePattern) x;
        float[] xv = m(xValues).data();
        float[] w = m(weight).data();
        float[] out = m(y).data();
        int batch = x.rows();
        int outputs = weight.rows();
        Arrays.fill(out, 0f);
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                for (int o = 0; o < outputs; o++) {
                    out[o * batch + b] += xv[j] * w[i * outputs + o];
                }
            }
        }
    }

    @Override
    protected void sparseInputDenseWeightGradientImpl(
            SparseMatrix x, DenseMatrix xValues, DenseMatrix dy, DenseMatrix dWeight, boolean accumulate) {
        NaivePattern input = (NaivePattern) x;
        float[] xv = m(xValues).data();
        float[] gradOut = m(dy).data();
        float[] gradWeight = m(dWeight).data();
        int batch = x.rows();
        int outputs = dy.columns();
        if (!accumulate) {
            Arrays.fill(gradWeight, 0f);
        }
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                for (int o = 0; o < outputs; o++) {
                    gradWeight[i * outputs + o] += xv[j] * gradOut[o * batch + b];
                }
            }
        }
    }

    @Override
    protected void sparseInputDenseInputGradientImpl(
            SparseMatrix x, DenseMatrix dy, DenseMatrix weight, DenseMatrix dxValues, boolean accumulate) {
        NaivePattern input = (NaivePattern) x;
        float[] gradOut = m(dy).data();
        float[] w = m(weight).data();
        float[] gradValues = m(dxValues).data();
        int batch = x.rows();
        int outputs = weight.rows();
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                float dot = 0;
                for (int o = 0; o < outputs; o++) {
                    dot += gradOut[o * batch + b] * w[i * outputs + o];
                }
                gradValues[j] = accumulate ? gradValues[j] + dot : dot;
            }
        }
    }

    @Override
    protected void sparseInputSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weight, DenseMatrix weightValues, DenseMatrix y) {
        forwardByFeature(x, xValues, ByFeature.columnsOf(weight), weightValues, y);
    }

    @Override
    protected void sparseInputSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weight,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        weightGradientByFeature(x, xValues, ByFeature.columnsOf(weight), dy, dWeightValues, accumulate);
    }

    @Override
    protected void sparseInputSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weight,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        inputGradientByFeature(x, ByFeature.columnsOf(weight), weightValues, dy, dxValues, accumulate);
    }

    @Override
    protected void sparseInputTransposedSparseImpl(
            SparseMatrix x, DenseMatrix xValues, SparseMatrix weightT, DenseMatrix weightTValues, DenseMatrix y) {
        forwardByFeature(x, xValues, ByFeature.rowsOf(weightT), weightTValues, y);
    }

    @Override
    protected void sparseInputTransposedSparseWeightGradientImpl(
            SparseMatrix x,
            DenseMatrix xValues,
            SparseMatrix weightT,
            DenseMatrix dy,
            DenseMatrix dWeightTValues,
            boolean accumulate) {
        weightGradientByFeature(x, xValues, ByFeature.rowsOf(weightT), dy, dWeightTValues, accumulate);
    }

    @Override
    protected void sparseInputTransposedSparseInputGradientImpl(
            SparseMatrix x,
            SparseMatrix weightT,
            DenseMatrix weightTValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        inputGradientByFeature(x, ByFeature.rowsOf(weightT), weightTValues, dy, dxValues, accumulate);
    }

    /**
     * The connections of each input feature of a sparse weight: those of input {@code i} are
     * {@code [pointers[i], pointers[i + 1])}, connection {@code p} going to output {@code outputs[p]} with its
     * value at {@code positions[p]} (W's CSC columns), or at {@code p} where {@code positions} is null (the CSR
     * rows of a weight held input-major).
     */
    private record ByFeature(int[] pointers, int[] outputs, int[] positions) {

        static ByFeature columnsOf(SparseMatrix weight) {
            NaivePattern w = (NaivePattern) weight;
            return new ByFeature(w.columnPointers, w.rowOfEntry, w.valuePosition);
        }

        static ByFeature rowsOf(SparseMatrix weightT) {
            NaivePattern t = (NaivePattern) weightT;
            return new ByFeature(t.rowPointers, t.columnIndices, null);
        }

        int position(int p) {
            return positions == null ? p : positions[p];
        }
    }

    private void forwardByFeature(
            SparseMatrix x, DenseMatrix xValues, ByFeature w, DenseMatrix weightValues, DenseMatrix y) {
        NaivePattern input = (NaivePattern) x;
        float[] xv = m(xValues).data();
        float[] wv = m(weightValues).data();
        float[] out = m(y).data();
        int batch = x.rows();
        Arrays.fill(out, 0f);
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                for (int p = w.pointers()[i]; p < w.pointers()[i + 1]; p++) {
                    out[w.outputs()[p] * batch + b] += xv[j] * wv[w.position(p)];
                }
            }
        }
    }

    private void weightGradientByFeature(
            SparseMatrix x,
            DenseMatrix xValues,
            ByFeature w,
            DenseMatrix dy,
            DenseMatrix dWeightValues,
            boolean accumulate) {
        NaivePattern input = (NaivePattern) x;
        float[] xv = m(xValues).data();
        float[] gradOut = m(dy).data();
        float[] gradValues = m(dWeightValues).data();
        int batch = x.rows();
        if (!accumulate) {
            Arrays.fill(gradValues, 0f);
        }
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                for (int p = w.pointers()[i]; p < w.pointers()[i + 1]; p++) {
                    gradValues[w.position(p)] += xv[j] * gradOut[w.outputs()[p] * batch + b];
                }
            }
        }
    }

    private void inputGradientByFeature(
            SparseMatrix x,
            ByFeature w,
            DenseMatrix weightValues,
            DenseMatrix dy,
            DenseMatrix dxValues,
            boolean accumulate) {
        NaivePattern input = (NaivePattern) x;
        float[] wv = m(weightValues).data();
        float[] gradOut = m(dy).data();
        float[] gradValues = m(dxValues).data();
        int batch = x.rows();
        for (int b = 0; b < batch; b++) {
            for (int j = input.rowPointers[b]; j < input.rowPointers[b + 1]; j++) {
                int i = input.columnIndices[j];
                float dot = 0;
                for (int p = w.pointers()[i]; p < w.pointers()[i + 1]; p++) {
                    dot += gradOut[w.outputs()[p] * batch + b] * wv[w.position(p)];
                }
                gradValues[j] = accumulate ? gradValues[j] + dot : dot;
            }
        }
    }
}
