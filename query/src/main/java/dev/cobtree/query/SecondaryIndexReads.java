package dev.cobtree.query;

import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongLongReads;
import dev.cobtree.core.LongObjectConsumer;
import dev.cobtree.core.LongObjectReads;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;

/**
 * The reads of a {@link SecondaryIndex}, written once over its sources: the pair tree and, in
 * adaptive form, the bitmap tree. {@link SecondaryIndex} reads its live trees through one (with
 * {@link BitmapKeys}' stamps, so a scan that overlapped a form move is run again);
 * {@link SecondaryIndexSnapshot} reads its tree snapshots through another (no stamps: the
 * snapshots were taken while every writer of the index was excluded, so no move is half done in
 * them, and they never change).
 */
final class SecondaryIndexReads {

    private final LongLongReads pairs;
    private final LongObjectReads<RoaringBitmap> bitmaps; // null: pairs only
    private final BitmapKeys stamps;                   // null: nothing moves under the reads
    final int bits;
    final long mask;
    final long minKey;
    final long maxKey;

    SecondaryIndexReads(LongLongReads pairs, LongObjectReads<RoaringBitmap> bitmaps, BitmapKeys stamps, int bits) {
        this.pairs = pairs;
        this.bitmaps = bitmaps;
        this.stamps = stamps;
        this.bits = bits;
        this.mask = (1L << bits) - 1;
        this.minKey = -(1L << (63 - bits));
        this.maxKey = (1L << (63 - bits)) - 1;
    }

    private long beginRead() {
        return stamps == null ? 0 : stamps.beginRead();
    }

    private boolean validate(long stamp) {
        return stamps == null || stamps.validate(stamp);
    }

    long encode(long key, long rowId) {
        if (key < minKey || key > maxKey) {
            throw new IllegalArgumentException("key " + key + " is outside [" + minKey + ", " + maxKey
                    + "], the keys a SecondaryIndex with " + bits + "-bit row ids can hold");
        }
        if (rowId < 0 || rowId > mask) {
            throw new IllegalArgumentException("row id " + rowId + " is outside [0, " + mask
                    + "], the row ids of a SecondaryIndex with " + bits + "-bit row ids");
        }
        return (key << bits) | rowId;
    }

    /** The key of a composite tree key. */
    long keyOf(long composite) {
        return composite >> bits; // arithmetic shift: restores negative keys
    }

    boolean contains(long key, long rowId) {
        long c = encode(key, rowId);
        if (bitmaps == null) return pairs.containsKey(c);
        for (;;) {
            long stamp = beginRead();
            boolean in = pairs.containsKey(c);
            if (!in) {
                RoaringBitmap b = bitmaps.get(key);
                in = b != null && b.contains((int) rowId);
            }
            if (validate(stamp)) return in;
        }
    }

    RoaringBitmap rowIds(Range keys) {
        Objects.requireNonNull(keys, "keys");
        if (bits > 32) {
            throw new IllegalStateException("row ids have " + bits + " bits, too wide for a RoaringBitmap: use rowIds64");
        }
        if (bitmaps == null) {
            RowIdCollector rows = new RowIdCollector();
            scan(keys, rows);
            return rows.finish();
        }
        for (;;) {
            long stamp = beginRead();
            RowIdCollector rows = new RowIdCollector();
            scan(keys, rows);
            ArrayList<RoaringBitmap> parts = new ArrayList<>();
            parts.add(rows.finish());
            scanBitmaps(keys, (k, b) -> parts.add(b));
            // One horizontal OR into a new bitmap: reads the published bitmaps, never modifies them.
            RoaringBitmap out = parts.size() == 1 ? parts.get(0) : RoaringBitmap.or(parts.iterator());
            if (validate(stamp)) return out;
        }
    }

    Roaring64NavigableMap rowIds64(Range keys) {
        Objects.requireNonNull(keys, "keys");
        for (;;) {
            long stamp = beginRead();
            Roaring64NavigableMap out = new Roaring64NavigableMap();
            scan(keys, (c, rowId) -> out.addLong(rowId));
            if (bitmaps == null) return out;
            scanBitmaps(keys, (k, b) -> b.forEach((int row) -> out.addLong(Integer.toUnsignedLong(row))));
            if (validate(stamp)) return out;
        }
    }

