package dev.cobtree.core;

/**
 * A cursor over a snapshot, ascending or descending: walks the segments at the snapshot's
 * instant by index (they are a frozen array, {@link SnapshotReader}). The first step loads the
 * home segment of the start key into the cursor's view; later ascending steps copy a run of
 * following segments at once into the cursor's own buffer ({@link SnapshotState#loadRun}: pre-images
 * with {@code System.arraycopy}, live segments with the cell store's bulk copy, their memory loads
 * overlapped), as the live cursor's batched steps do; descending steps load one segment at a time. Exact: it returns exactly the snapshot's entries from its start, in
 * order. Each segment load pins the factory and checks the snapshot is open; every step checks
 * it too, so a cursor of a closed snapshot throws. Not thread-safe.
 */
final class SnapshotCursor {

    /** Entries an ascending batched step copies at most (or one segment, if segments are larger). */
    static final int BATCH_CELLS = 2048;
    /** Segments an ascending batched step copies at most. */
    static final int BATCH_SEGMENTS = 32;

    private final SnapshotReader reader;
    private final SnapshotState snap;
    private final boolean descending;
    private final SegmentView v = new SegmentView();
    /**
     * The entries of the last step, in key order, valid in {@code [0, n)}: either the view's (one
     * segment) or the batch buffers' (segments {@code first .. seg}).
     */
    private long[] keys;
    private long[] values;
    private Object[] refs;
    private int n;
    /** The last segment (ascending) or the only segment (descending) whose entries are loaded. */
    private int seg;
    /** Next slot of the loaded entries (ascending: pos++; descending: pos--). */
    private int pos;
    private boolean loaded;
    private final long from;
    private final boolean empty;
    /** Buffers and scratch of the batched steps (null until the first one). */
    private long[] batchKeys;
    private long[] batchValues;
    private Object[] batchRefs;
    private SnapshotState.Run run;
    /** Entries the last batched step left in the batch buffers. */
    private int batchUsed;
    /** Index of the current entry in the loaded entries; -1: none. */
    private int cur = -1;

    /** From {@code from} inclusive; {@code empty}: a cursor that starts past the end (exclusive from at the key space's edge). */
    SnapshotCursor(SnapshotReader reader, boolean descending, long from, boolean empty) {
        this.reader = reader;
        this.snap = reader.snap;
        this.descending = descending;
        this.from = from;
        this.empty = empty;
        snap.checkOpen();
    }

    private void start() {
        long t = reader.pin();
        try {
            reader.home(from, v, true);
        } finally {
            reader.unpinKeepView(t);
        }
        useView();
        pos = descending ? (from == Long.MAX_VALUE ? n : v.lowerBound(from + 1)) - 1 : v.lowerBound(from);
        loaded = true;
    }

    /** The loaded entries are the view's segment. */
    private void useView() {
        keys = v.keys;
        values = v.values;
        refs = v.refs;
        n = v.n;
        seg = v.s;
    }

    /** Loads segment s alone (pinned, checked open). */
    private void load(int s) {
        long t = reader.pin();
        try {
            snap.load(s, v, true);
        } finally {
            reader.unpinKeepView(t);
        }
        useView();
    }

    /** Ascending: copies a run of segments from {@code first} into the batch buffers (pinned, checked open). */
    private void loadBatch(int first) {
        if (run == null) {
            int cells = Math.max(snap.st.segmentSize, BATCH_CELLS);
            batchKeys = new long[cells];
            if (snap.st.refs) {
                batchRefs = new Object[cells];
            } else {
                batchValues = new long[cells];
            }
            run = new SnapshotState.Run(BATCH_SEGMENTS);
        }
        long t = reader.pin();
        int m;
        try {
            m = snap.loadRun(first, run, batchKeys, batchValues, batchRefs);
        } finally {
            reader.unpinKeepView(t);
        }
        int total = 0;
        for (int j = 0; j < m; j++) {
            total += run.counts[j];
        }
        if (batchRefs != null && batchUsed > total) {
            // references a longer earlier run left behind the new entries: keep them unreachable
            java.util.Arrays.fill(batchRefs, total, batchUsed, null);
        }
        batchUsed = total;
        keys = batchKeys;
        values = batchValues;
        refs = batchRefs;
        n = total;
        seg = first + m - 1;
    }

