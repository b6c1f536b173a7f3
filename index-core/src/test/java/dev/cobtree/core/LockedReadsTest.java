package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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
        CobTree tree = CobTree.builder().segmentSize(128).build();
        long base = 1_000_000;
        for (long k = 0; k < 100_000; k++) {
            tree.put(k * 10, k, 0L);
        }
        for (long k = base; k < base + 64; k++) {
            tree.put(k, k, 0L);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            long i = 0;
            while (!stop.get()) {
                long k = base + (i++ & 63);
                tree.remove(k, 0L);
                tree.put(k, k, 0L);
            }
        });
        long[] reads = new long[1];
        Thread reader = new Thread(() -> {
            try {
                KeyValue kv = new KeyValue();
                SplittableRandom rnd = new SplittableRandom(7);
                while (!stop.get()) {
                    long k = base + rnd.nextInt(1, 63);
                    assertTrue(tree.ceiling(k, kv) && (kv.key == k || kv.key == k + 1), "ceiling of " + k + " gave " + kv.key);
                    assertTrue(tree.floor(k, kv) && (kv.key == k || kv.key == k - 1), "floor of " + k + " gave " + kv.key);
                    long v = tree.get(k, -1);
                    assertTrue(v == k || v == -1, "get of " + k + " gave " + v);
                    reads[0] += 3;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        reader.start();
        Thread.sleep(1500);
        stop.set(true);
        writer.join();
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(reads[0] > 0, "the reader made no progress");
        System.out.printf("LockedReadsTest: %d reads under a writer that never pauses%n", reads[0]);
        tree.close();
    }
}
