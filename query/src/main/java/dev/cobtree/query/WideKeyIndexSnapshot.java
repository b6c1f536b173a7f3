package dev.cobtree.query;

import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.LongObjectTreeSnapshot;
import org.roaringbitmap.RoaringBitmap;

/**
 * A read-only view of a {@link WideKeyIndex} at one instant, taken by
 * {@link WideKeyIndex#snapshot()}: {@link #rowIds}, {@link #count}, {@link #size} and
 * {@link #contains} are <b>exact</b> for that instant whatever writers do meanwhile. It holds
 * the snapshots of the index's two trees, taken with every writer excluded, and reads them with
 * the live index's code ({@link WideKeyReads}). Cost as {@link CobTreeSnapshot}: pre-images of
 * the tree segments written while it is open. Thread-safe; {@link #close()} is idempotent;
 * reads after close throw {@link IllegalStateException}.
 */
public final class WideKeyIndexSnapshot implements AutoCloseable {

    private final WideKeyReads reads;
    private final CobTreeSnapshot first; // null when bitmaps only
    private final LongObjectTreeSnapshot<Object> rest;

    WideKeyIndexSnapshot(WideKeyReads reads, CobTreeSnapshot first, LongObjectTreeSnapshot<Object> rest) {
        this.reads = reads;
        this.first = first;
        this.rest = rest;
    }

    /** Whether the pair was in the index. @throws IllegalArgumentException if the row id is out of range */
    public boolean contains(long key, long rowId) {
        checkOpen();
        return reads.contains(key, rowId);
    }

    /** Row ids of a key, as a new bitmap. */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /** Row ids of every key in a range, as a new bitmap. */
    public RoaringBitmap rowIds(Range keys) {
        checkOpen();
        return reads.rowIds(keys);
    }

    /** Number of pairs with a key in the range. */
    public long count(Range keys) {
        checkOpen();
        return reads.count(keys);
    }

    /** Number of pairs. */
    public long size() {
        checkOpen();
        return reads.size();
    }

    /** The reads (a table snapshot's planner reads its columns through them). */
    WideKeyReads reads() {
        return reads;
    }

    /** Heap bytes of the pre-images the tree snapshots hold. */
    public long preImageBytes() {
        return rest.preImageBytes() + (first == null ? 0 : first.preImageBytes());
    }

    public boolean isClosed() {
        return rest.isClosed() || (first != null && first.isClosed());
    }

    /** Releases the tree snapshots; idempotent. */
    @Override
    public void close() {
        rest.close();
        if (first != null) first.close();
    }

    private void checkOpen() {
        if (isClosed()) throw new IllegalStateException("WideKeyIndexSnapshot is closed");
    }
}
