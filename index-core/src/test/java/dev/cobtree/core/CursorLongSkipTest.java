package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link CobTree.Cursor#skip} over many segments, then {@code next()}: the skip passes whole
 * segments by their counts and lands by a search (no buffered batch), and the cursor must then
 * stand on the right entry and go on from it, both ways, from fresh cursors and from cursors that
 * have buffered entries, against a {@code TreeMap} after random writes (uneven segments).
 */
class CursorLongSkipTest {

    @Test
    void longSkipsLandOnTheModelsEntryAndTheCursorGoesOn() {
        SplittableRandom r = new SplittableRandom(5);
        for (int segmentSize : new int[] {8, 16, 128}) {
            try (CobTree t = CobTree.builder().segmentSize(segmentSize).build()) {
                TreeMap<Long, Long> m = BoundedCursorTest.randomWrites(t, r, 40_000, 100_000, 7);
                for (int trial = 0; trial < 400; trial++) {
                    boolean descending = r.nextBoolean();
                    long from = r.nextLong(-110_000, 110_000);
                    boolean inclusive = r.nextBoolean();
                    NavigableMap<Long, Long> view = descending ? m.headMap(from, inclusive).descendingMap() : m.tailMap(from, inclusive);
                    CobTree.Cursor c = descending ? t.descendingCursor(from, inclusive) : t.cursor(from, inclusive);
                    Iterator<Map.Entry<Long, Long>> it = view.entrySet().iterator();
                    String where = "segment size " + segmentSize + ", trial " + trial + (descending ? ", descending from " : ", from ") + from;
                    for (int hop = 0; hop < 4; hop++) {
                        int reads = r.nextInt(3); // 0: skip from an empty buffer; else after buffered entries
                        for (int i = 0; i < reads && it.hasNext(); i++) {
                            Map.Entry<Long, Long> e = it.next();
                            assertEquals(true, c.next(), where);
                            assertEquals(e.getKey(), c.key(), where);
                        }
                        long n = segmentSize + r.nextInt(6 * segmentSize); // at least one whole segment
                        List<Map.Entry<Long, Long>> passed = new ArrayList<>();
                        while (passed.size() < n && it.hasNext()) passed.add(it.next());
                        assertEquals(passed.size(), c.skip(n), where + ": skip " + n);
                        if (passed.size() < n) {
                            assertFalse(c.next(), where + ": after the end");
                            break;
                        }
                        Map.Entry<Long, Long> landed = passed.get(passed.size() - 1);
                        assertEquals(landed.getKey(), c.key(), where + ": key after skip " + n);
                        assertEquals(landed.getValue(), c.value(), where + ": value after skip " + n);
                        for (int i = 0; i < 3 && it.hasNext(); i++) {
                            Map.Entry<Long, Long> e = it.next();
                            assertEquals(true, c.next(), where);
                            assertEquals(e.getKey(), c.key(), where + ": next after skip " + n);
                            assertEquals(e.getValue(), c.value(), where);
                        }
                    }
                }
            }
        }
    }
}
