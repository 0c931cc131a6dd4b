package org.sparselinear.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparselinear.api.Backend;
import org.sparselinear.api.Backends;
import org.sparselinear.api.Layer;
import org.sparselinear.data.Dataset;
import org.sparselinear.data.DatasetBuilder;
import org.sparselinear.data.Sample;
import org.sparselinear.data.Split;
import org.sparselinear.data.SvmLight;
import org.sparselinear.data.SvmLightPair;
import org.sparselinear.io.ModelFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-train}: trains a {@link SparseNetClassifier} on a Spark master (local or a cluster)
 * from MNIST-style IDX files or svmlight files, evaluates it on the test set and prints accuracy,
 * throughput and the time per round spent in Spark rather than in training; optionally against
 * the same training in one process. The same main class runs under {@code spark-submit}.
 */
@Command(
        name = "spark-train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains a sparse network on Apache Spark by parameter averaging (SparseNetClassifier) and prints test "
                    + "accuracy, samples/s and the time per round spent in Spark. Data: an IDX folder (MNIST "
                    + "layout, default the shipped digits) or svmlight files (--train/--test)."
        })
public final class SparkTrainCommand implements Callable<Integer> {

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master, repeatable to compare "
                    + "(local[1], local[2], spark://host:7077, yarn, k8s://...). Default: local[2], or the master "
                    + "spark-submit set.")
    List<String> masters = new ArrayList<>();

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "IDX folder (train-/t10k- images and labels). " + "Default: the shipped MNIST-10k (data/).")
    Path data;

    @Option(names = "--train", paramLabel = "FILE", description = "svmlight training file (instead of --data)")
    Path train;

    @Option(names = "--test", paramLabel = "FILE", description = "svmlight test file, read like the training file")
    Path test;

    @Option(names = "--partitions", description = "partitions of the training data (default: the master's cores)")
    int partitions;

    @Option(
            names = "--local-steps",
            split = ",",
            paramLabel = "K",
            description = "optimizer steps per partition " + "between averagings; a list runs each (default: 4)")
    List<Integer> localSteps = new ArrayList<>(List.of(4));

    @Option(names = "--single", description = "also train in one process without Spark, for comparison")
    boolean single;

    @Option(names = "--hidden", split = ",", description = "hidden layer widths (default: 256)")
    int[] hidden = {256};

    @Option(names = "--sparsity", description = "fraction of absent connections (default: 0.9)")
    double sparsity = 0.9;

    @Option(names = "--distribution", description = "uniform or erk (default: uniform)")
    String distribution = "uniform";

    @Option(names = "--rewiring", description = "none, set or rigl (default: none)")
    String rewiring = "none";

    @Option(names = "--optimizer", description = "sgd or adam (default: sgd)")
    String optimizer = "sgd";

    @Option(names = "--lr", description = "learning rate (default: 0.05)")
    double learningRate = 0.05;

    @Option(names = "--momentum", description = "SGD momentum (default: 0.9)")
    double momentum = 0.9;

    @Option(
            names = "--batch",
            description = "global batch size: samples per synchronized step, split over the partitions (default: 64)")
    int batchSize = 64;

    @Option(names = "--epochs", description = "epochs (default: 3)")
    int epochs = 3;

    @Option(names = "--seed", description = "seed (default: 0)")
    long seed;

    @Option(
            names = "--checkpoint",
            paramLabel = "FILE",
            description = "driver checkpoint after each round; " + "an existing one is resumed")
    Path checkpoint;

    @Option(
            names = "--save",
            paramLabel = "DIR",
            description = "save the last trained model here (Spark ML " + "folder with network.safetensors)")
    String save;

    /** Runs the command; {@code spark-submit --class org.sparselinear.spark.SparkTrainCommand} starts here too. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrainCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Dataset[] sets = readData();
        Dataset trainSet = sets[0];
        Dataset testSet = sets[1];
        int classes = trainSet.classes();
        System.out.printf(
                Locale.ROOT,
                "data: %,d training and %,d test samples, %,d features (%s), %d classes%n",
                trainSet.size(),
                testSet.size(),
                trainSet.featureCount(),
                trainSet.isSparse() ? "sparse" : "dense",
                classes);
        System.out.println(
                "run                 K  parts  test acc  train s  samples/s  rounds  ms/round  " + "of which Spark");
        if (single) {
            runSingle(trainSet, testSet, classes);
        }
        List<String> runMasters = masters.isEmpty() ? List.of(defaultMaster()) : masters;
        for (String master : runMasters) {
            SparkSession spark = session(master);
            try {
                for (int k : localSteps) {
                    runSpark(spark, master, k, trainSet, testSet);
                }
            } finally {
                if (runMasters.size() > 1) {
                    spark.stop();
                }
            }
        }
        return 0;
    }

    private static String defaultMaster() {
        return System.getProperty("spark.master", "local[2]");
    }

    private SparkSession session(String master) {
        SparkSession.Builder builder =
                SparkSession.builder().appName("sparselinear spark-train").master(master);
        if (master.startsWith("local")) {
            builder.config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private void runSpark(SparkSession spark, String master, int k, Dataset trainSet, Dataset testSet) {
        int parts = partitions > 0 ? partitions : spark.sparkContext().defaultParallelism();
        // Data parallelized from the driver travel inside every task until the lineage is cut: checkpoint them
        // into the executors' block stores once (data read from files need not be).
        org.apache.spark.sql.Dataset<Row> trainFrame =
                frame(spark, trainSet, parts).localCheckpoint();
        org.apache.spark.sql.Dataset<Row> testFrame =
                frame(spark, testSet, parts).localCheckpoint();
        SparseNetClassifier classifier = new SparseNetClassifier()
                .setHiddenLayers(hidden)
                .setSparsity(sparsity)
                .setSparsityDistribution(distribution)
                .setRewiring(rewiring)
                .setOptimizer(optimizer)
                .setLearningRate(learningRate)
                .setMomentum(momentum)
                .setBatchSize(batchSize)
                .setEpochs(epochs)
                .setLocalSteps(k)
                .setSeed(seed)
                .setCheckpointPath(checkpoint == null ? "" : checkpoint.toString());
        long started = System.nanoTime();
        SparseNetClassificationModel model = classifier.fit(trainFrame);
        double seconds = (System.nanoTime() - started) / 1e9;
        double accuracy =
                (double) model.transform(testFrame).filter("prediction = label").count() / testSet.size();
        List<RoundReport> rounds = classifier.lastRounds();
        double wall =
                rounds.stream().mapToLong(RoundReport::wallNanos).average().orElse(0) / 1e6;
        double overhead =
                rounds.stream().mapToLong(RoundReport::overheadNanos).average().orElse(0) / 1e6;
        print(master, k, parts, accuracy, seconds, trainSet.size(), rounds.size(), wall, overhead);
        if (save != null) {
            try {
                model.write().overwrite().save(save);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot save the model to " + save, e);
            }
        }
    }

    private void runSingle(Dataset trainSet, Dataset testSet, int classes) throws IOException {
        Backend backend = Backends.get();
        NetworkSpec spec = new NetworkSpec(
                trainSet.featureCount(), hidden, classes, sparsity, distribution, "random", rewiring, 1, seed);
        TrainingSettings settings = new TrainingSettings(optimizer, learningRate, momentum, batchSize, epochs, 1, seed);
        long started = System.nanoTime();
        byte[] network =
                SingleProcessTraining.train(trainSet, spec, settings, Objective.classification(classes), backend);
        double seconds = (System.nanoTime() - started) / 1e9;
        try (Layer model = ModelFile.load(network, "single-process model", backend)) {
            model.eval();
            int right = 0;
            for (int from = 0; from < testSet.size(); from += NetworkScorer.BATCH) {
                List<Vector> batch = new ArrayList<>();
                int to = Math.min(testSet.size(), from + NetworkScorer.BATCH);
                for (int i = from; i < to; i++) {
                    batch.add(vector(testSet.get(i), testSet.featureCount()));
                }
                float[][] logits = NetworkScorer.outputs(model, backend, batch, testSet.featureCount());
                for (int i = from; i < to; i++) {
                    float[] row = logits[i - from];
                    int best = 0;
                    for (int c = 1; c < row.length; c++) {
                        best = row[c] > row[best] ? c : best;
                    }
                    right += best == testSet.get(i).label() ? 1 : 0;
                }
            }
            print("single process", 0, 1, (double) right / testSet.size(), seconds, trainSet.size(), 0, 0, 0);
        }
    }

    private void print(
            String run,
            int k,
            int parts,
            double accuracy,
            double seconds,
            int samples,
            int rounds,
            double msPerRound,
            double sparkMs) {
        System.out.printf(
                Locale.ROOT,
                "%-18s %2s  %5d  %7.2f %%  %7.1f  %9.0f  %6d  %8.1f  %14.1f%n",
                run,
                k == 0 ? "-" : Integer.toString(k),
                parts,
                100 * accuracy,
                seconds,
                (double) samples * epochs / seconds,
                rounds,
                msPerRound,
                sparkMs);
    }

    private Dataset[] readData() throws IOException {
        if (train != null) {
            if (test == null) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--train needs --test: the svmlight file to evaluate on");
            }
            SvmLightPair pair = SvmLight.readPair(train, test);
            if (pair.widenedByTest()) {
                System.out.println(test + ": " + pair.widening());
            }
            return new Dataset[] {pair.train(), pair.test()};
        }
        Path folder = data != null ? data : Path.of(System.getProperty("sparselinear.data", "data"));
        if (!Files.isDirectory(folder)) {
            throw new CommandLine.ParameterException(
                    new CommandLine(this),
                    "no IDX folder at " + folder
                            + "; give --data DIR (train-/t10k- images and labels) or --train/--test svmlight files");
        }
        return new Dataset[] {
            flat(Dataset.loadIdx(folder, Split.TRAIN, 0.1307f, 0.3081f)),
            flat(Dataset.loadIdx(folder, Split.TEST, 0.1307f, 0.3081f))
        };
    }

    /** Images as flat feature vectors, as a Spark ML features column holds them. */
    private static Dataset flat(Dataset images) {
        DatasetBuilder builder = Dataset.builder(images.featureCount(), false, images.classes(), 1);
        for (int i = 0; i < images.size(); i++) {
            builder.add(images.get(i));
        }
        return builder.build();
    }

    /** The samples as a DataFrame of {@code features} (ML vectors, sparse for sparse samples) and {@code label}. */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession spark, Dataset samples, int partitions) {
        List<Row> rows = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            rows.add(RowFactory.create(vector(s, samples.featureCount()), (double) s.label()));
        }
        StructType schema = new StructType().add("features", new VectorUDT()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(
                JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, partitions), schema);
    }

    private static Vector vector(Sample s, int width) {
        float[] values = s.values();
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = values[i];
        }
        return s.isSparse() ? Vectors.sparse(width, s.indices(), d) : Vectors.dense(d);
    }
}
