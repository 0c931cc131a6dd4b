package org.sparselinear.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX is up to date with src/main/cuda. Everywhere: the manifest's hashes of the sources match the
 * sources (a source edited without running build-ptx.sh fails here). Where nvcc of the release that built the PTX
 * is present: build-ptx.sh run into a temporary folder reproduces the committed files byte for byte.
 */
class PtxUpToDateTest {

    private static final Path MODULE = Emulator.moduleDirectory();
    private static final Path SOURCES = MODULE.resolve("src/main/cuda");
    private static final Path COMMITTED = MODULE.resolve("src/main/resources/org/sparselinear/backend/cuda");

    private static Properties manifest(Path folder) throws IOException {
        Properties manifest = new Properties();
        try (var reader = Files.newBufferedReader(folder.resolve(KernelModules.MANIFEST))) {
            manifest.load(reader);
        }
        return manifest;
    }

    @Test
    void theManifestHashesMatchTheSources() throws IOException, NoSuchAlgorithmException {
        assumeTrue(Files.isDirectory(SOURCES), "the module's sources are not at " + SOURCES);
        Properties manifest = manifest(COMMITTED);
        TreeMap<String, String> recorded = new TreeMap<>();
        for (String key : manifest.stringPropertyNames()) {
            if (key.startsWith("sha256.")) {
                recorded.put(key.substring("sha256.".length()), manifest.getProperty(key));
            }
        }
        TreeMap<String, String> actual = new TreeMap<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.sorted().toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                actual.put(file.getFileName().toString(), HexFormat.of().formatHex(digest));
            }
        }
        assertEquals(
                recorded,
                actual,
                "src/main/cuda changed since the PTX was built: run backend-cuda/build-ptx.sh " + "and commit the PTX");
        List<String> modules = actual.keySet().stream()
                .filter(n -> n.endsWith(".cu"))
                .map(n -> n.substring(0, n.length() - 3))
                .toList();
        assertEquals(String.join(" ", modules), manifest.getProperty("modules"));
    }

    @Test
    void aFreshBuildWithNvccReproducesTheCommittedPtx() throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(SOURCES), "the module's sources are not at " + SOURCES);
        String nvcc = findNvcc();
        assumeTrue(
                nvcc != null, "nvcc not found (NVCC, the PATH, /usr/local/cuda/bin): the PTX cannot be rebuilt here");
        String release = nvccRelease(nvcc);
        String committedRelease = manifest(COMMITTED).getProperty("nvcc.release");
        assumeTrue(
                committedRelease.equals(release),
                "the committed PTX was built by nvcc " + committedRelease + ", this machine has nvcc " + release
                        + ": a rebuild would differ in more than the sources");
        Path out = Files.createTempDirectory("sparselinear-ptx");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            "bash", MODULE.resolve("build-ptx.sh").toString(), "--out", out.toString())
                    .redirectErrorStream(true);
            builder.environment().put("NVCC", nvcc);
            Process process = builder.start();
            String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, process.waitFor(300, TimeUnit.SECONDS), "build-ptx.sh took more than 300 s");
            assertEquals(0, process.exitValue(), "build-ptx.sh failed:\n" + log);
            List<String> names;
            try (Stream<Path> files = Files.list(COMMITTED)) {
                names = files.map(p -> p.getFileName().toString()).sorted().toList();
            }
            try (Stream<Path> files = Files.list(out)) {
                assertEquals(
                        names,
                        files.map(p -> p.getFileName().toString()).sorted().toList(),
                        "the files build-ptx.sh writes");
            }
            for (String name : names) {
                assertArrayEquals(
                        Files.readAllBytes(COMMITTED.resolve(name)),
                        Files.readAllBytes(out.resolve(name)),
                        name + " differs from a fresh build: run backend-cuda/build-ptx.sh and commit the result");
            }
        } finally {
            try (Stream<Path> files = Files.walk(out)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static String findNvcc() {
        String configured = System.getenv("NVCC");
        if (configured != null && Files.isExecutable(Path.of(configured))) {
            return configured;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, "nvcc");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        Path standard = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(standard) ? standard.toString() : null;
    }

    private static String nvccRelease(String nvcc) throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder(nvcc, "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        String prefix = "Cuda compilation tools, release ";
        return output.lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .findFirst()
                .orElse("unknown");
    }
}
