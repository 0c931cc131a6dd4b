package org.sparselinear.spark;

import org.apache.spark.ml.util.Identifiable$;

/**
 * Gives a Java subclass of a Spark ML stage its uid while Spark's constructors still run. Spark's
 * Scala stages take the uid as a constructor value that exists before their parameters are made;
 * a Java subclass's fields are set only after the superclass constructor, which already creates
 * the shared parameters (label column, features column, ...) with the stage's uid. A constructor
 * given a uid therefore parks it here ({@code this(Uids.pending(uid))}) and the stage's
 * {@code uid()} takes it on its first call, on the same thread.
 */
final class Uids {

    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    /** The marker a constructor passes on after parking {@code uid} for this thread. */
    static final class Pending {
        private Pending() {}
    }

    private static final Pending MARKER = new Pending();

    private Uids() {}

    static Pending pending(String uid) {
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("a stage's uid must not be blank");
        }
        PENDING.set(uid);
        return MARKER;
    }

    /** The parked uid, or a new random one with {@code prefix}. */
    static String take(String prefix) {
        String uid = PENDING.get();
        PENDING.remove();
        return uid != null ? uid : Identifiable$.MODULE$.randomUID(prefix);
    }
}
