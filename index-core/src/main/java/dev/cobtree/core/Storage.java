package dev.cobtree.core;

import dev.cobtree.storage.CellStore;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One published version of the packed memory array: the cells, their segment headers, the
 * block counts and the vEB search tree. Its shape never changes; growing or shrinking builds a
 * new {@code Storage} and publishes it through {@code CobTree.root} (read-copy-update).
 *
 * <p>This class owns the two cell-level access patterns of the protocol, so that they exist
 * exactly once: the <b>cell write</b> (odd word, data, even word, by the holder of the segment
 * lock) and the <b>validated cell read</b> (acquire word, data, acquire fence, re-read word), and
 * the bounded in-segment binary search that tolerates torn, shifting contents.
 */
final class Storage {

    private static final AtomicLong IDS = new AtomicLong();

    /** The root of a closed index: every operation that loads it throws. */
    static final Storage CLOSED = new Storage();

    /** Unique across all indexes: lets a thread remember "this storage" without keeping it alive. */
    final long id = IDS.incrementAndGet();

    final CellStore cells;
    /** Whether the cells carry object references (an object-valued tree): then every vacated cell is nulled. */
    final boolean refs;
    final int segmentSize;
    final int shift;
    final int segments;
    final SegmentHeaders headers;
    final BlockCounts counts;
    final VebLayout index;
    /** Cells per segment below which a remove checks whether the whole array should shrink. */
    final int sparse;
    /** Snapshot bookkeeping: pre-image marks per segment, holds by open snapshots ({@link StorageHolds}). */
    final StorageHolds holds;

    private Storage() {
        this.cells = null;
        this.refs = false;
        this.segmentSize = 0;
        this.shift = 0;
        this.segments = 0;
        this.headers = null;
        this.counts = null;
        this.index = null;
        this.sparse = 0;
        this.holds = new StorageHolds(0);
    }

    /** A new, unpublished storage of empty segments with fences all at {@code Long.MIN_VALUE}. */
    Storage(CellStore cells, int segments, int segmentSize) {
        this.cells = cells;
        this.refs = cells.holdsReferences();
        this.segmentSize = segmentSize;
        this.shift = Integer.numberOfTrailingZeros(segmentSize);
        this.segments = segments;
        this.headers = new SegmentHeaders(segments);
        this.counts = new BlockCounts(headers);
        this.index = new VebLayout(segments);
        this.sparse = Math.max(1, segmentSize / 8);
        this.holds = new StorageHolds(segments);
        for (int s = 0; s < segments; s++) {
            headers.setLo(s, Long.MIN_VALUE);
            headers.setHi(s, Long.MIN_VALUE);
        }
        for (int j = 1; j < segments; j++) {
            index.setFenceUnpublished(j, Long.MIN_VALUE);
        }
    }

    long base(int s) {
        return (long) s << shift;
    }

    long capacity() {
        return (long) segments << shift;
    }

    long memoryBytes() {
        return cells.memoryBytes() + headers.memoryBytes() + counts.memoryBytes() + index.memoryBytes() + 64;
    }

    // ---- searching ------------------------------------------------------------------------

    /**
     * Index in [0, n] of the first of the n cells from {@code base} whose key is &ge; {@code key}
     * (n when none), over contents that may be changing. Racy keys can send the search the wrong
     * way but never out of [0, n]: the loop runs at most log2(n) + 1 times on clamped bounds.
     * The caller validates before trusting the answer.
     *
     * <p>A branch-free lower bound (a fixed number of probes, the window halved by an arithmetic
     * select) was measured against this in the layout study of issue 11 (docs/BENCH.md): 1.6-3.6x
     * slower on get, miss and ceiling at 10^6 keys, because each of its probes must wait for the
     * previous load, where the branchy search speculates and overlaps the cache misses.
     */
    private int lowerBound(long base, int lo, int hi, long key) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cells.keyOpaque(base + mid) < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@link #lowerBound} within segment s (n entries), narrowed first by the pivot keys of its
     * header line (read with the count: same cache line). Same tolerance of racy contents.
     */
    int search(int s, int n, long key) {
        long base = base(s);
        if (n < SegmentHeaders.PIVOT_MIN_COUNT) {
            return lowerBound(base, 0, n, key);
        }
        int lo = 0;
        int hi = n;
        for (int j = 0; j < SegmentHeaders.PIVOTS; j++) {
            int q = SegmentHeaders.pivotPosition(j, n);
            if (headers.pivot(s, j) < key) {
                lo = q + 1;
            } else {
                hi = q;
                break;
            }
        }
        return lowerBound(base, lo, hi, key);
    }

    /** Rewrites the pivot keys of segment s (n entries) after a change; caller holds its lock. */
    void refreshPivots(int s, int n) {
        if (n >= SegmentHeaders.PIVOT_MIN_COUNT) {
            long base = base(s);
            for (int j = 0; j < SegmentHeaders.PIVOTS; j++) {
                headers.setPivot(s, j, cells.keyPlain(base + SegmentHeaders.pivotPosition(j, n)));
            }
        }
    }

    /** Clamps a racy count into [0, segmentSize]. */
    int clampCount(int n) {
        return n < 0 ? 0 : Math.min(n, segmentSize);
    }

    // ---- the cell write (caller holds the lock of the cell's segment) -------------------------

    /**
     * Writes an entry into cell c under the cell's seqlock, leaving it stable and occupied. The
     * value is {@code value} in a long-valued store, {@code ref} in an object-valued one (the other
     * is ignored: 0 or null).
     */
    void writeCell(long c, long key, long value, Object ref, long openMarker) {
        long m = cells.metaPlain(c);
        // opaque: atomic; the store-store fence below orders it before the data stores
        cells.metaOpaque(c, CellMeta.begin(m, openMarker));
        VarHandle.storeStoreFence();
        cells.keyOpaque(c, key);
        cells.valueOpaque(c, value);
        if (refs) {
            cells.refRelease(c, ref); // release: the object is complete before its reference is visible
        }
        // release: key and value are visible before the even word that vouches for them
        cells.metaRelease(c, CellMeta.end(m, CellMeta.OCCUPIED, CellMeta.EMPTY));
    }

