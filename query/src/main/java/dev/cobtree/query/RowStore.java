package dev.cobtree.query;

import org.roaringbitmap.BitmapContainer;
import org.roaringbitmap.RoaringBitmap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

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

    boolean keepsValue(int column) {
        return keepValues[column];
    }

    int size() {
        return size.get();
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
                LONGS.getAndBitwiseOrRelease(p.nulls[c], slot >>> 6, bit);
                if (keepValues[c]) OBJECTS.setRelease(p.values[c], slot, (Object) null);
            } else {
                LONGS.setRelease(p.keys[c], slot, keys[c]);
                if (keepValues[c]) OBJECTS.setRelease(p.values[c], slot, values[c]);
                LONGS.getAndBitwiseAndRelease(p.nulls[c], slot >>> 6, ~bit);
            }
        }
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
