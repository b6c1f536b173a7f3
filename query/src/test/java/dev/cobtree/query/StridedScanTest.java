package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class StridedScanTest {

    @Test
    void everyKthEntryAgreesWithTheModel() {
        long seed = TestSeed.seed("StridedScanTest.everyKthEntryAgreesWithTheModel");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 4000);
        StridedScan strided = new StridedScan(m.tree);
        long[] strides = {1, 2, 3, 7, 64, 129, 1000, 5000, Long.MAX_VALUE};
        for (int q = 0; q < 1200; q++) {
            Range r = m.range(rnd);
            Order order = rnd.nextBoolean() ? Order.ASCENDING : Order.DESCENDING;
            long k = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(20) : strides[rnd.nextInt(strides.length)];
            long limit = rnd.nextBoolean() ? RangeScan.NO_LIMIT : rnd.nextInt(30);
            String ctx = "seed=" + seed + " query " + q + " " + r + " " + order + " stride " + k + " limit " + limit;

            long[][] all = m.expected(r, order, Long.MAX_VALUE);
            int n = all[0].length;
            int want = (int) Math.min(limit, n == 0 ? 0 : (n - 1) / k + 1);
            long[] wantKeys = new long[want];
            long[] wantValues = new long[want];
            for (int i = 0; i < want; i++) {
                wantKeys[i] = all[0][(int) (i * k)];
                wantValues[i] = all[1][(int) (i * k)];
            }

            RangeScanTest.Collected got = new RangeScanTest.Collected();
            assertEquals(want, strided.forEach(r, k, order, limit, got::add), ctx);
            assertArrayEquals(wantKeys, got.keys(), ctx);
            assertArrayEquals(wantValues, got.values(), ctx);
            if (limit == RangeScan.NO_LIMIT) {
                RangeScanTest.Collected again = new RangeScanTest.Collected();
                assertEquals(want, strided.forEach(r, k, order, again::add), ctx);
                assertArrayEquals(wantKeys, again.keys(), ctx);
            }

            int len = Math.min(want, rnd.nextInt(40));
            long[] keys = new long[len];
            long[] values = new long[len + 1];
            int filled = strided.fill(r, k, order, keys, values);
            assertEquals(len, filled, ctx);
            assertArrayEquals(Arrays.copyOf(wantKeys, len), keys, ctx);
            assertArrayEquals(Arrays.copyOf(wantValues, len), Arrays.copyOf(values, len), ctx);
        }
    }

    @Test
    void strideBelowOneIsRejectedNamingIt() {
        CobTree t = new CobTree();
        StridedScan strided = new StridedScan(t);
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> strided.forEach(Range.all(), bad, Order.ASCENDING, (k, v) -> { }));
            assertTrue(e.getMessage().contains("stride " + bad), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> strided.fill(Range.all(), bad, Order.DESCENDING, new long[1], null));
        }
        assertThrows(IllegalArgumentException.class, () -> strided.forEach(Range.all(), 1, Order.ASCENDING, -1, (k, v) -> { }));
        assertThrows(NullPointerException.class, () -> strided.forEach(Range.all(), 1, Order.ASCENDING, null));
        assertThrows(NullPointerException.class, () -> strided.fill(Range.all(), 1, Order.ASCENDING, null, null));
        t.close();
        assertThrows(IllegalStateException.class, () -> strided.forEach(Range.all(), 2, Order.ASCENDING, (k, v) -> { }));
    }
}
