package dev.cobtree.core;

/**
 * Rebalancing of the packed memory array by moving cells: what happens when an insert finds
 * its segment full.
 *
 * <h2>Algorithm</h2>
 * Segments are the leaves of an implicit tree of aligned windows: the window of level l that
 * holds segment s is {@code [s >> l << l, +2^l)} (clipped to the array; the level that covers
 * the whole array is the root, H = ceil(log2 segments)). Each level has an upper density bound
 * that falls linearly from 1.0 at the leaves to {@link #ROOT_MAX} at the root (Bender et al.).
 * A full segment is fixed by rebalancing the smallest window, from level 1 up, whose count plus
 * the new entry stays within its bound; the entries of the window are spread over its segments
 * (each segment packed at its left end) and the new entry takes its place among them. If even
 * the root is too dense, the array is grown instead ({@link Resizer}).
 *
 * <h2>Spreading without losing an entry (Move rebalancing)</h2>
 * The window's entries e_0..e_m-1 (sorted, the new one among them) have sources s_i and targets
 * t_i, both increasing. Entries moving left are moved in increasing order, entries moving right
 * in decreasing order; with increasing sources and targets, no move can overwrite the source of
 * an entry not yet moved. Each move writes the destination under its cell seqlock first, and
 * only then marks the source MOVE (with the distance to the destination); vacated sources are
 * cleared after every move is done. So every entry is in some cell at every instant and every
 * stable occupied cell holding key k holds k's current value, which is what lets a reader take
 * a positive hit from any cell it reads consistently (docs/CONCURRENCY.md, invariant C and
 * lemma "positive hit").
 *
 * <h2>Sequential inserts (adaptive packing, after Bender and Hu's APMA)</h2>
 * When the new entry is the greatest of its window (an ascending stream), the entries are packed
 * from the left at the root density, and the first empty segment after them is given the range
 * above the new key, so the next inserts of the stream land in empty segments instead of forcing
 * another rebalance at once. Symmetrically for a descending stream (packed from the right).
 *
 * <h2>Locks</h2>
 * The caller holds no lock. The window's segments are locked in ascending order (the global
 * order every writer uses, so there is no deadlock); everything is re-checked under the locks:
 * the counts, that the key's home segment is inside the window, that the key is still absent.
 * The window's outer fences are never changed; inner fences, counts, block sums and the vEB
 * separators are rewritten before the segments are unlocked (release, version + 1).
 */
final class Rebalancer {

    /** Upper density bound of the root window; above it the array grows. */
    static final double ROOT_MAX = 0.90;
    /** Density a grown or shrunk array starts at. */
    static final double RESIZE_TARGET = 0.65;
    /** Density below which the array shrinks. */
    static final double ROOT_MIN = 0.25;

    enum Outcome { INSERTED, RETRY, RESIZE }

    private Rebalancer() {
    }

    static int levels(int segments) {
        return segments <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(segments - 1);
    }

    static double upperBound(int level, int height) {
        return height == 0 ? 1.0 : 1.0 - (1.0 - ROOT_MAX) * level / height;
    }

