package dev.cobtree.core;

import java.lang.invoke.VarHandle;

/**
 * Every read of a {@link CobTree}: point lookups, ceiling and floor, counts and positions, and
 * the segment-at-a-time steps behind {@link CobTree.Cursor}. Each is a loop over the one read
 * protocol of {@link ReadWalk} (open a segment snapshot, read, validate, route by the fences).
 *
 * <p>Notation: {@code w} is the walk, {@code w.s} the segment of its current snapshot, {@code key}
 * the key the walk is looking for (it moves past each segment the walk passes), {@code key0} the
 * key the call started from.
 *
 * <p>Two rules, proved in docs/CONCURRENCY.md:
 * <ul>
 *   <li><b>Iterate by key, never by segment index</b> (lemma "iterate-by-key"): a walk that
 *   passes a segment continues from that snapshot's <em>validated</em> fence ({@code hi} going
 *   up, {@code lo - 1} going down), never from "the next segment", so a rebalance that moves
 *   entries between the two steps cannot make it skip or repeat one.</li>
 *   <li><b>An answer that depends on several segments is confirmed at one instant</b> (lemma
 *   "multi-segment snapshot"): ceiling, floor, counts and positions record every segment whose
 *   snapshot they used and re-validate them all after the last one, restarting on any change.
 *   So they are linearizable. Cursors do not confirm: they are weakly consistent by contract
 *   (keys strictly monotone, nothing present throughout missed).</li>
 * </ul>
 */
final class Navigator {

    /**
     * Confirmation failures after which a count stops retrying optimistically and locks its
     * range instead (so that a long count cannot starve under writers that keep changing it).
     */
    private static final int OPTIMISTIC_COUNT_TRIES = 4;

    private Navigator() {
    }

    /* ---- point lookups ----------------------------------------------------------------------- */

    /**
     * The value of {@code key}, or {@code absent}. Fast path (lemma "positive hit"): search the
     * home segment racily and read the found cell; if no writer held the segment, validate by the
     * segment's sequence word (its line was loaded with the count, so this costs no miss: a
     * validated segment holding the key holds its current value), otherwise read the cell under
     * its own seqlock (a consistent cell holding the key holds its current value, whatever the
     * segment is doing, so a get does not queue behind a writer of its segment). Otherwise the
     * segment protocol decides ({@link #lookup}).
     */
    static long get(TreeEngine e, long key, long absent) {
        Storage st = e.storage();
        int s = st.index.find(key);
        SegmentHeaders h = st.headers;
        long word = h.seqAcquire(s); // acquire: count, keys and value are loaded after it (same line as the count)
        int n = st.clampCount(h.count(s));
        long base = st.base(s);
        int pos = st.search(s, n, key);
        if (pos < n) {
            long c = base + pos;
            if ((word & SegmentHeaders.WRITING) == 0) {
                // no writer in s: validate by the segment's word, whose line is loaded already
                long k = st.cells.keyOpaque(c);
                long v = st.cells.valueOpaque(c);
                if (k == key && h.validate(s, word)) { // acquire fence, then the re-read
                    return v;
                }
            }
            long m1 = st.cells.metaAcquire(c); // acquire: the key/value loads stay below it
            if (CellMeta.isStableEntry(m1)) {
                long k = st.cells.keyOpaque(c);
                long v = st.cells.valueOpaque(c);
                VarHandle.acquireFence(); // key/value loads complete before the re-read
                if (k == key && st.cells.metaOpaque(c) == m1) {
                    return v;
                }
            }
        }
        ReadWalk w = ReadWalk.get().startAt(e, st, s).givingUp();
        return lookup(w, key) ? w.foundValue : absent;
    }

