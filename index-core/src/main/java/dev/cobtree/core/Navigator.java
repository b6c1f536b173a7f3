package dev.cobtree.core;

/**
 * Ordered reads that may cross segments: ceiling, floor, rank, select, and the segment-at-a-time
 * snapshots behind {@link CobTree.Cursor}.
 *
 * <p>All of them follow one rule (docs/CONCURRENCY.md, lemma B): <b>iterate by key, never by
 * segment index</b>. Each step takes a validated snapshot of the home segment of a key {@code k}
 * (seqlock word, fences, count and cells read between an acquire load and a re-validation of the
 * word), uses only entries on the requested side of {@code k}, and continues from the
 * <em>validated</em> fence of that snapshot ({@code hi} going up, {@code lo - 1} going down).
 * A rebalance can move entries across segments between two steps, but only inside the fence
 * ranges it owns, so the next step's snapshot of the range beyond the fence sees every entry that
 * was present throughout, and every emitted key lies strictly beyond the previous step's range:
 * keys come out strictly monotone and nothing present throughout is missed.
 */
final class Navigator {

    private Navigator() {
    }

    /** The least entry with key &ge; {@code key}. */
    static boolean ceiling(CobTree tree, long key, KeyValue out) {
        Storage st = tree.currentStorage();
        int s = st.index.find(key);
        int spins = 0;
        for (;;) {
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s); // acquire: the snapshot's loads stay below it
            if ((v1 & SegmentHeaders.INVALID) != 0) {
                st = tree.currentStorage();
                s = st.index.find(key);
                continue;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            boolean last = h.isLast(s);
            int n = st.clampCount(h.count(s));
            long base = st.base(s);
            int pos = st.search(s, n, key);
            boolean found = pos < n;
            long k = found ? st.cells.keyOpaque(base + pos) : 0;
            long v = found ? st.cells.valueOpaque(base + pos) : 0;
            if (!h.validate(s, v1)) {
                continue;
            }
            if (key < lo) {
                s--;
            } else if (key >= hi && !last) {
                s++;
            } else if (found) {
                out.set(k, v);
                return true;
            } else if (last) {
                return false;
            } else {
                key = hi; // everything in s is below key: go on from the validated upper fence
                s++;
            }
        }
    }

    /** The greatest entry with key &le; {@code key}. */
    static boolean floor(CobTree tree, long key, KeyValue out) {
        Storage st = tree.currentStorage();
        int s = st.index.find(key);
        int spins = 0;
        for (;;) {
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s);
            if ((v1 & SegmentHeaders.INVALID) != 0) {
                st = tree.currentStorage();
                s = st.index.find(key);
                continue;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            boolean last = h.isLast(s);
            int n = st.clampCount(h.count(s));
            long base = st.base(s);
            int pos = st.search(s, n, key);
            if (pos < n && st.cells.keyOpaque(base + pos) == key) {
                pos++;
            }
            boolean found = pos > 0;
            long k = found ? st.cells.keyOpaque(base + pos - 1) : 0;
            long v = found ? st.cells.valueOpaque(base + pos - 1) : 0;
            if (!h.validate(s, v1)) {
                continue;
            }
            if (key < lo) {
                s--;
            } else if (key >= hi && !last) {
                s++;
            } else if (found) {
                out.set(k, v);
                return true;
            } else if (lo == Long.MIN_VALUE) {
                return false;
            } else {
                key = lo - 1; // everything in s is above key: go on below the validated lower fence
                s--;
            }
        }
    }

    /** Number of keys strictly less than {@code key} (exact when no writer is active). */
    static long rank(CobTree tree, long key) {
        Storage st = tree.currentStorage();
        int s = st.index.find(key);
        int spins = 0;
        for (;;) {
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s);
            if ((v1 & SegmentHeaders.INVALID) != 0) {
                st = tree.currentStorage();
                s = st.index.find(key);
                continue;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            int n = st.clampCount(h.count(s));
            int pos = st.search(s, n, key);
            if (!h.validate(s, v1)) {
                continue;
            }
            if (key < lo) {
                s--;
            } else if (key >= hi && !h.isLast(s)) {
                s++;
            } else {
                return st.counts.prefix(s) + pos;
            }
        }
    }

    /** The entry at position {@code index}; false if there is none. */
    static boolean select(CobTree tree, long index, KeyValue out) {
        int spins = 0;
        for (;;) {
            Storage st = tree.currentStorage();
            long at = st.counts.select(index);
            if (at < 0) {
                return false;
            }
            int s = (int) (at >>> 32);
            int offset = (int) at;
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s);
            if ((v1 & (SegmentHeaders.WRITING | SegmentHeaders.INVALID)) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            int n = st.clampCount(h.count(s));
            boolean inside = offset < n;
            long k = inside ? st.cells.keyOpaque(st.base(s) + offset) : 0;
            long v = inside ? st.cells.valueOpaque(st.base(s) + offset) : 0;
            if (h.validate(s, v1) && inside) {
                out.set(k, v);
                return true;
            }
            spins = Backoff.spin(spins); // block sums and segment count disagreed: a write is under way
        }
    }

    // ---- cursor steps -----------------------------------------------------------------------

