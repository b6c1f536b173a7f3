package dev.cobtree.core;

/**
 * The reads of an object-valued ordered index with primitive {@code long} keys, shared by the live
 * tree ({@link LongObjectTree}) and a snapshot of it ({@link LongObjectTreeSnapshot}), so that code
 * can answer from either through one type: a store that serves committed reads from the snapshot
 * of its last commit and uncommitted ones from the live tree, a query run against the present or
 * a fixed instant.
 *
 * <p>Each implementation states its consistency: on the live tree point reads, navigation and
 * counts are linearizable, cursors and {@code forEach} weakly consistent and {@code size} exact
 * only when no writer runs; on a snapshot every answer is exact for the snapshot's instant.
 * Entries are never {@code null}-valued. Reads of a closed tree or snapshot throw
 * {@link IllegalStateException}. The counterpart for {@code long} values is {@link LongLongReads}.
 */
public interface LongObjectReads<V> {

    /** The value of {@code key}, or null. */
    V get(long key);

    boolean containsKey(long key);

    /** The greatest entry with key &le; {@code key}, or null. */
    LongObjectEntry<V> floorEntry(long key);

    /** The least entry with key &ge; {@code key}, or null. */
    LongObjectEntry<V> ceilingEntry(long key);

    /** The least entry with key &gt; {@code key}, or null. */
    LongObjectEntry<V> higherEntry(long key);

    /** The greatest entry with key &lt; {@code key}, or null. */
    LongObjectEntry<V> lowerEntry(long key);

    /** The entry with the least key, or null if empty. */
    LongObjectEntry<V> firstEntry();

    /** The entry with the greatest key, or null if empty. */
    LongObjectEntry<V> lastEntry();

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

    /** The entry at position {@code index} (0-based, ascending), or null if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    LongObjectEntry<V> select(long index);

    /** Every entry, ascending. */
    LongObjectCursor<V> cursor();

    /** Ascending from {@code from}. */
    LongObjectCursor<V> cursor(long from, boolean inclusive);

    /** Every entry, descending. */
    LongObjectCursor<V> descendingCursor();

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not): a
     * cursor that ends at {@code to}, so a short range reads about the entries it returns.
     * @throws IllegalArgumentException if {@code from > to}
     */
    LongObjectCursor<V> cursor(long from, boolean fromInclusive, long to, boolean toInclusive);

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not).
     * @throws IllegalArgumentException if {@code from < to}
     */
    LongObjectCursor<V> descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive);

    /** Descending from {@code from}. */
    LongObjectCursor<V> descendingCursor(long from, boolean inclusive);

    /** Every entry, ascending. */
    void forEach(LongObjectConsumer<? super V> sink);

    /** Every entry in the range, ascending. @throws IllegalArgumentException if lo &gt; hi */
    void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongObjectConsumer<? super V> sink);

    boolean isClosed();
}
