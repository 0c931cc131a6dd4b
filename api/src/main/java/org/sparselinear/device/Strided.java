package org.sparselinear.device;

/**
 * A feature-major dense matrix as a sparse-input kernel indexes it: element {@code (line, j)} at
 * {@code buffer[line * lineStride + j * stride]}, where the line is what a sparse pattern selects (a sample, an
 * input feature) and {@code j} runs along the other dimension. A {@code (rows, columns)} matrix read by row is
 * {@code (buffer, 1, rows)}; read by column it is {@code (buffer, rows, 1)}.
 *
 * @param buffer the matrix's device buffer
 * @param lineStride the distance between lines
 * @param stride the distance between neighbours along a line
 * @param <B> the backend's buffer handle
 */
public record Strided<B>(B buffer, int lineStride, int stride) {}
