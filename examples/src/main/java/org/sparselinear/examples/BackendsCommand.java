package org.sparselinear.examples;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.sparselinear.api.Backend;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Backends;
import org.sparselinear.spi.BackendProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the backends on the class path and says which one a run would use, or why none. */
@Command(
        name = "backends",
        mixinStandardHelpOptions = true,
        description = {
            "List the backends found on the class path, whether each is available (and if not, why), "
                    + "which operations each runs on the host for want of a device kernel, and which one would be "
                    + "selected."
        })
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(Backends.describe());
        printHostOperations(out);
        String requested = Backends.requestedName();
        String source = System.getProperty(Backends.PROPERTY) != null
                        && !System.getProperty(Backends.PROPERTY).isBlank()
                ? "-D" + Backends.PROPERTY + " / --backend"
                : "$" + Backends.ENVIRONMENT;
        try {
            BackendProvider selected = Backends.select(Backends.providers(), requested);
            out.println();
            out.println("selected: " + selected.name()
                    + (requested != null
                            ? " (requested by " + source + ")"
                            : " (the available backend with the highest priority; choose another with --backend NAME, -D"
                                    + Backends.PROPERTY + "=NAME or $" + Backends.ENVIRONMENT + ")"));
            out.flush();
            return 0;
        } catch (BackendException e) {
            out.println();
            out.println("selected: none");
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": " + firstLine(e.getMessage()));
            err.flush();
            return requested != null ? 2 : 1;
        }
    }

    /**
     * For every available backend, the operations of the optional families it runs on the host
     * for want of a device kernel ({@link org.sparselinear.api.Backend#hostOperations()}).
     */
    private static void printHostOperations(PrintWriter out) {
        out.println();
        out.println(String.format(Locale.ROOT, "%-10s %s", "backend", "operations run on the host (no device kernel)"));
        for (BackendProvider provider : Backends.providers()) {
            if (!available(provider)) {
                continue;
            }
            String operations;
            try (Backend backend = provider.create()) {
                Set<String> onHost = backend.hostOperations();
                operations = onHost.isEmpty() ? "none" : String.join(", ", onHost);
            } catch (RuntimeException | LinkageError e) {
                operations = "unknown: the backend could not be created: " + firstLine(String.valueOf(e.getMessage()));
            }
            out.println(String.format(Locale.ROOT, "%-10s %s", provider.name(), operations));
        }
    }

    private static boolean available(BackendProvider provider) {
        try {
            return provider.availability().available();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