    /**
     * The reference (object value) of {@code key} in an object-valued tree, or null: {@link #get}
     * with the reference column. Kept as its own short loop rather than sharing get's, since each
     * must return its own kind of value without boxing; the protocol is the same ("positive hit"
     * then "segment snapshot"). The acquire fence after the loads also makes the object behind a
     * validated reference visible (its writer stored the reference with release).
     */
    static Object getRef(TreeEngine e, long key) {
        Storage st = e.storage();
        int s = st.index.find(key);
        SegmentHeaders h = st.headers;
        long word = h.seqAcquire(s); // acquire: count, keys and reference are loaded after it
        int n = st.clampCount(h.count(s));
        long base = st.base(s);
        int pos = st.search(s, n, key);
        if (pos < n) {
            long c = base + pos;
            if ((word & SegmentHeaders.WRITING) == 0) {
                long k = st.cells.keyOpaque(c);
                Object r = st.cells.refOpaque(c);
                if (k == key && h.validate(s, word)) { // acquire fence (also makes the object behind r visible), re-read
                    return r;
                }
            }
            long m1 = st.cells.metaAcquire(c); // acquire: the key/reference loads stay below it
            if (CellMeta.isStableEntry(m1)) {
                long k = st.cells.keyOpaque(c);
                Object r = st.cells.refOpaque(c);
                VarHandle.acquireFence(); // key/reference loads complete before the re-read (and before r is used)
                if (k == key && st.cells.metaOpaque(c) == m1) {
                    return r;
                }
            }
        }
        ReadWalk w = ReadWalk.get().startAt(e, st, s).givingUp();
        if (!lookup(w, key)) {
            return null;
        }
        Object r = w.foundRef;
        w.foundRef = null; // the thread-local walk must not keep the value reachable
        return r;
    }