    /**
     * Makes room for {@code key} (absent, whose home segment s was full) and inserts it.
     * RETRY: the situation changed while no lock was held (call again from the top);
     * RESIZE: the whole array is too dense (grow it, then call again).
     */
    static Outcome insert(TreeEngine e, Storage st, int s, long key, long value, Object ref, WriterScratch x) {
        SegmentHeaders h = st.headers;
        int n = st.segments;
        int height = levels(n);
        long size = st.segmentSize;
        for (int level = 1; level <= Math.max(height, 1); level++) {
            boolean root = level >= height;
            int a = root ? 0 : (s >> level) << level;
            int b = root ? n : Math.min(n, a + (1 << level));
            double limit = upperBound(Math.min(level, height), height) * (b - a) * size;
            if (st.counts.sum(a, b) + 1 > limit) {
                if (root) {
                    return Outcome.RESIZE;
                }
                continue;
            }
            if (!lockWindow(h, a, b)) {
                return Outcome.RETRY; // frozen: a resize is under way
            }
            boolean done = false;
            boolean moving = false;
            Throwable failure = null;
            try {
                int m = 0;
                for (int j = a; j < b; j++) {
                    m += h.count(j);
                }
                if (key < h.lo(a) || (!h.isLast(b - 1) && key >= h.hi(b - 1))) {
                    return Outcome.RETRY; // fences moved: the key's home is no longer here
                }
                int home = a;
                while (home < b - 1 && key >= h.hi(home)) {
                    home++;
                }
                int homeCount = h.count(home);
                int pos = st.search(home, homeCount, key);
                if (pos < homeCount && st.cells.keyPlain(st.base(home) + pos) == key) {
                    return Outcome.RETRY; // inserted meanwhile: the caller's mode decides what to do
                }
                if (m + 1 > limit) {
                    if (root) {
                        return Outcome.RESIZE;
                    }
                    continue;
                }
                int rank = pos;
                for (int j = a; j < home; j++) {
                    rank += h.count(j);
                }
                x.ensureSegments(2 * (b - a)); // the only allocation: before any cell is touched
                for (int j = a; j < b; j++) {
                    SegmentWriter.beforeWrite(e, st, j, x.snapshotGeneration); // pre-images, before the first store
                }
                moving = true;
                spread(st, a, b, m, rank, key, value, ref, x);
                e.counters.rebalanced(x.moved);
                done = true;
                return Outcome.INSERTED;
            } catch (RuntimeException | Error t) {
                failure = t;
                throw t;
            } finally {
                if (done) {
                    for (int j = a; j < b; j++) {
                        h.unlock(j); // release, version + 1: publishes the spread window
                    }
                } else if (!moving) {
                    for (int j = a; j < b; j++) {
                        h.abort(j); // nothing was written: the old words are still true
                    }
                } else {
                    // spread threw half-way: restoring the old words would let readers validate
                    // a half-moved window, so the tree stops serving (and the window is released)
                    e.fail(st, a, b, failure);
                }
            }
        }
        return Outcome.RESIZE;
    }

    /** Locks [a, b) in ascending order; on a frozen segment releases what it took and fails. */
    private static boolean lockWindow(SegmentHeaders h, int a, int b) {
        for (int j = a; j < b; j++) {
            if (!h.lock(j)) {
                for (int i = a; i < j; i++) {
                    h.abort(i);
                }
                return false;
            }
        }
        return true;
    }

