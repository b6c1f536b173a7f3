package dev.cobtree.core;

/**
 * A cursor over a snapshot, ascending or descending, and the base of the snapshots' public
 * cursors (so that a step is one call, not a call through a wrapper): walks the segments at the
 * snapshot's instant by index (they are a frozen array, {@link SnapshotReader}). The first step
 * loads the home segment of the start key into the cursor's view; later ascending steps copy a
 * run of following segments at once into the cursor's own buffer ({@link SnapshotState#loadRun}:
 * pre-images with {@code System.arraycopy}, live segments with the cell store's bulk copy, their
 * memory loads overlapped), as the live cursor's batched steps do; descending steps load one
 * segment at a time. Exact: it returns exactly the snapshot's entries from its start, in order.
 * The batch buffers start at two segments and double while loads fill them, up to a batch.
 *
 * <p><b>Bounded cursors</b> (a range's end, {@link #until}): the first load also finds the segment
 * whose range at the snapshot's instant holds the end ({@link #endSeg}); every load drops the
 * entries beyond the end, no load reads a segment after that one (its buffers are sized for what
 * is left of the range), and a skip lands in it rather than passing it by its count. The segments
 * at the instant tile the key space, so the later ones hold no key of the range.
 *
 * <p><b>Per-entry state</b>, as in the live cursor ({@link CobTree.Cursor}): the loaded entries
 * not yet returned are at the indices strictly between {@link #at} and {@link #stop}
 * ({@link #step} is +1 ascending, -1 descending), and the current entry is {@code keys[at]}
 * unless {@code at == start} (no current entry). A step moves one index and stores one field:
 * a second position stored per entry is a second store-to-load dependency and two more loads per
 * entry, which a scan at a nanosecond and a half per entry pays for (docs/BENCH.md, issue 16).
 *
 * <p><b>Bulk reads</b> ({@link #readEntries}, a long-valued snapshot cursor's {@code read}) copy
 * runs of the loaded entries; the last entry written stays current even when a later load replaces
 * the arrays it was in (it is then kept in {@code heldKey}/{@code heldValue}, as the live cursor
 * keeps it in its fields).
 *
 * <p><b>Closed snapshots.</b> Each segment load pins the factory and checks the snapshot is open
 * with a volatile read (what exactness needs: a close empties the pre-image table); every step
 * and every {@code key}/{@code value} call also checks it, with a plain read of a mirror of the
 * flag ({@link SnapshotState#checkOpenFast}) that does not order the cursor's other loads, so a
 * cursor of a closed snapshot throws. Not thread-safe.
 */
class SnapshotCursor {


    private final SnapshotReader reader;
    final SnapshotState snap;
    /** +1 ascending, -1 descending. */
    private final int step;
    private final SegmentView v = new SegmentView();
    /**
     * The entries of the last load, in key order: either the view's (one segment) or the batch
     * buffers' (segments {@code seg - m + 1 .. seg}); valid in {@code [0, n)}.
     */
    long[] keys;
    long[] values;
    Object[] refs;
    /** The current entry's index, or {@link #start} (none). */
    int at;
    /** {@code at} when there is no current entry in the loaded entries. */
    private int start;
    /** One past the last loaded entry in the cursor's direction ({@code n} ascending, -1 descending). */
    int stop;
    /** The last segment (ascending) or the only segment (descending) whose entries are loaded. */
    private int seg;
    private boolean loaded;
    private final long from;
    private final boolean empty;
    /** Buffers and scratch of the batched steps (null until the first one). */
    private long[] batchKeys;
    private long[] batchValues;
    private Object[] batchRefs;
    private SnapshotState.Run run;
    /** Entries the last batched step left in the batch buffers. */
    private int batchUsed;
    /**
     * A current entry kept outside the loaded arrays ({@code at == start}): a bulk {@link #readEntries}
     * that loaded more entries after writing its last one (long-valued trees; held until the next step).
     */
    private boolean held;
    /** Start of the run {@link #runUpTo} returned last. */
    private int runFrom;
    private long heldKey;
    private long heldValue;
    /** Whether the cursor ends at {@link #until} (a bounded cursor, or a scan up to a key). */
    private boolean bounded;
    /** The last key a bounded cursor returns, in its direction (inclusive). */
    private long until;
    /** The segment whose range at the snapshot's instant holds {@link #until} (bounded cursors; found by the first load). */
    private int endSeg;
    /** A bounded cursor has loaded the segment that holds its end: nothing is loaded after it. */
    private boolean finished;

