package org.sparselinear.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kind registry survives a broken plugin jar: the other providers' kinds stay available. */
class ProvidersTest {

    @TempDir
    Path temp;

    /** A provider whose construction fails, as one from a jar built against another version might. */
    public static final class Exploding implements LayerProvider {
        public Exploding() {
            throw new IllegalStateException("this provider cannot start");
        }

        @Override
        public Map<String, Kind> layerKinds() {
            return Map.of();
        }
    }

    private <T> T withServices(String service, String registrations, Callable<T> action) throws Exception {
        Path services = Files.createDirectories(temp.resolve("META-INF/services"));
        Files.writeString(services.resolve(service), registrations);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {temp.toUri().toURL()}, previous)) {
            thread.setContextClassLoader(loader);
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void aProviderThatFailsToStartIsSkippedAndTheOthersStay() throws Exception {
        Set<String> kinds =
                withServices(LayerProvider.class.getName(), Exploding.class.getName() + "\n", () -> Providers.layers()
                        .keySet());
        assertTrue(kinds.contains("Sequential"), kinds.toString());
        assertTrue(kinds.contains("SparseLinear"), kinds.toString());
    }

    @Test
    void aRegistrationNamingAMissingClassIsSkippedAndTheOthersStay() throws Exception {
        Set<String> kinds =
                withServices(LayerProvider.class.getName(), "com.example.NoSuchProvider\n", () -> Providers.layers()
                        .keySet());
        assertTrue(kinds.contains("Linear"), kinds.toString());
        assertFalse(kinds.isEmpty());
    }

    @Test
    void theBuiltInRewiringRulesAreRegistered() throws IOException {
        assertTrue(
                Providers.rewirings().keySet().containsAll(Set.of("RigL", "SET")),
                Providers.rewirings().toString());
    }
}
