package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LongObjectTree#forEachInRange} over the buffers {@link ScanBuffers} lends per thread:
 * the entries of every range (bounds inclusive or not, ends inside or at the edge of a batched
 * step, segment sizes that batch and one that does not) against a {@code TreeMap}; the lent
 * reference buffer holds no value once a scan returns or its sink throws (checked directly and
 * with a {@link WeakReference} to a scanned and then removed value); a sink that scans again on
 * the same thread (nested) gets correct results from a cursor with its own buffers; and scans
 * racing a writer stay strictly ascending with matching values and leave the buffer empty.
 */
class LongObjectTreeScanTest {

    /** A value that records its key (so a scan can check the pairing). */
    record Val(long key) {
    }

    private static LongObjectTree<Val> tree(int segmentSize, TreeMap<Long, Val> model, long seed, int n) {
        LongObjectTree<Val> t = LongObjectTree.builder().segmentSize(segmentSize).build();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            long k = rnd.nextLong(4L * n);
            Val v = new Val(k);
            t.put(k, v);
            model.put(k, v);
        }
        return t;
    }

    @Test
    void rangesMatchTheModelAndLeaveTheBufferEmpty() {
        long seed = System.nanoTime();
        System.out.println("LongObjectTreeScanTest seed " + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int segmentSize : new int[] {8, 128, 4096}) {
            TreeMap<Long, Val> model = new TreeMap<>();
            LongObjectTree<Val> t = tree(segmentSize, model, rnd.nextLong(), 20_000);
            long[] keys = model.keySet().stream().mapToLong(Long::longValue).toArray();
            for (int q = 0; q < 300; q++) {
                long lo, hi;
                if (q % 3 == 0) { // ends on present keys
                    int a = rnd.nextInt(keys.length);
                    int b = Math.min(keys.length - 1, a + rnd.nextInt(3_000));
                    lo = keys[a];
                    hi = keys[b];
                } else {
                    lo = rnd.nextLong(-10, 80_010);
                    hi = lo + rnd.nextLong(0, q % 3 == 1 ? 40 : 30_000);
                }
                boolean loIn = rnd.nextBoolean(), hiIn = rnd.nextBoolean();
                List<Val> got = new ArrayList<>();
                List<Long> gotKeys = new ArrayList<>();
                t.forEachInRange(lo, loIn, hi, hiIn, (k, v) -> {
                    gotKeys.add(k);
                    got.add(v);
                });
                Map<Long, Val> want = model.subMap(lo, loIn, hi, hiIn);
                String what = "segmentSize " + segmentSize + " range " + lo + (loIn ? "[" : "(") + ".." + hi + (hiIn ? "]" : ")") + " seed " + seed;
                assertEquals(new ArrayList<>(want.keySet()), gotKeys, what);
                assertEquals(new ArrayList<>(want.values()), got, what);
                assertTrue(ScanBuffers.clearOnThisThread(), "the lent reference buffer still holds a value after " + what);
            }
            List<Long> all = new ArrayList<>();
            t.forEach((k, v) -> all.add(k));
            assertEquals(new ArrayList<>(model.keySet()), all, "whole tree, segmentSize " + segmentSize);
            assertTrue(ScanBuffers.clearOnThisThread());
        }
    }

    @Test
    void aSinkThatThrowsLeavesTheBufferEmptyAndLent() {
        TreeMap<Long, Val> model = new TreeMap<>();
        LongObjectTree<Val> t = tree(16, model, 7, 5_000);
        class Stop extends RuntimeException {
        }
        int[] seen = {0};
        assertThrows(Stop.class, () -> t.forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, (k, v) -> {
            if (++seen[0] == 1_000) {
                throw new Stop();
            }
        }));
        assertTrue(ScanBuffers.clearOnThisThread(), "a sink's exception left values in the lent buffer");
        // the buffers were given back: the next scan borrows them again and sees everything
        List<Long> all = new ArrayList<>();
        t.forEach((k, v) -> all.add(k));
        assertEquals(new ArrayList<>(model.keySet()), all);
        assertTrue(ScanBuffers.clearOnThisThread());
        t.close();
        assertThrows(IllegalStateException.class, () -> t.forEach((k, v) -> { }));
        assertTrue(ScanBuffers.clearOnThisThread());
        ScanBuffers b = ScanBuffers.borrow(16);
        assertTrue(b != null, "a scan of a closed tree did not give the buffers back");
        b.giveBack(0);
    }

    @Test
    void aNestedScanOnTheSameThreadUsesItsOwnBuffers() {
        TreeMap<Long, Val> modelA = new TreeMap<>();
        TreeMap<Long, Val> modelB = new TreeMap<>();
        LongObjectTree<Val> a = tree(8, modelA, 11, 3_000);
        LongObjectTree<Val> b = tree(128, modelB, 12, 3_000);
        List<Long> outer = new ArrayList<>();
        int[] inner = {0};
        a.forEachInRange(0, true, 6_000, false, (k, v) -> {
            assertEquals(k, v.key());
            outer.add(k);
            if (outer.size() % 97 == 0) {
                List<Long> got = new ArrayList<>();
                b.forEachInRange(k, true, k + 500, true, (k2, v2) -> {
                    assertEquals(k2, v2.key());
                    got.add(k2);
                });
                assertEquals(new ArrayList<>(modelB.subMap(k, true, k + 500, true).keySet()), got);
                inner[0]++;
            }
        });
        assertEquals(new ArrayList<>(modelA.subMap(0L, true, 6_000L, false).keySet()), outer);
        assertTrue(inner[0] > 10);
        assertTrue(ScanBuffers.clearOnThisThread());
    }

    @Test
    void aScannedValueRemovedAfterwardsIsCollected() throws Exception {
        LongObjectTree<Object> t = LongObjectTree.builder().segmentSize(16).build();
        for (long k = 0; k < 4_000; k++) {
            t.put(k, new byte[64]);
        }
        List<WeakReference<Object>> dead = new ArrayList<>();
        long[] sum = {0};
        t.forEachInRange(1_000, true, 3_000, true, (k, v) -> sum[0] += k);
        for (long k = 2_990; k <= 3_000; k++) { // the last step the scan buffered
            dead.add(new WeakReference<>(t.remove(k)));
        }
        for (int i = 0; i < 20 && dead.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
            Thread.sleep(20);
        }
        for (WeakReference<Object> w : dead) {
            assertNull(w.get(), "a value the scan buffered is still reachable after its removal");
        }
        assertEquals((1_000L + 3_000L) * 2_001L / 2, sum[0]);
    }

    @Test
    void scansRacingAWriterStayOrderedAndLeaveTheBufferEmpty() throws Exception {
        LongObjectTree<Val> t = LongObjectTree.builder().segmentSize(8).build();
        for (long k = 0; k < 20_000; k += 2) {
            t.put(k, new Val(k));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(3);
            try {
                while (!stop.get()) {
                    long k = rnd.nextLong(20_000);
                    if (rnd.nextBoolean()) {
                        t.put(k, new Val(k));
                    } else if ((k & 1) == 1) {
                        t.remove(k); // even keys stay: a scan must see every one of them
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        writer.start();
        try {
            long end = System.nanoTime() + 1_500_000_000L;
            int scans = 0;
            while (System.nanoTime() < end || scans < 50) {
                long[] prev = {Long.MIN_VALUE};
                long[] evens = {0};
                t.forEachInRange(1_000, true, 19_000, false, (k, v) -> {
                    if (k <= prev[0] || v.key() != k) {
                        throw new AssertionError("key " + k + " after " + prev[0] + " with value of " + v.key());
                    }
                    prev[0] = k;
                    if ((k & 1) == 0) {
                        evens[0]++;
                    }
                });
                assertEquals(9_000, evens[0], "a scan missed an even key present throughout");
                assertTrue(ScanBuffers.clearOnThisThread(), "a racing scan left values in the lent buffer");
                scans++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertNull(failure.get());
        assertSame(null, failure.get());
    }
}
