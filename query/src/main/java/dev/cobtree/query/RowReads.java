package dev.cobtree.query;

import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.RoaringBitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The reads of a {@link TableIndex}'s row store, written once over a page directory: the live
 * store's ({@link RowStore}, whose directory and pages change) or a snapshot's
 * ({@link RowStore.Frozen}: the directory as it was at the snapshot's instant, whose pages are
 * never written again; see {@link RowStore}'s "Snapshots"). Layout and memory model: {@link RowStore}.
 */
abstract class RowReads {

    static final int PAGE_BITS = 12;
    static final int PAGE_ROWS = 1 << PAGE_BITS;
    static final int WORDS = PAGE_ROWS / 64;
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    static final VarHandle OBJECTS = MethodHandles.arrayElementVarHandle(Object[].class);

    final int columns;
    final boolean[] keepValues;

    /**
     * Pages of {@value #PAGE_ROWS} rows. {@code gen} is the store generation (snapshots taken
     * before) in which the page was last made writable; a page of an older generation is not
     * written before the writer has checked whether an open snapshot still reads it (RowStore).
     */
    static final class Page {
        final long[][] keys;
        final long[][] nulls;
        final Object[][] values;
        final long[] live;
        volatile long gen;

        Page(int columns, boolean[] keepValues, long gen) {
            keys = new long[columns][PAGE_ROWS];
            nulls = new long[columns][WORDS];
            values = new Object[columns][];
            for (int c = 0; c < columns; c++) if (keepValues[c]) values[c] = new Object[PAGE_ROWS];
            live = new long[WORDS];
            this.gen = gen;
        }

        /**
         * A copy of {@code src} (which no writer writes meanwhile: the caller holds the store's lock
         * and every writer of the page goes through it), in generation {@code gen}. The copies are
         * made in the constructor, so the final fields publish their contents with the page.
         */
        Page(Page src, long gen) {
            keys = new long[src.keys.length][];
            nulls = new long[src.nulls.length][];
            values = new Object[src.values.length][];
            for (int c = 0; c < keys.length; c++) {
                keys[c] = src.keys[c].clone();
                nulls[c] = src.nulls[c].clone();
                if (src.values[c] != null) values[c] = src.values[c].clone();
            }
            live = src.live.clone();
            this.gen = gen;
        }
    }

    RowReads(int columns, boolean[] keepValues) {
        this.columns = columns;
        this.keepValues = keepValues;
    }

    /** The page directory to read: index {@code row >>> PAGE_BITS}, null for a page never created. */
    abstract Page[] pages();

    /** The page of a row, or null if none was created. */
    Page page(int row) {
        Page[] p = pages();
        int i = row >>> PAGE_BITS;
        return i < p.length ? p[i] : null;
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
        Page[] ps = pages();
        boolean nulls = wantNull || mayHaveNulls(column); // read before the rows: see RowStore's hadNulls
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
        return pages().length << PAGE_BITS;
    }

    /** Whether a null was ever written in the column (false: the column's null bits may be skipped). */
    abstract boolean mayHaveNulls(int column);

    boolean keepsValue(int column) {
        return keepValues[column];
    }

    /** The number of live rows. */
    abstract int size();

    /** The live rows as a new bitmap: one container per 65,536 row ids, built from the live words. */
    RoaringBitmap liveRows() {
        RoaringBitmap out = new RoaringBitmap();
        Page[] ps = pages();
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
}
