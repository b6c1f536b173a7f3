package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CobTree#forEachInRange} over the buffers {@link ScanBuffers} lends per thread: ranges
 * against a {@code TreeMap} on trees of different segment sizes in turn (the buffers grow to the
 * largest); a scan nested in another's sink (long- and object-valued trees, the same thread) gets
 * its own buffers and correct entries; a sink that throws, or a closed tree, gives the buffers
 * back (the next borrow gets them).
 */
class CobTreeScanBuffersTest {

    private static CobTree tree(int segmentSize, TreeMap<Long, Long> model, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        CobTree t = CobTree.builder().segmentSize(segmentSize).build();
        for (int i = 0; i < n; i++) {
            long k = r.nextLong(0, 4 * (long) n);
            t.put(k, k * 3, 0);
            model.put(k, k * 3);
        }
        return t;
    }

    private static List<Long> scan(CobTree t, long lo, boolean loIn, long hi, boolean hiIn) {
        List<Long> got = new ArrayList<>();
        t.forEachInRange(lo, loIn, hi, hiIn, (k, v) -> {
            assertEquals(k * 3, v);
            got.add(k);
        });
        return got;
    }

    @Test
    void rangesMatchTheModelAcrossSegmentSizes() {
        SplittableRandom r = new SplittableRandom(1);
        for (int segmentSize : new int[] {8, 128, 16, 1024, 64}) {
            TreeMap<Long, Long> m = new TreeMap<>();
            try (CobTree t = tree(segmentSize, m, segmentSize, 20_000)) {
                for (int q = 0; q < 200; q++) {
                    long lo = r.nextLong(-10, 80_010);
                    long hi = lo + r.nextLong(0, q % 10 == 0 ? 90_000 : 2_000);
                    boolean loIn = r.nextBoolean();
                    boolean hiIn = r.nextBoolean();
                    assertEquals(new ArrayList<>(m.subMap(lo, loIn, hi, hiIn).keySet()), scan(t, lo, loIn, hi, hiIn),
                            "segment size " + segmentSize + ": " + lo + ".." + hi);
                }
            }
        }
        ScanBuffers b = ScanBuffers.borrow(1024);
        assertNotNull(b, "a scan did not give the buffers back");
        b.giveBack(0);
    }

    @Test
    void nestedScansOnTheSameThreadUseTheirOwnBuffers() {
        TreeMap<Long, Long> ma = new TreeMap<>();
        TreeMap<Long, Long> mb = new TreeMap<>();
        CobTree a = tree(16, ma, 2, 5_000);
        CobTree b = tree(128, mb, 3, 5_000);
        LongObjectTree<String> objects = new LongObjectTree<>();
        for (long k = 0; k < 20_000; k += 3) objects.put(k, "v" + k);
        List<Long> outer = new ArrayList<>();
        int[] inner = {0};
        a.forEachInRange(0, true, 15_000, false, (k, v) -> {
            outer.add(k);
            if (outer.size() % 61 == 0) {
                assertEquals(new ArrayList<>(mb.subMap(k, true, k + 700, true).keySet()), scan(b, k, true, k + 700, true));
                List<Long> got = new ArrayList<>();
                objects.forEachInRange(k, true, k + 90, false, (k2, s) -> {
                    assertEquals("v" + k2, s);
                    got.add(k2);
                });
                List<Long> want = new ArrayList<>();
                for (long x = k + (3 - k % 3) % 3; x < k + 90; x += 3) want.add(x);
                assertEquals(want, got);
                inner[0]++;
            }
        });
        assertEquals(new ArrayList<>(ma.subMap(0L, true, 15_000L, false).keySet()), outer);
        assertTrue(inner[0] > 10);
        ScanBuffers lent = ScanBuffers.borrow(128);
        assertNotNull(lent, "nested scans did not give the buffers back");
        lent.giveBack(0);
        a.close();
        b.close();
        objects.close();
    }

    @Test
    void aThrowingSinkOrAClosedTreeGivesTheBuffersBack() {
        TreeMap<Long, Long> m = new TreeMap<>();
        CobTree t = tree(32, m, 4, 8_000);
        class Stop extends RuntimeException {
        }
        int[] seen = {0};
        assertThrows(Stop.class, () -> t.forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, (k, v) -> {
            if (++seen[0] == 2_000) {
                throw new Stop();
            }
        }));
        ScanBuffers b = ScanBuffers.borrow(32);
        assertNotNull(b, "a sink's exception kept the buffers lent");
        b.giveBack(0);
        assertEquals(new ArrayList<>(m.keySet()), scan(t, Long.MIN_VALUE, true, Long.MAX_VALUE, true));
        t.close();
        assertThrows(IllegalStateException.class, () -> scan(t, 0, true, 10, true));
        b = ScanBuffers.borrow(32);
        assertNotNull(b, "a scan of a closed tree kept the buffers lent");
        b.giveBack(0);
    }
}
