package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LongLongReads} over the live tree and over a snapshot: the same checks against a
 * {@code TreeMap}, through the interface only, the snapshot's model frozen at its instant while
 * the tree goes on changing; and the cursors' bulk {@code read} (runs across segment loads, the
 * bound, the current entry after it) against the model, both ways.
 */
class LongLongReadsTest {

    @Test
    void treeAndSnapshotAnswerAlikeThroughTheInterface() {
        SplittableRandom r = new SplittableRandom(11);
        try (CobTree t = CobTree.builder().segmentSize(16).build()) {
            TreeMap<Long, Long> live = new TreeMap<>();
            for (int i = 0; i < 3_000; i++) {
                long k = r.nextLong(-5_000, 5_000);
                t.put(k, 3 * k, 0);
                live.put(k, 3 * k);
            }
            try (CobTreeSnapshot s = t.snapshot()) {
                TreeMap<Long, Long> frozen = new TreeMap<>(live);
                for (int i = 0; i < 2_000; i++) {
                    long k = r.nextLong(-5_000, 5_000);
                    if (r.nextBoolean()) {
                        t.put(k, 5 * k, 0);
                        live.put(k, 5 * k);
                    } else {
                        t.remove(k, 0);
                        live.remove(k);
                    }
                }
                check(t, live, r);
                check(s, frozen, r);
            }
        }
    }

    @Test
    void emptyAndClosed() {
        CobTree t = new CobTree();
        CobTreeSnapshot s = t.snapshot();
        for (LongLongReads reads : List.<LongLongReads>of(t, s)) {
            assertEquals(0, reads.size());
            assertTrue(reads.isEmpty());
            assertFalse(reads.first(new KeyValue()));
            assertThrows(NoSuchElementException.class, reads::firstKey);
            assertEquals(0, reads.cursor().read(new long[4], null, 0, 4, Long.MAX_VALUE));
            assertFalse(reads.isClosed());
        }
        LongLongCursor c = s.cursor();
        t.close();
        assertTrue(s.isClosed());
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, () -> c.read(new long[4], null, 0, 4, 10));
    }

    private static void check(LongLongReads reads, NavigableMap<Long, Long> m, SplittableRandom r) {
        KeyValue kv = new KeyValue();
        assertEquals(m.size(), reads.size());
        assertEquals(m.firstKey(), reads.firstKey());
        assertEquals(m.lastKey(), reads.lastKey());
        assertTrue(reads.first(kv));
        assertEquals(m.firstKey(), kv.key);
        assertTrue(reads.last(kv));
        assertEquals(m.lastKey(), kv.key);
        for (int i = 0; i < 400; i++) {
            long k = r.nextLong(-6_000, 6_000);
            assertEquals(m.getOrDefault(k, -1L), reads.get(k, -1L), "get " + k);
            assertEquals(m.containsKey(k), reads.get(k, (KeyValue) null));
            assertEquals(m.containsKey(k), reads.containsKey(k));
            assertEquals(entry(m.floorEntry(k)), reads.floor(k, kv) ? kv.key + "=" + kv.value : null, "floor " + k);
            assertEquals(entry(m.ceilingEntry(k)), reads.ceiling(k, kv) ? kv.key + "=" + kv.value : null, "ceiling " + k);
            assertEquals(entry(m.higherEntry(k)), reads.higher(k, kv) ? kv.key + "=" + kv.value : null, "higher " + k);
            assertEquals(entry(m.lowerEntry(k)), reads.lower(k, kv) ? kv.key + "=" + kv.value : null, "lower " + k);
            assertEquals(m.headMap(k, false).size(), reads.rank(k), "rank " + k);
            long k2 = k + r.nextLong(0, 3_000);
            boolean li = r.nextBoolean();
            boolean hi = r.nextBoolean();
            assertEquals(m.subMap(k, li, k2, hi).size(), reads.countRange(k, li, k2, hi));
            List<String> got = new ArrayList<>();
            reads.forEachInRange(k, li, k2, hi, (key, v) -> got.add(key + "=" + v));
            assertEquals(strings(m.subMap(k, li, k2, hi)), got, "forEachInRange " + k + ".." + k2);
            long idx = r.nextLong(0, m.size() + 2);
            Map.Entry<Long, Long> nth = idx < m.size() ? m.entrySet().stream().skip(idx).findFirst().orElseThrow() : null;
            assertEquals(entry(nth), reads.select(idx, kv) ? kv.key + "=" + kv.value : null, "select " + idx);
            boolean inc = r.nextBoolean();
            assertEquals(strings(m.tailMap(k, inc)), drain(reads.cursor(k, inc)), "cursor " + k);
            assertEquals(strings(m.headMap(k, inc).descendingMap()), drain(reads.descendingCursor(k, inc)), "descending " + k);
            bulk(reads.cursor(k, inc), new ArrayList<>(m.tailMap(k, inc).entrySet()), false, r);
            bulk(reads.descendingCursor(k, inc), new ArrayList<>(m.headMap(k, inc).descendingMap().entrySet()), true, r);
        }
        assertEquals(strings(m), drain(reads.cursor()));
        assertEquals(strings(m.descendingMap()), drain(reads.descendingCursor()));
    }

    /** Bulk reads of random lengths and bounds against the model's entries in the cursor's order. */
    private static void bulk(LongLongCursor c, List<Map.Entry<Long, Long>> order, boolean descending, SplittableRandom r) {
        int pos = 0; // entries of order consumed
        long[] ks = new long[200];
        long[] vs = new long[200];
        while (true) {
            int len = r.nextInt(1, 120);
            int off = r.nextInt(0, 200 - len + 1);
            int expected = 0;
            long last;
            if (pos < order.size() && r.nextInt(4) == 0) { // a bound inside what is left
                int j = Math.min(order.size() - 1, pos + r.nextInt(0, 150));
                last = order.get(j).getKey() + (descending ? 1 : -1) * r.nextInt(0, 2);
            } else {
                last = descending ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            while (expected < len && pos + expected < order.size()
                    && (descending ? order.get(pos + expected).getKey() >= last : order.get(pos + expected).getKey() <= last)) {
                expected++;
            }
            boolean valuesToo = r.nextBoolean();
            int n = c.read(ks, valuesToo ? vs : null, off, len, last);
            assertEquals(expected, n, "read at " + pos + " len " + len + " last " + last);
            for (int i = 0; i < n; i++) {
                assertEquals(order.get(pos + i).getKey(), ks[off + i]);
                if (valuesToo) {
                    assertEquals(order.get(pos + i).getValue(), vs[off + i]);
                }
            }
            pos += n;
            if (pos > 0) {
                assertEquals(order.get(pos - 1).getKey(), c.key(), "the last entry written is current");
                assertEquals(order.get(pos - 1).getValue(), c.value());
            }
            if (pos == order.size()) {
                assertEquals(0, c.read(ks, vs, 0, 10, descending ? Long.MIN_VALUE : Long.MAX_VALUE));
                assertFalse(c.next());
                return;
            }
            if (r.nextInt(3) == 0) { // interleave single steps
                assertTrue(c.next());
                assertEquals(order.get(pos).getKey(), c.key());
                pos++;
            }
        }
    }

    private static String entry(Map.Entry<Long, Long> e) {
        return e == null ? null : e.getKey() + "=" + e.getValue();
    }

    private static List<String> strings(Map<Long, Long> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static List<String> drain(LongLongCursor c) {
        List<String> out = new ArrayList<>();
        while (c.next()) {
            out.add(c.key() + "=" + c.value());
        }
        return out;
    }
}
