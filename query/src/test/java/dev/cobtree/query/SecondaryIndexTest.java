package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.*;

class SecondaryIndexTest {

    /** The pairs as a map key -> row ids, the brute-force side of every comparison. */
    static final class PairModel {
        final TreeMap<Long, TreeSet<Long>> pairs = new TreeMap<>();

        boolean insert(long k, long row) {
            return pairs.computeIfAbsent(k, x -> new TreeSet<>()).add(row);
        }

        boolean delete(long k, long row) {
            TreeSet<Long> rows = pairs.get(k);
            if (rows == null || !rows.remove(row)) return false;
            if (rows.isEmpty()) pairs.remove(k);
            return true;
        }

        NavigableMap<Long, TreeSet<Long>> in(Range r) {
            return Model.sub(pairs, r);
        }

        RoaringBitmap bitmap(Range r) {
            RoaringBitmap b = new RoaringBitmap();
            for (TreeSet<Long> rows : in(r).values()) for (long row : rows) b.add((int) row);
            return b;
        }

        Roaring64NavigableMap bitmap64(Range r) {
            Roaring64NavigableMap b = new Roaring64NavigableMap();
            for (TreeSet<Long> rows : in(r).values()) for (long row : rows) b.addLong(row);
            return b;
        }

        long count(Range r) {
            long n = 0;
            for (TreeSet<Long> rows : in(r).values()) n += rows.size();
            return n;
        }
    }

    private static long key(Random rnd, SecondaryIndex idx, int spread) {
        return switch (rnd.nextInt(10)) {
            case 0 -> idx.minKey() + rnd.nextInt(3);
            case 1 -> idx.maxKey() - rnd.nextInt(3);
            default -> rnd.nextInt(spread) - spread / 3;
        };
    }

    private static long row(Random rnd, SecondaryIndex idx, int rows) {
        return rnd.nextInt(20) == 0 ? idx.maxRowId() - rnd.nextInt(2) : rnd.nextInt(rows);
    }

    private static Range range(Random rnd, SecondaryIndex idx, int spread) {
        long a = key(rnd, idx, spread);
        long b = rnd.nextInt(6) == 0 ? a : key(rnd, idx, spread);
        return switch (rnd.nextInt(8)) {
            case 0 -> Range.all();
            case 1 -> Range.atLeast(Math.min(a, b));
            default -> Range.of(Math.min(a, b), rnd.nextBoolean(), Math.max(a, b), rnd.nextBoolean());
        };
    }

