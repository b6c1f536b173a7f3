package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;

/**
 * Every read of a snapshot: lookups, navigation, counts, positions and cursor steps over the
 * segments as they were at the snapshot's instant ({@link SnapshotState#load}).
 *
 * <p>Because every segment it loads is the segment at the same instant T, the snapshot is a
 * frozen packed memory array: fences are consistent across segments (invariant F at T), so a
 * read may walk segments by index and combine any number of them without re-validation, and every
 * answer is exact for T. The vEB tree (live, a hint) only chooses where a walk starts; the fences
 * at T decide.
 *
 * <p>Counts and positions use a prefix sum of the segment counts at T, built by the first count
 * (one header read per segment, O(segments)) and kept for the snapshot's life: afterwards
 * {@code size} is O(1), {@code rank} and {@code countRange} one walk, {@code select} a binary
 * search.
 *
 * <p>Each call pins the store factory, then checks that the snapshot is open (a close after the
 * check retires a held storage only once the pin is gone), and drops every reference it loaded
 * before returning (an idle thread keeps no pre-image or value reachable).
 */
final class SnapshotReader {

    private static final ThreadLocal<SegmentView> VIEW = ThreadLocal.withInitial(SegmentView::new);

    final SnapshotState snap;
    private final CellStoreFactory factory;

    SnapshotReader(SnapshotState snap) {
        this.snap = snap;
        this.factory = snap.engine.factory;
    }

    long pin() {
        long ticket = factory.pin();
        try {
            snap.checkOpen();
        } catch (RuntimeException e) {
            factory.unpin(ticket);
            throw e;
        }
        return ticket;
    }

    void unpin(long ticket, SegmentView v) {
        v.forget();
        factory.unpin(ticket);
    }

    /** Unpins, keeping the view's arrays (a cursor's own view, whose loaded segment it still reads). */
    void unpinKeepView(long ticket) {
        factory.unpin(ticket);
    }

    static SegmentView view() {
        return VIEW.get();
    }

    int segments() {
        return snap.st.segments;
    }

    /** Loads into v the segment whose range at T holds {@code key}. */
    void home(long key, SegmentView v, boolean cells) {
        int s = snap.st.index.find(key);
        for (;;) {
            snap.load(s, v, cells);
            int r = v.route(key);
            if (r == 0) {
                return;
            }
            s += r;
        }
    }

    /* ---- point lookups and navigation --------------------------------------------------------- */

    boolean get(long key, KeyValue out) {
        SegmentView v = view();
        long t = pin();
        try {
            home(key, v, true);
            int pos = v.lowerBound(key);
            if (pos < v.n && v.keys[pos] == key) {
                entry(v, pos, out);
                return true;
            }
            return false;
        } finally {
            unpin(t, v);
        }
    }

    /** The least entry with key &ge; {@code key}. */
    boolean ceiling(long key, KeyValue out) {
        SegmentView v = view();
        long t = pin();
        try {
            home(key, v, true);
            int pos = v.lowerBound(key);
            for (;;) {
                if (pos < v.n) {
                    entry(v, pos, out);
                    return true;
                }
                if (v.s + 1 >= segments()) {
                    return false;
                }
                snap.load(v.s + 1, v, true);
                pos = 0;
            }
        } finally {
            unpin(t, v);
        }
    }

    /** The greatest entry with key &le; {@code key}. */
    boolean floor(long key, KeyValue out) {
        SegmentView v = view();
        long t = pin();
        try {
            home(key, v, true);
            int pos = (key == Long.MAX_VALUE ? v.n : v.lowerBound(key + 1)) - 1;
            for (;;) {
                if (pos >= 0) {
                    entry(v, pos, out);
                    return true;
                }
                if (v.s == 0) {
                    return false;
                }
                snap.load(v.s - 1, v, true);
                pos = v.n - 1;
            }
        } finally {
            unpin(t, v);
        }
    }

    static void entry(SegmentView v, int pos, KeyValue out) {
        if (out != null) {
            out.set(v.keys[pos], v.values != null ? v.values[pos] : 0L, v.refs != null ? v.refs[pos] : null);
        }
    }

    /* ---- counts and positions ----------------------------------------------------------------- */

    long size() {
        SegmentView v = view();
        long t = pin();
        try {
            long[] p = snap.prefix(v);
            return p[p.length - 1];
        } finally {
            unpin(t, v);
        }
    }

    /**
     * Keys in the range with either end inclusive or exclusive: the public {@code countRange} of
     * both snapshot classes. An exclusive end at the edge of the key space holds nothing (still
     * checked open). @throws IllegalArgumentException if lo &gt; hi
     */
    long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        CobTree.checkRange(lo, hi);
        if ((!loInclusive && lo == Long.MAX_VALUE) || (!hiInclusive && hi == Long.MIN_VALUE)) {
            snap.checkOpen();
            return 0;
        }
        return count(loInclusive ? lo : lo + 1, hiInclusive ? hi : hi - 1);
    }

    /** Keys in [from, to] (inclusive; 0 when from &gt; to). */
    long count(long from, long to) {
        SegmentView v = view();
        long t = pin();
        try {
            if (from > to) {
                return 0;
            }
            long[] p = snap.prefix(v);
            long upTo = to == Long.MAX_VALUE ? p[p.length - 1] : below(to + 1, p, v);
            return upTo - below(from, p, v);
        } finally {
            unpin(t, v);
        }
    }

    /** Keys strictly less than {@code key}. */
    long rank(long key) {
        SegmentView v = view();
        long t = pin();
        try {
            return below(key, snap.prefix(v), v);
        } finally {
            unpin(t, v);
        }
    }

    private long below(long key, long[] prefix, SegmentView v) {
        home(key, v, true);
        return prefix[v.s] + v.lowerBound(key);
    }

    /** The entry at position {@code index} (0-based, ascending); false if index &ge; size. */
    boolean select(long index, KeyValue out) {
        SegmentView v = view();
        long t = pin();
        try {
            long[] p = snap.prefix(v);
            if (index >= p[p.length - 1]) {
                return false;
            }
            // the last segment s with p[s] <= index (it holds the entry: p[s] <= index < p[s + 1])
            int a = 0;
            int b = p.length - 2;
            while (a < b) {
                int mid = (a + b + 1) >>> 1;
                if (p[mid] <= index) {
                    a = mid;
                } else {
                    b = mid - 1;
                }
            }
            snap.load(a, v, true);
            entry(v, (int) (index - p[a]), out);
            return true;
        } finally {
            unpin(t, v);
        }
    }
}
