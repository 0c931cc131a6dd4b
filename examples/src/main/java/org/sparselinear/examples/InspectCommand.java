package org.sparselinear.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sparselinear.io.ModelFile;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.ModelSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Prints what a saved model or checkpoint holds: its layers, their tensors and shapes, sparsity
 * and parameter counts, and a checkpoint's progress. The file is checked as loading checks it (see
 * {@link ModelFile#inspect}): the tensors' checksums when the file records them (the output says
 * whether it did; files of version 0.1 have none), that every float value is finite, the model
 * description against the tensors, and a checkpoint's progress and optimizer state. A corrupt,
 * truncated or damaged file is reported (exit code 2) with the field or tensor at fault.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Print the layers, shapes, sparsity and parameter counts of a saved model or checkpoint "
                    + "(a .safetensors file written by ModelFile.save or 'train --save'), checking it as loading does: "
                    + "the tensors' checksums (when the file has them; the output says whether it did), finite values, "
                    + "the layers and a checkpoint's progress."
        })
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The model or checkpoint file.")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException(file + ": no such file" + (Files.isDirectory(file) ? " (it is a folder)" : ""));
        }
        ModelSummary summary;
        try {
            summary = ModelFile.inspect(file);
        } catch (ModelFileException e) {
            throw new UsageException("not a valid model file: " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary);
        out.flush();
        return 0;
    }
}