    @Test
    void randomWritesAndQueriesAgreeWithTheModel() {
        long seed = TestSeed.seed("SecondaryIndexTest.randomWritesAndQueriesAgreeWithTheModel");
        for (int bits : new int[] {32, 20, 8, 40}) {
            Random rnd = new Random(seed + bits);
            SecondaryIndex idx = new SecondaryIndex(bits);
            PairModel model = new PairModel();
            int spread = 1 + rnd.nextInt(400);
            int rows = Math.min(1 << Math.min(bits, 20), 5000);
            for (int op = 0; op < 6_000; op++) {
                String ctx = "seed=" + seed + " bits=" + bits + " op " + op;
                long k = key(rnd, idx, spread);
                long r = row(rnd, idx, rows);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> assertEquals(model.insert(k, r), idx.insert(k, r), ctx + " insert " + k + "," + r);
                    case 5, 6 -> assertEquals(model.delete(k, r), idx.delete(k, r), ctx + " delete " + k + "," + r);
                    case 7 -> assertEquals(model.pairs.containsKey(k) && model.pairs.get(k).contains(r), idx.contains(k, r), ctx);
                    default -> {
                        Range q = range(rnd, idx, spread);
                        if (bits <= 32) {
                            assertEquals(model.bitmap(q), idx.rowIds(q), ctx + " rowIds " + q);
                            assertEquals(model.bitmap(Range.singleton(k)), idx.rowIds(k), ctx + " rowIds " + k);
                        }
                        assertEquals(model.bitmap64(q), idx.rowIds64(q), ctx + " rowIds64 " + q);
                        assertEquals(model.count(q), idx.count(q), ctx + " count " + q);
                    }
                }
            }
            assertEquals(model.count(Range.all()), idx.size(), "seed=" + seed);
            List<Long> got = new ArrayList<>();
            Range q = range(rnd, idx, spread);
            idx.forEach(q, (k, r) -> { got.add(k); got.add(r); });
            List<Long> want = new ArrayList<>();
            for (Map.Entry<Long, TreeSet<Long>> e : model.in(q).entrySet()) for (long r : e.getValue()) { want.add(e.getKey()); want.add(r); }
            assertEquals(want, got, "seed=" + seed + " forEach " + q);
            idx.close();
        }
    }

    @Test
    void bulkLoadCollapsesDuplicatesAndMatchesInserts() {
        long seed = TestSeed.seed("SecondaryIndexTest.bulkLoadCollapsesDuplicatesAndMatchesInserts");
        Random rnd = new Random(seed);
        int n = 20_000;
        long[] keys = new long[n];
        long[] rows = new long[n];
        PairModel model = new PairModel();
        for (int i = 0; i < n; i++) {
            keys[i] = rnd.nextInt(500) - 250;
            rows[i] = rnd.nextInt(3000);
            model.insert(keys[i], rows[i]);
        }
        SecondaryIndex idx = SecondaryIndex.bulkLoad(24, keys, rows, n);
        assertEquals(model.count(Range.all()), idx.size());
        for (int q = 0; q < 300; q++) {
            long a = rnd.nextInt(600) - 300;
            long b = a + rnd.nextInt(100);
            Range r = Range.halfOpen(a, b);
            assertEquals(model.bitmap(r), idx.rowIds(r), "seed=" + seed + " " + r);
        }
        assertFalse(idx.insert(keys[0], rows[0]), "a loaded pair must already be there");
        assertTrue(idx.delete(keys[0], rows[0]));
    }

    @Test
    void rowIdsUseTheWholeUnsignedIntRange() {
        SecondaryIndex idx = new SecondaryIndex();
        assertEquals(0xFFFF_FFFFL, idx.maxRowId());
        assertEquals(Integer.MIN_VALUE, idx.minKey());
        assertEquals(Integer.MAX_VALUE, idx.maxKey());
        idx.insert(-5, 0xFFFF_FFFFL);
        idx.insert(-5, 0);
        idx.insert(Integer.MIN_VALUE, 7);
        idx.insert(Integer.MAX_VALUE, 8);
        RoaringBitmap b = idx.rowIds(-5);
        assertEquals(2, b.getLongCardinality());
        assertTrue(b.contains(0));
        assertTrue(b.contains(-1)); // 0xFFFFFFFF as an unsigned int
        assertEquals(RoaringBitmap.bitmapOf(7), idx.rowIds(Range.atMost(-6)));
        assertEquals(RoaringBitmap.bitmapOf(8), idx.rowIds(Range.greaterThan(-5)));
        assertEquals(RoaringBitmap.bitmapOf(8), idx.rowIds(Range.closed(0, Long.MAX_VALUE)), "a range past the key limits is clipped");
        assertTrue(idx.rowIds(Range.closed(Long.MIN_VALUE, Integer.MIN_VALUE - 1L)).isEmpty(), "keys below the limits: nothing");
        assertEquals(4, idx.count(Range.all()));
    }

    @Test
    void filtersCombineLikeSets() {
        long seed = TestSeed.seed("SecondaryIndexTest.filtersCombineLikeSets");
        Random rnd = new Random(seed);
        int rows = 5000;
        SecondaryIndex a = new SecondaryIndex();
        SecondaryIndex b = new SecondaryIndex();
        long[] ka = new long[rows];
        long[] kb = new long[rows];
        for (int row = 0; row < rows; row++) {
            ka[row] = rnd.nextInt(100);
            kb[row] = rnd.nextInt(1000);
            a.insert(ka[row], row);
            b.insert(kb[row], row);
        }
        FilterCache cacheB = new FilterCache(b, 1 << 20);
        for (int q = 0; q < 200; q++) {
            Range ra = Range.halfOpen(rnd.nextInt(50), 50 + rnd.nextInt(60));
            Range rb = Range.closed(rnd.nextInt(500), 500 + rnd.nextInt(600));
            RowFilter fa = RowFilter.of(a, ra);
            RowFilter fb = rnd.nextBoolean() ? RowFilter.of(b, rb) : RowFilter.of(cacheB, rb);
            RoaringBitmap and = new RoaringBitmap(), or = new RoaringBitmap(), andNot = new RoaringBitmap();
            for (int row = 0; row < rows; row++) {
                boolean ia = ra.contains(ka[row]), ib = rb.contains(kb[row]);
                if (ia && ib) and.add(row);
                if (ia || ib) or.add(row);
                if (ia && !ib) andNot.add(row);
            }
            String ctx = "seed=" + seed + " " + ra + " " + rb;
            assertEquals(and, fa.and(fb).rows(), ctx);
            assertEquals(or, fa.or(fb).rows(), ctx);
            assertEquals(andNot, fa.andNot(fb).rows(), ctx);
            assertEquals(and, RowFilter.of(and).rows(), ctx);
            RoaringBitmap owned = fa.and(fb).rows();
            owned.add(rows + 1); // the caller owns its result: the cache must not change
            assertEquals(and, fa.and(fb).rows(), ctx);
        }
        assertTrue(cacheB.stats().hitCount() + cacheB.stats().missCount() > 0);
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        SecondaryIndex idx = new SecondaryIndex(20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> idx.insert(1L << 50, 1));
        assertTrue(e.getMessage().contains(String.valueOf(1L << 50)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> idx.insert(1, -1));
        assertTrue(e.getMessage().contains("row id -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> idx.insert(1, 1 << 20));
        assertTrue(e.getMessage().contains(String.valueOf(1 << 20)), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> idx.delete(1, -7));
        assertThrows(IllegalArgumentException.class, () -> idx.contains(1L << 60, 0));
        assertEquals(0, idx.size(), "failed writes leave the index unchanged");
        e = assertThrows(IllegalArgumentException.class, () -> new SecondaryIndex(63));
        assertTrue(e.getMessage().contains("63"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SecondaryIndex(0));
        e = assertThrows(IllegalArgumentException.class,
                () -> SecondaryIndex.bulkLoad(8, new long[] {1, 2, 1L << 60}, new long[] {0, 0, 0}, 3));
        assertTrue(e.getMessage().contains("entry 2") && e.getMessage().contains(String.valueOf(1L << 60)), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SecondaryIndex.bulkLoad(8, new long[] {1, 2}, new long[] {0, 256}, 2));
        assertTrue(e.getMessage().contains("entry 1") && e.getMessage().contains("256"), e.getMessage());
        SecondaryIndex wide = new SecondaryIndex(40);
        wide.insert(3, 1L << 39);
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> wide.rowIds(3));
        assertTrue(s.getMessage().contains("40"), s.getMessage());
        assertTrue(wide.rowIds64(3).contains(1L << 39));
        assertThrows(NullPointerException.class, () -> idx.rowIds(null));
        assertThrows(NullPointerException.class, () -> idx.forEach(Range.all(), null));
        assertThrows(NullPointerException.class, () -> RowFilter.of(idx, Range.all()).and(null));
        idx.close();
        assertThrows(IllegalStateException.class, () -> idx.rowIds(Range.all()));
        assertThrows(IllegalStateException.class, () -> idx.rowIds(Range.open(1, 2)));
        assertThrows(IllegalStateException.class, () -> idx.insert(1, 1));
    }
}
