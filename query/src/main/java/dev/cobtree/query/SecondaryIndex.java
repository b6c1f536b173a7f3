package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongObjectTree;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A non-unique secondary index: a set of {@code (key, rowId)} pairs (a column value and the row
 * it occurs in), answering "which rows have a key in this range" as a {@link RoaringBitmap}
 * (int row ids) or a {@link Roaring64NavigableMap} (long row ids).
 *
 * <h2>Encoding: composite keys</h2>
 * Each pair is one entry of a {@link CobTree} whose key is {@code (key << b) | rowId}, where
 * {@code b = rowIdBits()} (default 32), and whose value is the row id. Because the key is
 * shifted without overflow, the composite order is the lexicographic order of
 * {@code (key, rowId)}, so
 * <ul>
 *   <li>the pairs of one key are one contiguous run of the tree, row ids ascending, and the pairs
 *       of a key range are one contiguous range: a range of keys becomes a bitmap by one range
 *       scan that feeds row ids into the bitmap by blocks ({@link RowIdCollector}), at close to
 *       scan speed, with no per-key posting lists to allocate, merge or keep consistent;</li>
 *   <li>insert and delete of a pair are one tree put/remove, concurrent and lock-free for readers
 *       like the tree itself; a pair is never half-written.</li>
 * </ul>
 * <b>Limits.</b> Keys and row ids share 64 bits: row ids must lie in {@code [0, 2^b)} and keys in
 * {@code [-2^(63-b), 2^(63-b) - 1]} ({@link #minKey()}, {@link #maxKey()}); with the default
 * b = 32 that is int row ids (RoaringBitmap treats them as unsigned, so up to 2^32 - 1) and
 * int-sized keys. Choose b for the table: 24-bit row ids (16M rows) leave 40-bit keys (epoch
 * seconds, cents); b = 40 gives long row ids with 24-bit keys (dictionary codes, small
 * enumerations). Wider keys need to be mapped first (an offset, a dictionary) or a second
 * encoding (key -> posting list) that this class does not provide. Values outside the limits
 * are rejected with an {@link IllegalArgumentException} naming them; a query range reaching
 * past the key limits is simply clipped to them (nothing can be stored out there).
 *
 * <h2>Adaptive form: bitmap keys</h2>
 * {@link #adaptive(int)} (or {@code new SecondaryIndex(rowIdBits, promoteAt)}) keeps a key's rows
 * as pairs while it has few, and as one {@link RoaringBitmap} value of a {@link LongObjectTree}
 * once it reaches {@code promoteAt} rows (back to pairs below {@code promoteAt / 4}): far less
 * memory and much faster range answers for low-cardinality columns, at a copy-on-write cost per
 * write of a promoted key (see {@link BitmapKeys} for the protocol and docs/QUERY.md for the
 * measurements). Needs row ids of at most 32 bits. The guarantees below hold in both forms.
 *
 * <h2>Semantics</h2>
 * It is a set: {@link #insert} of a pair already present and {@link #delete} of an absent pair
 * change nothing and return false (so retries are safe). Reads are weakly consistent range
 * scans of the tree: a pair present for a whole query is reported, one absent for a whole query
 * is not. {@link #count} is {@code CobTree.countRange} over the pairs' composite range: exact
 * whenever the pairs of the key range do not change during the call, whatever writers do to
 * other keys. A write that changes the index first makes every {@link FilterCache} over it drop
 * the ranges it touched, then tells the {@link WriteListener}s; a listener's exception reaches
 * the writer only after all of that ran (the write has happened). Thread-safe. For reads that
 * must agree with each other, take a {@link #snapshot()}: every read on it is exact for one instant.
 */
public final class SecondaryIndex implements AutoCloseable {

    /** The default split: 32-bit row ids, 32-bit keys. */
    public static final int DEFAULT_ROW_ID_BITS = 32;

    private final CobTree tree;
    private final int bits;
    private final long mask;
    private final long minKey;
    private final long maxKey;
    private final BitmapKeys forms; // null: pairs only
    private final SecondaryIndexReads reads; // over the live trees
    private final CopyOnWriteArrayList<WriteListener> invalidators = new CopyOnWriteArrayList<>(); // filter caches: told first
    private final CopyOnWriteArrayList<WriteListener> listeners = new CopyOnWriteArrayList<>();

    /** An empty index with 32-bit row ids and keys. */
    public SecondaryIndex() {
        this(DEFAULT_ROW_ID_BITS);
    }

    /**
     * An empty index with {@code rowIdBits}-bit row ids and {@code (64 - rowIdBits)}-bit signed keys.
     * @throws IllegalArgumentException if {@code rowIdBits} is not in [1, 62]
     */
    public SecondaryIndex(int rowIdBits) {
        this(new CobTree(), checkBits(rowIdBits), 0);
    }

    /**
     * An empty adaptive index: a key holds its rows as pairs until it has {@code promoteAt} of them,
     * then as one bitmap (back to pairs below {@code max(1, promoteAt / 4)} rows).
     * @throws IllegalArgumentException if {@code rowIdBits} is not in [1, 32] or {@code promoteAt < 2}
     */
    public SecondaryIndex(int rowIdBits, int promoteAt) {
        this(new CobTree(), checkAdaptive(rowIdBits, promoteAt), promoteAt);
    }

    /** An empty adaptive index with 32-bit row ids (see {@link #SecondaryIndex(int, int)}). */
    public static SecondaryIndex adaptive(int promoteAt) {
        return new SecondaryIndex(DEFAULT_ROW_ID_BITS, promoteAt);
    }

    private static int checkAdaptive(int rowIdBits, int promoteAt) {
        if (rowIdBits < 1 || rowIdBits > 32) {
            throw new IllegalArgumentException("rowIdBits " + rowIdBits + " must be in [1, 32] for bitmap keys (RoaringBitmap holds int row ids)");
        }
        if (promoteAt < 2) throw new IllegalArgumentException("promoteAt " + promoteAt + " must be at least 2");
        return rowIdBits;
    }

    private SecondaryIndex(CobTree tree, int bits, int promoteAt) {
        this.tree = tree;
        this.forms = promoteAt > 0 ? new BitmapKeys(tree, bits, promoteAt) : null;
        this.bits = bits;
        this.mask = (1L << bits) - 1;
        this.minKey = -(1L << (63 - bits));
        this.maxKey = (1L << (63 - bits)) - 1;
        this.reads = new SecondaryIndexReads(tree, forms == null ? null : forms.bitmaps, forms, bits);
    }

    /**
     * An index holding the pairs {@code (keys[i], rowIds[i])} for i in [0, n), in any order,
     * duplicates collapsed: sorts the composite keys and bulk-loads the tree (O(n log n), far
     * faster than n inserts).
     * @throws IllegalArgumentException if a key or row id does not fit (naming it and its index)
     */
    public static SecondaryIndex bulkLoad(int rowIdBits, long[] keys, long[] rowIds, int n) {
        checkBits(rowIdBits);
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(rowIds, "rowIds");
        Objects.checkFromToIndex(0, n, keys.length);
        Objects.checkFromToIndex(0, n, rowIds.length);
        SecondaryIndex shape = new SecondaryIndex(CobTree.builder().build(), rowIdBits, 0);
        long[] composite = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                composite[i] = shape.encode(keys[i], rowIds[i]);
            } catch (IllegalArgumentException e) {
                shape.tree.close();
                throw new IllegalArgumentException("entry " + i + ": " + e.getMessage(), e);
            }
        }
        Arrays.parallelSort(composite);
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m == 0 || composite[i] != composite[m - 1]) composite[m++] = composite[i];
        }
        long[] values = new long[m];
        for (int i = 0; i < m; i++) {
            values[i] = composite[i] & shape.mask;
        }
        shape.tree.close();
        return new SecondaryIndex(CobTree.builder().buildFromSorted(composite, values, 0, m), rowIdBits, 0);
    }

    private static int checkBits(int rowIdBits) {
        if (rowIdBits < 1 || rowIdBits > 62) {
            throw new IllegalArgumentException("rowIdBits " + rowIdBits + " must be in [1, 62]");
        }
        return rowIdBits;
    }

    // ---- encoding -------------------------------------------------------------------------------

    private long encode(long key, long rowId) {
        return reads.encode(key, rowId);
    }

    // ---- writes ---------------------------------------------------------------------------------

    /** Adds the pair; true if it was not there. @throws IllegalArgumentException if it does not fit */
    public boolean insert(long key, long rowId) {
        long c = encode(key, rowId);
        boolean added = forms != null ? forms.insert(key, rowId, c) : !tree.putIfAbsent(c, rowId, (KeyValue) null);
        if (added) written(key);
        return added;
    }

    /** Removes the pair; true if it was there. @throws IllegalArgumentException if it does not fit */
    public boolean delete(long key, long rowId) {
        long c = encode(key, rowId);
        boolean removed = forms != null ? forms.delete(key, rowId, c) : tree.remove(c, (KeyValue) null);
        if (removed) written(key);
        return removed;
    }

    /**
     * Tells the caches, then every listener, that {@code key} was written. The pair is already in
     * (or out of) the tree, so the index is consistent whatever a listener does; a listener that
     * throws does not keep the caches stale nor the other listeners uninformed: all run, then the
     * first failure is rethrown with the later ones suppressed.
     */
    private void written(long key) {
        RuntimeException failure = null;
        for (WriteListener l : invalidators) failure = tell(l, key, failure);
        for (WriteListener l : listeners) failure = tell(l, key, failure);
        if (failure != null) throw failure;
    }

    private static RuntimeException tell(WriteListener l, long key, RuntimeException failure) {
        try {
            l.keyWritten(key);
        } catch (RuntimeException e) {
            if (failure == null) return e;
            failure.addSuppressed(e);
        }
        return failure;
    }

    /**
     * Registers a listener told about every write that changes the index, after the pair is in
     * (or out of) the index and after every {@link FilterCache} over it dropped the ranges the
     * write touched. If listeners throw, the write still happened and every listener still ran;
     * {@code insert}/{@code delete} then throws the first exception, the others suppressed in it.
     */
    public void addWriteListener(WriteListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** A filter cache's invalidation: run before every user listener, whatever they throw. */
    void addInvalidator(WriteListener cache) {
        invalidators.add(Objects.requireNonNull(cache, "cache"));
    }

    void removeInvalidator(WriteListener cache) {
        invalidators.remove(cache);
    }

    public void removeWriteListener(WriteListener listener) {
        listeners.remove(listener);
    }

    // ---- reads (SecondaryIndexReads over the live trees) ----------------------------------------

    public boolean contains(long key, long rowId) {
        return reads.contains(key, rowId);
    }

    /** Row ids of {@code key}. @throws IllegalStateException if row ids are wider than 32 bits */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /** Row ids of every key in {@code keys}. @throws IllegalStateException if row ids are wider than 32 bits */
    public RoaringBitmap rowIds(Range keys) {
        return reads.rowIds(keys);
    }

    /** Row ids of {@code key} as 64-bit row ids. */
    public Roaring64NavigableMap rowIds64(long key) {
        return rowIds64(Range.singleton(key));
    }

    /** Row ids of every key in {@code keys} as 64-bit row ids. */
    public Roaring64NavigableMap rowIds64(Range keys) {
        return reads.rowIds64(keys);
    }

    /** Every pair with a key in {@code keys} as {@code (key, rowId)}, ascending by key then row id; returns how many. */
    public long forEach(Range keys, LongLongConsumer sink) {
        return reads.forEach(keys, sink);
    }

    /** Number of pairs with a key in {@code keys}. */
    public long count(Range keys) {
        return reads.count(keys);
    }

    /** Number of pairs; exact when no writer is active. */
    public long size() {
        return reads.size();
    }

    /**
     * A read-only view of the index at one instant, on which every read above is exact for that
     * instant while writers go on (see {@link SecondaryIndexSnapshot}). Taken while the index's
     * writers are excluded: a pairs-only index is one tree, whose own snapshot is atomic; an
     * adaptive one holds every key stripe of {@link BitmapKeys} while it snapshots its pair tree
     * and its bitmap tree, so no write and no form move is half done in the two snapshots. New
     * writes wait that long (two tree snapshots), not for the snapshot's life. Close it when done.
     *
     * @return the snapshot
     * @throws IllegalStateException if the index is closed
     */
    public SecondaryIndexSnapshot snapshot() {
        checkOpen();
        if (forms == null) {
            dev.cobtree.core.CobTreeSnapshot p = tree.snapshot();
            return new SecondaryIndexSnapshot(new SecondaryIndexReads(p, null, null, bits), p, null);
        }
        return forms.underAllStripes(() -> {
            dev.cobtree.core.CobTreeSnapshot p = tree.snapshot();
            dev.cobtree.core.LongObjectTreeSnapshot<RoaringBitmap> b;
            try {
                b = forms.bitmaps.snapshot();
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
            return new SecondaryIndexSnapshot(new SecondaryIndexReads(p, b, null, bits), p, b);
        });
    }

    /** The row threshold at which a key becomes a bitmap; 0 if this index holds pairs only. */
    public int promoteAt() {
        return forms == null ? 0 : forms.promoteAt;
    }

    /** Whether {@code key}'s rows are held as one bitmap right now (tests, diagnostics). */
    boolean isBitmapKey(long key) {
        return forms != null && forms.bitmaps.containsKey(key);
    }

    /** Form moves (promotions and demotions) so far; 0 for a pairs-only index (tests, diagnostics). */
    long formMoves() {
        return forms == null ? 0 : forms.moves();
    }

    /** Bytes held: the pair tree's cells plus, in adaptive form, the bitmap tree and its bitmaps' {@code getSizeInBytes}. */
    public long memoryBytes() {
        long bytes = tree.memoryBytes();
        if (forms != null) {
            long[] b = {forms.bitmaps.memoryBytes()};
            forms.bitmaps.forEach((k, v) -> b[0] += v.getLongSizeInBytes());
            bytes += b[0];
        }
        return bytes;
    }

    public int rowIdBits() {
        return bits;
    }

    public long minKey() {
        return minKey;
    }

    public long maxKey() {
        return maxKey;
    }

    public long maxRowId() {
        return mask;
    }

    @Override
    public void close() {
        tree.close();
        if (forms != null) forms.bitmaps.close();
    }

    /** @throws IllegalStateException if the index is closed */
    void checkOpen() {
        if (tree.isClosed()) throw new IllegalStateException("CobTree is closed");
    }
}
