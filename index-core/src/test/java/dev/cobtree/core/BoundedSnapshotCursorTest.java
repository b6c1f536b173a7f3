package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Bounded cursors beyond the live {@link CobTree}: over a {@link CobTreeSnapshot} (exactly the
 * snapshot's sub-map while the live tree keeps changing, so that segments are read from
 * pre-images and live cells alike), a {@link LongObjectTree} and a {@link LongObjectTreeSnapshot};
 * through {@code next()}, {@code skip()} (short and long strides; a skip counts exactly the
 * entries in range) and {@code read()}, every combination of inclusive ends, both ways, segment
 * sizes 8, 16 and 128. And a bounded scan, live or over a snapshot, never reads a segment after
 * the one that holds its end: with that segment held by a writer, the scan still finishes.
 * Short scans allocate about what they read, bounded or not.
 */
class BoundedSnapshotCursorTest {

    private static final int TRIALS = 300;

    /** A range of keys around the model's, its ends inclusive or not, and a direction. */
    private record Ask(long a, boolean loIn, long b, boolean hiIn, boolean descending) {

        static Ask random(SplittableRandom r) {
            long a = r.nextLong(-55_000, 55_000);
            long b = a + (r.nextInt(3) == 0 ? r.nextLong(0, 40) : r.nextLong(0, 30_000));
            return new Ask(a, r.nextBoolean(), b, r.nextBoolean(), r.nextBoolean());
        }

        List<Long> keys(TreeMap<Long, Long> m) {
            NavigableMap<Long, Long> sub = m.subMap(a, loIn, b, hiIn);
            return new ArrayList<>(descending ? sub.descendingKeySet() : sub.navigableKeySet());
        }

        @Override
        public String toString() {
            return (descending ? "descending " : "") + (loIn ? "[" : "(") + a + ", " + b + (hiIn ? "]" : ")");
        }
    }

    /** The cursor operations the test drives, over either cursor interface. */
    private interface Steps {
        boolean next();

        long key();

        long value();

        long skip(long n);
    }

    private static Steps of(LongLongCursor c) {
        return new Steps() {
            public boolean next() { return c.next(); }
            public long key() { return c.key(); }
            public long value() { return c.value(); }
            public long skip(long n) { return c.skip(n); }
        };
    }

    private static Steps of(LongObjectCursor<Long> c) {
        return new Steps() {
            public boolean next() { return c.next(); }
            public long key() { return c.key(); }
            public long value() { return c.value(); }
            public long skip(long n) { return c.skip(n); }
        };
    }

    /** Drives {@code c} by next (checking values) or by strides, and compares with the model's keys. */
    private static void check(Steps c, List<Long> want, SplittableRandom r, int segmentSize, String where) {
        List<Long> got = new ArrayList<>();
        if (r.nextBoolean()) {
            while (c.next()) {
                got.add(c.key());
                assertEquals(c.key() * 3 + 1, c.value(), where);
            }
        } else {
            int k = 1 + r.nextInt((r.nextBoolean() ? 3 : 40) * segmentSize);
            List<Long> strided = new ArrayList<>();
            for (int i = k - 1; i < want.size(); i += k) strided.add(want.get(i));
            long skipped = 0;
            long d;
            while ((d = c.skip(k)) == k) {
                skipped += d;
                got.add(c.key());
            }
            assertEquals(want.size(), skipped + d, where + ": a skip counts exactly the entries in range (stride " + k + ")");
            want = strided;
        }
        assertEquals(want, got, where);
        assertFalse(c.next(), where + ": a finished cursor stays finished");
    }

