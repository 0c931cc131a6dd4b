/**
 * Files that survive crashes and hostile input: {@link org.sparselinear.io.SafeTensors}, a reader and
 * writer of the safetensors format (8-byte little-endian header length, JSON header, little-endian
 * data) that checks every header field against the file before using it;
 * {@link org.sparselinear.io.JsonCodec}, the library's one JSON codec, strict for its headers (on
 * Jackson's streaming core: nesting, number and text limits, no duplicate keys);
 * {@link org.sparselinear.io.AtomicFile}, writes regular files only, through a synced temporary file
 * and a rename, under a {@link org.sparselinear.io.WriteLock} that keeps a second writer out;
 * and {@link org.sparselinear.io.ModelFileException}, the one exception a bad file causes.
 *
 * <p>The open save/load contract: a layer or optimizer is {@link org.sparselinear.io.Saveable} (a kind
 * name, a configuration tree and named tensors, written into a {@link org.sparselinear.io.StateWriter} as
 * {@link org.sparselinear.io.HostTensor}s), and a {@link org.sparselinear.io.LayerProvider} or
 * {@link org.sparselinear.io.OptimizerProvider} registered with {@link java.util.ServiceLoader} under the
 * same kind reads it back through a {@link org.sparselinear.io.LayerReader} or
 * {@link org.sparselinear.io.OptimizerReader}, whose getters (and {@link org.sparselinear.io.Config}'s)
 * check every field and tensor before handing it out, into a {@link org.sparselinear.io.SavedLayer} or
 * {@link org.sparselinear.io.SavedOptimizer} held on the host. {@link org.sparselinear.io.Providers} finds
 * the providers. The file layout is documented in {@code docs/MODEL-FORMAT.md}.
 *
 * <p>Choices made here: headers above 100 MB are rejected (real ones are
 * kilobytes); tensors must cover the data section exactly, in order, without overlap or gap, as the
 * reference implementation requires; a tensor is loaded only when its elements fit one Java array and
 * the free heap; I32 index tensors are read as well as I64 ones. These classes keep no state and are
 * safe to use from several threads (one {@link org.sparselinear.io.SafeTensors.Contents} per thread).
 */
package org.sparselinear.io;
