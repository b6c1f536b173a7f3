package dev.cobtree.core;

/**
 * The reads of a {@code long -> long} ordered index, shared by the live tree ({@link CobTree}) and
 * a snapshot of it ({@link CobTreeSnapshot}), so that code answers from either through one type
 * (the query layer runs every scan, lookup and count of an index over the present or over a fixed
 * instant with the same code). The counterpart for object values is {@link LongObjectReads}.
 *
 * <p>Each implementation states its consistency: on the live tree point reads, navigation and
 * counts are linearizable, cursors and {@code forEach} weakly consistent and {@code size} exact
 * only when no writer runs; on a snapshot every answer is exact for the snapshot's instant. Reads
 * of a closed tree or snapshot throw {@link IllegalStateException}.
 */
public interface LongLongReads {

    /** The value of {@code key}, or {@code absent}. */
    long get(long key, long absent);

    /** Whether {@code key} has a value; if so its entry is written to {@code out} (may be null). */
    boolean get(long key, KeyValue out);

    boolean containsKey(long key);

    /** The greatest entry with key &le; {@code key}, into {@code out}; false if none. */
    boolean floor(long key, KeyValue out);

    /** The least entry with key &ge; {@code key}, into {@code out}; false if none. */
    boolean ceiling(long key, KeyValue out);

    /** The least entry with key &gt; {@code key}, into {@code out}; false if none. */
    boolean higher(long key, KeyValue out);

    /** The greatest entry with key &lt; {@code key}, into {@code out}; false if none. */
    boolean lower(long key, KeyValue out);

    /** The entry with the least key, into {@code out}; false if empty. */
    boolean first(KeyValue out);

    /** The entry with the greatest key, into {@code out}; false if empty. */
    boolean last(KeyValue out);

    /** @throws java.util.NoSuchElementException if empty */
    long firstKey();

    /** @throws java.util.NoSuchElementException if empty */
    long lastKey();

    long size();

    boolean isEmpty();

    /** Keys strictly less than {@code key}. */
    long rank(long key);

    /** Keys in the range, either end inclusive or exclusive. @throws IllegalArgumentException if lo &gt; hi */
    long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive);

    /**
     * Keys in {@code [lo, hi]} (both inclusive) counted up to {@code limit}: the count when it is
     * below {@code limit} (exact, as {@link #countRange}), else {@code limit}, found without
     * counting the rest of the range; for estimates, such as a query planner's bound on a wide
     * range. On a live tree with concurrent writers in the range, the answer {@code limit} may mix
     * instants (it is not confirmed as one): a count reached only with keys inserted during it.
     * The default skips a cursor {@code limit} keys; {@link CobTree} walks segment headers instead.
     * @throws IllegalArgumentException if lo &gt; hi or limit &le; 0
     */
    default long countRangeAtMost(long lo, long hi, long limit) {
        CobTree.checkRange(lo, hi);
        CobTree.checkLimit(limit);
        LongLongCursor c = cursor(lo, true);
        if (c.skip(limit) == limit && c.key() <= hi) {
            return limit;
        }
        return Math.min(limit, countRange(lo, true, hi, true));
    }

    /** The entry at position {@code index} (0-based, ascending) into {@code out}; false if index &ge; size. */
    boolean select(long index, KeyValue out);

    /** Every entry, ascending. */
    LongLongCursor cursor();

    /** Ascending from {@code from}. */
    LongLongCursor cursor(long from, boolean inclusive);

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not): a
     * cursor that ends at {@code to}, so a short range reads about the entries it returns.
     * @throws IllegalArgumentException if {@code from > to}
     */
    LongLongCursor cursor(long from, boolean fromInclusive, long to, boolean toInclusive);

    /** Every entry, descending. */
    LongLongCursor descendingCursor();

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not).
     * @throws IllegalArgumentException if {@code from < to}
     */
    LongLongCursor descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive);

    /** Descending from {@code from}. */
    LongLongCursor descendingCursor(long from, boolean inclusive);

    /** Every entry, ascending. */
    void forEach(LongLongConsumer sink);

    /** Every entry in the range, ascending. @throws IllegalArgumentException if lo &gt; hi */
    void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongLongConsumer sink);

    boolean isClosed();
}
