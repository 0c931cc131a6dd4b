/*
 * Products whose input X is a sparse batch (B, in): a pattern plus its values in CSR order (see
 * org.sparselinear.spi.SparseInputProducts and DeviceBackend's sparse-input section). Every kernel is
 * partitioned by what it writes, so it needs no atomics, and sums in a fixed order (deterministic).
 * The input gradient through a dense weight is the strided SDDMM of sparse.cu.
 *
 * A compressed "line" is a CSR row or a CSC column of a pattern: line l holds the entries
 * [pointers[l], pointers[l + 1]), entry q lies at indices[q], and its value is values[positions[q]]
 * (hasPositions: the CSC, read through the transpose map) or values[q] (the CSR). The line of entry q is
 * lineOf[positions[q]] or lineOf[q]. A strided dense operand holds element (line, j) at
 * line * lineStride + j * stride.
 */
#include "common.cuh"

#define SL_SPARSE_INPUT_THREADS 256

/*
 * out(l, o) += sum over the entries q of line l of value(q) * dense(indices[q], o), for every o < width.
 * A thread per (o, stored entry p), o fastest; the first entry of each line sums the line, the others return,
 * so lines without entries are never touched and the work is width per stored entry.
 *   forward y = X W^T:            the CSR rows of X, dense = W by input feature, out = y by sample;
 *   weight gradient dW = dy^T X:  the CSC columns of X, dense = dy by sample, out = dW by input feature.
 */
extern "C" __global__ void __launch_bounds__(SL_SPARSE_INPUT_THREADS)
sl_sparse_lines_dense(const int* __restrict__ pointers, const int* __restrict__ indices,
                      const int* __restrict__ lineOf, const int* __restrict__ positions, int hasPositions,
                      const float* __restrict__ values, const float* __restrict__ dense, int denseLineStride,
                      int denseStride, float* __restrict__ out, int outLineStride, int outStride, int width,
                      int nnz) {
    const long long id = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= (long long) width * nnz) {
        return;
    }
    const int o = (int) (id % width);
    const int p = (int) (id / width);
    const int line = lineOf[hasPositions ? positions[p] : p];
    const int start = pointers[line];
    if (p != start) {
        return;
    }
    const int end = pointers[line + 1];
    float sum = 0.0f;
    for (int q = start; q < end; q++) {
        sum += values[hasPositions ? positions[q] : q] * dense[indices[q] * denseLineStride + o * denseStride];
    }
    out[line * outLineStride + o * outStride] += sum;
}

/*
 * Forward through a sparse weight: y[o * batch + b] += x * w for every entry (b, i, x) of X's CSR row b and every
 * connection (o, w) of line i of the weight: its CSC column i (usePositions), or row i of a weight held
 * input-major (T = W^T, shape (in, out)), whose values are read in order. `lanes` threads per sample, each owning a contiguous range of
 * outputs, which it finds in each column by binary search (a column's rows are ascending): no two threads write
 * one output, and each output sums its row's entries in order.
 */
extern "C" __global__ void __launch_bounds__(SL_SPARSE_INPUT_THREADS)
sl_sparse_rows_through_columns(const int* __restrict__ rowPointers, const int* __restrict__ rowIndices,
                               const float* __restrict__ rowValues, const int* __restrict__ columnPointers,
                               const int* __restrict__ columnRows, const int* __restrict__ columnPositions,
                               int usePositions, const float* __restrict__ columnValues, float* __restrict__ y,
                               int batch, int outputs, int lanes) {
    const long long id = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= (long long) batch * lanes) {
        return;
    }
    const int b = (int) (id / lanes);
    const int chunk = (outputs + lanes - 1) / lanes;
    const int low = (int) (id % lanes) * chunk;
    const int high = low + chunk < outputs ? low + chunk : outputs;
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
 * out[k] (+)= sum over the entries q of line entryColumns[k] of dense(entryRows[k], columnRows[q]) * value(q), a
 * thread per entry k, where a line is a CSC column (usePositions) or a CSR row:
 *   sparse weight gradient: k over the weight's connections (o, i), the columns of X, dense = dy by output;
 *   sparse input gradient:  k over X's entries (b, i), the columns of the weight (or the rows of an
 *                           input-major one), dense = dy by sample.
 */
extern "C" __global__ void __launch_bounds__(SL_SPARSE_INPUT_THREADS)
sl_sparse_column_dots(const int* __restrict__ entryRows, const int* __restrict__ entryColumns,
                      const int* __restrict__ columnPointers, const int* __restrict__ columnRows,
                      const int* __restrict__ columnPositions, int usePositions,
                      const float* __restrict__ columnValues, const float* __restrict__ dense, int denseLineStride,
                      int denseStride, float* __restrict__ out, int nnz, int accumulate) {
    const long long id = (long long) blockIdx.x * blockDim.x + threadIdx.x;
    if (id >= nnz) {
        return;
    }
    const int k = (int) id;
    const float* __restrict__ line = dense + entryRows[k] * denseLineStride;
    const int column = entryColumns[k];
    float sum = 0.0f;
    for (int q = columnPointers[column]; q < columnPointers[column + 1]; q++) {
        sum += line[columnRows[q] * denseStride] * columnValues[usePositions ? columnPositions[q] : q];
    }
    out[k] = accumulate ? out[k] + sum : sum;
}
