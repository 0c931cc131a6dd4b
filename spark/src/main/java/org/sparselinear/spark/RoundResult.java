package org.sparselinear.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.sparselinear.io.ModelFileException;
import org.sparselinear.io.SafeTensors;
import org.sparselinear.io.SafeTensors.DType;
import org.sparselinear.io.SafeTensors.TensorInfo;

/**
 * What the partitions of one round send back, summed by {@code treeAggregate}: the sum of every
 * floating-point tensor of their checkpoints (connection values, biases, optimizer state), each
 * weighted by the samples its partition trained on in the round, and the sum of the weights, in
 * double precision so that the order in which Spark combines partitions does not change the
 * result; how many partitions contributed; the metadata of the lowest-numbered one (step counts
 * and settings, equal on all of them); a digest of the integer tensors (the connection patterns),
 * which must agree; and the grow candidates each sparse layer found, merged by vote.
 */
final class RoundResult implements Serializable {

    private final Map<String, double[]> sums = new LinkedHashMap<>();
    private final List<CandidateVotes> candidates = new ArrayList<>();
    private int contributors;
    private long samples;
    private int firstPartition = Integer.MAX_VALUE;
    private Map<String, String> metadata;
    private long patternDigest;
    private long trainingNanos;

    /** The result of no partition, the neutral element of {@link #merge}. */
    static RoundResult empty() {
        return new RoundResult();
    }

    /**
     * One partition's result: the samples its local steps trained on (its weight in the average),
     * its checkpoint after them, its grow candidates per layer (or none) and the time they took.
     */
    static RoundResult of(
            int partition, long samples, byte[] checkpoint, List<int[][]> layerCandidates, long trainingNanos) {
        if (samples < 1) {
            throw new IllegalArgumentException("partition " + partition + " trained on no samples");
        }
        RoundResult result = new RoundResult();
        result.samples = samples;
        result.trainingNanos = trainingNanos;
        result.contributors = 1;
        result.firstPartition = partition;
        try (SafeTensors.Contents contents = SafeTensors.read(checkpoint, "partition " + partition)) {
            CRC32C digest = new CRC32C();
            for (TensorInfo info : contents.tensors()) {
                if (info.dtype() == DType.F32) {
                    float[] values = contents.floats(info);
                    double[] sum = new double[values.length];
                    for (int i = 0; i < values.length; i++) {
                        sum[i] = (double) values[i] * samples;
                    }
                    result.sums.put(info.name(), sum);
                } else {
                    digest.update(info.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    long[] longs = contents.longs(info);
                    ByteBuffer bytes =
                            ByteBuffer.allocate(longs.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                    bytes.asLongBuffer().put(longs);
                    digest.update(bytes);
                }
            }
            result.patternDigest = digest.getValue();
            result.metadata = new LinkedHashMap<>(contents.metadata());
            result.metadata.remove(SafeTensors.CHECKSUMS);
        } catch (ModelFileException e) {
            throw new IllegalStateException("partition " + partition + " wrote an unreadable checkpoint", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int[][] layer : layerCandidates) {
            CandidateVotes votes = new CandidateVotes();
            if (layer != null) {
                votes.add(layer);
            }
            result.candidates.add(votes);
        }
        return result;
    }

    /** Adds {@code other} into this result and returns this. */
    RoundResult merge(RoundResult other) {
        if (other.contributors == 0) {
            return this;
        }
        if (contributors == 0) {
            return other;
        }
        if (patternDigest != other.patternDigest || !sums.keySet().equals(other.sums.keySet())) {
            throw new IllegalStateException("partitions " + firstPartition + " and " + other.firstPartition
                    + " trained networks of different connection patterns; every partition must start from the "
                    + "broadcast model and no partition may rewire on its own");
        }
        sums.forEach((name, sum) -> {
            double[] add = other.sums.get(name);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += add[i];
            }
        });
        for (int l = 0; l < candidates.size(); l++) {
            candidates.get(l).addAll(other.candidates.get(l));
        }
        contributors += other.contributors;
        samples += other.samples;
        trainingNanos = Math.max(trainingNanos, other.trainingNanos);
        if (other.firstPartition < firstPartition) {
            firstPartition = other.firstPartition;
            metadata = other.metadata;
        }
        return this;
    }

    /** The longest time a contributing partition spent in its local steps. */
    long trainingNanos() {
        return trainingNanos;
    }

    int contributors() {
        return contributors;
    }

    /** The mean of the tensor {@code name} over the contributing partitions, weighted by their samples. */
    float[] mean(String name) {
        double[] sum = sums.get(name);
        if (sum == null) {
            throw new IllegalStateException("no partition returned the tensor " + name);
        }
        float[] mean = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            mean[i] = (float) (sum[i] / samples);
        }
        return mean;
    }

    Map<String, String> metadata() {
        return metadata;
    }

    /** The merged grow candidates of sparse layer {@code layer} (in model order). */
    int[][] candidates(int layer) {
        return candidates.get(layer).merged();
    }
}
