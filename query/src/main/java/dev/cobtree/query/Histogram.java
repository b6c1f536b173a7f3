package dev.cobtree.query;

import java.util.Arrays;

/**
 * An equi-depth histogram of a key range, made by {@link Positions#equiDepth}: bucket i holds
 * the keys in {@code [lowerBound(i), lowerBound(i+1))} (the last one up to and including
 * {@link #upperBound()}), {@code count(i)} of them. Immutable.
 */
public final class Histogram {

    static final Histogram EMPTY = new Histogram(new long[0], new long[0], 0);

    private final long[] lower;
    private final long[] counts;
    private final long upper;
    private final long total;

    Histogram(long[] lower, long[] counts, long upper) {
        this.lower = lower;
        this.counts = counts;
        this.upper = upper;
        long t = 0;
        for (long c : counts) t += c;
        this.total = t;
    }

    /** Number of buckets (0 for an empty range). */
    public int buckets() {
        return lower.length;
    }

    /** The least key of bucket {@code i}. */
    public long lowerBound(int i) {
        return lower[i];
    }

    /** The greatest key of the range. @throws IllegalStateException if there are no buckets */
    public long upperBound() {
        if (lower.length == 0) throw new IllegalStateException("histogram of an empty range has no bounds");
        return upper;
    }

    /** Entries in bucket {@code i}. */
    public long count(int i) {
        return counts[i];
    }

    /** Entries in all buckets. */
    public long total() {
        return total;
    }

    /** The least key of each bucket (a copy). */
    public long[] lowerBounds() {
        return lower.clone();
    }

    /** The count of each bucket (a copy). */
    public long[] counts() {
        return counts.clone();
    }

    /** The bucket {@code key} falls in, or -1 if it is outside {@code [lowerBound(0), upperBound()]}. */
    public int bucketOf(long key) {
        if (lower.length == 0 || key < lower[0] || key > upper) return -1;
        int i = Arrays.binarySearch(lower, key);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Histogram[");
        for (int i = 0; i < lower.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(lower[i]).append(".. :").append(counts[i]);
        }
        if (lower.length > 0) sb.append(" | upper ").append(upper);
        return sb.append(']').toString();
    }
}
