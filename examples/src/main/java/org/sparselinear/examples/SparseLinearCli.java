package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.sparselinear.api.BackendException;
import org.sparselinear.api.Backends;
import org.sparselinear.backend.cpu.CpuBackend;
import org.sparselinear.nn.InsufficientMemoryException;
import org.sparselinear.nn.train.Progress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sparselinear} command: reproduces the reference notebook's experiments, trains
 * models with chosen settings and reports the backends found.
 *
 * <p>Exit codes: 0 success; 1 a failure while running (I/O error, diverging training, no usable
 * backend); 2 bad input (unknown option or value, out-of-range number, missing data folder,
 * unavailable backend asked for by name, corrupt data, a layer too large for the memory). Errors are one line on standard error, with a stack
 * trace only for what looks like a bug.
 */
@Command(
        name = "sparselinear",
        mixinStandardHelpOptions = true,
        versionProvider = SparseLinearCli.Version.class,
        description = "Sparse linear layers on the JVM: train the reference notebook's models and inspect backends.",
        subcommands = {
            DemoCommand.class,
            ExperimentsCommand.class,
            PruneCommand.class,
            TrainCommand.class,
            TextCommand.class,
            RegressionCommand.class,
            BackendsCommand.class,
            ScaleCommand.class,
            WideCommand.class,
            BenchCommand.class,
            InspectCommand.class,
            EvaluateCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {"", "Run 'sparselinear COMMAND --help' for a command's options."})
public final class SparseLinearCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    private final TimeSource time;
    private final PrintStream progressStream;
    private boolean progress = true;

    /** A CLI on the system clock, drawing progress bars on {@link System#err}. */
    public SparseLinearCli() {
        this(TimeSource.system(), System.err);
    }

    /** A CLI reading time from {@code time}, drawing progress bars on {@code progressStream}. */
    public SparseLinearCli(TimeSource time, PrintStream progressStream) {
        this.time = time;
        this.progressStream = progressStream;
    }

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            scope = ScopeType.INHERIT,
            description = "Backend to run on (e.g. cpu; 'sparselinear backends' lists them); overrides -D"
                    + Backends.PROPERTY + " and " + Backends.ENVIRONMENT
                    + ". Default: the available one with the highest priority.")
    void setBackend(String name) {
        if (name != null) {
            if (name.isBlank()) {
                throw new ParameterException(spec.commandLine(), "--backend needs a name, e.g. --backend cpu");
            }
            System.setProperty(Backends.PROPERTY, name.trim());
        }
    }

    @Option(
            names = "--threads",
            paramLabel = "N",
            scope = ScopeType.INHERIT,
            description =
                    "Threads of the CPU backend (sets -D" + CpuBackend.THREADS_PROPERTY + "). Default: one per core.")
    void setThreads(Integer threads) {
        if (threads != null) {
            if (threads < 1) {
                throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
            }
            if (threads > CpuBackend.MAX_THREADS) {
                throw new ParameterException(spec.commandLine(), CpuBackend.tooMany("--threads", threads));
            }
            System.setProperty(CpuBackend.THREADS_PROPERTY, Integer.toString(threads));
        }
    }

    @Option(names = "--no-progress", scope = ScopeType.INHERIT, description = "Draw no progress bars.")
    void setNoProgress(boolean noProgress) {
        this.progress = !noProgress;
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command: use demo, train, regression, experiments, wide, scale, bench, inspect or backends");
    }

    /** The clock commands measure with. */
    TimeSource time() {
        return time;
    }

    /** Progress bars on the progress stream, or none with {@code --no-progress}. */
    Progress.Factory progress() {
        return progress ? Progress.console(progressStream) : Progress.none();
    }

    /** The command line with the CLI's error handling, ready to {@link CommandLine#execute}. */
    public static CommandLine commandLine(SparseLinearCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setParameterExceptionHandler(SparseLinearCli::handleParameterException);
        commandLine.setExecutionExceptionHandler(SparseLinearCli::handleExecutionException);
        return commandLine;
    }

    public static void main(String[] args) {
        System.exit(commandLine(new SparseLinearCli()).execute(args));
    }

    private static int handleParameterException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage() + " (see '" + name + " --help')");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    private static int handleExecutionException(Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName();
        int code;
        if (e instanceof UsageException || e instanceof InsufficientMemoryException) {
            // A layer too large for the memory available is found before anything is allocated: bad settings.
            err.println(name + ": " + e.getMessage());
            code = CommandLine.ExitCode.USAGE;
        } else if (e instanceof BackendException) {
            // The first line says what is wrong; the table of every backend is 'sparselinear backends'.
            err.println(name + ": " + e.getMessage().strip().lines().findFirst().orElse("")
                    + " (run 'sparselinear backends' for the list)");
            // A backend asked for by name that is missing, or a bad setting, is bad input; none at all is a broken
            // setup.
            code = Backends.requestedName() != null || e.getCause() instanceof IllegalArgumentException
                    ? CommandLine.ExitCode.USAGE
                    : CommandLine.ExitCode.SOFTWARE;
        } else if (e instanceof TrainingException) {
            err.println(name + ": " + e.getMessage());
            code = CommandLine.ExitCode.SOFTWARE;
        } else if (e instanceof IOException) {
            err.println(name + ": I/O error: " + e);
            code = CommandLine.ExitCode.SOFTWARE;
        } else if (e instanceof UncheckedIOException) {
            err.println(name + ": I/O error: " + e.getMessage() + ": " + e.getCause());
            code = CommandLine.ExitCode.SOFTWARE;
        } else {
            err.println(name + ": internal error, please report it with this trace:");
            e.printStackTrace(err);
            code = CommandLine.ExitCode.SOFTWARE;
        }
        err.flush();
        return code;
    }

    /** The version from the jar's manifest (set by the shaded build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SparseLinearCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "sparselinear " + (version != null ? version : "(development build)"),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
            };
        }
    }
}