    /** From {@code from} inclusive; {@code empty}: a cursor that starts past the end (exclusive from at the key space's edge). */
    SnapshotCursor(SnapshotReader reader, boolean descending, long from, boolean empty) {
        this.reader = reader;
        this.snap = reader.snap;
        this.step = descending ? -1 : 1;
        this.from = from;
        this.empty = empty;
        snap.checkOpen();
        none(0);
    }

    /**
     * A bounded cursor over the keys from {@code from} to {@code to} (each end inclusive or not) in
     * the given direction; the caller has checked that the range is in that order. A range that
     * is empty at the key space's edge (an exclusive end at {@code Long.MIN_VALUE} or
     * {@code Long.MAX_VALUE}) gives a cursor that starts past its end.
     */
    SnapshotCursor(SnapshotReader reader, boolean descending, long from, boolean fromInclusive, long to, boolean toInclusive) {
        this(reader, descending, inward(descending, from, fromInclusive), edgeEmpty(descending, from, fromInclusive, to, toInclusive));
        bound(inward(!descending, to, toInclusive));
    }

    /** {@code key} if inclusive, else the next key inward in the cursor's direction (unchanged at the edge it cannot pass). */
    private static long inward(boolean descending, long key, boolean inclusive) {
        if (inclusive || key == (descending ? Long.MIN_VALUE : Long.MAX_VALUE)) {
            return key;
        }
        return descending ? key - 1 : key + 1;
    }

    private static boolean edgeEmpty(boolean descending, long from, boolean fromInclusive, long to, boolean toInclusive) {
        long first = descending ? Long.MIN_VALUE : Long.MAX_VALUE; // no key lies past it in the cursor's direction
        long last = descending ? Long.MAX_VALUE : Long.MIN_VALUE;  // no key lies before it
        return (!fromInclusive && from == first) || (!toInclusive && to == last);
    }

    /**
     * Makes this new cursor end at {@code last}, inclusive, in its direction: every
     * load drops the entries beyond it, no segment after the one holding it (at the snapshot's
     * instant) is loaded, and a skip counts no entry beyond it. What the cursor returns is the
     * unbounded cursor's entries up to {@code last}, exactly.
     */
    private void bound(long last) {
        bounded = true;
        until = last;
    }

    /** No loaded entry left and no current entry (stop just past at). */
    private void none(int stopAt) {
        stop = stopAt;
        start = at = stopAt - step;
    }

    /** The entries now loaded are {@code [0, count)}, the next to return at {@code next}; no current entry. */
    private void loaded(long[] k, long[] vs, Object[] rs, int count, int next) {
        keys = k;
        values = vs;
        refs = rs;
        stop = step > 0 ? count : -1;
        start = at = next - step;
        if (bounded) {
            cutAtUntil();
        }
    }

    /** Drops the loaded entries beyond {@link #until} (a scan from the first, only when the last loaded one is beyond). */
    private void cutAtUntil() {
        if (step > 0) {
            int i = at + 1;
            if (stop > i && keys[stop - 1] > until) {
                while (i < stop && keys[i] <= until) {
                    i++;
                }
                stop = i;
            }
        } else {
            int i = at - 1;
            if (stop < i && keys[stop + 1] < until) {
                while (i > stop && keys[i] >= until) {
                    i--;
                }
                stop = i;
            }
        }
    }

