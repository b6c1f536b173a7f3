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
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link LongObjectReads} over the live tree and over a snapshot: the same checks against a
 * {@code TreeMap}, through the interface only, the snapshot's model frozen at its instant while the
 * tree goes on changing.
 */
class LongObjectReadsTest {

    @Test
    void treeAndSnapshotAnswerAlikeThroughTheInterface() {
        SplittableRandom r = new SplittableRandom(7);
        try (LongObjectTree<String> t = LongObjectTree.<String>builder().segmentSize(16).build()) {
            TreeMap<Long, String> live = new TreeMap<>();
            for (int i = 0; i < 3_000; i++) {
                long k = r.nextLong(-5_000, 5_000);
                t.put(k, "v" + k);
                live.put(k, "v" + k);
            }
            try (LongObjectTreeSnapshot<String> s = t.snapshot()) {
                TreeMap<Long, String> frozen = new TreeMap<>(live);
                for (int i = 0; i < 2_000; i++) { // the tree moves on; the snapshot must not
                    long k = r.nextLong(-5_000, 5_000);
                    if (r.nextBoolean()) {
                        t.put(k, "w" + k);
                        live.put(k, "w" + k);
                    } else {
                        t.remove(k);
                        live.remove(k);
                    }
                }
                check(t, live, r);
                check(s, frozen, r);
            }
        }
    }

    @Test
    void emptyReadsThroughTheInterface() {
        try (LongObjectTree<String> t = new LongObjectTree<>(); LongObjectTreeSnapshot<String> s = t.snapshot()) {
            for (LongObjectReads<String> reads : List.<LongObjectReads<String>>of(t, s)) {
                assertEquals(0, reads.size());
                assertEquals(true, reads.isEmpty());
                assertEquals(null, reads.firstEntry());
                assertThrows(NoSuchElementException.class, reads::firstKey);
                assertThrows(NoSuchElementException.class, reads::lastKey);
                assertEquals(false, reads.cursor().next());
                assertThrows(IllegalArgumentException.class, () -> reads.countRange(2, true, 1, true));
            }
        }
    }

    private static void check(LongObjectReads<String> reads, NavigableMap<Long, String> m, SplittableRandom r) {
        assertEquals(m.size(), reads.size());
        assertEquals(m.isEmpty(), reads.isEmpty());
        assertEquals(m.firstKey(), reads.firstKey());
        assertEquals(m.lastKey(), reads.lastKey());
        assertEquals(entry(m.firstEntry()), entry(reads.firstEntry()));
        assertEquals(entry(m.lastEntry()), entry(reads.lastEntry()));
        for (int i = 0; i < 500; i++) {
            long k = r.nextLong(-6_000, 6_000);
            assertEquals(m.get(k), reads.get(k), "get " + k);
            assertEquals(m.containsKey(k), reads.containsKey(k));
            assertEquals(entry(m.floorEntry(k)), entry(reads.floorEntry(k)), "floor " + k);
            assertEquals(entry(m.ceilingEntry(k)), entry(reads.ceilingEntry(k)), "ceiling " + k);
            assertEquals(entry(m.higherEntry(k)), entry(reads.higherEntry(k)), "higher " + k);
            assertEquals(entry(m.lowerEntry(k)), entry(reads.lowerEntry(k)), "lower " + k);
            assertEquals(m.headMap(k, false).size(), reads.rank(k), "rank " + k);
            long k2 = k + r.nextLong(0, 3_000);
            boolean li = r.nextBoolean();
            boolean hi = r.nextBoolean();
            NavigableMap<Long, String> sub = m.subMap(k, li, k2, hi);
            assertEquals(sub.size(), reads.countRange(k, li, k2, hi), "countRange " + k + ".." + k2);
            List<String> got = new ArrayList<>();
            reads.forEachInRange(k, li, k2, hi, (key, v) -> got.add(key + "=" + v));
            assertEquals(strings(sub), got, "forEachInRange " + k + ".." + k2);
            long idx = r.nextLong(0, m.size() + 2);
            Map.Entry<Long, String> nth = idx < m.size() ? m.entrySet().stream().skip(idx).findFirst().orElseThrow() : null;
            assertEquals(entry(nth), entry(reads.select(idx)), "select " + idx);
            boolean inc = r.nextBoolean();
            assertEquals(strings(m.tailMap(k, inc)), drain(reads.cursor(k, inc)), "cursor " + k);
            assertEquals(strings(m.headMap(k, inc).descendingMap()), drain(reads.descendingCursor(k, inc)), "descending " + k);
        }
        assertEquals(strings(m), drain(reads.cursor()));
        assertEquals(strings(m.descendingMap()), drain(reads.descendingCursor()));
        List<String> all = new ArrayList<>();
        reads.forEach((key, v) -> all.add(key + "=" + v));
        assertEquals(strings(m), all);
        LongObjectCursor<String> c = reads.cursor();
        long skipped = c.skip(m.size() / 2);
        assertEquals(m.size() / 2, skipped);
        Map.Entry<Long, String> at = m.entrySet().stream().skip(m.size() / 2 - 1).findFirst().orElseThrow();
        assertEquals(at.getKey(), c.key(), "the last entry skipped is current");
        assertEquals(at.getValue(), c.value());
    }

    private static String entry(Map.Entry<Long, String> e) {
        return e == null ? null : e.getKey() + "=" + e.getValue();
    }

    private static String entry(LongObjectEntry<String> e) {
        return e == null ? null : e.key() + "=" + e.value();
    }

    private static List<String> strings(Map<Long, String> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static List<String> drain(LongObjectCursor<String> c) {
        List<String> out = new ArrayList<>();
        while (c.next()) {
            out.add(c.key() + "=" + c.value());
        }
        return out;
    }
}
