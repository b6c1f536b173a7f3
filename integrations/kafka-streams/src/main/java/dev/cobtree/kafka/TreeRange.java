package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;

/**
 * An inclusive range {@code [lo, hi]} of tree keys, or {@link #EMPTY}: the translation of a Kafka
 * key range (bounds of any length, in Kafka's byte order) by {@link KeyCodec}.
 */
record TreeRange(long lo, long hi) {

    /** Selects no key ({@code lo > hi}, which no tree call ever receives). */
    static final TreeRange EMPTY = new TreeRange(Long.MAX_VALUE, Long.MIN_VALUE);

    static final TreeRange ALL = new TreeRange(Long.MIN_VALUE, Long.MAX_VALUE);

    boolean isEmpty() {
        return lo > hi;
    }

    /** The keys between two bounds (null: unbounded on that side). */
    static TreeRange of(Bytes lower, boolean lowerInclusive, Bytes upper, boolean upperInclusive) {
        long[] x = new long[1];
        if (!KeyCodec.lower(lower == null ? null : lower.get(), lowerInclusive, x)) {
            return EMPTY;
        }
        long lo = x[0];
        if (!KeyCodec.upper(upper == null ? null : upper.get(), upperInclusive, x)) {
            return EMPTY;
        }
        long hi = x[0];
        return lo > hi ? EMPTY : new TreeRange(lo, hi);
    }
}
