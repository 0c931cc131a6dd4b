package org.sparselinear.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sparselinear.api.BackendException;
import org.sparselinear.device.KernelParameter;

/**
 * The kernels as the jar ships them: the manifest {@code kernels.properties} written by {@code build-ptx.sh}
 * (modules, PTX ISA version, nvcc release, hashes of the sources), one PTX text per module, and the
 * {@code .cu} sources with their header for NVRTC. Parses the entry points of each PTX and their parameter
 * types, and checks that every {@link Kernel} the backend launches is there with the parameters it expects.
 */
final class KernelModules {

    /** Where the PTX and the manifest are on the class path. */
    static final String RESOURCES = "/org/sparselinear/backend/cuda/";

    /** Where the kernel sources are on the class path (for NVRTC). */
    static final String SOURCES = RESOURCES + "src/";

    /** The manifest's name. */
    static final String MANIFEST = "kernels.properties";

    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAMETER = Pattern.compile("\\.param\\s+\\.(\\w+)");
    private static final Pattern VERSION = Pattern.compile("(?m)^\\.version\\s+(\\d+\\.\\d+)\\s*$");
    private static final Pattern INCLUDE = Pattern.compile("(?m)^\\s*#include\\s+\"([^\"]+)\"");

    private static KernelModules shipped;

    private final Properties manifest;
    private final Map<String, String> ptx;
    private final Map<String, Map<String, List<KernelParameter>>> entries;

    private KernelModules(Properties manifest, Map<String, String> ptx) {
        this.manifest = manifest;
        this.ptx = ptx;
        this.entries = new LinkedHashMap<>();
        for (Map.Entry<String, String> module : ptx.entrySet()) {
            entries.put(module.getKey(), parseEntries(module.getValue()));
        }
    }

    /** The kernels in this jar, read once. */
    static synchronized KernelModules shipped() {
        if (shipped == null) {
            Properties manifest = new Properties();
            try {
                manifest.load(new StringReader(resource(RESOURCES + MANIFEST)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Map<String, String> ptx = new LinkedHashMap<>();
            for (String module : modules(manifest)) {
                ptx.put(module, resource(RESOURCES + module + ".ptx"));
            }
            shipped = new KernelModules(manifest, ptx);
        }
        return shipped;
    }

    /** Modules from PTX texts given directly (tests). */
    static KernelModules of(Properties manifest, Map<String, String> ptx) {
        return new KernelModules(manifest, new LinkedHashMap<>(ptx));
    }

    private static List<String> modules(Properties manifest) {
        String list = manifest.getProperty("modules", "").trim();
        if (list.isEmpty()) {
            throw new BackendException("the CUDA backend's kernel manifest " + MANIFEST + " lists no modules; rebuild "
                    + "the PTX with backend-cuda/build-ptx.sh");
        }
        return List.of(list.split("\\s+"));
    }

    /** A text resource of this jar. */
    static String resource(String path) {
        try (InputStream in = KernelModules.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new BackendException("the CUDA backend's resource " + path + " is missing from the class path; "
                        + "rebuild the PTX with backend-cuda/build-ptx.sh and the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path, e);
        }
    }

    /** The entry points of a PTX text and the kinds of their parameters (null for a type the backend never passes). */
    static Map<String, List<KernelParameter>> parseEntries(String ptxText) {
        Map<String, List<KernelParameter>> found = new LinkedHashMap<>();
        Matcher entry = ENTRY.matcher(ptxText);
        while (entry.find()) {
            List<KernelParameter> parameters = new ArrayList<>();
            Matcher parameter = PARAMETER.matcher(entry.group(2));
            while (parameter.find()) {
                parameters.add(ofPtx(parameter.group(1)));
            }
            found.put(entry.group(1), parameters);
        }
        return found;
    }

    /** The kind of a PTX parameter type ({@code u64}, {@code u32}, {@code f32}, ...), or null for another. */
    static KernelParameter ofPtx(String type) {
        return switch (type) {
            case "u64", "s64", "b64" -> KernelParameter.BUFFER;
            case "u32", "s32", "b32" -> KernelParameter.INT;
            case "f32" -> KernelParameter.FLOAT;
            default -> null;
        };
    }

    /** The PTX ISA version the modules declare ({@code ".version 9.0"} gives {@code "9.0"}). */
    String isa() {
        String first = ptx.values().iterator().next();
        Matcher version = VERSION.matcher(first);
        if (!version.find()) {
            throw new BackendException("the CUDA backend's PTX has no .version line; rebuild it with build-ptx.sh");
        }
        return version.group(1);
    }

    /** The nvcc release that built the PTX, as the manifest records it ({@code "13.0, V13.0.88"}). */
    String nvccRelease() {
        return manifest.getProperty("nvcc.release", "unknown");
    }

    /** The manifest. */
    Properties manifest() {
        Properties copy = new Properties();
        copy.putAll(manifest);
        return copy;
    }

    /** The module names, in the manifest's order. */
    List<String> modules() {
        return List.copyOf(ptx.keySet());
    }

    /** The PTX text of a module. */
    String ptx(String module) {
        return ptx.get(module);
    }

    /** The entry points of a module and their parameters. */
    Map<String, List<KernelParameter>> entries(String module) {
        return entries.get(module);
    }

    /** The module holding {@code kernel}. */
    String moduleOf(Kernel kernel) {
        for (Map.Entry<String, Map<String, List<KernelParameter>>> module : entries.entrySet()) {
            if (module.getValue().containsKey(kernel.symbol())) {
                return module.getKey();
            }
        }
        throw new BackendException("kernel " + kernel.symbol() + " is in none of the CUDA backend's PTX modules "
                + modules() + "; rebuild the PTX with backend-cuda/build-ptx.sh");
    }

    /**
     * Checks that every {@link Kernel} is an entry point of a module, with the parameters the backend passes.
     *
     * @throws BackendException naming the first kernel that differs
     */
    void checkSignatures() {
        for (Kernel kernel : Kernel.values()) {
            kernel.checkDeclared(
                    entries.get(moduleOf(kernel)).get(kernel.symbol()),
                    "rebuild the PTX with backend-cuda/build-ptx.sh");
        }
    }

    /** The {@code .cu} source of a module, for NVRTC. */
    static String source(String module) {
        return resource(SOURCES + module + ".cu");
    }

    /** The headers a source includes ({@code #include "name"}), by name, for NVRTC. */
    static Map<String, String> headers(String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        Matcher include = INCLUDE.matcher(source);
        while (include.find()) {
            headers.put(include.group(1), resource(SOURCES + include.group(1)));
        }
        return headers;
    }
}
