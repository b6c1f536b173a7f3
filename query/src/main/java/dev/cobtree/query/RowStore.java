package dev.cobtree.query;

import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.RoaringBitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The row values of a {@link TableIndex}, by column and row id: for each column the codec key of
 * every row as a {@code long} (what the planner probes: one array load and a comparison), a null
 * bit, and, for columns whose codec is not exact, the value itself (to verify rows whose keys are
 * shared by several values). A live bit per row says which rows exist.
 *
 * <h2>Layout</h2>
 * Pages of {@value #PAGE_ROWS} consecutive row ids, created when a row of theirs is first written;
 * a page holds one {@code long[]} of keys per column, one null bitset per column, the value
 * arrays of the inexact columns and the live bitset. A directory (an array of pages, replaced
 * when it grows) maps {@code row >>> PAGE_BITS} to its page. Memory is about 8 bytes per row and
 * column plus 4 bytes per row and inexact column (a reference) for every page touched.
 *
 * <h2>Concurrency</h2>
 * Writes to one row are serialized by the table's row lock; keys and values are written with
 * release stores, bitsets (shared by 64 rows, so by rows of different locks) with atomic bitwise
 * updates. Readers never lock: they read keys and values with opaque loads (no torn
 * {@code long}s) and bits with acquire loads. A reader that reads a row being written may see
 * each column's old or new value; the table only promises exact answers for rows no write
 * touched during the query.
 */
final class RowStore {

    static final int PAGE_BITS = 12;
    static final int PAGE_ROWS = 1 << PAGE_BITS;
    private static final int WORDS = PAGE_ROWS / 64;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle OBJECTS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final int columns;
    private final boolean[] keepValues;
    private volatile Page[] pages = new Page[0];
    private final AtomicInteger size = new AtomicInteger();
    /**
     * Per column, 1 once a null has ever been written (never reset): set (volatile) before the
     * null bit, so a reader that reads 0 first may skip the column's null bits. A row nulled
     * after that read was written during the reader's query, which is only exact for untouched rows.
     */
    private final AtomicIntegerArray hadNulls;

    static final class Page {
        final long[][] keys;
        final long[][] nulls;
        final Object[][] values;
        final long[] live = new long[WORDS];

        Page(int columns, boolean[] keepValues) {
            keys = new long[columns][PAGE_ROWS];
            nulls = new long[columns][WORDS];
            values = new Object[columns][];
            for (int c = 0; c < columns; c++) if (keepValues[c]) values[c] = new Object[PAGE_ROWS];
        }
    }

    RowStore(int columns, boolean[] keepValues) {
        this.columns = columns;
        this.keepValues = keepValues.clone();
        this.hadNulls = new AtomicIntegerArray(columns);
    }

    /** Whether a null was ever written in the column (see {@link #hadNulls}). */
    boolean mayHaveNulls(int column) {
        return hadNulls.get(column) != 0;
    }

    /** The page of a row, or null if none was created. */
    private Page page(int row) {
        Page[] p = pages;
        int i = row >>> PAGE_BITS;
        return i < p.length ? p[i] : null;
    }

    /** The page of a row, created if needed. */
    private Page pageForWrite(int row) {
        Page p = page(row);
        if (p != null) return p;
        synchronized (this) {
            Page[] ps = pages;
            int i = row >>> PAGE_BITS;
            if (i >= ps.length) ps = Arrays.copyOf(ps, Math.max(i + 1, Math.min(1 << (31 - PAGE_BITS), 2 * ps.length)));
            if (ps[i] == null) ps[i] = new Page(columns, keepValues);
            pages = ps; // volatile: publishes the new directory and page
            return ps[i];
        }
    }

    // ---- reads (lock-free) ----------------------------------------------------------------------

    boolean isLive(int row) {
        Page p = page(row);
        return p != null && (((long) LONGS.getAcquire(p.live, (row & (PAGE_ROWS - 1)) >>> 6) >>> row) & 1) != 0;
    }

    /** Whether a row's value of a column is null (the row's page must exist). */
    boolean isNull(int row, int column) {
        Page p = page(row);
        return (((long) LONGS.getAcquire(p.nulls[column], (row & (PAGE_ROWS - 1)) >>> 6) >>> row) & 1) != 0;
    }

    /** The codec key of a row's value of a column (the row's page must exist; meaningless for a null). */
    long key(int row, int column) {
        return (long) LONGS.getOpaque(page(row).keys[column], row & (PAGE_ROWS - 1));
    }

    /** The stored value of an inexact column. */
    Object value(int row, int column) {
        return OBJECTS.getOpaque(page(row).values[column], row & (PAGE_ROWS - 1));
    }

    /**
     * Keeps, in place, the rows of {@code rows[0, n)} (ids of rows with pages, any order) that
     * pass a leaf's test on one column, and returns how many: a row passes if its value is null
     * and {@code wantNull}; or if it is not null, not {@code wantNull}, and its key lies in one of
     * the ranges {@code [lo[i], hi[i]]}, or equals one of {@code verify} and its value passes
     * {@code test}. Column at a time: one page lookup per run of rows in one page, then an array
     * load and a comparison per row.
     */
    int filter(int column, int[] rows, int n, boolean wantNull, long[] lo, long[] hi, long[] verify,
               java.util.function.Predicate<Object> test) {
        Page[] ps = pages;
        boolean nulls = wantNull || mayHaveNulls(column); // read before the rows: see hadNulls
        if (!nulls && lo.length == 1 && verify.length == 0) return filterRange(column, rows, n, lo[0], hi[0], ps);
        int lastPage = -1;
        long[] keys = null;
        long[] nullWords = null;
        Object[] vals = null;
        int m = 0;
        boolean oneRange = lo.length == 1 && verify.length == 0;
        long lo0 = lo.length > 0 ? lo[0] : 0;
        long hi0 = hi.length > 0 ? hi[0] : 0;
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            int pi = row >>> PAGE_BITS;
            if (pi != lastPage) {
                Page p = ps[pi];
                keys = p.keys[column];
                nullWords = p.nulls[column];
                vals = p.values[column];
                lastPage = pi;
            }
            int slot = row & (PAGE_ROWS - 1);
            boolean isNull = nulls && (((long) LONGS.getOpaque(nullWords, slot >>> 6) >>> row) & 1) != 0;
            if (isNull || wantNull) {
                if (isNull && wantNull) rows[m++] = row;
                continue;
            }
            long k = (long) LONGS.getOpaque(keys, slot);
            if (oneRange) {
                if (k >= lo0 && k <= hi0) rows[m++] = row;
                continue;
            }
            boolean in = false;
            for (int j = 0; j < lo.length && !in; j++) in = k >= lo[j] && k <= hi[j];
            for (int j = 0; j < verify.length && !in; j++) {
                if (k == verify[j]) {
                    Object v = OBJECTS.getOpaque(vals, slot);
                    in = v != null && test.test(v); // null: a concurrent write has just nulled it
                    break;
                }
            }
            if (in) rows[m++] = row;
        }
        return m;
    }

    /**
     * {@link #filter} for one key range on a column that never held a null: per row one page
     * lookup (cached while the rows stay in one page) and one key load, compared without a branch
     * on the outcome.
     */
    private static int filterRange(int column, int[] rows, int n, long lo, long hi, Page[] ps) {
        int lastPage = -1;
        long[] keys = null;
        int m = 0;
        long span = hi - lo; // lo <= k <= hi  <=>  (k - lo) <= span, unsigned
        for (int i = 0; i < n; i++) {
            int row = rows[i];
            int pi = row >>> PAGE_BITS;
            if (pi != lastPage) {
                keys = ps[pi].keys[column];
                lastPage = pi;
            }
            long k = (long) LONGS.getOpaque(keys, row & (PAGE_ROWS - 1));
            rows[m] = row;
            m += Long.compareUnsigned(k - lo, span) <= 0 ? 1 : 0;
        }
        return m;
    }

    /** Row ids below this are in the directory's range (the number of row slots of the pages' directory). */
    int rowCapacity() {
        return pages.length << PAGE_BITS;
    }

    boolean keepsValue(int column) {
        return keepValues[column];
    }

    int size() {
        return size.get();
    }

    /** Bytes held by the pages (arrays with their headers) and the directory; the values themselves not counted. */
    long memoryBytes() {
        Page[] ps = pages;
        long perPage = 16 + 64 + (long) columns * (16 + 8L * PAGE_ROWS + 16 + 8L * WORDS + 4 + 4) + 16 + 8L * WORDS;
        for (boolean k : keepValues) if (k) perPage += 16 + 4L * PAGE_ROWS; // compressed references
        long n = 16 + 4L * ps.length;
        for (Page p : ps) if (p != null) n += perPage;
        return n;
    }

    /** The live rows as a new bitmap: one container per 65,536 row ids, built from the live words. */
    RoaringBitmap liveRows() {
        RoaringBitmap out = new RoaringBitmap();
        Page[] ps = pages;
        int pagesPerBlock = 1 << (16 - PAGE_BITS);
        for (int block = 0; block * pagesPerBlock < ps.length; block++) {
            long[] words = null;
            for (int j = 0; j < pagesPerBlock && block * pagesPerBlock + j < ps.length; j++) {
                Page p = ps[block * pagesPerBlock + j];
                if (p == null) continue;
                for (int w = 0; w < WORDS; w++) {
                    long word = (long) LONGS.getAcquire(p.live, w);
                    if (word == 0) continue;
                    if (words == null) words = new long[1024];
                    words[j * WORDS + w] = word;
                }
            }
            if (words != null) out.append((char) block, new BitmapContainer(words, -1).repairAfterLazy());
        }
        return out;
    }

    // ---- writes (under the row's lock) ----------------------------------------------------------

    /** Writes a row's keys and values (null: a null value); does not change its live bit. */
    void write(int row, long[] keys, Object[] values) {
        Page p = pageForWrite(row);
        int slot = row & (PAGE_ROWS - 1);
        long bit = 1L << row;
        for (int c = 0; c < columns; c++) {
            if (values[c] == null) {
                if (hadNulls.get(c) == 0) hadNulls.set(c, 1);
                LONGS.getAndBitwiseOrRelease(p.nulls[c], slot >>> 6, bit);
                if (keepValues[c]) OBJECTS.setRelease(p.values[c], slot, (Object) null);
            } else {
                LONGS.setRelease(p.keys[c], slot, keys[c]);
                if (keepValues[c]) OBJECTS.setRelease(p.values[c], slot, values[c]);
                LONGS.getAndBitwiseAndRelease(p.nulls[c], slot >>> 6, ~bit);
            }
        }
    }

    /**
     * Fills a new, unpublished store with rows [0, n), all live: {@code keys[c][r]} the key of row
     * r's column c, {@code values} its value (read for the inexact columns only), and
     * {@code nulls[0, nullCount)} the null cells as {@code column << 32 | row}. Plain stores: the
     * store must not be shared yet (the table publishes it through a final field).
     */
    void load(int n, long[][] keys, TableIndex.Cells values, long[] nulls, int nullCount) {
        if (n == 0) return;
        Page[] ps = new Page[((n - 1) >>> PAGE_BITS) + 1];
        for (int i = 0; i < ps.length; i++) {
            Page p = ps[i] = new Page(columns, keepValues);
            int from = i << PAGE_BITS;
            int m = Math.min(PAGE_ROWS, n - from);
            for (int c = 0; c < columns; c++) {
                System.arraycopy(keys[c], from, p.keys[c], 0, m);
                if (keepValues[c]) for (int j = 0; j < m; j++) p.values[c][j] = values.get(c, from + j);
            }
            for (int j = 0; j < m; j++) p.live[j >>> 6] |= 1L << j;
        }
        for (int i = 0; i < nullCount; i++) {
            int c = (int) (nulls[i] >>> 32);
            if (hadNulls.get(c) == 0) hadNulls.set(c, 1);
            int r = (int) nulls[i];
            ps[r >>> PAGE_BITS].nulls[c][(r & (PAGE_ROWS - 1)) >>> 6] |= 1L << r;
        }
        size.set(n);
        pages = ps;
    }

    /** Sets a row's live bit; returns whether it changed. */
    boolean setLive(int row, boolean live) {
        Page p = pageForWrite(row);
        int w = (row & (PAGE_ROWS - 1)) >>> 6;
        long bit = 1L << row;
        long before = live ? (long) LONGS.getAndBitwiseOr(p.live, w, bit) : (long) LONGS.getAndBitwiseAnd(p.live, w, ~bit);
        boolean changed = ((before & bit) != 0) != live;
        if (changed) size.addAndGet(live ? 1 : -1);
        return changed;
    }
}
