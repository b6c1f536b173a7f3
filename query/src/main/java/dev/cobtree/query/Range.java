package dev.cobtree.query;

/**
 * An interval of {@code long} keys: a lower and an upper bound, each inclusive or exclusive.
 *
 * <p>An immutable value object. Because keys are integers every range is the same set of keys
 * as one closed range {@code [first(), last()]}; {@link #equals} compares those sets, so
 * {@code halfOpen(3, 7)} equals {@code closed(3, 6)} (and all empty ranges are equal), which
 * is what a cache keyed by ranges wants. {@link #toString} keeps the bounds as written.
 *
 * <p>{@code lo > hi} is rejected with an {@link IllegalArgumentException} naming both bounds;
 * {@code lo == hi} with an exclusive side is a legal, empty range.
 */
public final class Range {

    private static final Range ALL = new Range(Long.MIN_VALUE, true, Long.MAX_VALUE, true);

    private final long lo;
    private final long hi;
    private final boolean loInclusive;
    private final boolean hiInclusive;
    // The same set as a closed range; first > last when empty.
    private final long first;
    private final long last;
    private final boolean empty;

    private Range(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        if (lo > hi) {
            throw new IllegalArgumentException("range lower bound " + lo + " is greater than upper bound " + hi);
        }
        this.lo = lo;
        this.hi = hi;
        this.loInclusive = loInclusive;
        this.hiInclusive = hiInclusive;
        boolean none = (!loInclusive && lo == Long.MAX_VALUE) || (!hiInclusive && hi == Long.MIN_VALUE);
        long f = loInclusive ? lo : lo + 1;
        long l = hiInclusive ? hi : hi - 1;
        this.empty = none || f > l;
        this.first = empty ? 1 : f;
        this.last = empty ? 0 : l;
    }

    /** A range with the given bounds. @throws IllegalArgumentException if {@code lo > hi} */
    public static Range of(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        return new Range(lo, loInclusive, hi, hiInclusive);
    }

    /** {@code [lo, hi)}: the usual half-open range. */
    public static Range halfOpen(long lo, long hi) {
        return new Range(lo, true, hi, false);
    }

    /** {@code [lo, hi]}. */
    public static Range closed(long lo, long hi) {
        return new Range(lo, true, hi, true);
    }

    /** {@code (lo, hi)}. */
    public static Range open(long lo, long hi) {
        return new Range(lo, false, hi, false);
    }

    /** {@code (lo, hi]}. */
    public static Range openClosed(long lo, long hi) {
        return new Range(lo, false, hi, true);
    }

    /** {@code [key, key]}: exactly one key. */
    public static Range singleton(long key) {
        return new Range(key, true, key, true);
    }

    /** Every key at or above {@code lo}. */
    public static Range atLeast(long lo) {
        return new Range(lo, true, Long.MAX_VALUE, true);
    }

    /** Every key above {@code lo}. */
    public static Range greaterThan(long lo) {
        return new Range(lo, false, Long.MAX_VALUE, true);
    }

    /** Every key at or below {@code hi}. */
    public static Range atMost(long hi) {
        return new Range(Long.MIN_VALUE, true, hi, true);
    }

    /** Every key below {@code hi}. */
    public static Range lessThan(long hi) {
        return new Range(Long.MIN_VALUE, true, hi, false);
    }

    /** Every key. */
    public static Range all() {
        return ALL;
    }

    public long lo() {
        return lo;
    }

    public long hi() {
        return hi;
    }

    public boolean loInclusive() {
        return loInclusive;
    }

    public boolean hiInclusive() {
        return hiInclusive;
    }

    /** True when no key lies in the range (for example {@code [5, 5)} or {@code (5, 6)}). */
    public boolean isEmpty() {
        return empty;
    }

    /** The smallest key in the range. @throws IllegalStateException if the range is empty */
    public long first() {
        if (empty) throw new IllegalStateException("range " + this + " is empty");
        return first;
    }

    /** The largest key in the range. @throws IllegalStateException if the range is empty */
    public long last() {
        if (empty) throw new IllegalStateException("range " + this + " is empty");
        return last;
    }

    public boolean contains(long key) {
        return !empty && key >= first && key <= last;
    }

    /** True when every key of {@code other} lies in this range (an empty range is enclosed by any). */
    public boolean encloses(Range other) {
        return other.empty || (!empty && other.first >= first && other.last <= last);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof Range r)) return false;
        return empty ? r.empty : !r.empty && first == r.first && last == r.last;
    }

    @Override
    public int hashCode() {
        return empty ? 0 : Long.hashCode(first) * 31 + Long.hashCode(last);
    }

    @Override
    public String toString() {
        return (loInclusive ? "[" : "(") + lo + ", " + hi + (hiInclusive ? "]" : ")");
    }
}
