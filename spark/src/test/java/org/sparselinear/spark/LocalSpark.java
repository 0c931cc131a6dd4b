package org.sparselinear.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@link SparkSession} of the module's tests, started on first use and shared by every
 * test class in the JVM (starting one takes about 10 s): {@code local[2, 2]}, two worker threads
 * and a second attempt for a failed task, bound to the loopback only, without the web UI.
 */
final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("sparselinear-spark-tests")
                    .master("local[2,2]")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
