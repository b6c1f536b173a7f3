package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class PointLookupTest {

    private static final long ABSENT = 0x5EED_AB5E_17L;

    @Test
    void batchesAgreeWithTheModel() {
        long seed = TestSeed.seed("PointLookupTest.batchesAgreeWithTheModel");
        Random rnd = new Random(seed);
        Model m = Model.random(rnd, 5000);
        PointLookup lookup = new PointLookup(m.tree);
        for (int q = 0; q < 400; q++) {
            int n = rnd.nextInt(300);
            long[] keys = new long[n];
            int kind = rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                keys[i] = switch (kind) {
                    case 0 -> m.probe(rnd);                                        // mixed hits and misses
                    case 1 -> m.probes.get(Math.min(m.probes.size() - 1, i));      // dense: the walk
                    case 2 -> i > 0 && rnd.nextInt(4) == 0 ? keys[i - 1] : m.probe(rnd); // duplicates
                    default -> rnd.nextLong();                                      // mostly misses, far apart
                };
            }
            boolean sorted = rnd.nextInt(4) != 0;
            if (sorted) Arrays.sort(keys);
            String ctx = "seed=" + seed + " batch " + q + " sorted=" + sorted + " kind=" + kind;

            long[] want = new long[n];
            int wantFound = 0;
            List<Long> wantPairs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Long v = m.map.get(keys[i]);
                want[i] = v == null ? ABSENT : v;
                if (v != null) {
                    wantFound++;
                    wantPairs.add(keys[i]);
                    wantPairs.add(v);
                }
            }
            long[] values = new long[n + 2];
            Arrays.fill(values, 42);
            assertEquals(wantFound, lookup.getAll(keys, values, ABSENT), ctx);
            assertArrayEquals(want, Arrays.copyOf(values, n), ctx);
            assertEquals(42, values[n], ctx + ": wrote past the batch");

            long[] one = new long[n];
            assertEquals(wantFound, lookup.getAllOneByOne(keys, 0, n, one, ABSENT), ctx);
            assertArrayEquals(want, one, ctx);

            List<Long> got = new ArrayList<>();
            assertEquals(wantFound, lookup.forEachFound(keys, 0, n, (k, v) -> { got.add(k); got.add(v); }), ctx);
            assertEquals(wantPairs, got, ctx);

            if (n > 2) {
                int from = 1 + rnd.nextInt(n - 2);
                int to = from + rnd.nextInt(n - from);
                long[] part = new long[n];
                Arrays.fill(part, 7);
                lookup.getAll(keys, from, to, part, ABSENT);
                for (int i = 0; i < n; i++) {
                    assertEquals(i >= from && i < to ? want[i] : 7, part[i], ctx + " index " + i);
                }
            }
        }
        KeyValue kv = new KeyValue();
        for (int q = 0; q < 2000; q++) {
            long k = m.probe(rnd);
            Long v = m.map.get(k);
            assertEquals(v != null, lookup.contains(k));
            assertEquals(v == null ? ABSENT : v, lookup.get(k, ABSENT));
            assertEquals(v != null, lookup.get(k, kv));
            if (v != null) assertEquals(v, kv.value);
        }
    }

    @Test
    void batchOverAnEmptyTreeAndPastTheEnd() {
        CobTree t = new CobTree();
        PointLookup lookup = new PointLookup(t);
        long[] values = new long[3];
        assertEquals(0, lookup.getAll(new long[] {1, 2, 3}, values, -1));
        assertArrayEquals(new long[] {-1, -1, -1}, values);
        t.put(2, 20, 0);
        assertEquals(1, lookup.getAll(new long[] {1, 2, 3}, values, -1));
        assertArrayEquals(new long[] {-1, 20, -1}, values);
        assertEquals(1, lookup.getAll(new long[] {Long.MIN_VALUE, 2, Long.MAX_VALUE}, values, -1));
        assertEquals(0, lookup.getAll(new long[0], new long[0], -1));
    }

    @Test
    void badInput() {
        CobTree t = new CobTree();
        PointLookup lookup = new PointLookup(t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lookup.getAll(new long[5], new long[4], 0));
        assertTrue(e.getMessage().contains("4"), e.getMessage());
        assertThrows(NullPointerException.class, () -> lookup.getAll(null, new long[1], 0));
        assertThrows(NullPointerException.class, () -> lookup.getAll(new long[1], null, 0));
        assertThrows(NullPointerException.class, () -> lookup.forEachFound(new long[1], 0, 1, null));
        assertThrows(IndexOutOfBoundsException.class, () -> lookup.getAll(new long[3], 2, 1, new long[3], 0));
        t.close();
        assertThrows(IllegalStateException.class, () -> lookup.getAll(new long[] {1, 2}, new long[2], 0));
        assertThrows(IllegalStateException.class, () -> lookup.getAll(new long[0], new long[0], 0));
        assertThrows(IllegalStateException.class, () -> lookup.getAll(new long[] {2, 1}, new long[2], 0));
    }
}