    /** Where a cursor step starts: the segment after the previous step's, if the storage is the same. */
    private static int startSegment(CobTree.Cursor cur, Storage st, long key) {
        if (cur.hintStorage == st && cur.hintSegment >= 0 && cur.hintSegment < st.segments) {
            return cur.hintSegment; // a wrong hint only costs a fence walk
        }
        return st.index.find(key);
    }

    private static void advance(CobTree.Cursor cur, Storage st, int s, long lo, long hi, boolean last) {
        cur.hintStorage = st;
        if (!cur.descending) {
            cur.exhausted = last;
            cur.bound = hi;
            cur.hintSegment = s + 1;
        } else {
            cur.exhausted = lo == Long.MIN_VALUE;
            cur.bound = lo - 1;
            cur.hintSegment = s - 1;
        }
    }

    /**
     * Fills the cursor's buffer with one validated segment snapshot: the cells of the home
     * segment of the cursor's bound on the cursor's side of it, copied in one bulk copy and
     * validated after; then moves the bound past the segment (or marks the cursor exhausted).
     */
    static void fill(CobTree.Cursor cur) {
        CobTree tree = cur.tree;
        Storage st = tree.currentStorage();
        long key = cur.bound;
        int s = startSegment(cur, st, key);
        int spins = 0;
        long[] buf = cur.buffer;
        for (;;) {
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s); // acquire: the copy below is not read before this
            if ((v1 & SegmentHeaders.INVALID) != 0) {
                st = tree.currentStorage();
                s = st.index.find(key);
                continue;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            boolean last = h.isLast(s);
            int n = st.clampCount(h.count(s));
            long base = st.base(s);
            int from;
            int count;
            if (!cur.descending) {
                // a cursor continuing from the previous fence needs no search: all entries qualify
                int pos = key == lo ? 0 : st.search(s, n, key);
                from = pos;
                count = n - pos;
            } else {
                int pos;
                if (!last && key == hi - 1) {
                    pos = n;
                } else {
                    pos = st.search(s, n, key);
                    if (pos < n && st.cells.keyOpaque(base + pos) == key) {
                        pos++;
                    }
                }
                from = 0;
                count = pos;
            }
            st.cells.copyCells(base + from, count, buf);
            if (!h.validate(s, v1)) { // acquire fence inside: the copy completes before the re-read
                continue;
            }
            if (key < lo) {
                s--;
                continue;
            }
            if (key >= hi && !last) {
                s++;
                continue;
            }
            cur.left = count;
            cur.pos = cur.descending ? count : 0;
            advance(cur, st, s, lo, hi, last);
            return;
        }
    }

    /**
     * Skips up to {@code budget} entries of the home segment of the cursor's bound without copying
     * the segment: one validated look at the header, a pivot-narrowed search for the bound (none
     * when the cursor continues from a fence) and the one cell where the skip lands, which becomes
     * the cursor's current entry. Returns the number of entries skipped (0 if the segment has
     * none on the cursor's side), having moved the bound past the last one skipped.
     */
    static long skipSegment(CobTree.Cursor cur, long budget) {
        CobTree tree = cur.tree;
        Storage st = tree.currentStorage();
        long key = cur.bound;
        int s = startSegment(cur, st, key);
        int spins = 0;
        boolean ascending = !cur.descending;
        for (;;) {
            SegmentHeaders h = st.headers;
            long v1 = h.seqAcquire(s); // acquire: the loads below stay after it
            if ((v1 & SegmentHeaders.INVALID) != 0) {
                st = tree.currentStorage();
                s = st.index.find(key);
                continue;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            boolean last = h.isLast(s);
            int n = st.clampCount(h.count(s));
            long base = st.base(s);
            int available;
            int target;
            if (ascending) {
                int p = key == lo ? 0 : st.search(s, n, key);
                available = n - p;
                target = available > budget ? p + (int) budget - 1 : n - 1;
            } else {
                int p;
                if (!last && key == hi - 1) {
                    p = n;
                } else {
                    p = st.search(s, n, key);
                    if (p < n && st.cells.keyOpaque(base + p) == key) {
                        p++;
                    }
                }
                available = p;
                target = available > budget ? p - (int) budget : 0;
            }
            long k = available > 0 ? st.cells.keyOpaque(base + target) : 0;
            long v = available > 0 ? st.cells.valueOpaque(base + target) : 0;
            if (!h.validate(s, v1)) {
                continue;
            }
            if (key < lo) {
                s--;
                continue;
            }
            if (key >= hi && !last) {
                s++;
                continue;
            }
            if (available > budget) {
                // the skip ends inside this segment: continue right after the entry it lands on
                cur.current(k, v);
                cur.hintStorage = st;
                cur.hintSegment = s;
                if (ascending) {
                    cur.exhausted = k == Long.MAX_VALUE;
                    cur.bound = k + 1;
                } else {
                    cur.exhausted = k == Long.MIN_VALUE;
                    cur.bound = k - 1;
                }
                return budget;
            }
            if (available > 0) {
                cur.current(k, v);
            }
            advance(cur, st, s, lo, hi, last);
            return available;
        }
    }
}
