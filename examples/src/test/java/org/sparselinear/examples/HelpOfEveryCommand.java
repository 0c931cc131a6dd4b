package org.sparselinear.examples;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine;

/**
 * Prints the help of the root command and of every subcommand to nowhere, so that a test can run
 * it in a fresh JVM and read what picocli itself writes on standard error (its warnings go to the
 * {@code System.err} of the moment picocli is first used, out of reach of an in-process capture).
 * Exits with 1 when a help does not succeed.
 */
final class HelpOfEveryCommand {

    private HelpOfEveryCommand() {}

    public static void main(String[] args) {
        CommandLine root = SparseLinearCli.commandLine(new SparseLinearCli());
        root.setOut(new PrintWriter(Writer.nullWriter()));
        int failures = root.execute("--help") == 0 ? 0 : 1;
        for (String command : root.getSubcommands().keySet()) {
            if (root.execute(command, "--help") != 0) {
                System.err.println("'" + command + " --help' failed");
                failures++;
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
