package org.sparselinear.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sparselinear.io.SafeTensors;

/** Takes a safetensors file apart and puts it back together, so tests can change one thing in it. */
final class FileSurgery {

    /** One tensor: name, shape and values ({@code float[]} for F32, {@code long[]} for I64). */
    record Entry(String name, long[] shape, Object data) {}

    final Map<String, String> metadata = new LinkedHashMap<>();
    final List<Entry> tensors = new ArrayList<>();

    FileSurgery(byte[] bytes) {
        try (SafeTensors.Contents contents = SafeTensors.read(bytes, "original")) {
            metadata.putAll(contents.metadata());
            for (SafeTensors.TensorInfo info : contents.tensors()) {
                Object data = info.dtype() == SafeTensors.DType.F32 ? contents.floats(info) : contents.longs(info);
                tensors.add(new Entry(info.name(), info.shape(), data));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Entry tensor(String name) {
        return tensors.stream()
                .filter(entry -> entry.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    FileSurgery replace(String name, long[] shape, Object data) {
        for (int i = 0; i < tensors.size(); i++) {
            if (tensors.get(i).name().equals(name)) {
                tensors.set(i, new Entry(name, shape, data));
                return this;
            }
        }
        tensors.add(new Entry(name, shape, data));
        return this;
    }

    FileSurgery remove(String name) {
        tensors.removeIf(entry -> entry.name().equals(name));
        return this;
    }

    byte[] bytes() {
        SafeTensors.Writer writer = new SafeTensors.Writer();
        metadata.forEach(writer::metadata);
        for (Entry entry : tensors) {
            if (entry.data() instanceof float[] floats) {
                writer.addFloats(entry.name(), floats, entry.shape());
            } else {
                writer.addLongs(entry.name(), (long[]) entry.data(), entry.shape());
            }
        }
        return writer.toBytes();
    }
}
