package dev.cobtree.core;

/**
 * The fallback of a long count or position read that keeps failing its confirmation because
 * writers keep changing the range it spans (docs/CONCURRENCY.md, "progress of counts"): it
 * takes the locks of the range's segments in ascending order, the global lock order every
 * writer and rebalance uses (so no deadlock), reads the counts while nothing can change them,
 * and releases every lock without a version change (nothing was written, so readers' snapshots
 * stay valid). Writers of those segments wait for the duration of one pass over their headers.
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
            int a = SegmentWriter.lockHome(st, from, x);
            if (a < 0) {
                e.structure.awaitResize(st);
                continue;
            }
            int b = a;
            while (!(to < h.hi(b) || h.isLast(b)) && h.lock(b + 1)) {
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
                if (!h.lock(b + 1)) {
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

    private static void release(SegmentHeaders h, int a, int b) {
        for (int s = a; s <= b; s++) {
            h.abort(s); // nothing changed: the word goes back to its even version
        }
    }
}
