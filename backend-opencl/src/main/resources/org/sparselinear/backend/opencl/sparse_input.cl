/*
 * Products whose input X is a sparse batch (B, in): a pattern plus its values in CSR order (see
 * org.sparselinear.spi.SparseInputProducts and DeviceBackend's sparse-input section). Every kernel is
 * partitioned by what it writes, so it needs no atomics, and sums in a fixed order (deterministic).
 *
 * A compressed "line" is a CSR row or a CSC column of a pattern: line l holds the entries
 * [pointers[l], pointers[l + 1]), entry q lies at indices[q], and its value is values[positions[q]]
 * (usePositions: the CSC, read through the transpose map) or values[q] (the CSR). The line of entry q is
 * lineOf[positions[q]] or lineOf[q]. A strided dense operand holds element (line, j) at
 * line * lineStride + j * stride.
 */

/*
 * out(l, o) += sum over the entries q of line l of value(q) * dense(indices[q], o), for every o < width.
 * One work-item per (o, stored entry p), o fastest; the first entry of each line sums the line, the others
 * return, so lines without entries are never touched and the work is width per stored entry.
 *   forward y = X W^T:         the CSR rows of X, dense = W by input feature, out = y by sample;
 *   weight gradient dW = dy^T X: the CSC columns of X, dense = dy by sample, out = dW by input feature.
 */
__kernel void sparse_lines_dense(__global const int* pointers, __global const int* indices,
                                 __global const int* lineOf, __global const int* positions, int usePositions,
                                 __global const float* values, __global const float* dense, int denseLineStride,
                                 int denseStride, __global float* out, int outLineStride, int outStride, int width,
                                 int nnz) {
    const long id = get_global_id(0);
    if (id >= (long) width * nnz) {
        return;
    }
    const int o = (int) (id % width);
    const int p = (int) (id / width);
    const int line = lineOf[usePositions ? positions[p] : p];
    const int start = pointers[line];
    if (p != start) {
        return;
    }
    const int end = pointers[line + 1];
    float acc = 0.0f;
    for (int q = start; q < end; q++) {
        acc += values[usePositions ? positions[q] : q] * dense[indices[q] * denseLineStride + o * denseStride];
    }
    out[line * outLineStride + o * outStride] += acc;
}

/*
 * Forward through a sparse weight: y[o * batch + b] += x * w for every entry (b, i, x) of X's CSR row b and every
 * connection (o, w) of line i of the weight: its CSC column i (usePositions), or row i of a weight held
 * input-major (T = W^T, shape (in, out)), whose values are read in order. `lanes` work-items per sample, each owning a contiguous range of
 * outputs, which it finds in each column by binary search (a column's rows are ascending): no two work-items write
 * one output, and each output sums its row's entries in order.
 */
__kernel void sparse_rows_through_columns(__global const int* rowPointers, __global const int* rowIndices,
                                          __global const float* rowValues, __global const int* columnPointers,
                                          __global const int* columnRows, __global const int* columnPositions,
                                          int usePositions, __global const float* columnValues, __global float* y,
                                          int batch, int outputs, int lanes) {
    const int id = get_global_id(0);
    if (id >= batch * lanes) {
        return;
    }
    const int b = id / lanes;
    const int chunk = (outputs + lanes - 1) / lanes;
    const int low = (id % lanes) * chunk;
    const int high = min(low + chunk, outputs);
    for (int k = rowPointers[b]; k < rowPointers[b + 1] && low < high; k++) {
        const float x = rowValues[k];
        const int i = rowIndices[k];
        int first = columnPointers[i];
        int last = columnPointers[i + 1];
        const int end = last;
        while (first < last) {
            const int middle = (first + last) >> 1;
            if (columnRows[middle] < low) {
                first = middle + 1;
            } else {
                last = middle;
            }
        }
        for (int q = first; q < end && columnRows[q] < high; q++) {
            y[columnRows[q] * batch + b] += x * columnValues[usePositions ? columnPositions[q] : q];
        }
    }
}

/*
 * out[k] (+)= sum over the entries q of line entryColumns[k] of dense(entryRows[k], columnRows[q]) * value(q), one
 * work-item per entry k, where a line is a CSC column (usePositions) or a CSR row:
 *   sparse weight gradient: k over the weight's connections (o, i), the columns of X, dense = dy by output;
 *   sparse input gradient:  k over X's entries (b, i), the columns of the weight (or the rows of an
 *                           input-major one), dense = dy by sample.
 */
__kernel void sparse_column_dots(__global const int* entryRows, __global const int* entryColumns,
                                 __global const int* columnPointers, __global const int* columnRows,
                                 __global const int* columnPositions, int usePositions,
                                 __global const float* columnValues, __global const float* dense,
                                 int denseLineStride, int denseStride,
                                 __global float* out, int nnz, int accumulate) {
    const int k = get_global_id(0);
    if (k >= nnz) {
        return;
    }
    const int line = entryRows[k] * denseLineStride;
    const int column = entryColumns[k];
    float acc = 0.0f;
    for (int q = columnPointers[column]; q < columnPointers[column + 1]; q++) {
        acc += dense[line + columnRows[q] * denseStride] * columnValues[usePositions ? columnPositions[q] : q];
    }
    out[k] = accumulate ? out[k] + acc : acc;
}
