package org.sparselinear.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.io.ModelFile;
import org.sparselinear.nn.Linear;
import org.sparselinear.nn.Sequential;
import org.sparselinear.nn.SparseLinear;

/**
 * Saves and loads a fitted SparseNet stage in Spark ML's layout: the stage's params as Spark's
 * {@code metadata} folder (so {@code Pipeline} and {@code PipelineModel} save and load it), and the
 * network as the library's safetensors model file {@value #NETWORK} beside it, on any Hadoop file
 * system. That file opens in plain Java ({@link ModelFile#load}) and in PyTorch.
 */
final class NetworkFiles {

    /** The name of the network's model file inside a saved stage's folder. */
    static final String NETWORK = "network.safetensors";

    private NetworkFiles() {}

    /** A writer of {@code stage}, whose network is {@code modelFile}. */
    static MLWriter writer(Params stage, byte[] modelFile) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                DefaultParamsWriter$.MODULE$.saveMetadata(stage, path, sparkSession());
                Path file = new Path(path, NETWORK);
                try {
                    FileSystem fs = file.getFileSystem(sc().hadoopConfiguration());
                    try (OutputStream out = fs.create(file, shouldOverwrite())) {
                        out.write(modelFile);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException("cannot write " + file, e);
                }
            }
        };
    }

    /** Builds a stage of {@code type} from its uid and network file; params are then set from the metadata. */
    interface Factory<T extends Params> {
        T create(String uid, byte[] modelFile);
    }

    /** A reader of stages of {@code type} written by {@link #writer}. */
    static <T extends Params> MLReader<T> reader(Class<T> type, Factory<T> factory) {
        return new MLReader<>() {
            @Override
            public T load(String path) {
                SparkSession spark = sparkSession();
                DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark, type.getName());
                byte[] modelFile = read(new Path(path, NETWORK), sc());
                T stage = factory.create(metadata.uid(), modelFile);
                metadata.getAndSetParams(stage, scala.Option.empty());
                return stage;
            }
        };
    }

    private static byte[] read(Path file, SparkContext sc) {
        try {
            FileSystem fs = file.getFileSystem(sc.hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot read the network " + file + "; a saved SparseNet model is a folder holding metadata/ and "
                            + NETWORK,
                    e);
        }
    }

    /**
     * The widths of {@code network}'s input and output: those of its first and last layer with
     * parameters ({@code SparseLinear} or {@code Linear}).
     */
    static int[] shape(Layer network) {
        List<Layer> layers = network instanceof Sequential s ? s.layers() : List.of(network);
        int in = -1;
        int out = -1;
        for (Layer layer : layers) {
            int[] io = layer instanceof SparseLinear s
                    ? new int[] {s.inFeatures(), s.outFeatures()}
                    : layer instanceof Linear l ? new int[] {l.inFeatures(), l.outFeatures()} : null;
            if (io != null) {
                in = in < 0 ? io[0] : in;
                out = io[1];
            }
        }
        if (in < 0) {
            throw new IllegalArgumentException("the network " + network + " has no SparseLinear or Linear layer; "
                    + "a SparseNet model needs one to know its input and output widths");
        }
        return new int[] {in, out};
    }

    /** The network of a model file, on the default backend, in evaluation mode. */
    static Layer load(byte[] modelFile) {
        try {
            Layer network = ModelFile.load(modelFile, "the network", Backends.get());
            network.eval();
            return network;
        } catch (IOException e) {
            throw new IllegalArgumentException("the network is not a readable model file: " + e.getMessage(), e);
        }
    }
}