    /** Moves to the next segment (or run of segments) that has an entry; false at the end. */
    private boolean advance() {
        if (!loaded) {
            if (empty) {
                return false;
            }
            start();
            return true;
        }
        if (descending) {
            if (seg == 0) {
                return false;
            }
            load(seg - 1);
            pos = n - 1;
        } else {
            if (seg + 1 >= reader.segments()) {
                return false;
            }
            loadBatch(seg + 1);
            pos = 0;
        }
        return true;
    }

    private int left() {
        if (!loaded) {
            return 0;
        }
        return descending ? pos + 1 : n - pos;
    }

    boolean next() {
        snap.checkOpenFast();
        // fast path: the loaded entries have one left (ascending)
        int i = pos;
        if (i < n && !descending) {
            cur = i;
            pos = i + 1;
            return true;
        }
        while (left() == 0) {
            if (!advance()) {
                cur = -1;
                return false;
            }
        }
        cur = descending ? pos-- : pos++;
        return true;
    }

    private void current(int i) {
        cur = i;
    }

    /** The current entry's key (after {@link #next} returned true; unchecked). */
    long key() {
        return keys[cur];
    }

    /** The current entry's value (long-valued tree; unchecked). */
    long value() {
        return values[cur];
    }

    /** The current entry's reference (object-valued tree; unchecked). */
    Object ref() {
        return refs[cur];
    }

    /** Throws if the snapshot is closed or there is no current entry. */
    void checkValid() {
        snap.checkOpenFast();
        if (cur < 0) {
            throw new IllegalStateException("cursor has no current entry");
        }
    }

    long checkedKey() {
        checkValid();
        return keys[cur];
    }

    long checkedValue() {
        checkValid();
        return values[cur];
    }

    Object checkedRef() {
        checkValid();
        return refs[cur];
    }

    /**
     * Skips up to n entries (the last one skipped becomes current); whole segments are passed by
     * their counts at the snapshot's instant (a header read each), so a skip of k costs
     * O(k / segmentSize) header reads plus one segment copy.
     */
    long skip(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("skip count " + n + " must not be negative");
        }
        snap.checkOpenFast();
        long done = 0;
        while (done < n) {
            int left = left();
            if (left > 0) {
                int take = (int) Math.min(left, n - done);
                done += take;
                pos += descending ? -take : take;
                current(descending ? pos + 1 : pos - 1);
                continue;
            }
            if (!loaded) {
                if (!advance()) {
                    break;
                }
                continue;
            }
            // pass whole segments by their counts; load the one the skip lands in
            int s = seg;
            int segments = reader.segments();
            int lastFull = -1;
            long t = reader.pin();
            try {
                for (;;) {
                    s += descending ? -1 : 1;
                    if (s < 0 || s >= segments) {
                        break;
                    }
                    int c = snap.count(s, v);
                    if (c == 0) {
                        continue;
                    }
                    if (done + c >= n) {
                        snap.load(s, v, true);
                        useView();
                        pos = descending ? this.n - 1 : 0;
                        lastFull = -2; // landed: the loop above takes the rest from this segment
                        break;
                    }
                    done += c;
                    lastFull = s;
                }
                if (lastFull != -2) {
                    // ran off the end: the last entry passed becomes current, the cursor is exhausted
                    if (lastFull >= 0) {
                        snap.load(lastFull, v, true);
                        useView();
                        current(descending ? 0 : this.n - 1);
                    }
                    // else the current entry stays where it is, in the loaded entries; either
                    // way the cursor is exhausted: at the edge segment with nothing left
                    seg = descending ? 0 : segments - 1;
                    pos = descending ? -1 : this.n;
                    return done;
                }
            } finally {
                reader.unpinKeepView(t);
            }
        }
        return done;
    }
}
