package org.sparselinear.spark;

/**
 * Called in each task of a round before its local steps, with the task's attempt number. Only
 * tests use it, in local mode where tasks run in the driver's JVM: a hook that throws on attempt 0
 * makes Spark retry the task ({@code local[N, maxFailures]}).
 */
@FunctionalInterface
interface PartitionHook {

    void beforeLocalSteps(int partition, RoundPlan plan, int attempt);
}
