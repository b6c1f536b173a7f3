package dev.cobtree.core;

/**
 * The point writes of a {@link CobTree}: insert, update, conditional update and remove of one
 * key, and the removal of the first or last entry; each under the lock of its home segment
 * (docs/CONCURRENCY.md, lemma "point write").
 *
 * <p>A writer locks the segment its thread-local hint or the vEB tree suggests, walks to the
 * key's home segment under the fences (which the lock of a segment covers), decides and acts
 * under that one lock, and unlocks with a release store of version + 1. An insert shifts the
 * segment's tail one cell right (each cell under its own seqlock, from the end, so every entry
 * is always in some stable cell); a remove shifts left and clears the vacated last cell. A full
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
     * then in {@code x.old}); what changed depends on the mode.
     */
    static boolean upsert(TreeEngine e, long key, long value, int mode, long expected, WriterScratch x) {
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            boolean writing = false;
            try {
                int n = h.count(s);
                long base = st.base(s);
                int pos = st.search(s, n, key);
                long c = base + pos;
                if (pos < n && st.cells.keyPlain(c) == key) {
                    long old = st.cells.valuePlain(c);
                    x.old = old;
                    if (mode == PUT || mode == REPLACE || (mode == REPLACE_IF_EQUAL && old == expected)) {
                        writing = true;
                        st.writeValue(c, value);
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
                    writing = true;
                    // shift the tail one cell right, from the end, each cell under its seqlock
                    for (long i = base + n; i > c; i--) {
                        st.writeCell(i, st.cells.keyPlain(i - 1), st.cells.valuePlain(i - 1), CellMeta.EMPTY);
                    }
                    st.writeCell(c, key, value, CellMeta.INSERTING);
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
            Rebalancer.Outcome outcome = Rebalancer.insert(e, st, s, key, value, x);
            if (outcome == Rebalancer.Outcome.INSERTED) {
                return false;
            }
            if (outcome == Rebalancer.Outcome.RESIZE) {
                e.structure.resize(st, true, key);
            } else {
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
        SegmentHeaders h = st.headers;
        int s = segmentFor(st, key, x);
        if (!h.lock(s)) {
            return -1;
        }
        while (key < h.lo(s) || (key >= h.hi(s) && !h.isLast(s))) {
            int next = key < h.lo(s) ? s - 1 : s + 1;
            h.abort(s);
            s = next;
            if (!h.lock(s)) {
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
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
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
                x.old = old;
                if (onlyIfEqual && old != expected) {
                    h.abort(s);
                    return true;
                }
                writing = true;
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
        for (long i = c; i < end; i++) {
            st.writeCell(i, st.cells.keyPlain(i + 1), st.cells.valuePlain(i + 1), CellMeta.DELETING);
        }
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
     * Removes the first (or last) entry so that it is the first (last) at the instant it is
     * removed: a read walk finds the segment f of the first (last) entry, then the writer locks
     * every segment from the array's start to f (from f to the array's end) in ascending order,
     * checks under the locks that all of them but f are still empty, and removes f's first (last)
     * entry while no entry can appear before (after) it. Returns false, leaving {@code out}
     * alone, if the index was empty at an instant of the call.
     */
    static boolean pollEdge(TreeEngine e, boolean first, KeyValue out) {
        WriterScratch x = WriterScratch.get();
        KeyValue probe = x.probe;
        for (;;) {
            Storage st = e.storage();
            boolean any = first ? Navigator.ceiling(e, Long.MIN_VALUE, probe) : Navigator.floor(e, Long.MAX_VALUE, probe);
            if (!any) {
                return false;
            }
            SegmentHeaders h = st.headers;
            int f = lockHome(st, probe.key, x);
            if (f < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            // lock the empty side: [0, f) before f is taken would break the ascending order, so
            // for a first entry release f and take [0, f] ascending; for a last entry add (f, end]
            int a = first ? 0 : f;
            int b = first ? f : st.segments - 1;
            if (first && f > 0) {
                h.abort(f);
                a = 0;
            }
            int locked = first && f > 0 ? a - 1 : f; // highest segment held so far
            boolean ok = true;
            while (locked < b) {
                if (!h.lock(locked + 1)) {
                    ok = false;
                    break;
                }
                locked++;
            }
            int held0 = first ? 0 : f;
            if (!ok) {
                release(h, held0, locked);
                e.structure.awaitResize(st);
                continue;
            }
            boolean writing = false;
            int n;
            long key;
            try {
                boolean othersEmpty = true;
                for (int j = a; j <= b && othersEmpty; j++) {
                    othersEmpty = j == f || h.count(j) == 0;
                }
                n = h.count(f);
                if (!othersEmpty || n == 0) {
                    release(h, a, b); // something moved since the walk: look again
                    continue;
                }
                int pos = first ? 0 : n - 1;
                long c = st.base(f) + pos;
                key = st.cells.keyPlain(c);
                long value = st.cells.valuePlain(c);
                writing = true;
                removeAt(st, f, n, pos);
                h.unlock(f);
                for (int j = a; j <= b; j++) {
                    if (j != f) {
                        h.abort(j);
                    }
                }
                out.set(key, value);
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

    private static void release(SegmentHeaders h, int a, int b) {
        for (int j = a; j <= b; j++) {
            h.abort(j);
        }
    }
}
