package dev.cobtree.core;

/**
 * A forward-only cursor over a {@code long -> long} index ({@link LongLongReads#cursor}): the live
 * tree's (weakly consistent) or a snapshot's (exact). Not thread-safe.
 */
public interface LongLongCursor {

    /** Advances to the next entry; false when there is none. */
    boolean next();

    /** The current entry's key. @throws IllegalStateException if there is no current entry */
    long key();

    /** The current entry's value. @throws IllegalStateException if there is no current entry */
    long value();

    /** Skips up to {@code n} entries (the last one skipped becomes current); returns how many. @throws IllegalArgumentException if n &lt; 0 */
    long skip(long n);

    /**
     * Moves past up to {@code len} entries, writing their keys into {@code keys[off..]} and their
     * values into {@code values[off..]} (either array may be null) in the cursor's order, and stops
     * before the first key beyond {@code last} (greater ascending, less descending). Returns how
     * many were written; fewer than {@code len} means the cursor is exhausted or the next key lies
     * beyond {@code last}. The last entry written becomes current.
     *
     * @throws IndexOutOfBoundsException if {@code [off, off + len)} does not fit a non-null array
     */
    int read(long[] keys, long[] values, int off, int len, long last);
}
