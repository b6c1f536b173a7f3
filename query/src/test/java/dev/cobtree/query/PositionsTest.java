package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PositionsTest {

    @Test
    void positionsRanksAndCountsAgreeWithTheModel() {
        long seed = TestSeed.seed("PositionsTest.positionsRanksAndCountsAgreeWithTheModel");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 3000);
        Positions pos = new Positions(m.tree);
        List<Long> keys = new ArrayList<>(m.map.keySet());
        KeyValue kv = new KeyValue();
        for (int q = 0; q < 500; q++) {
            String ctx = "seed=" + seed + " query " + q;
            long i = rnd.nextInt(keys.size() + 5);
            assertEquals(i < keys.size(), pos.select(i, kv), ctx + " select " + i);
            if (i < keys.size()) {
                assertEquals(keys.get((int) i), kv.key, ctx);
                assertEquals(m.map.get(kv.key), kv.value, ctx);
            }
            long k = m.probe(rnd);
            assertEquals(m.map.headMap(k, false).size(), pos.rank(k), ctx + " rank " + k);

            Range r = m.range(rnd);
            List<Long> in = new ArrayList<>(m.sub(r).keySet());
            assertEquals(in.size(), pos.count(r), ctx + " count " + r);
            long j = rnd.nextInt(in.size() + 3);
            assertEquals(j < in.size(), pos.select(r, j, kv), ctx + " select " + j + " in " + r);
            if (j < in.size()) assertEquals(in.get((int) j), kv.key, ctx);

            double f = rnd.nextInt(5) == 0 ? (rnd.nextBoolean() ? 0 : 1) : rnd.nextDouble();
            assertEquals(!in.isEmpty(), pos.quantile(r, f, kv), ctx);
            if (!in.isEmpty()) assertEquals(in.get((int) Math.floor(f * (in.size() - 1))), kv.key, ctx + " quantile " + f);
        }
        assertFalse(pos.select(r(5, 5), 0, kv));
        assertFalse(pos.select(Range.all(), Long.MAX_VALUE, kv));
    }

    private static Range r(long lo, long hi) {
        return Range.halfOpen(lo, hi);
    }

    @Test
    void quantilesAndHistogramsAgreeWithTheModel() {
        long seed = TestSeed.seed("PositionsTest.quantilesAndHistogramsAgreeWithTheModel");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 4000);
        Positions pos = new Positions(m.tree);
        for (int q = 0; q < 400; q++) {
            Range r = m.range(rnd);
            List<Long> in = new ArrayList<>(m.sub(r).keySet());
            int n = in.size();
            int parts = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 200);
            String ctx = "seed=" + seed + " query " + q + " " + r + " n=" + n + " parts=" + parts;

            long[] quantiles = pos.quantiles(r, parts);
            if (n == 0) {
                assertEquals(0, quantiles.length, ctx);
            } else {
                assertEquals(parts + 1, quantiles.length, ctx);
                for (int j = 0; j <= parts; j++) {
                    long p = (long) Math.floor((double) j * (n - 1) / parts + 1e-9);
                    assertEquals(in.get((int) p), quantiles[j], ctx + " cut " + j);
                }
                assertEquals(in.get(0), quantiles[0], ctx);
                assertEquals(in.get(n - 1), quantiles[parts], ctx);
            }

            Histogram h = pos.equiDepth(r, parts);
            int b = Math.min(parts, n);
            assertEquals(b, h.buckets(), ctx);
            assertEquals(n, h.total(), ctx);
            if (n == 0) {
                assertThrows(IllegalStateException.class, h::upperBound);
                assertEquals(-1, h.bucketOf(0));
                continue;
            }
            assertEquals(in.get(n - 1), h.upperBound(), ctx);
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < b; i++) {
                int start = (int) ((long) i * n / b);
                int end = (int) ((long) (i + 1) * n / b);
                assertEquals(in.get(start), h.lowerBound(i), ctx + " bucket " + i);
                assertEquals(end - start, h.count(i), ctx + " bucket " + i);
                min = Math.min(min, h.count(i));
                max = Math.max(max, h.count(i));
            }
            assertTrue(max - min <= 1, ctx + ": buckets not equi-depth " + Arrays.toString(h.counts()));
            for (int t = 0; t < 20; t++) {
                long key = in.get(rnd.nextInt(n));
                int bucket = h.bucketOf(key);
                assertTrue(bucket >= 0 && h.lowerBound(bucket) <= key, ctx);
                assertTrue(bucket == b - 1 || key < h.lowerBound(bucket + 1), ctx);
            }
            if (in.get(0) != Long.MIN_VALUE) assertEquals(-1, h.bucketOf(in.get(0) - 1), ctx);
            if (in.get(n - 1) != Long.MAX_VALUE) assertEquals(-1, h.bucketOf(in.get(n - 1) + 1), ctx);
        }
    }

    @Test
    void cutPositionsDoNotOverflow() {
        assertEquals(Long.MAX_VALUE, Positions.cut(Long.MAX_VALUE, 7, 7));
        assertEquals(Long.MAX_VALUE / 2, Positions.cut(Long.MAX_VALUE, 1, 2));
        assertEquals(3, Positions.cut(10, 1, 3));
        assertEquals(6, Positions.cut(10, 2, 3));
    }

    /** Finding 6: parts and buckets are bounded by a clear message, not NegativeArraySizeException or gigabytes. */
    @Test
    void partsAndBucketsAreBoundedNamingTheValue() {
        CobTree t = new CobTree();
        for (int k = 0; k < 10; k++) t.put(k, k, 0);
        Positions pos = new Positions(t);
        for (int bad : new int[] {Integer.MAX_VALUE, Positions.MAX_PARTS + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pos.quantiles(Range.all(), bad));
            assertTrue(e.getMessage().contains("parts " + bad), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> pos.equiDepth(Range.all(), bad));
            assertTrue(e.getMessage().contains("buckets " + bad), e.getMessage());
        }
        long[] q = pos.quantiles(Range.all(), Positions.MAX_PARTS);
        assertEquals(Positions.MAX_PARTS + 1, q.length);
        assertEquals(0, q[0]);
        assertEquals(9, q[Positions.MAX_PARTS]);
        assertEquals(10, pos.equiDepth(Range.all(), Positions.MAX_PARTS).buckets());
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        CobTree t = new CobTree();
        t.put(1, 1, 0);
        Positions pos = new Positions(t);
        KeyValue kv = new KeyValue();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pos.select(-2, kv));
        assertTrue(e.getMessage().contains("-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pos.select(Range.all(), -1, kv));
        e = assertThrows(IllegalArgumentException.class, () -> pos.equiDepth(Range.all(), 0));
        assertTrue(e.getMessage().contains("buckets 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> pos.quantiles(Range.all(), -4));
        assertTrue(e.getMessage().contains("-4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pos.quantile(Range.all(), 1.5, kv));
        assertThrows(IllegalArgumentException.class, () -> pos.quantile(Range.all(), Double.NaN, kv));
        assertThrows(NullPointerException.class, () -> pos.select(0, null));
        assertThrows(NullPointerException.class, () -> pos.count(null));
        t.close();
        assertThrows(IllegalStateException.class, () -> pos.count(Range.all()));
        assertThrows(IllegalStateException.class, () -> pos.count(Range.halfOpen(2, 2)));
        assertThrows(IllegalStateException.class, () -> pos.equiDepth(Range.all(), 3));
    }
}
