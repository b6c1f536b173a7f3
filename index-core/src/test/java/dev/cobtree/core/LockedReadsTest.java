package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The locked fallbacks of point lookups, ceiling and floor ({@link LockedReads}), which a reader
 * takes when a writer keeps its segments busy: the same answers as a {@code TreeMap}, over small
 * segments, grows and shrinks; and readers under a writer that never pauses get right answers.
 */
class LockedReadsTest {

    @Test
    void lockedLookupCeilingAndFloorAgreeWithTreeMap() {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int segmentSize : new int[] {8, 128}) {
            CobTree tree = CobTree.builder().segmentSize(segmentSize).build();
            TreeMap<Long, Long> model = new TreeMap<>();
            TreeEngine e = tree.engine();
            KeyValue kv = new KeyValue();
            ReadWalk w = new ReadWalk();
            for (int op = 0; op < 60_000; op++) {
                long k = rnd.nextLong(-3_000, 3_000);
                if (rnd.nextInt(3) == 0) {
                    tree.remove(k, 0L);
                    model.remove(k);
                } else {
                    tree.put(k, k * 7, 0L);
                    model.put(k, k * 7);
                }
                long q = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE) : rnd.nextLong(-3_100, 3_100);
                String where = "seed " + seed + " segmentSize " + segmentSize + " op " + op + " key " + q;
                assertEquals(model.containsKey(q), LockedReads.lookup(e, q, w), "lookup, " + where);
                if (model.containsKey(q)) {
                    assertEquals(model.get(q), w.foundValue, "lookup value, " + where);
                }
                Map.Entry<Long, Long> c = model.ceilingEntry(q);
                assertEquals(c != null, LockedReads.ceiling(e, q, kv), "ceiling, " + where);
                if (c != null) {
                    assertEquals(c.getKey(), kv.key, "ceiling, " + where);
                    assertEquals(c.getValue(), kv.value, "ceiling value, " + where);
                }
                Map.Entry<Long, Long> f = model.floorEntry(q);
                assertEquals(f != null, LockedReads.floor(e, q, kv), "floor, " + where);
                if (f != null) {
                    assertEquals(f.getKey(), kv.key, "floor, " + where);
                    assertEquals(f.getValue(), kv.value, "floor value, " + where);
                }
            }
            // every lock was released without a version change: writers and optimistic readers go on
            tree.put(1, 1, 0L);
            assertEquals(1, tree.get(1, 0L));
            tree.close();
        }
    }

    /**
     * One writer removes and puts back 64 adjacent keys without pause (at most one of them absent
     * at a time); readers ask ceiling, floor and get among them. Each answer must be the key or
     * its neighbour; the readers' walks reach the contended fallback.
     */
    @Test
    void readersUnderAWriterThatNeverPausesGetRightAnswers() throws Exception {
        CobTree tree = BusySegment.tree();
        BusySegment.Result r = BusySegment.run(tree, 1500, (t, k, kv) -> {
            assertTrue(t.ceiling(k, kv) && (kv.key == k || kv.key == k + 1), "ceiling of " + k + " gave " + kv.key);
            assertTrue(t.floor(k, kv) && (kv.key == k || kv.key == k - 1), "floor of " + k + " gave " + kv.key);
            long v = t.get(k, -1);
            assertTrue(v == k || v == -1, "get of " + k + " gave " + v);
            return 3;
        });
        assertTrue(r.reads() > 0, "the reader made no progress");
        System.out.printf("LockedReadsTest: %d reads under a writer that never pauses%n", r.reads());
        tree.close();
    }
}
