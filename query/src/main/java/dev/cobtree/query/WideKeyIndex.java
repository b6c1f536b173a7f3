package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.LongObjectTree;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A non-unique secondary index with full 64-bit keys: a set of {@code (key, rowId)} pairs, every
 * {@code long} a valid key, row ids in [0, {@value #MAX_ROW_ID}] (the unsigned ints of a
 * {@link RoaringBitmap}), answering "which rows have a key in this range" as a bitmap.
 * {@link SecondaryIndex} packs key and row id into one 64-bit tree key and so limits both; this
 * class keeps them apart.
 *
 * <h2>Layout: a first row per key, the others in one value</h2>
 * <ul>
 *   <li><b>first</b>: a {@link CobTree} mapping each key to one of its rows (any: the first one
 *       inserted while the key had none there). A column of distinct values (timestamps, ids)
 *       lives here entirely, at the tree's cost per entry.</li>
 *   <li><b>rest</b>: a {@link LongObjectTree} mapping a key with more rows to the others, as a
 *       sorted {@code int[]} (unsigned order) while that is small, or as a {@link RoaringBitmap}
 *       once the bitmap is smaller than the list (tried at 64, 128, ... rows) or the list reaches
 *       {@value #LIST_MAX} rows; a bitmap that falls below {@value #BITMAP_MIN} rows becomes a
 *       list again.</li>
 * </ul>
 * A row of a key is in exactly one of the two places and never moves between them while it
 * stays in the index: deleting a key's first row leaves the slot empty until the next insert of
 * that key fills it. Published {@code rest} values are never modified (copy-on-write; a bitmap
 * write copies only the changed container, {@link BitmapKeys#copyWith}), and a value is
 * replaced by one reference put, so switching a key between list and bitmap is atomic. Hence no
 * reader lock nor read-validation is needed: a pair present for a whole query is in one place
 * for the whole query and reported, one absent for the whole query is not.
 *
 * <p>{@link #bitmapsOnly()} keeps every key's rows as one bitmap (no first slot, no lists): the
 * alternative measured against this layout in {@code WideKeyIndexBench} (docs/QUERY.md).
 *
 * <h2>Writes</h2>
 * Writes of one key are serialized by a stripe lock ({@value #STRIPES} stripes by key hash), so
 * a copy-on-write cannot lose a concurrent write; readers never lock. A set: inserting a present
 * pair or deleting an absent one changes nothing and returns false. A row id outside
 * [0, {@value #MAX_ROW_ID}] is an {@link IllegalArgumentException} naming it, nothing changed.
 *
 * <h2>Counts</h2>
 * {@link #count} is exact when the range's pairs do not change during the call, and walks the
 * {@code rest} values of the range (O(log n) plus one step per key with several rows);
 * {@link #estimate} (the planner's) walks at most {@value #ESTIMATE_WALK} of them and otherwise
 * extrapolates from the mean number of rows per {@code rest} value.
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot()} gives a {@link WideKeyIndexSnapshot} of both trees at one instant (taken
 * with every stripe held), on which reads are exact; the reads of both are {@link WideKeyReads}.
 */
public final class WideKeyIndex implements AutoCloseable {

    /** The largest row id: row ids are the unsigned ints of a {@link RoaringBitmap}. */
    public static final long MAX_ROW_ID = 0xFFFF_FFFFL;
    /** A list reaching this many rows becomes a bitmap. */
    static final int LIST_MAX = 4096;
    /** From this many rows (and at each power of two after), a list becomes a bitmap if that is smaller. */
    static final int LIST_TRY = 64;
    /** A bitmap falling below this many rows becomes a list. */
    static final int BITMAP_MIN = 32;
    /** {@link #estimate} sums at most this many {@code rest} values exactly. */
    static final int ESTIMATE_WALK = 64;
    private static final int STRIPES = 256;

    private final boolean mixed;
    private final CobTree first; // null when bitmaps only
    private final LongObjectTree<Object> rest; // int[] (sorted, unsigned) or RoaringBitmap, never modified once put
    private final Object[] stripes = new Object[STRIPES];
    private final LongAdder restKeys = new LongAdder();
    private final LongAdder restRows = new LongAdder();
    private final LongAdder bitmapRows = new LongAdder(); // rows of rest values that are bitmaps
    private final WideKeyReads reads; // over the live trees

    /** An empty index. */
    public WideKeyIndex() {
        this(true, new CobTree(), new LongObjectTree<>());
    }

    /**
     * An empty index holding every key's rows as one {@link RoaringBitmap}: the alternative layout,
     * kept for measurement (it takes much more memory for keys with few rows; docs/QUERY.md).
     *
     * @return the index
     */
    public static WideKeyIndex bitmapsOnly() {
        return new WideKeyIndex(false, null, new LongObjectTree<>());
    }

    private WideKeyIndex(boolean mixed, CobTree first, LongObjectTree<Object> rest) {
        this.mixed = mixed;
        this.first = first;
        this.rest = rest;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        this.reads = new WideKeyReads("WideKeyIndex", mixed ? first : null, rest, restKeys::sum, restRows::sum, bitmapRows::sum);
    }

    /**
     * An index of the pairs {@code (keys[i], rowIds[i])}, i in [0, n), in any order, duplicates
     * collapsed: radix-sorts the pairs and bulk-loads both trees.
     *
     * @param keys the keys
     * @param rowIds the row ids, each in [0, {@value #MAX_ROW_ID}]
     * @param n the number of pairs
     * @return the index
     * @throws IllegalArgumentException naming the first row id out of range and its position
     */
    public static WideKeyIndex bulkLoad(long[] keys, long[] rowIds, int n) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(rowIds, "rowIds");
        Objects.checkFromToIndex(0, n, keys.length);
        Objects.checkFromToIndex(0, n, rowIds.length);
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            try {
                rows[i] = checkRow(rowIds[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("entry " + i + ": " + e.getMessage(), e);
            }
        }
        return load(true, Arrays.copyOf(keys, n), rows, n);
    }

    /** As {@link #bulkLoad} with row {@code i} for key {@code i}; takes over {@code keys} (sorts it). */
    static WideKeyIndex loadRowOrder(long[] keys, int n, boolean mixed) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        return load(mixed, keys, rows, n);
    }

    static WideKeyIndex load(boolean mixed, long[] keys, int[] rows, int n) {
        sortPairs(keys, rows, n);
        long[] firstKeys = mixed ? new long[n] : null;
        long[] firstRows = mixed ? new long[n] : null;
        int nFirst = 0;
        ArrayList<Long> restKeyList = new ArrayList<>();
        ArrayList<Object> restValues = new ArrayList<>();
        long restRowCount = 0;
        int[] group = new int[16];
        for (int i = 0; i < n; ) {
            long key = keys[i];
            int j = i;
            while (j < n && keys[j] == key) j++;
            if (group.length < j - i) group = new int[Math.max(j - i, 2 * group.length)];
            System.arraycopy(rows, i, group, 0, j - i);
            int m = sortedDistinct(group, j - i);
            int from = 0;
            if (mixed) {
                firstKeys[nFirst] = key;
                firstRows[nFirst++] = Integer.toUnsignedLong(group[0]);
                from = 1;
            }
            if (m > from) {
                restKeyList.add(key);
                restValues.add(mixed ? value(group, from, m) : bitmap(group, from, m));
                restRowCount += m - from;
            }
            i = j;
        }
        long[] rk = new long[restKeyList.size()];
        for (int i = 0; i < rk.length; i++) rk[i] = restKeyList.get(i);
        Object[] rv = restValues.toArray();
        CobTree f = mixed ? CobTree.builder().buildFromSorted(firstKeys, firstRows, 0, nFirst) : null;
        WideKeyIndex w = new WideKeyIndex(mixed, f, LongObjectTree.builder().buildFromSorted(rk, rv, 0, rk.length));
        w.restKeys.add(rk.length);
        w.restRows.add(restRowCount);
        for (Object v : rv) w.bitmapRows.add(bitmapRowsOf(v));
        return w;
    }

    /** Sorts {@code a[0, n)} in unsigned order and removes duplicates; returns the new length. */
    private static int sortedDistinct(int[] a, int n) {
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = Integer.compareUnsigned(a[i - 1], a[i]) <= 0;
        if (!sorted) {
            for (int i = 0; i < n; i++) a[i] ^= Integer.MIN_VALUE;
            Arrays.sort(a, 0, n);
            for (int i = 0; i < n; i++) a[i] ^= Integer.MIN_VALUE;
        }
        int m = 0;
        for (int i = 0; i < n; i++) if (m == 0 || a[i] != a[m - 1]) a[m++] = a[i];
        return m;
    }

    /** The rest value for rows {@code a[from, to)} (sorted, distinct): a list, or a bitmap if that is smaller or the list too long. */
    private static Object value(int[] a, int from, int to) {
        int n = to - from;
        if (n >= LIST_MAX || (n >= LIST_TRY && bitmapIsSmaller(a, from, to))) return bitmap(a, from, to);
        return Arrays.copyOfRange(a, from, to);
    }

    private static RoaringBitmap bitmap(int[] a, int from, int to) {
        RoaringBitmap b = new RoaringBitmap();
        b.addN(a, from, to - from);
        return b;
    }

    /**
     * Whether a bitmap of the sorted rows {@code a[from, to)} takes fewer bytes than an {@code int[]}
     * of them: about 2 bytes a row plus 48 per container (one per distinct high 16 bits) against 4
     * a row.
     */
    private static boolean bitmapIsSmaller(int[] a, int from, int to) {
        int blocks = 0;
        for (int i = from; i < to; i++) if (i == from || (a[i] >>> 16) != (a[i - 1] >>> 16)) blocks++;
        return 48L * blocks + 64 < 2L * (to - from);
    }

    /** Stable LSD radix sort of the pairs by key (signed order), skipping bytes all keys share. */
    static void sortPairs(long[] keys, int[] rows, int n) {
        int[][] counts = new int[8][257];
        for (int i = 0; i < n; i++) {
            long u = keys[i] ^ Long.MIN_VALUE;
            for (int b = 0; b < 8; b++) counts[b][(int) ((u >>> (8 * b)) & 0xFF) + 1]++;
        }
        long[] k = keys;
        int[] r = rows;
        long[] k2 = null;
        int[] r2 = null;
        for (int b = 0; b < 8; b++) {
            int[] c = counts[b];
            boolean trivial = false;
            for (int v = 1; v <= 256; v++) if (c[v] == n) trivial = true;
            if (trivial || n == 0) continue;
            for (int v = 1; v <= 256; v++) c[v] += c[v - 1];
            if (k2 == null) {
                k2 = new long[n];
                r2 = new int[n];
            }
            int shift = 8 * b;
            for (int i = 0; i < n; i++) {
                int d = (int) (((k[i] ^ Long.MIN_VALUE) >>> shift) & 0xFF);
                int to = c[d]++;
                k2[to] = k[i];
                r2[to] = r[i];
            }
            long[] tk = k;
            k = k2;
            k2 = tk;
            int[] tr = r;
            r = r2;
            r2 = tr;
        }
        if (k != keys) {
            System.arraycopy(k, 0, keys, 0, n);
            System.arraycopy(r, 0, rows, 0, n);
        }
    }

    static int checkRow(long rowId) {
        if (rowId < 0 || rowId > MAX_ROW_ID) {
            throw new IllegalArgumentException("row id " + rowId + " is outside [0, " + MAX_ROW_ID
                    + "], the row ids a RoaringBitmap holds (unsigned 32-bit)");
        }
        return (int) rowId;
    }

    private Object stripe(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return stripes[(int) (h >>> 56) & (STRIPES - 1)];
    }

    // ---- writes ---------------------------------------------------------------------------------

    /**
     * Adds the pair.
     *
     * @param key any key
     * @param rowId the row id, in [0, {@value #MAX_ROW_ID}]
     * @return true if the pair was not there
     * @throws IllegalArgumentException if the row id is out of range (nothing changed)
     */
    public boolean insert(long key, long rowId) {
        int row = checkRow(rowId);
        synchronized (stripe(key)) {
            checkOpen();
            long f = -1;
            if (mixed) {
                f = first.get(key, -1);
                if (f == rowId) return false;
            }
            Object v = rest.get(key);
            if (contains(v, row)) return false;
            if (mixed && f == -1) {
                first.put(key, rowId, -1);
                return true;
            }
            Object next = with(v, row);
            rest.put(key, next);
            bitmapRows.add(bitmapRowsOf(next) - bitmapRowsOf(v));
            if (v == null) restKeys.increment();
            restRows.increment();
            return true;
        }
    }

    /**
     * Removes the pair.
     *
     * @param key the key
     * @param rowId the row id
     * @return true if the pair was there
     * @throws IllegalArgumentException if the row id is out of range
     */
    public boolean delete(long key, long rowId) {
        int row = checkRow(rowId);
        synchronized (stripe(key)) {
            checkOpen();
            if (mixed && first.removeEntry(key, rowId)) return true;
            Object v = rest.get(key);
            if (!contains(v, row)) return false;
            Object w = without(v, row);
            bitmapRows.add(bitmapRowsOf(w) - bitmapRowsOf(v));
            if (w == null) {
                rest.remove(key);
                restKeys.decrement();
            } else {
                rest.put(key, w);
            }
            restRows.decrement();
            return true;
        }
    }

    private Object with(Object v, int row) {
        if (v == null) return mixed ? new int[] {row} : RoaringBitmap.bitmapOf(row);
        if (v instanceof RoaringBitmap b) return BitmapKeys.copyWith(b, row, true);
        int[] a = (int[]) v;
        int at = -(search(a, row) + 1);
        int[] next = new int[a.length + 1];
        System.arraycopy(a, 0, next, 0, at);
        next[at] = row;
        System.arraycopy(a, at, next, at + 1, a.length - at);
        int n = next.length;
        if (n >= LIST_MAX || (n >= LIST_TRY && Integer.bitCount(n) == 1 && bitmapIsSmaller(next, 0, n))) {
            return bitmap(next, 0, n);
        }
        return next;
    }

    /** {@code v} without {@code row} (present in it); null if nothing is left. */
    private Object without(Object v, int row) {
        if (v instanceof RoaringBitmap b) {
            if (b.getCardinality() == 1) return null;
            RoaringBitmap next = BitmapKeys.copyWith(b, row, false);
            return mixed && next.getCardinality() < BITMAP_MIN ? next.toArray() : next;
        }
        int[] a = (int[]) v;
        if (a.length == 1) return null;
        int at = search(a, row);
        int[] next = new int[a.length - 1];
        System.arraycopy(a, 0, next, 0, at);
        System.arraycopy(a, at + 1, next, at, next.length - at);
        return next;
    }

    private static long bitmapRowsOf(Object v) {
        return v instanceof RoaringBitmap b ? b.getLongCardinality() : 0;
    }

    static boolean contains(Object v, int row) {
        if (v == null) return false;
        if (v instanceof RoaringBitmap b) return b.contains(row);
        return search((int[]) v, row) >= 0;
    }

    /** Binary search in unsigned order: the index, or -(insertion point + 1). */
    private static int search(int[] a, int row) {
        int lo = 0;
        int hi = a.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(a[mid], row);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    // ---- reads ----------------------------------------------------------------------------------

    /**
     * Whether the pair is in the index.
     *
     * @param key the key
     * @param rowId the row id
     * @return true if present
     */
    public boolean contains(long key, long rowId) {
        return reads.contains(key, rowId);
    }

    /**
     * Row ids of a key.
     *
     * @param key the key
     * @return a new bitmap
     */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /**
     * Row ids of every key in a range.
     *
     * @param keys the key range
     * @return a new bitmap
     */
    public RoaringBitmap rowIds(Range keys) {
        return reads.rowIds(keys);
    }

    /**
     * {@code own} (the caller's) or'ed with the published bitmaps {@code parts}, which are only
     * read. A few parts are or'ed into {@code own} one by one (Roaring copies the containers it
     * takes from an argument); many go through Roaring's lazy horizontal or, which is faster when
     * they fill containers but turns every container into a bitmap container first.
     */
    static RoaringBitmap union(RoaringBitmap own, List<RoaringBitmap> parts) {
        if (parts.isEmpty()) return own;
        if (parts.size() <= 16) {
            for (RoaringBitmap p : parts) own.or(p);
            return own;
        }
        parts.add(own);
        return RoaringBitmap.or(parts.iterator());
    }

    /**
     * One key's rows as read once by {@link WideKeyReads#keyRows}: the first slot's row ({@code -1}: none)
     * and the rest value (an {@code int[]} or a published {@link RoaringBitmap}; null: none).
     * The planner reads a single key once and uses the same read for its estimate and its rows.
     */
    record KeyRows(long first, Object rest) {

        /** As {@link WideKeyReads#estimateForms}: rows held one by one, rows held in a bitmap. */
        long[] forms() {
            long one = first >= 0 ? 1 : 0;
            if (rest instanceof int[] a) return new long[] {one + a.length, 0};
            if (rest instanceof RoaringBitmap b) return new long[] {one, b.getLongCardinality()};
            return new long[] {one, 0};
        }

        /** The rows to {@code own}; a bitmap to {@code parts}, or, if {@code parts} is null, its rows to {@code own}. */
        void addTo(RowBuffer own, List<RoaringBitmap> parts) {
            if (first >= 0) own.accept(0, first);
            if (rest instanceof int[] a) own.addAll(a);
            else if (rest instanceof RoaringBitmap b) {
                if (parts != null) parts.add(b);
                else own.addAll(b);
            }
        }

        /** The rows to {@code c}, a bitmap to {@code parts}. */
        void addTo(RowIdCollector c, List<RoaringBitmap> parts) {
            if (first >= 0) c.add((int) first);
            if (rest instanceof int[] a) for (int row : a) c.add(row);
            else if (rest instanceof RoaringBitmap b) parts.add(b);
        }
    }

    /** A key's rows, by two point reads (no range walk): {@link WideKeyReads#keyRows}. */
    KeyRows keyRows(long key) {
        return reads.keyRows(key);
    }

    /**
     * Number of pairs with a key in the range: exact when they do not change during the call.
     *
     * @param keys the key range
     * @return the count
     */
    public long count(Range keys) {
        return reads.count(keys);
    }

    /**
     * The planner's count: exact (as {@link #count}) when the range holds at most
     * {@value #ESTIMATE_WALK} keys with several rows, else the first slots' count plus those keys
     * times the mean rows per such key; O(log n).
     */
    long estimate(long lo, long hi) {
        return reads.estimate(lo, hi);
    }

    /** {@link WideKeyReads#estimateForms} over the live trees. */
    long[] estimateForms(long lo, long hi) {
        return reads.estimateForms(lo, hi);
    }

    /** {@link WideKeyReads#estimateFormsBounded} over the live trees. */
    long[] estimateFormsBounded(long lo, long hi, long cap) {
        return reads.estimateFormsBounded(lo, hi, cap);
    }

    /** @return the number of pairs (exact when no writer is active) */
    public long size() {
        return reads.size();
    }

    /** The reads over the live trees (the planner's view of a table column). */
    WideKeyReads reads() {
        return reads;
    }

    /**
     * A read-only view of the index at one instant, on which every read is exact for that instant
     * while writers go on (see {@link WideKeyIndexSnapshot}). A write changes one of the two trees
     * under its key's stripe, so the two tree snapshots are taken while every stripe is held: no
     * write is between them, and they show one state of the index. New writes wait that long (two
     * tree snapshots), not for the snapshot's life.
     *
     * @return the snapshot
     * @throws IllegalStateException if the index is closed
     */
    public WideKeyIndexSnapshot snapshot() {
        checkOpen();
        return Stripes.holdingAll(stripes, this::snapshotExcluded);
    }

    /** The snapshot, the caller having excluded every writer (all stripes, or a table's own exclusion). */
    WideKeyIndexSnapshot snapshotExcluded() {
        checkOpen();
        dev.cobtree.core.LongObjectTreeSnapshot<Object> r = rest.snapshot();
        dev.cobtree.core.CobTreeSnapshot f = null;
        try {
            if (mixed) f = first.snapshot();
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
        long keys = restKeys.sum();
        long rows = restRows.sum();
        long inBitmaps = bitmapRows.sum();
        WideKeyReads frozen = new WideKeyReads("WideKeyIndexSnapshot", f == null ? null : f, r, () -> keys, () -> rows, () -> inBitmaps);
        return new WideKeyIndexSnapshot(frozen, f, r);
    }

    /**
     * Bytes held: both trees' cells, plus each list ({@code 16 + 4n}, 8-aligned) and each bitmap's
     * {@code getLongSizeInBytes()}. Walks the index.
     *
     * @return the bytes
     */
    public long memoryBytes() {
        long[] b = {(mixed ? first.memoryBytes() : 0) + rest.memoryBytes()};
        rest.forEach((k, v) -> b[0] += v instanceof int[] a ? (16 + 4L * a.length + 7) & ~7L : ((RoaringBitmap) v).getLongSizeInBytes());
        return b[0];
    }

    /** Number of keys whose rows beyond the first are held as a bitmap / a list (tests, diagnostics). */
    long[] forms() {
        long[] f = new long[2];
        rest.forEach((k, v) -> f[v instanceof RoaringBitmap ? 0 : 1]++);
        return f;
    }

    private void checkOpen() {
        if (rest.isClosed()) throw new IllegalStateException("WideKeyIndex is closed");
    }

    @Override
    public void close() {
        if (first != null) first.close();
        rest.close();
    }
}