    /** After loading up to segment {@link #seg}: a bounded cursor that reached the segment of its end loads nothing more. */
    private void checkFinished() {
        if (bounded && (step > 0 ? seg >= endSeg : seg <= endSeg)) {
            finished = true;
        }
    }

    private void start() {
        long t = reader.pin();
        try {
            if (bounded) {
                reader.home(until, v, false); // fences and count only: where the cursor ends
                endSeg = v.s;
            }
            reader.home(from, v, true);
        } finally {
            reader.unpinKeepView(t);
        }
        int next = step < 0 ? (from == Long.MAX_VALUE ? v.n : v.lowerBound(from + 1)) - 1 : v.lowerBound(from);
        useView(next);
        loaded = true;
    }

    /** The loaded entries are the view's segment, the next to return at {@code next}. */
    private void useView(int next) {
        loaded(v.keys, v.values, v.refs, v.n, next);
        seg = v.s;
        checkFinished();
    }

    /** Loads segment s alone (pinned, checked open), the next entry at {@code next} (-1: its last). */
    private void load(int s) {
        long t = reader.pin();
        try {
            snap.load(s, v, true);
        } finally {
            reader.unpinKeepView(t);
        }
        useView(step < 0 ? v.n - 1 : 0);
    }

    /** Ascending: copies a run of segments from {@code first} into the batch buffers (pinned, checked open). */
    private void loadBatch(int first) {
        int segmentSize = snap.st.segmentSize;
        // the live cursor's batch ({@link Navigator#batchSegments}): a batch of 2,048 cells
        // (32 KB of keys and values, the size of the L1 data cache) read back 1.2x slower
        // per entry than the live cursor's 1,024 (docs/BENCH.md, issue 16)
        int most = Math.max(segmentSize, Navigator.BATCH_CELLS);
        if (run == null) {
            // buffers for two segments to begin with, doubled while loads fill them (a scan that
            // stops early allocates about what it read); a bounded cursor reads no segment after
            // endSeg, so buffers for what is left of its range suffice and never grow
            int cells = bounded ? (int) Math.min(most, (long) (endSeg - first + 1) * segmentSize)
                    : Math.min(most, 2 * segmentSize);
            allocateBatch(cells);
            run = new SnapshotState.Run(Navigator.batchSegments(segmentSize));
        } else if (!bounded && batchKeys.length < most && batchUsed + segmentSize > batchKeys.length) {
            allocateBatch(Math.min(most, 2 * batchKeys.length)); // the last load may have stopped for room
        }
        long t = reader.pin();
        int m;
        try {
            m = snap.loadRun(first, bounded ? endSeg : reader.segments() - 1, run, batchKeys, batchValues, batchRefs);
        } finally {
            reader.unpinKeepView(t);
        }
        int total = 0;
        for (int j = 0; j < m; j++) {
            total += run.counts[j];
        }
        if (batchRefs != null && batchUsed > total) {
            // references a longer earlier run left behind the new entries: keep them unreachable
            java.util.Arrays.fill(batchRefs, total, batchUsed, null);
        }
        batchUsed = total;
        loaded(batchKeys, batchValues, batchRefs, total, 0);
        seg = first + m - 1;
        checkFinished();
    }

    /** New batch buffers of {@code cells} entries (the old ones, and the references in them, are dropped). */
    private void allocateBatch(int cells) {
        batchKeys = new long[cells];
        if (snap.st.refs) {
            batchRefs = new Object[cells];
        } else {
            batchValues = new long[cells];
        }
        batchUsed = 0;
    }

    /** Loads the next segment (or run of segments); false at the end. Entries may be none. */
    private boolean advance() {
        if (!loaded) {
            if (empty) {
                return false;
            }
            start();
            return true;
        }
        if (finished) {
            return false;
        }
        if (step < 0) {
            if (seg == 0) {
                return false;
            }
            load(seg - 1);
        } else {
            if (seg + 1 >= reader.segments()) {
                return false;
            }
            loadBatch(seg + 1);
        }
        return true;
    }

