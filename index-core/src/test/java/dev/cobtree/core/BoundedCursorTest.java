package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The bounded cursors {@link CobTree#cursor(long, boolean, long, boolean)} and
 * {@link CobTree#descendingCursor(long, boolean, long, boolean)}: exactly the model's sub-map,
 * in order, through {@code next()}, {@code skip()} (short and long: a skip counts exactly the
 * entries in the range) and {@code read()}, for every combination of
 * inclusive ends, both ways, on segment sizes 8, 16 and 128 after random writes (uneven
 * segments); under a writer, every entry present throughout is returned and nothing outside the
 * range; and a short bounded scan does not allocate a whole batch's buffers.
 */
class BoundedCursorTest {

    /**
     * {@code ops} random writes to {@code t} and to the returned model: a key in
     * {@code [-bound, bound)}, removed one time in four, else put with value {@code k * mul + 1}
     * (uneven segments for the cursor tests).
     */
    static TreeMap<Long, Long> randomWrites(CobTree t, SplittableRandom r, int ops, long bound, long mul) {
        TreeMap<Long, Long> m = new TreeMap<>();
        for (int i = 0; i < ops; i++) {
            long k = r.nextLong(-bound, bound);
            if (r.nextInt(4) == 0) {
                t.remove(k, 0);
                m.remove(k);
            } else {
                t.put(k, k * mul + 1, 0);
                m.put(k, k * mul + 1);
            }
        }
        return m;
    }

    @Test
    void aBoundedCursorReturnsExactlyTheModelsSubMapEveryWay() {
        SplittableRandom r = new SplittableRandom(17);
        for (int segmentSize : new int[] {8, 16, 128}) {
            try (CobTree t = CobTree.builder().segmentSize(segmentSize).build()) {
                TreeMap<Long, Long> m = randomWrites(t, r, 30_000, 50_000, 3);
                for (int trial = 0; trial < 600; trial++) {
                    boolean descending = r.nextBoolean();
                    long a = r.nextLong(-55_000, 55_000);
                    long b = a + (r.nextInt(3) == 0 ? r.nextLong(0, 40) : r.nextLong(0, 30_000));
                    boolean loIn = r.nextBoolean();
                    boolean hiIn = r.nextBoolean();
                    NavigableMap<Long, Long> sub = m.subMap(a, loIn, b, hiIn);
                    List<Long> want = new ArrayList<>(descending ? sub.descendingKeySet() : sub.navigableKeySet());
                    String where = "segment size " + segmentSize + ", trial " + trial + (descending ? ", descending " : ", ")
                            + (loIn ? "[" : "(") + a + ", " + b + (hiIn ? "]" : ")");
                    int mode = r.nextInt(3);
                    CobTree.Cursor c = descending ? t.descendingCursor(b, hiIn, a, loIn) : t.cursor(a, loIn, b, hiIn);
                    List<Long> got = new ArrayList<>();
                    if (mode == 0) {
                        while (c.next()) {
                            got.add(c.key());
                            assertEquals(c.key() * 3 + 1, c.value(), where);
                        }
                    } else if (mode == 1) { // strides: every k-th key, k up to 3 segments, or up to 40 (skips that pass segments by counts)
                        int k = 1 + r.nextInt((r.nextBoolean() ? 3 : 40) * segmentSize);
                        List<Long> strided = new ArrayList<>();
                        for (int i = k - 1; i < want.size(); i += k) strided.add(want.get(i));
                        int size = want.size();
                        want = strided;
                        long skipped = 0;
                        long d;
                        while ((d = c.skip(k)) == k) {
                            skipped += d;
                            got.add(c.key());
                        }
                        assertEquals(size, skipped + d, where + ": a skip counts exactly the entries in range (stride " + k + ")");
                    } else { // read in chunks with no last (the cursor's own bound stops it)
                        long[] keys = new long[37];
                        long[] values = new long[37];
                        int n;
                        while ((n = c.read(keys, values, 0, keys.length, descending ? Long.MIN_VALUE : Long.MAX_VALUE)) > 0) {
                            for (int i = 0; i < n; i++) got.add(keys[i]);
                        }
                    }
                    assertEquals(want, got, where + ", mode " + mode);
                    assertFalse(c.next(), where + ": a finished cursor stays finished");
                }
            }
        }
    }

    @Test
    void badAndEmptyBoundsAreHandled() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = -5; k <= 5; k++) t.put(k, k, 0);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.cursor(3, true, 2, true));
            assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.descendingCursor(2, true, 3, true));
            assertFalse(t.cursor(1, false, 1, true).next());
            assertFalse(t.cursor(Long.MIN_VALUE, true, Long.MIN_VALUE, false).next());
            assertFalse(t.descendingCursor(Long.MAX_VALUE, true, Long.MAX_VALUE, false).next());
            CobTree.Cursor c = t.cursor(Long.MIN_VALUE, true, Long.MAX_VALUE, true);
            int n = 0;
            while (c.next()) n++;
            assertEquals(11, n, "the whole key space");
            t.put(Long.MAX_VALUE, 1, 0);
            c = t.cursor(4, true, Long.MAX_VALUE, true);
            List<Long> got = new ArrayList<>();
            while (c.next()) got.add(c.key());
            assertEquals(List.of(4L, 5L, Long.MAX_VALUE), got);
            c = t.cursor(4, true, Long.MAX_VALUE, false);
            got.clear();
            while (c.next()) got.add(c.key());
            assertEquals(List.of(4L, 5L), got);
        }
    }

    /** A 300-entry bounded scan (three segments or so: it batches) allocates about its own buffers, not a whole batch's (8 segments of keys and values). */
    @Test
    void aShortBoundedScanDoesNotAllocateAWholeBatch() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = 0; k < 200_000; k++) t.put(k * 2, k, 0);
            CobTree.Cursor c = t.cursor(100_001, true, 100_600, true);
            int n = 0;
            while (c.next()) n++;
            assertEquals(300, n);
            assertTrue(c.steps >= 2, "the scan took a batched step");
            int batchCells = Navigator.batchSegments(128) * 128;
            assertTrue(c.keys.length < batchCells, "buffers of " + c.keys.length + " cells for a 300-entry range (a batch is " + batchCells + ")");
        }
    }

    /**
     * A writer keeps adding and removing odd keys while readers scan bounded ranges: every even
     * key (present throughout) inside the range comes out, in strictly increasing order (or
     * decreasing), and no key outside the range ever does.
     */
    @Test
    void underAWriterEveryStableKeyInRangeAndNothingOutside() throws Exception {
        for (int segmentSize : new int[] {8, 128}) {
            try (CobTree t = CobTree.builder().segmentSize(segmentSize).build()) {
                for (long k = 0; k < 20_000; k += 2) t.put(k, k, 0);
                AtomicBoolean stop = new AtomicBoolean();
                Thread writer = new Thread(() -> {
                    SplittableRandom w = new SplittableRandom(3);
                    while (!stop.get()) {
                        long k = 2 * w.nextLong(0, 10_000) + 1;
                        if (w.nextBoolean()) t.put(k, k, 0); else t.remove(k, 0);
                    }
                });
                writer.start();
                try {
                    SplittableRandom r = new SplittableRandom(4);
                    for (int trial = 0; trial < 3_000; trial++) {
                        long a = r.nextLong(-10, 20_010);
                        long b = a + r.nextLong(0, 600);
                        boolean descending = r.nextBoolean();
                        CobTree.Cursor c = descending ? t.descendingCursor(b, false, a, true) : t.cursor(a, true, b, false);
                        long prev = descending ? Long.MAX_VALUE : Long.MIN_VALUE;
                        long expectEven = descending ? evenBelow(Math.min(b, 20_000)) : evenAtOrAbove(Math.max(a, 0));
                        while (c.next()) {
                            long k = c.key();
                            assertTrue(k >= a && k < b, "key " + k + " outside [" + a + ", " + b + ")");
                            assertTrue(descending ? k < prev : k > prev, "order: " + k + " after " + prev);
                            prev = k;
                            if ((k & 1) == 0) {
                                assertEquals(expectEven, k, "a stable key missed before " + k);
                                expectEven += descending ? -2 : 2;
                            }
                        }
                        boolean allSeen = descending ? expectEven < Math.max(a, 0) : expectEven >= Math.min(b, 20_000);
                        assertTrue(allSeen, "trial " + trial + ": stable keys from " + expectEven + " missed in [" + a + ", " + b + ")");
                    }
                } finally {
                    stop.set(true);
                    writer.join();
                }
            }
        }
    }

    private static long evenAtOrAbove(long k) {
        return (k & 1) == 0 ? k : k + 1;
    }

    private static long evenBelow(long k) {
        long j = k - 1;
        return (j & 1) == 0 ? j : j - 1;
    }
}