    long forEach(Range keys, LongLongConsumer sink) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(sink, "sink");
        if (bitmaps == null) {
            long[] n = {0};
            scan(keys, (c, rowId) -> {
                n[0]++;
                sink.accept(keyOf(c), rowId);
            });
            return n[0];
        }
        // Adaptive: the pairs and bitmaps are read under a stamp and may have to be read again, so
        // they are collected first (memory of the answer) and merged by key once the stamp holds.
        for (;;) {
            long stamp = beginRead();
            LongPairs got = new LongPairs();
            scan(keys, (c, rowId) -> got.add(keyOf(c), rowId));
            ArrayList<Long> bitmapKeys = new ArrayList<>();
            ArrayList<RoaringBitmap> found = new ArrayList<>();
            scanBitmaps(keys, (k, b) -> {
                bitmapKeys.add(k);
                found.add(b);
            });
            if (!validate(stamp)) continue;
            long n = 0;
            int j = 0;
            for (int i = 0; i < got.size; i++) {
                for (; j < found.size() && bitmapKeys.get(j) < got.keys[i]; j++) n += emit(bitmapKeys.get(j), found.get(j), sink);
                sink.accept(got.keys[i], got.rows[i]);
                n++;
            }
            for (; j < found.size(); j++) n += emit(bitmapKeys.get(j), found.get(j), sink);
            return n;
        }
    }

    private static long emit(long key, RoaringBitmap rows, LongLongConsumer sink) {
        rows.forEach((int row) -> sink.accept(key, Integer.toUnsignedLong(row))); // unsigned order = row-id order
        return rows.getLongCardinality();
    }

    /** A growable list of (key, rowId). */
    private static final class LongPairs {
        long[] keys = new long[16];
        long[] rows = new long[16];
        int size;

        void add(long key, long row) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                rows = Arrays.copyOf(rows, size * 2);
            }
            keys[size] = key;
            rows[size++] = row;
        }
    }

    long count(Range keys) {
        Objects.requireNonNull(keys, "keys");
        Sources.checkOpen(pairs);
        if (keys.isEmpty()) return 0;
        long lo = Math.max(keys.first(), minKey);
        long hi = Math.min(keys.last(), maxKey);
        if (lo > hi) return 0;
        if (bitmaps == null) return pairs.countRange(lo << bits, true, (hi << bits) | mask, true);
        for (;;) {
            long stamp = beginRead();
            long[] n = {pairs.countRange(lo << bits, true, (hi << bits) | mask, true)};
            bitmaps.forEachInRange(lo, true, hi, true, (k, b) -> n[0] += b.getLongCardinality());
            if (validate(stamp)) return n[0];
        }
    }

    long size() {
        if (bitmaps == null) return pairs.size();
        return count(Range.closed(minKey, maxKey));
    }

    /** Feeds {@code (compositeKey, rowId)} of every pair in {@code keys}, clipped to the encodable keys, to the sink. */
    private void scan(Range keys, LongLongConsumer sink) {
        Sources.checkOpen(pairs);
        if (keys.isEmpty()) return;
        long lo = Math.max(keys.first(), minKey);
        long hi = Math.min(keys.last(), maxKey);
        if (lo > hi) return;
        pairs.forEachInRange(lo << bits, true, (hi << bits) | mask, true, sink);
    }

    /** Feeds {@code (key, bitmap)} of every bitmap key in {@code keys}, clipped to the encodable keys, to the sink. */
    private void scanBitmaps(Range keys, LongObjectConsumer<RoaringBitmap> sink) {
        if (keys.isEmpty()) return;
        long lo = Math.max(keys.first(), minKey);
        long hi = Math.min(keys.last(), maxKey);
        if (lo > hi) return;
        bitmaps.forEachInRange(lo, true, hi, true, sink);
    }
}
