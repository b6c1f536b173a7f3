package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;

/**
 * A range of store keys in Kafka's order (unsigned bytes, lexicographic), for the custom queries.
 * A null bound is unbounded on its side. Bounds may have any length (a prefix, say): they select
 * exactly the 8-byte keys that Kafka's comparator puts on their side.
 *
 * <p>Kafka's order is not the order of signed {@code Long}s: the bytes of a negative
 * {@code Long} start with a set high bit, so {@code -1L} sorts after {@code Long.MAX_VALUE}.
 * {@link #ofLongs} takes bounds as {@code Serdes.Long()} writes them and therefore compares them
 * the same way.
 */
public final class KeyRange {
    private final Bytes lower;
    private final boolean lowerInclusive;
    private final Bytes upper;
    private final boolean upperInclusive;

    private KeyRange(Bytes lower, boolean lowerInclusive, Bytes upper, boolean upperInclusive) {
        this.lower = lower;
        this.lowerInclusive = lowerInclusive;
        this.upper = upper;
        this.upperInclusive = upperInclusive;
    }

    /** Every key. */
    public static KeyRange all() {
        return new KeyRange(null, true, null, true);
    }

    /** Keys in {@code [lower, upper]}, as Kafka's {@code range(from, to)} and {@code RangeQuery}. */
    public static KeyRange closed(Bytes lower, Bytes upper) {
        return new KeyRange(lower, true, upper, true);
    }

    /** Keys in {@code [lower, upper)}. */
    public static KeyRange halfOpen(Bytes lower, Bytes upper) {
        return new KeyRange(lower, true, upper, false);
    }

    /** Keys between two bounds, each inclusive or not. */
    public static KeyRange of(Bytes lower, boolean lowerInclusive, Bytes upper, boolean upperInclusive) {
        return new KeyRange(lower, lowerInclusive, upper, upperInclusive);
    }

    /**
     * Keys in {@code [lower, upper)} with both bounds encoded as {@code Serdes.Long()} encodes
     * them (8 big-endian bytes); compared in Kafka's byte order, which agrees with {@code Long}
     * order when both bounds and keys are non-negative (timestamps, counters).
     */
    public static KeyRange ofLongs(long lower, long upper) {
        return halfOpen(Bytes.wrap(KeyCodec.bytes(lower)), Bytes.wrap(KeyCodec.bytes(upper)));
    }

    public Bytes lower() {
        return lower;
    }

    public boolean lowerInclusive() {
        return lowerInclusive;
    }

    public Bytes upper() {
        return upper;
    }

    public boolean upperInclusive() {
        return upperInclusive;
    }

    TreeRange treeRange() {
        return TreeRange.of(lower, lowerInclusive, upper, upperInclusive);
    }

    @Override
    public String toString() {
        return (lowerInclusive ? "[" : "(") + (lower == null ? "-inf" : lower) + ", "
                + (upper == null ? "+inf" : upper) + (upperInclusive ? "]" : ")");
    }
}