    /**
     * Spreads the m entries of the locked window [a, b) plus the new one (which takes position
     * {@code rank} among them) over the window, in place. Entries are visited in runs that keep
     * the same source-to-target distance (a run ends where a source or a target segment ends, or
     * at the new entry), so a run that does not move costs O(1) and the window is never copied
     * out.
     */
    private static void spread(Storage st, int a, int b, int m, int rank, long key, long value, Object ref, WriterScratch x) {
        SegmentHeaders h = st.headers;
        x.moved = 0;
        int w = b - a;
        int total = m + 1;
        int[] counts = x.newCounts;          // counts[0..w): new counts
        int oldAt = w;                       // counts[w..2w): old counts
        for (int j = 0; j < w; j++) {
            counts[oldAt + j] = h.count(a + j);
        }
        int size = st.segmentSize;

        // 1. the new counts: packed for a sequential stream, else even
        boolean packLeft = w > 1 && rank == total - 1 && key != Long.MAX_VALUE;
        boolean packRight = w > 1 && !packLeft && rank == 0 && key != Long.MIN_VALUE;
        if (packLeft || packRight) {
            // at the end of the key space (nothing but empty MAX/MIN-fenced segments beyond the
            // window) the stream is an append or prepend (ids, timestamps): pack segments full
            boolean arrayEnd = packLeft ? h.isLast(b - 1) || h.hi(b - 1) == Long.MAX_VALUE
                    : a == 0 || h.lo(a) == Long.MIN_VALUE;
            int fill = arrayEnd ? size : Math.max((total + w - 1) / w, (int) (size * ROOT_MAX));
            int left = total;
            for (int j = 0; j < w; j++) {
                int c = Math.min(fill, left);
                counts[packLeft ? j : w - 1 - j] = c;
                left -= c;
            }
        } else {
            int q = total / w;
            int r = total % w;
            for (int j = 0; j < w; j++) {
                counts[j] = q + (int) (((long) (j + 1) * r) / w - ((long) j * r) / w);
            }
        }

        // 2. left-movers in ascending order (see the class comment for why this order is safe)
        int sj = 0;
        int so = 0;
        int tj = 0;
        int to = 0;
        for (int e = 0; e < total; ) {
            while (to >= counts[tj]) {
                tj++;
                to = 0;
            }
            if (e == rank) {
                to++;
                e++;
                continue;
            }
            while (so >= counts[oldAt + sj]) {
                sj++;
                so = 0;
            }
            int run = Math.min(counts[oldAt + sj] - so, counts[tj] - to);
            run = Math.min(run, e < rank ? rank - e : total - e);
            long src = st.base(a + sj) + so;
            long t = st.base(a + tj) + to;
            if (t < src) {
                x.moved += run;
                for (int i = 0; i < run; i++) {
                    move(st, src + i, t + i);
                }
            }
            so += run;
            to += run;
            e += run;
        }

        // 3. right-movers in descending order; find the new entry's cell on the way
        sj = w - 1;
        so = counts[oldAt + sj] - 1;
        tj = w - 1;
        to = counts[tj] - 1;
        long target = -1;
        for (int e = total - 1; e >= 0; ) {
            while (to < 0) {
                tj--;
                to = counts[tj] - 1;
            }
            if (e == rank) {
                target = st.base(a + tj) + to;
                to--;
                e--;
                continue;
            }
            while (so < 0) {
                sj--;
                so = counts[oldAt + sj] - 1;
            }
            int run = Math.min(so + 1, to + 1);
            run = Math.min(run, e > rank ? e - rank : e + 1);
            long src = st.base(a + sj) + so;
            long t = st.base(a + tj) + to;
            if (t > src) {
                x.moved += run;
                for (int i = 0; i < run; i++) {
                    move(st, src - i, t - i);
                }
            }
            so -= run;
            to -= run;
            e -= run;
        }
        // the new entry last: its cell is now either empty or a vacated source
        st.writeCell(target, key, value, ref, CellMeta.INSERTING);

        // 4. clear vacated cells (an object-valued cell drops its reference), then publish counts, block sums and fences
        for (int k = 0; k < w; k++) {
            int s = a + k;
            int oldCount = counts[oldAt + k];
            for (int c = counts[k]; c < oldCount; c++) {
                st.clearCell(st.base(s) + c);
            }
            if (counts[k] != oldCount) {
                h.setCount(s, counts[k]);
                st.counts.add(s, counts[k] - oldCount);
            }
            st.refreshPivots(s, counts[k]);
        }
        long next = h.isLast(b - 1) ? Long.MAX_VALUE : h.hi(b - 1);
        int firstFull = firstFull(counts, w);
        int lastFull = -1;
        for (int k = w - 1; k >= 0; k--) {
            if (counts[k] > 0) {
                lastFull = k;
                break;
            }
        }
        for (int k = w - 1; k >= 1; k--) {
            int s = a + k;
            long lo;
            if (counts[k] > 0) {
                lo = st.cells.keyPlain(st.base(s));
            } else if (packLeft && k == lastFull + 1) {
                lo = key + 1; // the stream's next keys belong to this empty segment
            } else if (packRight && k < firstFull) {
                lo = h.lo(a); // empty ranges; the segment just left of the entries takes the stream
            } else {
                lo = next; // empty range
            }
            next = lo;
            if (h.lo(s) != lo) {
                h.setLo(s, lo);
                h.setHi(s - 1, lo);
                st.index.setFence(s, lo);
            }
        }
    }

    /** One Move: destination written under its seqlock first, then the source marked MOVE. */
    private static void move(Storage st, long src, long dst) {
        st.copyCell(src, dst, CellMeta.MOVE);
        st.markMoved(src);
    }

    private static int firstFull(int[] counts, int w) {
        for (int k = 0; k < w; k++) {
            if (counts[k] > 0) {
                return k;
            }
        }
        return w;
    }

}
