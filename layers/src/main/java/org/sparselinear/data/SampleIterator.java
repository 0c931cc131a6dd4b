package org.sparselinear.data;

import java.io.Closeable;
import java.util.Iterator;

/**
 * One pass over a {@link SampleSource}, in order; close it to release what the source opened.
 *
 * <p>{@link #next()} and {@link #hasNext()} may read a file, so they may throw an
 * {@link java.io.UncheckedIOException}: one whose cause is a {@link DataFormatException} is bad
 * content, and its message names the file, the line and the problem; any other cause is a failure
 * to read.
 */
public interface SampleIterator extends Iterator<Sample>, Closeable {}
