package dev.cobtree.core;

/**
 * The point writes of a {@link CobTree}: insert, update, conditional update and remove of one
 * key, and the removal of the first or last entry; each under the lock of its home segment
 * (docs/CONCURRENCY.md, lemma "point write").
 *
 * <p>A writer locks the segment its thread-local hint or the vEB tree suggests, walks to the
 * key's home segment under the fences (which the lock of a segment covers), decides and acts
 * under that one lock, and unlocks with a release store of version + 1. An insert shifts the
 * segment's tail one cell right, a remove shifts it left and clears the vacated last cell
 * ({@link Storage#shift}: each destination under its own seqlock, the destinations' windows
 * opened together and the data moved in bulk; no reader needs a shifted entry to stay in a
 * stable cell meanwhile, since readers of a locked segment trust only a cell they read stable
 * and unchanged, docs/CONCURRENCY.md "point write"). A full
 * segment is released and handed to the {@link Rebalancer}; an over-full or under-full array to
 * {@link StructureChanges}.
 *
 * <p><b>Failures.</b> Every lock is released on every path. A throwable before the first store
 * (the decision reads only) releases with {@code abort} (nothing changed). A throwable after it
 * (a mapped store's I/O fault, an error thrown half-way through a shift) leaves a segment whose
 * cells no longer match its count, so the tree stops serving ({@link TreeEngine#fail}): every
 * later call throws {@link IllegalStateException} naming the cause, and no reader can validate a
 * half-written segment.
 */
final class SegmentWriter {

    static final int PUT = 0;
    static final int PUT_IF_ABSENT = 1;
    static final int REPLACE = 2;
    static final int REPLACE_IF_EQUAL = 3;

    private SegmentWriter() {
    }

    /**
     * The one write path for inserts and updates. Returns whether the key was present (its value
     * then in {@code x.old}, or its reference in {@code x.oldRef}); what changed depends on the
     * mode. An object-valued tree passes its value as {@code ref} (value 0) and, for
     * {@link #REPLACE_IF_EQUAL}, its expected value as {@code expectedRef}, compared with
     * {@code equals} under the segment lock (as {@code ConcurrentMap} requires); a long-valued
     * tree passes null references.
     */
    static boolean upsert(TreeEngine e, long key, long value, int mode, long expected, WriterScratch x) {
        return upsert(e, key, value, null, mode, expected, null, x);
    }

    static boolean upsert(TreeEngine e, long key, long value, Object ref, int mode, long expected, Object expectedRef,
                          WriterScratch x) {
        WriterGate gate = e.snapshots.gate;
        long generation = gate.enter(x);
        try {
            return upsertInGate(e, key, value, ref, mode, expected, expectedRef, x, generation);
        } finally {
            gate.exit(x);
            e.snapshots.sweepIfNeeded(); // outside the gate: finishes closing snapshots the memory limit invalidated
        }
    }

    /**
     * Before the first store to segment s (locked) of a write that entered the gate with
     * {@code generation}: keeps the segment's pre-image for the open snapshots that need it
     * ({@link Snapshots#beforeWrite}); free when no snapshot is open.
     */
    static void beforeWrite(TreeEngine e, Storage st, int s, long generation) {
        if (generation != 0) {
            e.snapshots.beforeWrite(st, s, generation);
        }
    }

    /**
     * Whether {@code key} is above every key of segment s (n entries; the caller holds its lock, so
     * they are stable): the write of an ascending stream, placed at n without a search. The last
     * pivot (in the header line the lock loaded) is compared first, so most other writes read no
     * more than they did; only the last key decides.
     */
    private static boolean appends(Storage st, int s, int n, long key) {
        if (n == 0 || (n >= SegmentHeaders.PIVOT_MIN_COUNT && st.headers.pivot(s, SegmentHeaders.PIVOTS - 1) >= key)) {
            return false;
        }
        return st.cells.keyPlain(st.base(s) + n - 1) < key;
    }

