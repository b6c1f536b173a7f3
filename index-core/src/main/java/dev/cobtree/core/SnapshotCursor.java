package dev.cobtree.core;

/**
 * A cursor over a snapshot, ascending or descending: walks the segments at the snapshot's
 * instant by index (they are a frozen array, {@link SnapshotReader}), one segment loaded at a
 * time into its own view. Exact: it returns exactly the snapshot's entries from its start, in
 * order. Each segment load pins the factory and checks the snapshot is open; every step checks
 * it too, so a cursor of a closed snapshot throws. Not thread-safe.
 */
final class SnapshotCursor {

    private final SnapshotReader reader;
    private final SnapshotState snap;
    private final boolean descending;
    private final SegmentView v = new SegmentView();
    /** Next slot of the loaded segment (ascending: pos++; descending: pos--). */
    private int pos;
    private boolean loaded;
    private final long from;
    private final boolean empty;
    long key;
    long value;
    Object ref;
    private boolean valid;

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
        pos = descending ? (from == Long.MAX_VALUE ? v.n : v.lowerBound(from + 1)) - 1 : v.lowerBound(from);
        loaded = true;
    }

    /** Loads segment s (pinned, checked open). */
    private void load(int s) {
        long t = reader.pin();
        try {
            snap.load(s, v, true);
        } finally {
            reader.unpinKeepView(t);
        }
    }

    /** Moves to the next segment that has an entry; false at the end. */
    private boolean advance() {
        if (!loaded) {
            if (empty) {
                return false;
            }
            start();
            return true;
        }
        if (descending) {
            if (v.s == 0) {
                return false;
            }
            load(v.s - 1);
            pos = v.n - 1;
        } else {
            if (v.s + 1 >= reader.segments()) {
                return false;
            }
            load(v.s + 1);
            pos = 0;
        }
        return true;
    }

    private int left() {
        if (!loaded) {
            return 0;
        }
        return descending ? pos + 1 : v.n - pos;
    }

    boolean next() {
        snap.checkOpen();
        // fast path: the loaded segment has entries left (ascending; the arrays are this
        // segment's, so read them through locals)
        if (!descending && loaded && pos < v.n) {
            int i = pos++;
            key = v.keys[i];
            long[] values = v.values;
            if (values != null) {
                value = values[i];
            } else {
                ref = v.refs[i];
            }
            valid = true;
            return true;
        }
        while (left() == 0) {
            if (!advance()) {
                valid = false;
                return false;
            }
        }
        current(descending ? pos-- : pos++);
        return true;
    }

    private void current(int i) {
        key = v.keys[i];
        value = v.values != null ? v.values[i] : 0L;
        ref = v.refs != null ? v.refs[i] : null;
        valid = true;
    }

    void checkValid() {
        snap.checkOpen();
        if (!valid) {
            throw new IllegalStateException("cursor has no current entry");
        }
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
        snap.checkOpen();
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
            int s = v.s;
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
                        pos = descending ? v.n - 1 : 0;
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
                        current(descending ? 0 : v.n - 1);
                    } else {
                        snap.load(descending ? 0 : segments - 1, v, true);
                    }
                    pos = descending ? -1 : v.n;
                    return done;
                }
            } finally {
                reader.unpinKeepView(t);
            }
        }
        return done;
    }
}
