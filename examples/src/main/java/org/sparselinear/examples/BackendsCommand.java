package org.sparselinear.examples;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.sparselinear.api.BackendException;
import org.sparselinear.api.BackendProvider;
import org.sparselinear.api.Backends;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Lists the backends on the class path and says which one a run would use, or why none. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List the backends found on the class path, whether each is available (and if not, why), "
                + "and which one would be selected."})
final class BackendsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(Backends.describe());
        String requested = Backends.requestedName();
        String source = System.getProperty(Backends.PROPERTY) != null && !System.getProperty(Backends.PROPERTY).isBlank()
                ? "-D" + Backends.PROPERTY + " / --backend"
                : "$" + Backends.ENVIRONMENT;
        try {
            BackendProvider selected = Backends.select(Backends.providers(), requested);
            out.println();
            out.println("selected: " + selected.name() + (requested != null
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

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
