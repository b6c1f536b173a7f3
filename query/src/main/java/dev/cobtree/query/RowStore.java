package dev.cobtree.query;

import java.util.Arrays;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

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
 *
 * <h2>Snapshots: copy-on-write pages</h2>
 * {@link #snapshot} (called by the table with every writer excluded) increments the store's
 * {@code generation} and returns a {@link Frozen} store holding a copy of the page directory (one
 * reference per page, not the pages) and the row count. Every write reaches its page through
 * {@link #pageForWrite}, which compares the page's {@code gen} with the store's generation: equal,
 * the page is written in place; older, the writer takes the store's lock and, if an open snapshot
 * is newer than the page (it may read it), replaces the page in the live directory by a copy made
 * in the current generation and writes the copy; if none is, it just moves the page to the current
 * generation. So a page in a snapshot's directory is never written after the snapshot's instant:
 * <ul>
 *   <li>writes before the instant are over when it is taken (the table excludes writers), and are
 *       visible to the snapshot's readers through the lock hand-offs of that exclusion;</li>
 *   <li>a write after it finds the generation advanced (it acquired its row lock after the
 *       snapshot released it) and the page's {@code gen} older, so it copies the page under the
 *       store's lock before writing; writers of other rows of the page meet the same check and the
 *       same lock, so none writes the old page while it is copied, nor after.</li>
 * </ul>
 * The cost: a snapshot's taking copies the directory (one reference per 4,096 rows); afterwards
 * the first write to each page while a snapshot that may read it is open copies the page (8 bytes
 * per row and column, plus bitsets and value references: about 33 KB per column per page). The
 * old pages are freed by the collector once the last snapshot that holds them is closed and
 * unreachable; {@link #pageCopies()} counts the copies.
 */
final class RowStore extends RowReads {

    private volatile Page[] pages = new Page[0];
    private final AtomicInteger size = new AtomicInteger();
    private volatile long generation; // snapshots taken; written under the table's exclusion only
    private final ConcurrentSkipListSet<Long> open = new ConcurrentSkipListSet<>(); // open snapshots' generations
    private final AtomicLong pageCopies = new AtomicLong();
    /**
     * Per column, 1 once a null has ever been written (never reset): set (volatile) before the
     * null bit, so a reader that reads 0 first may skip the column's null bits. A row nulled
     * after that read was written during the reader's query, which is only exact for untouched rows.
     * Snapshots read it too: 0 now means no null ever, so none at their instant either.
     */
    private final AtomicIntegerArray hadNulls;

    RowStore(int columns, boolean[] keepValues) {
        super(columns, keepValues.clone());
        this.hadNulls = new AtomicIntegerArray(columns);
    }

    /** Whether a null was ever written in the column (see {@link #hadNulls}). */
    @Override
    boolean mayHaveNulls(int column) {
        return hadNulls.get(column) != 0;
    }

    @Override
    Page[] pages() {
        return pages;
    }

    @Override
    int size() {
        return size.get();
    }

    /**
     * The page of a row, created if needed, writable in the current generation: copied first if
     * an open snapshot may read it (see "Snapshots" above).
     */
    private Page pageForWrite(int row) {
        Page p = page(row);
        if (p != null && p.gen == generation) return p; // volatile loads: a page of this generation is no snapshot's
        synchronized (this) {
            Page[] ps = pages;
            int i = row >>> PAGE_BITS;
            if (i >= ps.length) ps = Arrays.copyOf(ps, Math.max(i + 1, Math.min(1 << (31 - PAGE_BITS), 2 * ps.length)));
            long g = generation;
            Page q = ps[i];
            if (q == null) {
                q = ps[i] = new Page(columns, keepValues, g);
            } else if (q.gen != g) {
                if (newestOpen() > q.gen) { // a snapshot taken after the page's generation may read it: keep it as it is
                    q = ps[i] = new Page(q, g);
                    pageCopies.incrementAndGet();
                } else {
                    q.gen = g;
                }
            }
            pages = ps; // volatile: publishes the new directory and page
            return q;
        }
    }

    /** The newest open snapshot's generation, or -1. */
    private long newestOpen() {
        Long g = open.isEmpty() ? null : open.last(); // a concurrent close: at worst one needless copy
        return g == null ? -1 : g;
    }

    /**
     * A snapshot of the store: the caller (the table) must exclude every writer while it runs and
     * close the result when done ({@link Frozen#close}).
     */
    Frozen snapshot() {
        long g = generation + 1;
        open.add(g);
        generation = g; // volatile: writers after the table's exclusion see the new generation
        return new Frozen(this, pages.clone(), size.get(), g);
    }

    /** Pages copied for snapshots so far (tests, diagnostics). */
    long pageCopies() {
        return pageCopies.get();
    }

    /** Generations of the snapshots still open (tests, diagnostics). */
    int openSnapshots() {
        return open.size();
    }

    /** The store at a snapshot's instant: its directory copy, whose pages are never written again. */
    static final class Frozen extends RowReads {
        private static final Page[] NONE = new Page[0];
        private final RowStore store;
        private volatile Page[] pages; // NONE once closed: the pages it alone held become garbage
        private final int size;
        private final long generation;

        private Frozen(RowStore store, Page[] pages, int size, long generation) {
            super(store.columns, store.keepValues);
            this.store = store;
            this.pages = pages;
            this.size = size;
            this.generation = generation;
        }

        @Override
        Page[] pages() {
            return pages;
        }

        @Override
        int size() {
            return size;
        }

        @Override
        boolean mayHaveNulls(int column) {
            return store.mayHaveNulls(column); // monotone: conservative for the snapshot's instant
        }

        /**
         * Drops the directory (so its pages are freed even while the snapshot object is still
         * referenced) and lets writers write those pages in place again (unless a newer snapshot
         * still reads them).
         */
        void close() {
            pages = NONE;
            store.open.remove(generation);
        }
    }

    /** Bytes held by the pages (arrays with their headers) and the directory; the values themselves not counted. */
    long memoryBytes() {
        Page[] ps = pages();
        long perPage = 16 + 64 + (long) columns * (16 + 8L * PAGE_ROWS + 16 + 8L * WORDS + 4 + 4) + 16 + 8L * WORDS;
        for (boolean k : keepValues) if (k) perPage += 16 + 4L * PAGE_ROWS; // compressed references
        long n = 16 + 4L * ps.length;
        for (Page p : ps) if (p != null) n += perPage;
        return n;
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
            Page p = ps[i] = new Page(columns, keepValues, 0);
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
