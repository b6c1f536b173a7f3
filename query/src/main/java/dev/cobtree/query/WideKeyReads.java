package dev.cobtree.query;

import dev.cobtree.core.LongLongReads;
import dev.cobtree.core.LongObjectReads;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The reads of a {@link WideKeyIndex}, written once over its sources: the {@code first} tree
 * (null when bitmaps only) and the {@code rest} tree, live ({@link WideKeyIndex}) or snapshots
 * ({@link WideKeyIndexSnapshot}, and each column of a {@link TableIndexSnapshot}). The
 * {@code rest} values are never modified once put, so reading them needs no lock, live or not.
 * The planner ({@link QueryPlanner}) reads the table's columns through this class only.
 */
final class WideKeyReads {

    private final LongLongReads first; // null: bitmaps only
    private final LongObjectReads<Object> rest;
    private final LongSupplier restKeys;
    private final LongSupplier restRows;
    private final LongSupplier bitmapRows;
    private final String owner; // named when closed

    /**
     * Reads over {@code first} and {@code rest}; {@code owner} ("WideKeyIndex" or
     * "WideKeyIndexSnapshot") is named when closed; {@code restKeys}, {@code restRows} and
     * {@code bitmapRows} give the {@code rest} tree's key count, row count and rows in bitmaps for
     * {@link #estimate}: live counters, or their values at a snapshot's instant.
     */
    WideKeyReads(String owner, LongLongReads first, LongObjectReads<Object> rest, LongSupplier restKeys, LongSupplier restRows, LongSupplier bitmapRows) {
        this.owner = owner;
        this.first = first;
        this.rest = rest;
        this.restKeys = restKeys;
        this.restRows = restRows;
        this.bitmapRows = bitmapRows;
    }

    /** @throws IllegalStateException naming the owner if it is closed (the trees close together) */
    void checkOpen() {
        if (rest.isClosed()) throw new IllegalStateException(owner + " is closed");
    }

    boolean contains(long key, long rowId) {
        int row = WideKeyIndex.checkRow(rowId);
        checkOpen();
        if (first != null && first.get(key, -1) == rowId) return true;
        return WideKeyIndex.contains(rest.get(key), row);
    }

    RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    RoaringBitmap rowIds(Range keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen();
        if (keys.isEmpty()) return new RoaringBitmap();
        RowIdCollector c = new RowIdCollector();
        List<RoaringBitmap> parts = new ArrayList<>();
        collect(keys.first(), keys.last(), c, parts);
        return WideKeyIndex.union(c.finish(), parts);
    }

    /**
     * Feeds the rows of keys [lo, hi] from the first slots and lists to {@code c} and adds the
     * (published, not to be modified) bitmaps to {@code parts}.
     */
    void collect(long lo, long hi, RowIdCollector c, List<RoaringBitmap> parts) {
        if (first != null) first.forEachInRange(lo, true, hi, true, c);
        rest.forEachInRange(lo, true, hi, true, (k, v) -> {
            if (v instanceof int[] a) {
                for (int row : a) c.add(row);
            } else {
                parts.add((RoaringBitmap) v);
            }
        });
    }

    /** A key's rows, by two point reads (no range walk). */
    WideKeyIndex.KeyRows keyRows(long key) {
        checkOpen();
        return new WideKeyIndex.KeyRows(first != null ? first.get(key, -1) : -1, rest.get(key));
    }

    /** As {@link #collect}, the first-slot and list rows appended to {@code own} (unsorted). */
    void collect(long lo, long hi, RowBuffer own, List<RoaringBitmap> parts) {
        if (first != null) first.forEachInRange(lo, true, hi, true, own);
        rest.forEachInRange(lo, true, hi, true, (k, v) -> {
            if (v instanceof int[] a) own.addAll(a);
            else parts.add((RoaringBitmap) v);
        });
    }

    /**
     * Appends the rows of keys [lo, hi] to {@code out}, in key order (first slots, lists and the
     * rows of the bitmaps), without building a bitmap.
     */
    void collectRows(long lo, long hi, RowBuffer out) {
        if (first != null) first.forEachInRange(lo, true, hi, true, out);
        rest.forEachInRange(lo, true, hi, true, (k, v) -> {
            if (v instanceof int[] a) out.addAll(a);
            else out.addAll((RoaringBitmap) v);
        });
    }

    /**
     * {@link #estimateForms}, or null when the range holds at least {@code cap} keys in first
     * slots (so at least {@code cap} rows held one by one): found by counting first slots only up
     * to {@code cap} ({@link LongLongReads#countRangeAtMost}, O(cap / segment size) header lines)
     * instead of walking the whole range.
     */
    long[] estimateFormsBounded(long lo, long hi, long cap) {
        if (first != null && cap > 0) {
            long n = first.countRangeAtMost(lo, hi, cap);
            return n >= cap ? null : estimateForms(lo, hi, n);
        }
        return estimateForms(lo, hi);
    }

    long count(Range keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen();
        if (keys.isEmpty()) return 0;
        return firstCount(keys.first(), keys.last()) + restSum(keys.first(), keys.last());
    }

    /** See {@link WideKeyIndex#estimate}. */
    long estimate(long lo, long hi) {
        long[] f = estimateForms(lo, hi);
        return f[0] + f[1];
    }

    /**
     * {@link #estimate} split by how the rows are held: {@code [0]} rows read one by one (first
     * slots and lists), {@code [1]} rows in bitmaps (taken a container at a time). Beyond the walk,
     * the rest rows are split as they are over the whole index.
     */
    long[] estimateForms(long lo, long hi) {
        return estimateForms(lo, hi, firstCount(lo, hi));
    }

    /** {@link #estimateForms} with the range's first-slot count {@code n} already known. */
    private long[] estimateForms(long lo, long hi, long n) {
        long multi = rest.countRange(lo, true, hi, true);
        if (multi <= WideKeyIndex.ESTIMATE_WALK) {
            long[] s = {n, 0};
            rest.forEachInRange(lo, true, hi, true, (k, v) -> {
                if (v instanceof int[] a) s[0] += a.length;
                else s[1] += ((RoaringBitmap) v).getLongCardinality();
            });
            return s;
        }
        long keys = Math.max(1, restKeys.getAsLong());
        long rows = Math.max(0, restRows.getAsLong());
        double inBitmaps = rows == 0 ? 0 : Math.min(1, Math.max(0, bitmapRows.getAsLong()) / (double) rows);
        double restEstimate = multi * (double) rows / keys;
        long b = Math.round(restEstimate * inBitmaps);
        return new long[] {n + Math.round(restEstimate) - b, b};
    }

    private long firstCount(long lo, long hi) {
        return first != null ? first.countRange(lo, true, hi, true) : 0;
    }

    private long restSum(long lo, long hi) {
        long[] s = {0};
        rest.forEachInRange(lo, true, hi, true, (k, v) -> s[0] += v instanceof int[] a ? a.length : ((RoaringBitmap) v).getLongCardinality());
        return s[0];
    }

    long size() {
        checkOpen();
        return (first != null ? first.size() : 0) + restSum(Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
