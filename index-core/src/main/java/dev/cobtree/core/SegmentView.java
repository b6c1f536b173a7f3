package dev.cobtree.core;

/**
 * One segment as a snapshot saw it ({@link SnapshotState#load}): fences, count and entries.
 * The entry arrays are either a pre-image's (shared, immutable) or this view's own buffers;
 * either way only {@code [0, n)} is meaningful. Not thread-safe: one per reading thread or cursor.
 */
final class SegmentView {

    int s;
    long lo;
    long hi;
    boolean last;
    int n;
    long[] keys;
    long[] values;
    Object[] refs;

    long[] ownKeys = new long[0];
    long[] ownValues = new long[0];
    Object[] ownRefs = new Object[0];

    void set(int s, long lo, long hi, boolean last, int n, long[] keys, long[] values, Object[] refs) {
        this.s = s;
        this.lo = lo;
        this.hi = hi;
        this.last = last;
        this.n = n;
        this.keys = keys;
        this.values = values;
        this.refs = refs;
    }

    /** References copied into {@link #ownRefs} since the last {@link #forget} (its used prefix). */
    private int refsUsed;

    void ensure(int n, boolean withRefs) {
        if (ownKeys.length < n) {
            ownKeys = new long[Math.max(n, 2 * ownKeys.length)];
        }
        if (withRefs) {
            if (ownRefs.length < n) {
                ownRefs = new Object[Math.max(n, 2 * ownRefs.length)];
            }
            refsUsed = Math.max(refsUsed, n);
        } else if (ownValues.length < n) {
            ownValues = new long[Math.max(n, 2 * ownValues.length)];
        }
    }

    /** -1 if key is left of this segment's range, +1 if right of it, 0 if inside. */
    int route(long key) {
        if (key < lo) {
            return -1;
        }
        return key >= hi && !last ? 1 : 0;
    }

    /** Position of the first entry &ge; key, in [0, n]. */
    int lowerBound(long key) {
        int a = 0;
        int b = n;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (keys[mid] < key) {
                a = mid + 1;
            } else {
                b = mid;
            }
        }
        return a;
    }

    /** Drops references to values and pre-images (an idle thread's view keeps nothing reachable). */
    void forget() {
        keys = null;
        values = null;
        refs = null;
        java.util.Arrays.fill(ownRefs, 0, Math.min(refsUsed, ownRefs.length), null);
        refsUsed = 0;
    }
}