    /** Loaded entries not yet returned. */
    private int left() {
        return (stop - at) * step - 1;
    }

    /** Advances to the next entry; false when there is none. @throws IllegalStateException if the snapshot is closed */
    final boolean step() {
        snap.checkOpenFast();
        int i = at + step;
        if (i != stop) {
            at = i;
            return true;
        }
        return stepFromNextLoad();
    }

    private boolean stepFromNextLoad() {
        if (!fill()) {
            held = false; // exhausted by a step: no current entry
            return false;
        }
        at += step;
        return true;
    }

    /** Loads until an entry is left; false at the end (then no entry is current). */
    private boolean fill() {
        while (left() == 0) {
            if (!advance()) {
                none(stop);
                return false;
            }
        }
        return true;
    }

    /** The current entry's index. @throws IllegalStateException if there is none or the snapshot is closed */
    private int current() {
        snap.checkOpenFast();
        int i = at;
        if (i == start) {
            throw new IllegalStateException("cursor has no current entry");
        }
        return i;
    }

    final long checkedKey() {
        snap.checkOpenFast();
        int i = at;
        return i != start ? keys[i] : heldEntry().heldKey;
    }

    final long checkedValue() {
        snap.checkOpenFast();
        int i = at;
        return i != start ? values[i] : heldEntry().heldValue;
    }

    private SnapshotCursor heldEntry() {
        if (!held) {
            throw new IllegalStateException("cursor has no current entry");
        }
        return this;
    }

    final Object checkedRef() {
        return refs[current()];
    }

