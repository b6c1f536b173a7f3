package dev.cobtree.core;

/**
 * The fallback of a read that keeps failing its optimistic snapshot because writers keep
 * changing the segments it needs (docs/CONCURRENCY.md, "progress of counts" and "readers under
 * a busy writer"): a long count or position read after {@code Navigator.OPTIMISTIC_COUNT_TRIES}
 * failed confirmations; a point lookup, ceiling or floor after {@link ReadWalk#CONTENDED}
 * waits and failed validations (a writer that writes one segment without pause would otherwise
 * keep an optimistic reader from ever validating). It takes the locks of the segments it needs
 * in ascending order, the global lock order every writer and rebalance uses (so no deadlock),
 * each with {@link SegmentHeaders#lockForRead}, which holds a reader's turn while it tries so
 * that a writer that re-locks at once cannot win every race for the lock,
 * reads while nothing can change them, and releases every lock without a version change (nothing
 * was written, so readers' snapshots stay valid). The answer holds while all its locks are held:
 * that instant is its linearization point. Writers of those segments wait for one short read.
 */
final class LockedReads {

    private LockedReads() {
    }

    /** Number of keys in {@code [from, to]}, {@code from <= to}, with the range locked. */
    static long count(TreeEngine e, long from, long to) {
        WriterScratch x = WriterScratch.get();
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int a = SegmentWriter.lockHome(st, from, x, true);
            if (a < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            int b = a;
            while (!(to < h.hi(b) || h.isLast(b)) && h.lockForRead(b + 1)) {
                b++;
            }
            if (!(to < h.hi(b) || h.isLast(b))) { // a lock failed: a resize froze the storage
                release(h, a, b);
                e.structure.awaitResize(st);
                continue;
            }
            try {
                long total = 0;
                for (int s = a; s <= b; s++) {
                    int n = h.count(s);
                    int p = s == a ? st.search(s, n, from) : 0;
                    int q = s == b && to != Long.MAX_VALUE ? st.search(s, n, to + 1) : n;
                    total += Math.max(0, q - p);
                }
                return total;
            } finally {
                release(h, a, b);
            }
        }
    }

    /** The entry at position {@code index}, with the segments up to it locked. */
    static boolean select(TreeEngine e, long index, KeyValue out) {
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            long left = index;
            int b = -1;
            boolean frozen = false;
            while (true) {
                if (!h.lockForRead(b + 1)) {
                    frozen = true;
                    break;
                }
                b++;
                int n = h.count(b);
                if (left < n || h.isLast(b)) {
                    break;
                }
                left -= n;
            }
            try {
                if (frozen) {
                    continue;
                }
                if (left < h.count(b)) {
                    long c = st.base(b) + left;
                    out.set(st.cells.keyPlain(c), st.cells.valuePlain(c), st.cells.refPlain(c));
                    return true;
                }
                return false;
            } finally {
                release(h, 0, b);
                if (frozen) {
                    e.structure.awaitResize(st);
                }
            }
        }
    }

    /**
     * Whether {@code key} is present, with its home segment locked; its value (reference) in
     * {@code w.foundValue} ({@code w.foundRef}).
     */
    static boolean lookup(TreeEngine e, long key, ReadWalk w) {
        e.counters.lockedReads.increment();
        WriterScratch x = WriterScratch.get();
        for (;;) {
            Storage st = e.storage();
            int s = SegmentWriter.lockHome(st, key, x, true);
            if (s < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            try {
                int n = st.headers.count(s);
                int pos = st.search(s, n, key);
                long c = st.base(s) + pos;
                boolean found = pos < n && st.cells.keyPlain(c) == key;
                w.foundValue = found ? st.cells.valuePlain(c) : 0;
                w.foundRef = found ? st.cells.refPlain(c) : null;
                return found;
            } finally {
                st.headers.abort(s);
            }
        }
    }

    /** The least entry with key &ge; {@code key0}, with the segments from its home to the answer locked. */
    static boolean ceiling(TreeEngine e, long key0, KeyValue out) {
        e.counters.lockedReads.increment();
        WriterScratch x = WriterScratch.get();
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int a = SegmentWriter.lockHome(st, key0, x, true);
            if (a < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            int b = a;
            try {
                for (;;) {
                    int n = h.count(b);
                    int pos = b == a ? st.search(b, n, key0) : 0;
                    if (pos < n) {
                        long c = st.base(b) + pos;
                        out.set(st.cells.keyPlain(c), st.cells.valuePlain(c), st.cells.refPlain(c));
                        return true;
                    }
                    if (h.isLast(b)) {
                        return false;
                    }
                    if (!h.lockForRead(b + 1)) {
                        break; // frozen: a resize is under way
                    }
                    b++;
                }
            } finally {
                release(h, a, b);
            }
            e.structure.awaitResize(st);
        }
    }

    /**
     * The greatest entry with key &le; {@code key0}: segments {@code [home - span + 1, home]}
     * locked in ascending order (the home last, found by its fences under the locks), searched
     * downwards; if none holds an answer and segments remain to the left, again with twice the
     * span (each attempt stands alone: keys left of the first locked segment are below its lo).
     */
    static boolean floor(TreeEngine e, long key0, KeyValue out) {
        e.counters.lockedReads.increment();
        int span = 1;
        for (;;) {
            Storage st = e.storage();
            SegmentHeaders h = st.headers;
            int a = Math.max(0, st.index.find(key0) - span + 1);
            if (!h.lockForRead(a)) {
                e.structure.awaitResize(st);
                continue;
            }
            int b = a;
            boolean frozen = false;
            while (key0 >= h.hi(b) && !h.isLast(b)) { // extend right to the home of key0
                if (!h.lockForRead(b + 1)) {
                    frozen = true;
                    break;
                }
                b++;
            }
            try {
                if (frozen) {
                    continue;
                }
                if (key0 < h.lo(a)) {
                    span = Math.max(span, 2) * 2; // the tree's hint was right of the home: start further left
                    continue;
                }
                for (int s = b; s >= a; s--) {
                    int n = h.count(s);
                    int p = s == b ? st.search(s, n, key0) : n;
                    if (s == b && p < n && st.cells.keyPlain(st.base(s) + p) == key0) {
                        p++;
                    }
                    if (p > 0) {
                        long c = st.base(s) + p - 1;
                        out.set(st.cells.keyPlain(c), st.cells.valuePlain(c), st.cells.refPlain(c));
                        return true;
                    }
                }
                if (a == 0) {
                    return false;
                }
                span *= 2;
            } finally {
                release(h, a, b);
                if (frozen) {
                    e.structure.awaitResize(st);
                }
            }
        }
    }

    private static void release(SegmentHeaders h, int a, int b) {
        for (int s = a; s <= b; s++) {
            h.abort(s); // nothing changed: the word goes back to its even version
        }
    }
}
