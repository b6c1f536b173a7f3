package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongLongReads;

import java.util.Arrays;
import java.util.Objects;

/**
 * Range scans over a {@link CobTree}: the entries of a {@link Range}, ascending or descending,
 * optionally cut off after a limit, delivered without boxing into a {@link LongLongConsumer} or
 * into caller-owned {@code long[]} buffers.
 *
 * <pre>{@code
 * RangeScan scan = new RangeScan(tree);
 * long n = scan.forEach(Range.halfOpen(100, 200), (k, v) -> sum += v);     // [100, 200) ascending
 * long[] keys = new long[10];
 * int got = scan.fill(Range.lessThan(500), Order.DESCENDING, keys, null);  // the 10 largest keys < 500
 * RangeReader r = scan.reader(Range.all(), Order.ASCENDING);               // everything, in chunks
 * while ((got = r.read(keys, values)) > 0) { ... }
 * }</pre>
 *
 * <p>Scans are weakly consistent, as the tree's cursors are: keys come out strictly increasing
 * (decreasing for {@link Order#DESCENDING}), every entry present for the whole scan is reported
 * and none absent for the whole scan. An unlimited ascending scan goes through
 * {@link CobTree#forEachInRange}, the tree's fastest path; the others walk a cursor.
 * Thread-safe: a {@code RangeScan} holds no state but the tree.
 */
public final class RangeScan {

    /** Pass as a limit for "no limit". */
    public static final long NO_LIMIT = Long.MAX_VALUE;

    private final LongLongReads tree;

    public RangeScan(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** Over a snapshot: every answer is exact for the snapshot's instant (see {@link CobTreeSnapshot}). */
    public RangeScan(CobTreeSnapshot snapshot) {
        this.tree = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** Every entry of {@code range}, ascending; returns how many. */
    public long forEach(Range range, LongLongConsumer sink) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(sink, "sink");
        if (range.isEmpty()) {
            Sources.checkOpen(tree);
            return 0;
        }
        Counting counting = new Counting(sink);
        tree.forEachInRange(range.first(), true, range.last(), true, counting);
        return counting.count;
    }

    /**
     * Up to {@code limit} entries of {@code range} in the given order; returns how many were delivered.
     * @throws IllegalArgumentException if {@code limit < 0}
     */
    public long forEach(Range range, Order order, long limit, LongLongConsumer sink) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(sink, "sink");
        checkLimit(limit);
        if (order == Order.ASCENDING && limit == NO_LIMIT) return forEach(range, sink);
        RangeCursor c = RangeCursor.open(tree, range, order);
        long n = 0;
        while (n < limit && c.next()) {
            sink.accept(c.key(), c.value());
            n++;
        }
        return n;
    }

    /**
     * The first entries of {@code range} in the given order, into {@code keys} and/or
     * {@code values} (either may be null, not both; filled from index 0 up to the shorter
     * non-null one); returns how many were written.
     */
    public int fill(Range range, Order order, long[] keys, long[] values) {
        return reader(range, order).read(keys, values);
    }

    /** A reader that hands out the entries of {@code range} chunk by chunk into buffers. */
    public RangeReader reader(Range range, Order order) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(order, "order");
        return new RangeReader(RangeCursor.open(tree, range, order));
    }

    /** The first {@code limit} keys of {@code range} in the given order, in a new array. */
    public long[] keys(Range range, Order order, int limit) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(order, "order");
        checkLimit(limit);
        long[] out = new long[Math.min(limit, 1024)];
        RangeCursor c = RangeCursor.open(tree, range, order);
        int n = 0;
        while (n < limit && c.next()) {
            if (n == out.length) out = Arrays.copyOf(out, (int) Math.min(limit, 2L * out.length));
            out[n++] = c.key();
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    static void checkLimit(long limit) {
        if (limit < 0) throw new IllegalArgumentException("limit " + limit + " must not be negative");
    }

    /** Counts what it passes on. */
    private static final class Counting implements LongLongConsumer {
        private final LongLongConsumer sink;
        long count;

        Counting(LongLongConsumer sink) {
            this.sink = sink;
        }

        @Override
        public void accept(long key, long value) {
            count++;
            sink.accept(key, value);
        }
    }
}
