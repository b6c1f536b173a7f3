package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongLongReads;

import java.util.Objects;

/**
 * Strided access: every k-th entry of a range (the 0th, k-th, 2k-th ... in scan order),
 * ascending or descending — systematic sampling for histograms, previews and pagination.
 *
 * <p>Each step is one {@link CobTree.Cursor#skip}{@code (k)}, which the tree answers by jumping
 * over whole segments using their entry counts, so a step costs O(k / S) segment hops (S cells
 * per segment) plus the search inside one segment, not k entry visits. Weakly consistent like
 * every scan: keys come out strictly monotonic; under concurrent writes the positions are
 * those of the moments the cursor passed them. Thread-safe: no state but the tree.
 */
public final class StridedScan {

    private final LongLongReads tree;

    public StridedScan(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** Over a snapshot: every answer is exact for the snapshot's instant (see {@link CobTreeSnapshot}). */
    public StridedScan(CobTreeSnapshot snapshot) {
        this.tree = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** Every {@code stride}-th entry of {@code range} in the given order; returns how many. */
    public long forEach(Range range, long stride, Order order, LongLongConsumer sink) {
        return forEach(range, stride, order, RangeScan.NO_LIMIT, sink);
    }

    /**
     * Up to {@code limit} of every {@code stride}-th entry of {@code range}; returns how many.
     * @throws IllegalArgumentException if {@code stride < 1} or {@code limit < 0}
     */
    public long forEach(Range range, long stride, Order order, long limit, LongLongConsumer sink) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(order, "order");
        Objects.requireNonNull(sink, "sink");
        checkStride(stride);
        RangeScan.checkLimit(limit);
        RangeCursor c = RangeCursor.open(tree, range, order);
        long n = 0;
        if (limit == 0 || !c.next()) return 0;
        do {
            sink.accept(c.key(), c.value());
            n++;
        } while (n < limit && c.skip(stride));
        return n;
    }

    /**
     * Every {@code stride}-th entry of {@code range} into {@code keys} and/or {@code values}
     * (either may be null, not both) from index 0, as many as the shorter non-null array
     * holds; returns how many.
     */
    public int fill(Range range, long stride, Order order, long[] keys, long[] values) {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(order, "order");
        if (keys == null && values == null) throw new NullPointerException("keys and values are both null");
        checkStride(stride);
        int len = keys == null ? values.length : values == null ? keys.length : Math.min(keys.length, values.length);
        RangeCursor c = RangeCursor.open(tree, range, order);
        int n = 0;
        if (len == 0 || !c.next()) return 0;
        do {
            if (keys != null) keys[n] = c.key();
            if (values != null) values[n] = c.value();
            n++;
        } while (n < len && c.skip(stride));
        return n;
    }

    static void checkStride(long stride) {
        if (stride < 1) throw new IllegalArgumentException("stride " + stride + " must be at least 1");
    }
}
