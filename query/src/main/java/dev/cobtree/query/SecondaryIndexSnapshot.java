package dev.cobtree.query;

import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongObjectTreeSnapshot;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * A read-only view of a {@link SecondaryIndex} at one instant, taken by
 * {@link SecondaryIndex#snapshot()}: {@link #rowIds}, {@link #rowIds64}, {@link #forEach},
 * {@link #count}, {@link #size} and {@link #contains} are all <b>exact</b> for that instant
 * whatever writers do meanwhile, so several predicates evaluated on one snapshot agree with each
 * other (a count equals the cardinality of the same range's bitmap, a union of two ranges' bitmaps
 * equals the bitmap of their union).
 *
 * <p>It holds the snapshots of the index's trees (the pair tree and, in adaptive form, the bitmap
 * tree), taken with every writer of the index excluded, and reads them with the same code as the
 * live index ({@link SecondaryIndexReads}). Cost and lifetime are the trees' (see
 * {@link CobTreeSnapshot}): writers never wait for it after it is taken; the first write to each
 * tree segment afterwards keeps a pre-image of it while the snapshot is open. Close it promptly.
 *
 * <p>Thread-safe. {@link #close()} is idempotent, and closing the index closes its snapshots.
 * Any read after close throws {@link IllegalStateException}.
 */
public final class SecondaryIndexSnapshot implements AutoCloseable {

    private final SecondaryIndexReads reads;
    private final CobTreeSnapshot pairs;
    private final LongObjectTreeSnapshot<RoaringBitmap> bitmaps; // null: pairs only

    SecondaryIndexSnapshot(SecondaryIndexReads reads, CobTreeSnapshot pairs, LongObjectTreeSnapshot<RoaringBitmap> bitmaps) {
        this.reads = reads;
        this.pairs = pairs;
        this.bitmaps = bitmaps;
    }

    /** Whether the pair was in the index. @throws IllegalArgumentException if it does not fit */
    public boolean contains(long key, long rowId) {
        checkOpen();
        return reads.contains(key, rowId);
    }

    /** Row ids of {@code key}. @throws IllegalStateException if row ids are wider than 32 bits */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /** Row ids of every key in {@code keys}. @throws IllegalStateException if row ids are wider than 32 bits */
    public RoaringBitmap rowIds(Range keys) {
        checkOpen();
        return reads.rowIds(keys);
    }

    /** Row ids of {@code key} as 64-bit row ids. */
    public Roaring64NavigableMap rowIds64(long key) {
        return rowIds64(Range.singleton(key));
    }

    /** Row ids of every key in {@code keys} as 64-bit row ids. */
    public Roaring64NavigableMap rowIds64(Range keys) {
        checkOpen();
        return reads.rowIds64(keys);
    }

    /** Every pair with a key in {@code keys} as {@code (key, rowId)}, ascending by key then row id; returns how many. */
    public long forEach(Range keys, LongLongConsumer sink) {
        checkOpen();
        return reads.forEach(keys, sink);
    }

    /** Number of pairs with a key in {@code keys}. */
    public long count(Range keys) {
        checkOpen();
        return reads.count(keys);
    }

    /** Number of pairs. */
    public long size() {
        checkOpen();
        return reads.size();
    }

    public int rowIdBits() {
        return reads.bits;
    }

    /** Heap bytes of the pre-images the tree snapshots hold (see {@link CobTreeSnapshot#preImageBytes()}). */
    public long preImageBytes() {
        return pairs.preImageBytes() + (bitmaps == null ? 0 : bitmaps.preImageBytes());
    }

    public boolean isClosed() {
        return pairs.isClosed() || (bitmaps != null && bitmaps.isClosed());
    }

    /** Releases the tree snapshots; idempotent. Later reads throw {@link IllegalStateException}. */
    @Override
    public void close() {
        pairs.close();
        if (bitmaps != null) bitmaps.close();
    }

    private void checkOpen() {
        if (isClosed()) throw new IllegalStateException("SecondaryIndexSnapshot is closed");
    }
}
