package dev.cobtree.core;

/**
 * A forward-only cursor over an object-valued index ({@link LongObjectReads#cursor}): the live
 * tree's (weakly consistent) or a snapshot's (exact). Not thread-safe.
 */
public interface LongObjectCursor<V> {

    /** Advances to the next entry; false when there is none. */
    boolean next();

    /** The current entry's key. @throws IllegalStateException if there is no current entry */
    long key();

    /** The current entry's value. @throws IllegalStateException if there is no current entry */
    V value();

    /** Skips up to {@code n} entries (the last one skipped becomes current); returns how many. @throws IllegalArgumentException if n &lt; 0 */
    long skip(long n);
}