    private static boolean upsertInGate(TreeEngine e, long key, long value, Object ref, int mode, long expected,
                                        Object expectedRef, WriterScratch x, long generation) {
        x.changed = false;
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
                e.counters.writerRetries.increment(); // rare: the write starts over
                e.structure.awaitResize(st);
                continue;
            }
            boolean writing = false;
            try {
                int n = h.count(s);
                long base = st.base(s);
                int pos = appends(st, s, n, key) ? n : st.search(s, n, key);
                long c = base + pos;
                if (pos < n && st.cells.keyPlain(c) == key) {
                    long old = st.cells.valuePlain(c);
                    Object oldRef = st.refs ? st.cells.refPlain(c) : null;
                    x.old = old;
                    x.oldRef = oldRef;
                    if (mode == PUT || mode == REPLACE || (mode == REPLACE_IF_EQUAL && old == expected
                            && (expectedRef == null || expectedRef.equals(oldRef)))) {
                        beforeWrite(e, st, s, generation);
                        writing = true;
                        x.changed = true;
                        st.writeValue(c, value, ref);
                        h.unlock(s);
                    } else {
                        h.abort(s);
                    }
                    return true;
                }
                if (mode == REPLACE || mode == REPLACE_IF_EQUAL) {
                    h.abort(s);
                    return false;
                }
                x.hintStorage = st.id;
                x.hintSegment = s;
                if (n < st.segmentSize) {
                    beforeWrite(e, st, s, generation);
                    writing = true;
                    x.changed = true;
                    // shift the tail one cell right, each destination under its seqlock
                    st.shift(c, c + 1, (int) (base + n - c), CellMeta.EMPTY);
                    st.writeCell(c, key, value, ref, CellMeta.INSERTING);
                    h.setCount(s, n + 1);
                    st.refreshPivots(s, n + 1);
                    st.counts.add(s, 1);
                    h.unlock(s);
                    return false;
                }
                h.abort(s);
            } catch (RuntimeException | Error t) {
                releaseAfterFailure(e, st, s, writing, t);
                throw t;
            }
            x.snapshotGeneration = generation; // set here: user code (equals, above) may have written another tree
            Rebalancer.Outcome outcome = Rebalancer.insert(e, st, s, key, value, ref, x);
            if (outcome == Rebalancer.Outcome.INSERTED) {
                x.changed = true;
                return false;
            }
            if (outcome == Rebalancer.Outcome.RESIZE) {
                e.structure.resize(st, true, key);
            } else {
                e.counters.writerRetries.increment(); // rare: the write starts over
                e.structure.awaitResize(st);
            }
        }
    }

    /**
     * Releases the lock of s on a failure path. The lock is still held here: unlock and abort are
     * the last statements of each locked path and cannot throw. Before any store nothing changed
     * (abort); after one the segment may be half-shifted and the tree stops serving.
     */
    private static void releaseAfterFailure(TreeEngine e, Storage st, int s, boolean writing, Throwable t) {
        if (writing) {
            e.fail(st, s, s + 1, t);
        } else {
            st.headers.abort(s);
        }
    }

    /**
     * Locks the home segment of {@code key} and returns it, or -1 if the storage is frozen or
     * replaced. Under the lock of s, lo(s) and hi(s) are stable (invariant F), so the writer walks
     * to the home segment one lock at a time, never holding two.
     */
    static int lockHome(Storage st, long key, WriterScratch x) {
        return lockHome(st, key, x, false);
    }

    /**
     * {@link #lockHome(Storage, long, WriterScratch)} for a reader ({@code reader}: each lock is
     * {@link SegmentHeaders#lockForRead}, which asks the segment's writers for a turn).
     */
    static int lockHome(Storage st, long key, WriterScratch x, boolean reader) {
        SegmentHeaders h = st.headers;
        int s = segmentFor(st, key, x);
        if (!(reader ? h.lockForRead(s) : h.lock(s))) {
            return -1;
        }
        while (key < h.lo(s) || (key >= h.hi(s) && !h.isLast(s))) {
            int next = key < h.lo(s) ? s - 1 : s + 1;
            h.abort(s);
            s = next;
            if (!(reader ? h.lockForRead(s) : h.lock(s))) {
                return -1;
            }
        }
        return s;
    }

    /**
     * The segment a writer starts from: the one this thread wrote last if the key is inside its
     * fences (a racy look at the header, which the thread has just used; the lock re-checks), so
     * that ascending and descending streams skip the tree descent; otherwise the tree's answer.
     */
    static int segmentFor(Storage st, long key, WriterScratch x) {
        if (x.hintStorage == st.id) {
            int s = x.hintSegment;
            SegmentHeaders h = st.headers;
            if (key >= h.lo(s) && (key < h.hi(s) || h.isLast(s))) {
                return s;
            }
        }
        return st.index.find(key);
    }

    /** Returns whether the key was present (value in x.old); removes it unless the value check fails. */
    static boolean delete(TreeEngine e, long key, boolean onlyIfEqual, long expected, WriterScratch x) {
        return delete(e, key, onlyIfEqual, expected, null, x);
    }

    /**
     * As above; an object-valued tree's value check compares {@code expectedRef.equals} the
     * current reference under the segment lock (reference in {@code x.oldRef}).
     */
    static boolean delete(TreeEngine e, long key, boolean onlyIfEqual, long expected, Object expectedRef, WriterScratch x) {
        WriterGate gate = e.snapshots.gate;
        long generation = gate.enter(x);
        try {
            return deleteInGate(e, key, onlyIfEqual, expected, expectedRef, x, generation);
        } finally {
            gate.exit(x);
            e.snapshots.sweepIfNeeded(); // outside the gate: finishes closing snapshots the memory limit invalidated
        }
    }

    private static boolean deleteInGate(TreeEngine e, long key, boolean onlyIfEqual, long expected, Object expectedRef,
                                        WriterScratch x, long generation) {
        x.changed = false;
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
                e.counters.writerRetries.increment(); // rare: the write starts over
                e.structure.awaitResize(st);
                continue;
            }
            boolean writing = false;
            int n;
            try {
                n = h.count(s);
                int pos = st.search(s, n, key);
                long c = st.base(s) + pos;
                if (pos >= n || st.cells.keyPlain(c) != key) {
                    h.abort(s);
                    return false;
                }
                long old = st.cells.valuePlain(c);
                Object oldRef = st.refs ? st.cells.refPlain(c) : null;
                x.old = old;
                x.oldRef = oldRef;
                if (onlyIfEqual && (old != expected || (expectedRef != null && !expectedRef.equals(oldRef)))) {
                    h.abort(s);
                    return true;
                }
                beforeWrite(e, st, s, generation);
                writing = true;
                x.changed = true;
                removeAt(st, s, n, pos);
                h.unlock(s);
            } catch (RuntimeException | Error t) {
                releaseAfterFailure(e, st, s, writing, t);
                throw t;
            }
            shrinkIfSparse(e, st, n - 1, key);
            return true;
        }
    }

    /** Under the lock of s (n entries): shifts the tail left over position pos and empties the last cell. */
    private static void removeAt(Storage st, int s, int n, int pos) {
        long c = st.base(s) + pos;
        long end = st.base(s) + n - 1;
        st.shift(c + 1, c, (int) (end - c), CellMeta.DELETING);
        st.clearCell(end);
        st.headers.setCount(s, n - 1);
        st.refreshPivots(s, n - 1);
        st.counts.add(s, -1);
    }

    private static void shrinkIfSparse(TreeEngine e, Storage st, int segmentCount, long key) {
        if (segmentCount < st.sparse && st.segments > e.minSegments
                && st.counts.total() < Rebalancer.ROOT_MIN * st.capacity()) {
            e.structure.resize(st, false, key);
        }
    }

    /**
     * Removes the first (or last) entry with key in {@code [from, to]} so that it is the first
     * (last) of that range at the instant it is removed. A linearizable read walk first looks for
     * it (and answers "none" without locking if the range is empty). Then the writer locks, in
     * ascending order (the global lock order), every segment from the one holding the range's
     * start to the one holding the candidate (from the candidate's to the one holding the
     * range's end), checks under those locks which entry is first (last) in the range, and
     * removes it while no entry can appear before (after) it in the range. Returns false,
     * leaving {@code out} alone, if the range was empty at an instant of the call.
     */
    static boolean pollEdge(TreeEngine e, boolean first, long from, long to, KeyValue out) {
        WriterScratch x = WriterScratch.get();
        WriterGate gate = e.snapshots.gate;
        long generation = gate.enter(x);
        try {
            return pollEdgeInGate(e, first, from, to, out, x, generation);
        } finally {
            gate.exit(x);
            e.snapshots.sweepIfNeeded(); // outside the gate: finishes closing snapshots the memory limit invalidated
        }
    }

    private static boolean pollEdgeInGate(TreeEngine e, boolean first, long from, long to, KeyValue out, WriterScratch x,
                                          long generation) {
        KeyValue probe = x.probe;
        for (;;) {
            Storage st = e.storage();
            boolean any = first ? Navigator.ceiling(e, from, probe) : Navigator.floor(e, to, probe);
            probe.ref = null; // the key is all we need; the thread-local probe must not keep a value reachable
            if (!any || (first ? probe.key > to : probe.key < from)) {
                return false;
            }
            SegmentHeaders h = st.headers;
            int a = lockHome(st, first ? from : probe.key, x);
            if (a < 0) {
                e.counters.writerRetries.increment(); // rare: the write starts over
                e.structure.awaitResize(st);
                continue;
            }
            int b = a;
            // ascending: for the first entry, until a segment holds an entry >= from or the range ends;
            // for the last, until the segment that holds the range's end
            while (first ? firstAtLeast(st, a, b, from) >= h.count(b) && !(to < h.hi(b) || h.isLast(b))
                    : !(to < h.hi(b) || h.isLast(b))) {
                if (!h.lock(b + 1)) {
                    b = -b - 2; // marks "a lock failed" with the held range [a, -b - 2]
                    break;
                }
                b++;
            }
            if (b < 0) {
                release(h, a, -b - 2);
                e.counters.writerRetries.increment(); // rare: the write starts over
                e.structure.awaitResize(st);
                continue;
            }
            int f;
            int pos;
            if (first) {
                f = b;
                pos = firstAtLeast(st, a, b, from);
            } else {
                // the last segment in [a, b] with an entry <= to, and that entry
                f = -1;
                pos = -1;
                for (int j = b; j >= a; j--) {
                    int n = h.count(j);
                    int p = j == b && to != Long.MAX_VALUE ? st.search(j, n, to + 1) : n;
                    if (p > 0) {
                        f = j;
                        pos = p - 1;
                        break;
                    }
                }
                if (f < 0) {
                    release(h, a, b); // the candidate went meanwhile and the last entry is further left: look again
                    continue;
                }
            }
            int n = h.count(f);
            long c = st.base(f) + pos;
            long key = pos >= 0 && pos < n ? st.cells.keyPlain(c) : 0;
            if (pos < 0 || pos >= n || key < from || key > to) {
                release(h, a, b); // the range is empty at this instant (the locks hold it so)
                return false;
            }
            boolean writing = false;
            try {
                long value = st.cells.valuePlain(c);
                Object ref = st.refs ? st.cells.refPlain(c) : null;
                beforeWrite(e, st, f, generation);
                writing = true;
                removeAt(st, f, n, pos);
                h.unlock(f); // release, version + 1
                for (int j = a; j <= b; j++) {
                    if (j != f) {
                        h.abort(j); // unchanged: the old even word
                    }
                }
                out.set(key, value, ref);
            } catch (RuntimeException | Error t) {
                if (writing) {
                    e.fail(st, a, b + 1, t);
                } else {
                    release(h, a, b);
                }
                throw t;
            }
            shrinkIfSparse(e, st, n - 1, key);
            return true;
        }
    }

    /** Position in locked segment j of its first entry &ge; from (only segment a can hold smaller ones). */
    private static int firstAtLeast(Storage st, int a, int j, long from) {
        return j == a ? st.search(j, st.headers.count(j), from) : 0;
    }

    private static void release(SegmentHeaders h, int a, int b) {
        for (int j = a; j <= b; j++) {
            h.abort(j);
        }
    }
}
