package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class RangeScanTest {

    /** Collects into growing arrays. */
    static final class Collected {
        long[] keys = new long[16];
        long[] values = new long[16];
        int n;

        void add(long k, long v) {
            if (n == keys.length) {
                keys = Arrays.copyOf(keys, 2 * n);
                values = Arrays.copyOf(values, 2 * n);
            }
            keys[n] = k;
            values[n++] = v;
        }

        long[] keys() {
            return Arrays.copyOf(keys, n);
        }

        long[] values() {
            return Arrays.copyOf(values, n);
        }
    }

    @Test
    void everyScanAgreesWithTheModel() {
        long seed = TestSeed.seed("RangeScanTest.everyScanAgreesWithTheModel");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 3000);
        RangeScan scan = new RangeScan(m.tree);
        for (int q = 0; q < 1500; q++) {
            Range r = m.range(rnd);
            Order order = rnd.nextBoolean() ? Order.ASCENDING : Order.DESCENDING;
            long limit = switch (rnd.nextInt(4)) {
                case 0 -> RangeScan.NO_LIMIT;
                case 1 -> 0;
                default -> rnd.nextInt(50);
            };
            String ctx = "seed=" + seed + " query " + q + " " + r + " " + order + " limit " + limit;
            long[][] want = m.expected(r, order, limit);

            Collected got = new Collected();
            long n = scan.forEach(r, order, limit, got::add);
            assertEquals(want[0].length, n, ctx);
            assertArrayEquals(want[0], got.keys(), ctx);
            assertArrayEquals(want[1], got.values(), ctx);

            if (order == Order.ASCENDING && limit == RangeScan.NO_LIMIT) {
                Collected all = new Collected();
                assertEquals(want[0].length, scan.forEach(r, all::add), ctx);
                assertArrayEquals(want[0], all.keys(), ctx);
            }

            int len = (int) Math.min(limit, 40);
            long[] keys = new long[len];
            long[] values = new long[len + rnd.nextInt(3)];
            int filled = scan.fill(r, order, keys, values);
            long[][] first = m.expected(r, order, len);
            assertEquals(first[0].length, filled, ctx);
            assertArrayEquals(first[0], Arrays.copyOf(keys, filled), ctx);
            assertArrayEquals(first[1], Arrays.copyOf(values, filled), ctx);
            long[] onlyKeys = new long[len];
            assertEquals(filled, scan.fill(r, order, onlyKeys, null), ctx);
            assertArrayEquals(first[0], Arrays.copyOf(onlyKeys, filled), ctx);
            long[] onlyValues = new long[len];
            assertEquals(filled, scan.fill(r, order, null, onlyValues), ctx);
            assertArrayEquals(first[1], Arrays.copyOf(onlyValues, filled), ctx);

            long[] top = scan.keys(r, order, (int) Math.min(limit, 100_000));
            assertArrayEquals(m.expected(r, order, Math.min(limit, 100_000))[0], top, ctx);
        }
    }

    @Test
    void readerHandsOutTheRangeInChunks() {
        long seed = TestSeed.seed("RangeScanTest.readerHandsOutTheRangeInChunks");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 3000);
        RangeScan scan = new RangeScan(m.tree);
        for (int q = 0; q < 300; q++) {
            Range r = m.range(rnd);
            Order order = rnd.nextBoolean() ? Order.ASCENDING : Order.DESCENDING;
            String ctx = "seed=" + seed + " query " + q + " " + r + " " + order;
            long[][] want = m.expected(r, order, Long.MAX_VALUE);
            RangeReader reader = scan.reader(r, order);
            Collected got = new Collected();
            long[] keys = new long[64];
            long[] values = new long[64];
            while (true) {
                int off = rnd.nextInt(4);
                int len = 1 + rnd.nextInt(60);
                int n = reader.read(keys, values, off, len);
                assertTrue(n >= 0 && n <= len, ctx);
                if (n == 0) break;
                for (int i = 0; i < n; i++) got.add(keys[off + i], values[off + i]);
            }
            assertTrue(reader.isExhausted(), ctx);
            assertEquals(0, reader.read(keys, values), ctx);
            assertArrayEquals(want[0], got.keys(), ctx);
            assertArrayEquals(want[1], got.values(), ctx);
        }
    }

    @Test
    void badInputIsRejectedNamingTheValue() {
        CobTree t = new CobTree();
        t.put(1, 1, 0);
        RangeScan scan = new RangeScan(t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> scan.forEach(Range.all(), Order.ASCENDING, -3, (k, v) -> { }));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        assertThrows(NullPointerException.class, () -> scan.forEach(Range.all(), null));
        assertThrows(NullPointerException.class, () -> scan.forEach(null, (k, v) -> { }));
        assertThrows(NullPointerException.class, () -> scan.forEach(Range.all(), null, 1, (k, v) -> { }));
        assertThrows(NullPointerException.class, () -> scan.fill(Range.all(), Order.ASCENDING, null, null));
        assertThrows(IndexOutOfBoundsException.class,
                () -> scan.reader(Range.all(), Order.ASCENDING).read(new long[4], null, 2, 3));
        assertThrows(NullPointerException.class, () -> new RangeScan((CobTree) null));
        t.close();
        assertThrows(IllegalStateException.class, () -> scan.forEach(Range.all(), (k, v) -> { }));
        assertThrows(IllegalStateException.class, () -> scan.forEach(Range.halfOpen(3, 3), (k, v) -> { }));
        assertThrows(IllegalStateException.class, () -> scan.fill(Range.all(), Order.DESCENDING, new long[3], null));
    }
}
