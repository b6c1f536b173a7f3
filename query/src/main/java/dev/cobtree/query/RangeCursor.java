package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.LongLongCursor;
import dev.cobtree.core.LongLongReads;

/**
 * A cursor bounded by a {@link Range}, in either direction: the one place where the query layer
 * turns a range and an order into cursor calls. The cursor itself ends at the range's end
 * ({@link LongLongReads#cursor(long, boolean, long, boolean)}), so a short range reads about the
 * entries it returns, and a skip counts no entry beyond the range.
 *
 * <p>Weakly consistent like the cursor under it: keys come out strictly monotonic in the scan's
 * order, and every key present for the whole scan is met. Not thread-safe; one per scan.
 */
final class RangeCursor {

    private final LongLongCursor cursor;
    // The last key of the range in scan order: the range's last key ascending, its first descending.
    private final long end;
    private boolean done;
    private long key;
    private long value;

    private RangeCursor(LongLongCursor cursor, long end, boolean done) {
        this.cursor = cursor;
        this.end = end;
        this.done = done;
    }

    static RangeCursor open(LongLongReads tree, Range range, Order order) {
        if (range.isEmpty()) {
            Sources.checkOpen(tree);
            return new RangeCursor(null, 0, true);
        }
        return order == Order.DESCENDING
                ? new RangeCursor(tree.descendingCursor(range.last(), true, range.first(), true), range.first(), false)
                : new RangeCursor(tree.cursor(range.first(), true, range.last(), true), range.last(), false);
    }

    /** Moves to the next entry of the range; false (for good) once past its end. */
    boolean next() {
        if (done) return false;
        if (!cursor.next()) {
            done = true;
            return false;
        }
        return land();
    }

    /**
     * Moves {@code n >= 1} entries forward in scan order, letting the cursor jump over whole
     * segments; true if it lands on an entry of the range, which becomes current.
     */
    boolean skip(long n) {
        if (done) return false;
        if (cursor.skip(n) < n) {
            done = true;
            return false;
        }
        return land();
    }

    /**
     * Writes up to {@code len} next entries of the range into {@code keys[off..]} and/or
     * {@code values[off..]} straight from the cursor's segment snapshots (bulk copies); returns
     * how many. Fewer than {@code len} means the range is done.
     */
    int read(long[] keys, long[] values, int off, int len) {
        if (done) return 0;
        int n = cursor.read(keys, values, off, len, end);
        if (n < len) done = true;
        return n;
    }

    /** The cursor is bounded by the range: an entry it lands on is in the range. */
    private boolean land() {
        key = cursor.key();
        value = cursor.value();
        return true;
    }

    long key() {
        return key;
    }

    long value() {
        return value;
    }
}