    @Test
    void aSnapshotsBoundedCursorReturnsExactlyItsSubMapWhileTheTreeChanges() {
        SplittableRandom r = new SplittableRandom(23);
        for (int segmentSize : new int[] {8, 16, 128}) {
            try (CobTree t = CobTree.builder().segmentSize(segmentSize).build()) {
                TreeMap<Long, Long> m = BoundedCursorTest.randomWrites(t, r, 30_000, 50_000, 3);
                try (CobTreeSnapshot snap = t.snapshot()) {
                    for (int trial = 0; trial < TRIALS; trial++) {
                        BoundedCursorTest.randomWrites(t, r, 40, 50_000, 5); // pre-images for some segments, not the model's values
                        Ask q = Ask.random(r);
                        String where = "segment size " + segmentSize + ", trial " + trial + ", " + q;
                        List<Long> want = q.keys(m);
                        if (r.nextInt(3) == 0) { // bulk reads with no last: the cursor's own bound stops them
                            CobTreeSnapshot.Cursor c = q.descending ? snap.descendingCursor(q.b, q.hiIn, q.a, q.loIn) : snap.cursor(q.a, q.loIn, q.b, q.hiIn);
                            long[] keys = new long[37];
                            long[] values = new long[37];
                            List<Long> got = new ArrayList<>();
                            int n;
                            while ((n = c.read(keys, values, 0, keys.length, q.descending ? Long.MIN_VALUE : Long.MAX_VALUE)) > 0) {
                                for (int i = 0; i < n; i++) {
                                    got.add(keys[i]);
                                    assertEquals(keys[i] * 3 + 1, values[i], where);
                                }
                            }
                            assertEquals(want, got, where + ", read");
                        } else {
                            check(of(q.descending ? snap.descendingCursor(q.b, q.hiIn, q.a, q.loIn) : snap.cursor(q.a, q.loIn, q.b, q.hiIn)),
                                    want, r, segmentSize, where);
                        }
                        if (!q.descending) {
                            List<Long> seen = new ArrayList<>();
                            snap.forEachInRange(q.a, q.loIn, q.b, q.hiIn, (k, v) -> seen.add(k));
                            assertEquals(want, seen, where + ", forEachInRange");
                        }
                    }
                }
            }
        }
    }

    @Test
    void objectValuedTreesAndSnapshotsHaveBoundedCursorsToo() {
        SplittableRandom r = new SplittableRandom(29);
        for (int segmentSize : new int[] {8, 16, 128}) {
            try (LongObjectTree<Long> t = LongObjectTree.builder().segmentSize(segmentSize).build()) {
                TreeMap<Long, Long> m = new TreeMap<>();
                for (int i = 0; i < 30_000; i++) {
                    long k = r.nextLong(-50_000, 50_000);
                    if (r.nextInt(4) == 0) {
                        t.remove(k);
                        m.remove(k);
                    } else {
                        t.put(k, k * 3 + 1);
                        m.put(k, k * 3 + 1);
                    }
                }
                for (int trial = 0; trial < TRIALS; trial++) {
                    Ask q = Ask.random(r);
                    check(of(q.descending ? t.descendingCursor(q.b, q.hiIn, q.a, q.loIn) : t.cursor(q.a, q.loIn, q.b, q.hiIn)),
                            q.keys(m), r, segmentSize, "live, segment size " + segmentSize + ", trial " + trial + ", " + q);
                }
                try (LongObjectTreeSnapshot<Long> snap = t.snapshot()) {
                    for (int trial = 0; trial < TRIALS; trial++) {
                        long k = r.nextLong(-50_000, 50_000);
                        t.put(k, -k); // the live tree moves on; the snapshot does not
                        Ask q = Ask.random(r);
                        check(of(q.descending ? snap.descendingCursor(q.b, q.hiIn, q.a, q.loIn) : snap.cursor(q.a, q.loIn, q.b, q.hiIn)),
                                q.keys(m), r, segmentSize, "snapshot, segment size " + segmentSize + ", trial " + trial + ", " + q);
                    }
                }
            }
        }
    }

