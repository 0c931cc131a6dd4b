package org.sparselinear.spark;

import java.lang.ref.SoftReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.sparselinear.data.Dataset;

/**
 * The shards an executor has already converted from Spark rows to the library's {@link Dataset},
 * so that a partition is converted once per training run and not once per round. Keyed by the
 * application, the RDD and the partition (an RDD's partition never changes); held by soft
 * references, so the garbage collector drops them under memory pressure and they are rebuilt from
 * the rows. A retried task finds the same shard (or rebuilds the same one). The driver forgets a
 * run's shards when it ends; executors of a cluster drop theirs when memory runs short.
 */
final class ShardCache {

    private static final Map<String, SoftReference<Dataset>> SHARDS = new ConcurrentHashMap<>();

    private ShardCache() {}

    /** The shard of {@code key}, made by {@code convert} when it is not cached. */
    static Dataset get(String key, Supplier<Dataset> convert) {
        SoftReference<Dataset> cached = SHARDS.get(key);
        Dataset shard = cached == null ? null : cached.get();
        if (shard == null) {
            shard = convert.get();
            SHARDS.put(key, new SoftReference<>(shard));
        }
        return shard;
    }

    /** Forgets the shards of one training run ({@code prefix} of their keys), on this JVM. */
    static void forget(String prefix) {
        SHARDS.keySet().removeIf(key -> key.startsWith(prefix));
    }
}