    /**
     * Skips up to n entries (the last one skipped becomes current); whole segments are passed by
     * their counts at the snapshot's instant (a header read each), so a skip of k costs
     * O(k / segmentSize) header reads plus one segment copy.
     */
    final long skipEntries(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("skip count " + n + " must not be negative");
        }
        snap.checkOpenFast();
        long done = 0;
        while (done < n) {
            int left = left();
            if (left > 0) {
                int take = (int) Math.min(left, n - done);
                done += take;
                at += step * take;
                continue;
            }
            if (!loaded) {
                if (!advance()) {
                    break;
                }
                continue;
            }
            if (finished) {
                break; // a bounded cursor past its end's segment: nothing left
            }
            // pass whole segments by their counts; load the one the skip lands in (or, bounded,
            // the one holding the end, whose entries beyond the end the load drops)
            int s = seg;
            int segments = reader.segments();
            int lastFull = -1;
            boolean landed = false;
            long t = reader.pin();
            try {
                for (;;) {
                    s += step;
                    if (s < 0 || s >= segments) {
                        break;
                    }
                    int c = snap.count(s, v);
                    if (c == 0 && !(bounded && s == endSeg)) {
                        continue;
                    }
                    if (done + c >= n || (bounded && s == endSeg)) {
                        snap.load(s, v, true);
                        landed = true; // the loop above takes the rest from this segment
                        break;
                    }
                    done += c;
                    lastFull = s;
                }
                if (!landed && lastFull >= 0) {
                    snap.load(lastFull, v, true);
                }
            } finally {
                reader.unpinKeepView(t);
            }
            if (landed) {
                useView(step < 0 ? v.n - 1 : 0);
                continue;
            }
            // ran off the end: the last entry passed becomes current, the cursor is exhausted
            if (lastFull >= 0) {
                useView(step < 0 ? 0 : v.n - 1);
                at = at + step; // that entry is current, nothing is left after it
            }
            // else the current entry stays where it is, in the loaded entries; either way the
            // cursor is exhausted: at the edge segment with nothing left
            seg = step < 0 ? 0 : segments - 1;
            return done;
        }
        return done;
    }

    /**
     * The bulk read of {@link LongLongCursor#read} (long-valued trees): runs of the loaded entries
     * go out with one {@code System.arraycopy} per array ascending (a reversing loop descending),
     * stopping before the first key beyond {@code last}; the last entry written becomes current,
     * kept in fields when a later load replaces the arrays it lives in.
     */
    final int readEntries(long[] ks, long[] vs, int off, int len, long last) {
        if (ks != null) java.util.Objects.checkFromIndexSize(off, len, ks.length);
        if (vs != null) java.util.Objects.checkFromIndexSize(off, len, vs.length);
        snap.checkOpenFast();
        int n = 0;
        while (n < len) {
            if (left() == 0) {
                if (at != start) { // the arrays are about to be replaced: keep the current entry
                    heldKey = keys[at];
                    heldValue = values[at];
                    held = true;
                }
                if (!fill()) {
                    break; // exhausted: the last entry written stays current (held)
                }
                continue;
            }
            int take = Math.min(left(), len - n);
            int from = at + step; // the first entry not yet returned
            int cnt;
            if (step > 0) {
                int end = from + take;
                if (keys[end - 1] > last) {
                    end = from;
                    while (end < from + take && keys[end] <= last) {
                        end++;
                    }
                }
                cnt = end - from;
                if (ks != null) System.arraycopy(keys, from, ks, off + n, cnt);
                if (vs != null) System.arraycopy(values, from, vs, off + n, cnt);
                at = from + cnt - 1;
            } else {
                cnt = 0;
                while (cnt < take && keys[from - cnt] >= last) {
                    if (ks != null) ks[off + n + cnt] = keys[from - cnt];
                    if (vs != null) vs[off + n + cnt] = values[from - cnt];
                    cnt++;
                }
                at = from - cnt + 1;
            }
            n += cnt;
            if (cnt > 0) {
                held = false;
            }
            if (cnt < take) {
                break; // the next key lies beyond last
            }
        }
        return n;
    }

    /**
     * Ascending: moves past the next run of loaded entries whose keys are at most {@code last}
     * (loading more when none is left) and returns its end; the run is {@code [runFrom, end)} of
     * {@link #keys}. Returns -1 when the cursor is exhausted. A run that stops short of {@link #stop} ended at the
     * bound: the caller emits it and is done. The scans' emission loops are the callers' own (one
     * per value kind, no per-entry dispatch).
     */
    private int runUpTo(long last) {
        for (;;) {
            snap.checkOpenFast();
            int from = at + 1;
            int to = stop;
            if (from >= to) {
                if (!fill()) {
                    return -1;
                }
                continue;
            }
            runFrom = from;
            if (keys[to - 1] > last) {
                int end = from;
                while (end < to && keys[end] <= last) {
                    end++;
                }
                to = end;
            }
            at = to - 1;
            return to;
        }
    }

    /**
     * Ascending: feeds {@code sink} every entry from the next one up to the key {@code last}
     * (inclusive), straight from the loaded arrays, a run at a time (no per-entry bound check
     * except in the last run). Long-valued trees.
     */
    final void forEachUpTo(long last, LongLongConsumer sink) {
        for (;;) {
            int to = runUpTo(last);
            if (to < 0) {
                return;
            }
            long[] ks = keys;
            long[] vs = values;
            for (int i = runFrom; i < to; i++) {
                sink.accept(ks[i], vs[i]);
            }
            if (to < stop) {
                return; // the next key is beyond last
            }
        }
    }

    /** {@link #forEachUpTo} for object-valued trees. */
    @SuppressWarnings("unchecked")
    final <V> void forEachRefUpTo(long last, LongObjectConsumer<? super V> sink) {
        for (;;) {
            int to = runUpTo(last);
            if (to < 0) {
                return;
            }
            long[] ks = keys;
            Object[] rs = refs;
            for (int i = runFrom; i < to; i++) {
                sink.accept(ks[i], (V) rs[i]);
            }
            if (to < stop) {
                return;
            }
        }
    }
}