    @Test
    void badAndEmptyBoundsOnSnapshots() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = -5; k <= 5; k++) t.put(k, k, 0);
            t.put(Long.MAX_VALUE, 1, 0);
            try (CobTreeSnapshot snap = t.snapshot()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> snap.cursor(3, true, 2, true));
                assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> snap.descendingCursor(2, true, 3, true));
                assertFalse(snap.cursor(1, false, 1, true).next());
                assertFalse(snap.cursor(Long.MIN_VALUE, true, Long.MIN_VALUE, false).next());
                assertFalse(snap.cursor(Long.MAX_VALUE, false, Long.MAX_VALUE, true).next());
                assertFalse(snap.descendingCursor(Long.MAX_VALUE, true, Long.MAX_VALUE, false).next());
                assertFalse(snap.descendingCursor(Long.MIN_VALUE, false, Long.MIN_VALUE, true).next());
                assertEquals(List.of(4L, 5L, Long.MAX_VALUE), drain(snap.cursor(4, true, Long.MAX_VALUE, true)));
                assertEquals(List.of(4L, 5L), drain(snap.cursor(4, true, Long.MAX_VALUE, false)));
                assertEquals(List.of(Long.MAX_VALUE, 5L), drain(snap.descendingCursor(Long.MAX_VALUE, true, 5, true)));
                assertEquals(12, drain(snap.cursor(Long.MIN_VALUE, true, Long.MAX_VALUE, true)).size(), "the whole key space");
            }
        }
    }

    /** A 300-entry bounded scan of a snapshot (it takes a batched load) allocates about its own buffers, not a whole batch's. */
    @Test
    void aShortBoundedSnapshotScanDoesNotAllocateAWholeBatch() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = 0; k < 200_000; k++) t.put(k * 2, k, 0);
            try (CobTreeSnapshot snap = t.snapshot()) {
                CobTreeSnapshot.Cursor c = snap.cursor(100_001, true, 100_600, true);
                assertEquals(300, drain(c).size());
                int batchCells = Navigator.batchSegments(128) * 128;
                assertTrue(c.keys.length > 128, "the scan took a batched load");
                assertTrue(c.keys.length < batchCells, "buffers of " + c.keys.length + " cells for a 300-entry range (a batch is " + batchCells + ")");
            }
        }
    }

    /**
     * An unbounded snapshot cursor's batch buffers start at two segments and double while loads
     * fill them: one stopped after 300 entries holds less than a batch, one that scanned on holds
     * a whole batch (and returned every entry, in order, across the growth).
     */
    @Test
    void anUnboundedSnapshotCursorGrowsItsBuffersAsItScans() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = 0; k < 200_000; k++) t.put(k * 2, k, 0);
            try (CobTreeSnapshot snap = t.snapshot()) {
                int batchCells = Navigator.batchSegments(128) * 128;
                CobTreeSnapshot.Cursor c = snap.cursor(100_001, true);
                for (int i = 0; i < 300; i++) assertTrue(c.next());
                assertEquals(100_600, c.key());
                assertTrue(c.keys.length < batchCells, "buffers of " + c.keys.length + " cells after 300 entries");
                long expect = 100_602;
                while (c.next()) {
                    assertEquals(expect, c.key());
                    assertEquals(expect / 2, c.value());
                    expect += 2;
                }
                assertEquals(400_000, expect, "every entry to the end");
                assertEquals(batchCells, c.keys.length, "a long scan reads whole batches");
            }
        }
    }

    private static List<Long> drain(LongLongCursor c) {
        List<Long> got = new ArrayList<>();
        while (c.next()) got.add(c.key());
        return got;
    }

    /**
     * The segment after the one holding a bounded scan's end is held by a writer (its lock taken
     * and kept, no pre-image): a scan that read it would wait for the writer for ever. Each bounded
     * scan, both ways, live and over a snapshot, by steps and by a long skip, finishes with the
     * range's entries; the same scan unbounded would have to wait.
     */
    @Test
    void aBoundedScanReadsNoSegmentAfterTheOneHoldingItsEnd() {
        try (CobTree t = CobTree.builder().build()) {
            for (long k = 0; k < 200_000; k++) t.put(k, k, 0);
            try (CobTreeSnapshot snap = t.snapshot()) {
                Storage st = t.engine().storage();
                long lo = 100_000;
                long hi = 100_600;
                int above = st.index.find(hi);
                while (st.headers.lo(above) <= hi) above++; // the first segment wholly above hi
                int below = st.index.find(lo);
                while (below >= 0 && st.headers.hi(below) > lo) below--; // the last segment wholly below lo
                for (int held : new int[] {above, below}) {
                    boolean descending = held == below;
                    assertTrue(st.headers.lock(held));
                    try {
                        List<LongFunction<LongLongCursor>> scans = List.of(
                                x -> descending ? t.descendingCursor(hi, true, lo, true) : t.cursor(lo, true, hi, true),
                                x -> descending ? snap.descendingCursor(hi, true, lo, true) : snap.cursor(lo, true, hi, true));
                        for (LongFunction<LongLongCursor> scan : scans) {
                            List<Long> got = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> drain(scan.apply(0)),
                                    "a " + (descending ? "descending" : "ascending") + " bounded scan waited for a segment beyond its end");
                            assertEquals(601, got.size());
                            assertEquals(descending ? hi : lo, got.get(0));
                            long skipped = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> scan.apply(0).skip(1_000_000));
                            assertEquals(601, skipped, "a long skip counts the range's entries and stops");
                        }
                    } finally {
                        st.headers.abort(held);
                    }
                }
            }
        }
    }
}