    /** Copies the entry of cell {@code src} (key, value, reference) into cell {@code dst} under dst's seqlock. */
    void copyCell(long src, long dst, long openMarker) {
        writeCell(dst, cells.keyPlain(src), cells.valuePlain(src), refs ? cells.refPlain(src) : null, openMarker);
    }

    /** Below this many cells a shift copies cell by cell ({@link #copyCell}); from it on, in bulk. */
    static final int BULK_SHIFT_MIN = 4;

    /**
     * Shifts the entries of the {@code count} cells from {@code src} to the {@code count} cells
     * from {@code dst} within one segment (an insert's right shift, {@code dst = src + 1}, or a
     * removal's left shift, {@code dst = src - 1}); the caller holds the segment's lock. Every
     * destination cell is written under its own seqlock, as {@link #copyCell} does, but the
     * windows are opened together: all destination words go odd (with {@code openMarker}), one
     * store-store fence, the keys, values and references move with one bulk copy per column
     * ({@link CellStore#moveEntries}), then each destination's even word with a new version is
     * released. A reader sees each destination either before its odd word (old entry, validated
     * against the old even word, which the odd store then invalidates) or after its even word
     * (new entry), never a mix: the same per-cell guarantee as the cell-by-cell shift, which it
     * replaces because each cell's three fenced stores cost more than a shared window (measured:
     * docs/BENCH.md, "Bulk shifts"). Cells keep their occupied state: every destination holds an
     * entry afterwards.
     */
    void shift(long src, long dst, int count, long openMarker) {
        if (count < BULK_SHIFT_MIN) {
            if (dst > src) {
                for (int i = count - 1; i >= 0; i--) {
                    copyCell(src + i, dst + i, openMarker);
                }
            } else {
                for (int i = 0; i < count; i++) {
                    copyCell(src + i, dst + i, openMarker);
                }
            }
            return;
        }
        for (int i = 0; i < count; i++) {
            long c = dst + i;
            // opaque: atomic; the store-store fence below orders every odd word before the data stores
            cells.metaOpaque(c, CellMeta.begin(cells.metaPlain(c), openMarker));
        }
        VarHandle.storeStoreFence();
        cells.moveEntries(src, dst, count);
        for (int i = 0; i < count; i++) {
            long c = dst + i;
            // release: the moved data (every earlier store of this thread) is visible before the even word that vouches for it
            cells.metaRelease(c, CellMeta.end(cells.metaPlain(c), CellMeta.OCCUPIED, CellMeta.EMPTY));
        }
    }

    /** Overwrites the value (or reference) of an occupied cell in place. */
    void writeValue(long c, long value, Object ref) {
        long m = cells.metaPlain(c);
        cells.metaOpaque(c, CellMeta.begin(m, CellMeta.EMPTY));
        VarHandle.storeStoreFence(); // odd word before the new value
        cells.valueOpaque(c, value);
        if (refs) {
            cells.refRelease(c, ref); // release: the object is complete before its reference is visible
        }
        cells.metaRelease(c, CellMeta.end(m, CellMeta.OCCUPIED, CellMeta.EMPTY)); // release: value before even word
    }

    /**
     * Empties cell c: one release store of an even, unoccupied word with a new version. An
     * object-valued cell also drops its reference (no dead value stays reachable), inside an odd
     * window: a reader that read the old even word must not validate a null it loaded after the
     * nulling, so the null lies between an odd word and the new even one like any data store.
     */
    void clearCell(long c) {
        long m = cells.metaPlain(c);
        if (refs) {
            cells.metaOpaque(c, CellMeta.begin(m, CellMeta.EMPTY)); // opaque + fence: odd before the null
            VarHandle.storeStoreFence();
            cells.refRelease(c, null);
        }
        cells.metaRelease(c, CellMeta.end(m, 0L, CellMeta.EMPTY));
    }

    /**
     * Drops every reference of a storage that has been replaced (resize, clear, close) and
     * invalidated, each inside its cell's seqlock window, so that a cursor or a reader still
     * holding the old storage keeps no value of it reachable and cannot validate a null: a
     * positive hit re-reads the cell word (now a new version), and a segment snapshot fails its
     * validation because every segment word is first marked WRITING for good ({@link
     * SegmentHeaders#markDead}; validation ignores INVALID, so that bit alone would not do). Found
     * by the red-team history test (a {@code select} racing {@code clear()} returned a key with a
     * null value). The caller holds the structure lock; no writer can touch the storage any more
     * (its segments are invalid).
     */
    void dropReferences() {
        if (!refs) {
            return;
        }
        // first make every segment's word unvalidatable, then clear: a reader still inside this
        // storage can read a cleared cell only in a snapshot that its validation then refuses (its
        // positive hit fails too: clearing changes the cell word)
        for (int s = 0; s < segments; s++) {
            headers.markDead(s);
        }
        VarHandle.storeStoreFence(); // the dead words before the clearing stores
        long cap = capacity();
        for (long c = 0; c < cap; c++) {
            if (cells.refPlain(c) != null) {
                clearCell(c);
            }
        }
    }

    /** Marks cell c, whose entry has been written to another cell, as a MOVE source. */
    void markMoved(long c) {
        long m = cells.metaPlain(c);
        // release: the destination's write (program order before) is visible before the marker
        cells.metaRelease(c, CellMeta.moved(m));
    }
}
