package dev.cobtree.core;

/**
 * The point writes of a {@link CobTree}: insert, update, conditional update and remove of one
 * key, each under the lock of its home segment (docs/CONCURRENCY.md, lemma D).
 *
 * <p>A writer locks the segment its thread-local hint or the vEB tree suggests, walks to the
 * key's home segment under the fences (which the lock of a segment covers), decides and acts
 * under that one lock, and unlocks with a release store of version + 1. An insert shifts the
 * segment's tail one cell right (each cell under its own seqlock, from the end, so every entry
 * is always in some stable cell); a remove shifts left and clears the vacated last cell. A full
 * segment is released and handed to the {@link Rebalancer}; an over-full or under-full array to
 * {@link StructureChanges}.
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
    static boolean upsert(CobTree tree, long key, long value, int mode, long expected, WriterScratch x) {
        for (;;) {
            Storage st = tree.currentStorage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
                tree.structure().awaitResize(st);
                continue;
            }
            int n = h.count(s);
            long base = st.base(s);
            int pos = st.search(s, n, key);
            long c = base + pos;
            if (pos < n && st.cells.keyPlain(c) == key) {
                long old = st.cells.valuePlain(c);
                x.old = old;
                if (mode == PUT || mode == REPLACE || (mode == REPLACE_IF_EQUAL && old == expected)) {
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
            Rebalancer.Outcome outcome = Rebalancer.insert(st, s, key, value, x);
            if (outcome == Rebalancer.Outcome.INSERTED) {
                return false;
            }
            if (outcome == Rebalancer.Outcome.RESIZE) {
                tree.structure().resize(st, true, key);
            } else {
                tree.structure().awaitResize(st);
            }
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
    static boolean delete(CobTree tree, long key, boolean onlyIfEqual, long expected, WriterScratch x) {
        for (;;) {
            Storage st = tree.currentStorage();
            SegmentHeaders h = st.headers;
            int s = lockHome(st, key, x);
            if (s < 0) {
                tree.structure().awaitResize(st);
                continue;
            }
            int n = h.count(s);
            long base = st.base(s);
            int pos = st.search(s, n, key);
            long c = base + pos;
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
            // shift the tail one cell left over the removed entry, then empty the last cell
            long end = base + n - 1;
            for (long i = c; i < end; i++) {
                st.writeCell(i, st.cells.keyPlain(i + 1), st.cells.valuePlain(i + 1), CellMeta.DELETING);
            }
            st.clearCell(end);
            h.setCount(s, n - 1);
            st.refreshPivots(s, n - 1);
            st.counts.add(s, -1);
            h.unlock(s);
            if (n - 1 < st.sparse && st.segments > tree.minSegments()
                    && st.counts.total() < Rebalancer.ROOT_MIN * st.capacity()) {
                tree.structure().resize(st, false, key);
            }
            return true;
        }
    }
}