    /** Whether {@code key} is present (lemma "segment snapshot"); its value then in {@code w.foundValue} (reference in {@code w.foundRef}). */
    static boolean lookup(ReadWalk w, long key) {
        for (;;) {
            if (!w.open()) {
                if (w.contended()) {
                    return lockedLookup(w, key);
                }
                w.restart(key);
                continue;
            }
            Storage st = w.st;
            int pos = st.search(w.s, w.n, key);
            boolean found = pos < w.n && st.cells.keyOpaque(w.base + pos) == key;
            long value = found ? st.cells.valueOpaque(w.base + pos) : 0;
            Object ref = found ? st.cells.refOpaque(w.base + pos) : null;
            if (!w.valid()) {
                if (w.contended()) {
                    return lockedLookup(w, key);
                }
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            w.foundValue = value;
            w.foundRef = ref;
            return w.finish(found);
        }
    }

    /** A lookup whose walk kept meeting a writer: under the home segment's lock (LockedReads). */
    private static boolean lockedLookup(ReadWalk w, long key) {
        TreeEngine e = w.engine;
        w.finish(false);
        return LockedReads.lookup(e, key, w);
    }

    /* ---- navigation (linearizable) ----------------------------------------------------------- */

    /** The least entry with key &ge; {@code key0}, at one instant of the call. */
    static boolean ceiling(TreeEngine e, long key0, KeyValue out) {
        ReadWalk w = ReadWalk.get().start(e, key0).givingUp();
        long key = key0;
        for (;;) {
            if (!w.open()) {
                if (w.contended()) {
                    w.finish(false);
                    return LockedReads.ceiling(e, key0, out);
                }
                w.restart(key0);
                key = key0;
                continue;
            }
            Storage st = w.st;
            int pos = st.search(w.s, w.n, key);
            boolean found = pos < w.n;
            long k = found ? st.cells.keyOpaque(w.base + pos) : 0;
            long v = found ? st.cells.valueOpaque(w.base + pos) : 0;
            Object r = found ? st.cells.refOpaque(w.base + pos) : null;
            if (!w.valid()) {
                if (w.contended()) {
                    w.finish(false);
                    return LockedReads.ceiling(e, key0, out);
                }
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            if (found || w.last) {
                if (!w.confirm()) { // a passed segment changed: the answer may be stale
                    if (w.contended()) {
                        w.finish(false);
                        return LockedReads.ceiling(e, key0, out);
                    }
                    w.restart(key0);
                    key = key0;
                    continue;
                }
                if (found) {
                    out.set(k, v, r);
                }
                return w.finish(found);
            }
            w.pass(); // nothing >= key in [key, hi): the answer depends on this segment staying so
            key = w.hi;
            w.step(1);
        }
    }

    /** The greatest entry with key &le; {@code key0}, at one instant of the call. */
    static boolean floor(TreeEngine e, long key0, KeyValue out) {
        ReadWalk w = ReadWalk.get().start(e, key0).givingUp();
        long key = key0;
        for (;;) {
            if (!w.open()) {
                if (w.contended()) {
                    w.finish(false);
                    return LockedReads.floor(e, key0, out);
                }
                w.restart(key0);
                key = key0;
                continue;
            }
            Storage st = w.st;
            int pos = st.search(w.s, w.n, key);
            if (pos < w.n && st.cells.keyOpaque(w.base + pos) == key) {
                pos++;
            }
            boolean found = pos > 0;
            long k = found ? st.cells.keyOpaque(w.base + pos - 1) : 0;
            long v = found ? st.cells.valueOpaque(w.base + pos - 1) : 0;
            Object r = found ? st.cells.refOpaque(w.base + pos - 1) : null;
            if (!w.valid()) {
                if (w.contended()) {
                    w.finish(false);
                    return LockedReads.floor(e, key0, out);
                }
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            if (found || w.lo == Long.MIN_VALUE) {
                if (!w.confirm()) {
                    if (w.contended()) {
                        w.finish(false);
                        return LockedReads.floor(e, key0, out);
                    }
                    w.restart(key0);
                    key = key0;
                    continue;
                }
                if (found) {
                    out.set(k, v, r);
                }
                return w.finish(found);
            }
            w.pass(); // nothing <= key in [lo, key]
            key = w.lo - 1;
            w.step(-1);
        }
    }

    /* ---- counts and positions (linearizable) ------------------------------------------------- */

    /**
     * Number of keys in {@code [from, to]} (inclusive, {@code from <= to}) at one instant of the
     * call: the validated counts of the segments from the home of {@code from} to the home of
     * {@code to}, confirmed together. Costs one header line per segment of the range (they are
     * contiguous, so the hardware prefetches them) plus the confirmation; after
     * {@value #OPTIMISTIC_COUNT_TRIES} failed confirmations it locks the range briefly instead.
     */
    static long count(TreeEngine e, long from, long to) {
        return countAtMost(e, from, to, Long.MAX_VALUE); // no range holds MAX_VALUE keys: never stops early
    }

    /**
     * {@link #count} up to {@code limit} ({@code > 0}): the same walk, which stops at the segment
     * where the running total reaches {@code limit} and returns {@code limit} without confirming
     * the segments passed together. Each segment's count was validated on its own and the walk
     * goes by fences, so a key moved between segments is counted once; but a key inserted into a
     * segment already passed, or removed from one still ahead, during the walk makes that total
     * mix instants (a bound for estimates). A range with fewer keys is counted exactly, at one
     * instant, as {@link #count}. Costs O(min(keys, limit) / segment size) header lines.
     */
    static long countAtMost(TreeEngine e, long from, long to, long limit) {
        ReadWalk w = ReadWalk.get().start(e, from);
        long key = from;
        long total = 0;
        int failures = 0;
        for (;;) {
            if (!w.open()) {
                w.restart(from);
                key = from;
                total = 0;
                continue;
            }
            Storage st = w.st;
            int p = key == w.lo ? 0 : st.search(w.s, w.n, key);
            boolean end = to < w.hi || w.last;
            int q = !end || to == Long.MAX_VALUE ? w.n : st.search(w.s, w.n, to + 1);
            if (!w.valid()) {
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            total += Math.max(0, q - p);
            if (total >= limit) {
                w.finish(true);
                return limit;
            }
            if (end) {
                if (w.confirm()) {
                    w.finish(true);
                    return total;
                }
                if (++failures >= OPTIMISTIC_COUNT_TRIES) {
                    w.finish(false);
                    return Math.min(limit, LockedReads.count(e, from, to));
                }
                w.restart(from);
                key = from;
                total = 0;
                continue;
            }
            w.pass();
            key = w.hi;
            w.step(1);
        }
    }

    /**
     * The entry at position {@code index} (0-based) at one instant of the call: validated counts
     * summed from the first segment until the one holding the position, confirmed together.
     */
    static boolean select(TreeEngine e, long index, KeyValue out) {
        Storage st0 = e.storage();
        ReadWalk w = ReadWalk.get().startAt(e, st0, 0); // lo(0) = MIN: the first segment, whatever the tree says
        long left = index;
        int failures = 0;
        for (;;) {
            if (!w.open()) {
                w.restart(Long.MIN_VALUE);
                w.s = 0;
                left = index;
                continue;
            }
            Storage st = w.st;
            boolean inside = left < w.n;
            long k = inside ? st.cells.keyOpaque(w.base + left) : 0;
            long v = inside ? st.cells.valueOpaque(w.base + left) : 0;
            Object r = inside ? st.cells.refOpaque(w.base + left) : null;
            if (!w.valid()) {
                continue;
            }
            if (inside || w.last) {
                if (w.confirm()) {
                    if (inside) {
                        out.set(k, v, r);
                    }
                    return w.finish(inside);
                }
                if (++failures >= OPTIMISTIC_COUNT_TRIES) {
                    w.finish(false);
                    return LockedReads.select(e, index, out);
                }
                w.restart(Long.MIN_VALUE);
                w.s = 0;
                left = index;
                continue;
            }
            left -= w.n; // segments are summed by index: every one of [0, s] is confirmed together
            w.pass();
            w.step(1);
        }
    }

    /* ---- cursor steps (weakly consistent) ------------------------------------------------------ */

    /** Where a cursor step starts: the segment after the previous step's, if the storage is the same. */
    private static ReadWalk startCursorWalk(CobTree.Cursor cur, long key) {
        ReadWalk w = cur.walk;
        TreeEngine e = cur.engine;
        Storage st = e.storage();
        if (cur.hintStorage == st.id && cur.hintSegment >= 0 && cur.hintSegment < st.segments) {
            return w.startAt(e, st, cur.hintSegment); // a wrong hint only costs a fence walk
        }
        return w.start(e, key);
    }

    private static void advance(CobTree.Cursor cur, ReadWalk w) {
        cur.hintStorage = w.st.id;
        if (!cur.descending) {
            cur.exhausted = w.last;
            cur.bound = w.hi;
            cur.hintSegment = w.s + 1;
        } else {
            cur.exhausted = w.lo == Long.MIN_VALUE;
            cur.bound = w.lo - 1;
            cur.hintSegment = w.s - 1;
        }
    }

    /**
     * Fills the cursor's buffers with one validated segment snapshot: the keys and values of the
     * home segment of the cursor's bound on the cursor's side of it, copied with one bulk copy of
     * the key run and one of the value run (never the meta words), validated once after; then
     * moves the bound past the segment (or marks the cursor exhausted).
     */
    static void fill(CobTree.Cursor cur) {
        long key = cur.bound;
        ReadWalk w = startCursorWalk(cur, key);
        for (;;) {
            if (!w.open()) {
                w.restart(key);
                continue;
            }
            Storage st = w.st;
            int n = w.n;
            int from;
            int count;
            if (!cur.descending) {
                // a cursor continuing from the previous fence needs no search: all entries qualify
                int pos = key == w.lo ? 0 : st.search(w.s, n, key);
                from = pos;
                count = n - pos;
            } else {
                from = 0;
                count = positionAfter(w, key);
            }
            st.cells.copyEntries(w.base + from, count, cur.keys, cur.values);
            if (cur.refs != null) {
                st.cells.copyRefs(w.base + from, count, cur.refs);
                cur.written = Math.max(cur.written, count);
            }
            if (!w.valid()) { // acquire fence inside: the copy completes before the re-read
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            cur.filled(count);
            advance(cur, w);
            if (!cur.descending && !cur.exhausted && cur.steps > 0 && cur.bound <= cur.until && batchSegments(w.st.segmentSize) > 1) {
                extendAscending(cur, w);
            }
            if (cur.steps < Integer.MAX_VALUE) {
                cur.steps++;
            }
            w.finish(true);
            return;
        }
    }

    /** Cells a batched step reads at most (see {@link #batchSegments}). */
    static final int BATCH_CELLS = 1024;

    /**
     * Segments an ascending cursor reads per step once it has taken one step (so a short range
     * scan reads one segment per step, a long one several): {@value #BATCH_CELLS} cells' worth,
     * at most 8 segments; 1 (no batching) for segments of {@value #BATCH_CELLS} cells or more.
     */
    static int batchSegments(int segmentSize) {
        return Math.max(1, Math.min(8, BATCH_CELLS / segmentSize));
    }

    /**
     * A batched step (ascending cursors after their first step): after the segment {@link #fill}
     * just copied and validated, appends snapshots of the segments that follow it, as many as the
     * buffer holds, so that their memory loads overlap. Read one at a time, a segment costs two
     * dependent memory round trips (its header, then its cells, whose count the header gives)
     * and a long scan is bound by that latency, not by bandwidth.
     *
     * <p>Three phases over segments {@code s+1 .. s+m} of the same storage: (1) open each (acquire
     * load of its seqlock word, then its fences and count; stop at a segment a writer holds, a
     * replaced storage, or one whose lower fence is not exactly the previous one's upper fence);
     * (2) copy each one's entries after the previous ones'; (3) validate each (acquire fence and
     * re-read of its word). The prefix of segments that validated is kept; the first that did not
     * and everything after it are dropped (the next step reads them again, one at a time).
     *
     * <p>Why this keeps the cursor's guarantee (lemma "iterate-by-key", docs/CONCURRENCY.md):
     * every kept segment is a validated snapshot on its own, and the kept segments' validated
     * fences tile {@code [bound, hi)} without a gap ({@code lo(s+j) == hi(s+j-1)}), so an entry
     * present throughout the step whose key lies in that range was inside the home segment of its
     * key in that segment's snapshot; keys stay strictly increasing because each snapshot holds
     * only keys inside its own fences. The order in which the snapshots were taken does not matter
     * for a weakly consistent cursor.
     */
    private static void extendAscending(CobTree.Cursor cur, ReadWalk w) {
        Storage st = w.st;
        SegmentHeaders h = st.headers;
        int batch = batchSegments(st.segmentSize);
        if (batch <= 1) {
            return;
        }
        if (cur.batchWord == null) {
            cur.growBatchRecords(batch);
        }
        int first = w.s + 1;
        long fence = w.hi;
        boolean last = false;
        int m = 0;
        // (1) open: the loads of the m headers are independent, so they overlap
        while (m < batch - 1 && !last && fence <= cur.until && first + m < st.segments) {
            int t = first + m;
            long v = h.seqAcquire(t); // acquire: fences, count and cells are loaded after it
            if ((v & (SegmentHeaders.WRITING | SegmentHeaders.INVALID)) != 0 || h.lo(t) != fence) {
                break; // a writer, a replaced storage or moved fences: the next step reads it alone
            }
            cur.batchWord[m] = v;
            cur.batchCount[m] = st.clampCount(h.count(t));
            fence = h.hi(t);
            cur.batchFence[m] = fence;
            last = h.isLast(t);
            m++;
        }
        if (m == 0) {
            return;
        }
        // (2) copy: each segment's key run and value run after the previous segment's, into
        // buffers grown to what the opened segments hold (a short range opens one or two)
        int needed = cur.stop;
        for (int j = 0; j < m; j++) {
            needed += cur.batchCount[j];
        }
        cur.ensureCells(needed, batch * st.segmentSize);
        int at = cur.stop; // ascending: the entries copied so far are [0, stop)
        for (int j = 0; j < m; j++) {
            long base = st.base(first + j);
            int n = cur.batchCount[j];
            st.cells.copyEntries(base, n, cur.keys, cur.values, at);
            if (cur.refs != null) {
                st.cells.copyRefs(base, n, cur.refs, at);
            }
            at += n;
        }
        cur.written = Math.max(cur.written, at);
        // (3) validate (each validate fences first, so every copy completes before the re-reads)
        int kept = 0;
        int entries = cur.stop;
        while (kept < m && h.validate(first + kept, cur.batchWord[kept])) {
            entries += cur.batchCount[kept];
            kept++;
        }
        if (kept < m) {
            w.engine.counters.readerRetries.increment(); // rare: a writer changed a batched segment
        }
        if (kept == 0) {
            return;
        }
        int lastKept = first + kept - 1;
        cur.extended(entries);
        cur.bound = cur.batchFence[kept - 1];
        cur.exhausted = h.isLast(lastKept);
        cur.hintSegment = lastKept + 1;
    }

    /** In the open snapshot: the number of entries with key &le; {@code key} (no search when key is the upper fence - 1). */
    private static int positionAfter(ReadWalk w, long key) {
        if (!w.last && key == w.hi - 1) {
            return w.n;
        }
        int p = w.st.search(w.s, w.n, key);
        if (p < w.n && w.st.cells.keyOpaque(w.base + p) == key) {
            p++;
        }
        return p;
    }

    /**
     * Skips up to {@code budget} entries of the home segment of the cursor's bound without copying
     * the segment: one validated look at the header, a pivot-narrowed search for the bound (none
     * when the cursor continues from a fence) and the one cell where the skip lands, which becomes
     * the cursor's current entry. Returns the number of entries skipped (0 if the segment has
     * none on the cursor's side), having moved the bound past the last one skipped. A bounded
     * cursor's skip counts, in the segment that holds its end, only the entries up to the end (one
     * more search in that one segment), and ends the cursor when it passes them all.
     */
    static long skipSegment(CobTree.Cursor cur, long budget) {
        long key = cur.bound;
        ReadWalk w = startCursorWalk(cur, key);
        boolean ascending = !cur.descending;
        for (;;) {
            if (!w.open()) {
                w.restart(key);
                continue;
            }
            Storage st = w.st;
            int n = w.n;
            int available;
            int target;
            // a bounded cursor counts only the entries up to its end, in the segment that holds the end
            boolean holdsEnd;
            if (ascending) {
                int p = key == w.lo ? 0 : st.search(w.s, n, key);
                holdsEnd = cur.stopsAtUntil && (w.last || (w.hi != Long.MIN_VALUE && cur.until < w.hi - 1));
                int end = holdsEnd ? Math.max(p, positionAfter(w, cur.until)) : n;
                available = end - p;
                target = available > budget ? p + (int) budget - 1 : end - 1;
            } else {
                int p = positionAfter(w, key);
                holdsEnd = cur.stopsAtUntil && w.lo < cur.until;
                int end = holdsEnd ? Math.min(p, st.search(w.s, n, cur.until)) : 0;
                available = p - end;
                target = available > budget ? p - (int) budget : end;
            }
            long k = available > 0 ? st.cells.keyOpaque(w.base + target) : 0;
            long v = available > 0 ? st.cells.valueOpaque(w.base + target) : 0;
            Object r = available > 0 ? st.cells.refOpaque(w.base + target) : null;
            if (!w.valid()) {
                continue;
            }
            int dir = w.route(key);
            if (dir != 0) {
                w.step(dir);
                continue;
            }
            if (available > budget) {
                // the skip ends inside this segment: continue right after the entry it lands on
                cur.current(k, v, r);
                cur.hintStorage = st.id;
                cur.hintSegment = w.s;
                if (ascending) {
                    cur.exhausted = k == Long.MAX_VALUE;
                    cur.bound = k + 1;
                } else {
                    cur.exhausted = k == Long.MIN_VALUE;
                    cur.bound = k - 1;
                }
                w.finish(true);
                return budget;
            }
            if (available > 0) {
                cur.current(k, v, r);
            }
            advance(cur, w);
            if (holdsEnd) {
                cur.exhausted = true; // every entry up to the end is passed
            }
            w.finish(true);
            return available;
        }
    }
}
