package dev.cobtree.core;

import dev.cobtree.storage.EpochReclaimer;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bound on a forgotten snapshot ({@link CobTree.Builder#snapshotMemoryLimit(long)}): writes
 * that take the open snapshots' pre-images over the limit invalidate the oldest snapshots, whose
 * every later use throws an {@link IllegalStateException} naming the limit, and whose pre-images
 * and held storage are freed; snapshots that fit stay exact; with the bound off (or high) the same
 * writes invalidate nothing.
 */
class SnapshotMemoryLimitTest {

    private static final long LIMIT = 40_000;

    /** Rewrites every key (each segment keeps one pre-image per snapshot generation). */
    private static void rewrite(CobTree t, long from, long to, long delta) {
        for (long k = from; k < to; k++) {
            t.put(k, k + delta, 0);
        }
    }

    private static void assertInvalidated(CobTreeSnapshot s) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(5, -1));
        assertTrue(e.getMessage().contains("snapshotMemoryLimit"), e.getMessage());
        assertTrue(e.getMessage().contains(Long.toString(LIMIT)), e.getMessage());
        assertThrows(IllegalStateException.class, s::size);
        assertThrows(IllegalStateException.class, () -> s.rank(10));
        assertThrows(IllegalStateException.class, () -> s.cursor().next());
        assertThrows(IllegalStateException.class, () -> s.forEach((k, v) -> { }));
        assertTrue(s.isClosed());
    }

    @Test
    void aForgottenSnapshotIsInvalidatedWhenItsPreImagesPassTheLimitAndItsMemoryIsFreed() {
        try (CobTree t = CobTree.builder().segmentSize(16).snapshotMemoryLimit(LIMIT).build()) {
            rewrite(t, 0, 10_000, 0);
            CobTreeSnapshot forgotten = t.snapshot();
            CobTreeSnapshot.Cursor before = forgotten.cursor();
            assertTrue(before.next());
            rewrite(t, 0, 10_000, 1); // about 10,000 * 16 bytes of pre-images: far over the limit
            CobTreeStatistics s = t.statistics();
            assertEquals(1, s.snapshotsInvalidated());
            assertEquals(0, s.openSnapshots(), "the invalidated snapshot left the open list");
            assertEquals(0, s.snapshotPreImages());
            assertEquals(0, s.snapshotPreImageBytes(), "its pre-images were freed");
            assertInvalidated(forgotten);
            assertThrows(IllegalStateException.class, before::next, "a cursor opened before returns no more data");
            forgotten.close(); // idempotent after an invalidation
            assertInvalidated(forgotten);
            assertEquals(1, t.statistics().snapshotsInvalidated());
            assertEquals(10_001, t.get(10_000 - 1, 0) + 1, "the tree itself is untouched");
        }
    }

    @Test
    void theBoundHoldsAtEveryWriteNotOnlyAtTheEnd() {
        try (CobTree t = CobTree.builder().segmentSize(16).snapshotMemoryLimit(LIMIT).build()) {
            rewrite(t, 0, 10_000, 0);
            long invalidated = 0;
            for (int round = 0; round < 20; round++) {
                CobTreeSnapshot s = t.snapshot(); // a new forgotten snapshot every round
                for (long k = 0; k < 10_000; k += 7) {
                    t.put(k, round, 0);
                    long held = t.statistics().snapshotPreImageBytes();
                    assertTrue(held <= LIMIT, "pre-images " + held + " over the limit after the put of " + k);
                }
                invalidated = t.statistics().snapshotsInvalidated();
                assertTrue(s.isClosed(), "round " + round + ": the snapshot outgrew the limit alone");
            }
            assertEquals(20, invalidated);
        }
    }

    @Test
    void theOldestSnapshotsGoFirstAndTheOnesThatFitStayExact() {
        long limit = 100_000;
        try (CobTree t = CobTree.builder().segmentSize(16).snapshotMemoryLimit(limit).build()) {
            rewrite(t, 0, 20_000, 0);
            CobTreeSnapshot old = t.snapshot();
            rewrite(t, 0, 1_500, 1); // pre-images for old alone, under the limit
            assertFalse(old.isClosed());
            long held = t.statistics().snapshotPreImageBytes();
            assertTrue(held > 0.3 * limit && held < 0.9 * limit, "the test needs old's pre-images at 30-90% of the limit: " + held);
            double perKey = held / 1_500.0;
            TreeMap<Long, Long> atYoung = new TreeMap<>();
            for (long k = 0; k < 20_000; k++) {
                atYoung.put(k, t.get(k, 0));
            }
            CobTreeSnapshot young = t.snapshot();
            long to = 5_000 + (long) (0.7 * limit / perKey);
            rewrite(t, 5_000, to, 2); // about 70% of the limit, shared by both: over the limit, old goes
            assertTrue(old.isClosed(), "the oldest snapshot is invalidated first");
            assertFalse(young.isClosed(), "the younger one fits under the limit alone");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> old.get(5, -1));
            assertTrue(e.getMessage().contains("snapshotMemoryLimit of " + limit), e.getMessage());
            CobTreeStatistics s = t.statistics();
            assertEquals(1, s.snapshotsInvalidated());
            assertEquals(1, s.openSnapshots());
            assertTrue(s.snapshotPreImageBytes() <= limit);
            assertTrue(s.snapshotPreImageBytes() > 0.5 * limit, "the shared pre-images stay with the young snapshot");
            assertEquals(atYoung.size(), young.size());
            CobTreeSnapshot.Cursor c = young.cursor();
            for (Map.Entry<Long, Long> en : atYoung.entrySet()) {
                assertTrue(c.next());
                assertEquals(en.getKey(), c.key());
                assertEquals(en.getValue(), c.value(), "key " + en.getKey());
            }
            assertFalse(c.next());
            young.close();
            assertEquals(0, t.statistics().snapshotPreImageBytes());
        }
    }

    @Test
    void withoutTheBoundTheSameWritesInvalidateNothing() {
        try (CobTree t = CobTree.builder().segmentSize(16).snapshotMemoryLimit(Long.MAX_VALUE).build()) {
            rewrite(t, 0, 10_000, 0);
            try (CobTreeSnapshot s = t.snapshot()) {
                rewrite(t, 0, 10_000, 1);
                CobTreeStatistics st = t.statistics();
                assertEquals(0, st.snapshotsInvalidated());
                assertTrue(st.snapshotPreImageBytes() > LIMIT);
                assertEquals(10_000, s.size());
                assertEquals(9_999, s.get(9_999, -1));
            }
        }
    }

    @Test
    void anInvalidatedSnapshotLetsGoOfTheStorageItHeldAcrossAResize() {
        OffHeapCellStoreFactory f = new OffHeapCellStoreFactory();
        EpochReclaimer r = f.reclaimer();
        try (CobTree t = CobTree.builder().segmentSize(8).storage(f).snapshotMemoryLimit(LIMIT).build()) {
            rewrite(t, 0, 200, 0);
            CobTreeSnapshot s = t.snapshot();
            long retired = r.retiredCount();
            rewrite(t, 200, 5_000, 0); // grows: the snapshot's storage is replaced and held
            assertFalse(s.isClosed());
            assertEquals(1, t.statistics().snapshotHeldStorages(), "the test needs the held storage");
            // a second snapshot, on the new storage, whose pre-images push the total over the
            // limit: both are invalidated, oldest first
            CobTreeSnapshot s2 = t.snapshot();
            rewrite(t, 0, 5_000, 2);
            assertTrue(s2.isClosed(), "s2 alone holds more than the limit");
            assertInvalidated(s);
            CobTreeStatistics st = t.statistics();
            assertEquals(0, st.openSnapshots());
            assertEquals(0, st.snapshotHeldStorages(), "the invalidated snapshot's storage was released");
            assertTrue(r.retiredCount() > retired, "the held storage went to the reclaimer");
        }
    }

    @Test
    void anObjectTreeHasTheSameBound() {
        try (LongObjectTree<String> t = LongObjectTree.builder().segmentSize(16).snapshotMemoryLimit(LIMIT).build()) {
            for (long k = 0; k < 10_000; k++) {
                t.put(k, "a" + k);
            }
            LongObjectTreeSnapshot<String> s = t.snapshot();
            assertEquals("a5", s.get(5));
            for (long k = 0; k < 10_000; k++) {
                t.put(k, "b" + k);
            }
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(5));
            assertTrue(e.getMessage().contains("snapshotMemoryLimit"), e.getMessage());
            assertEquals(1, t.statistics().snapshotsInvalidated());
            assertEquals(0, t.statistics().snapshotPreImageBytes());
        }
    }

    @Test
    void aLimitThatIsNotPositiveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CobTree.builder().snapshotMemoryLimit(0));
        assertTrue(e.getMessage().contains("snapshotMemoryLimit 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LongObjectTree.builder().snapshotMemoryLimit(-5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        assertEquals(Runtime.getRuntime().maxMemory() / 4, CobTree.Builder.defaultSnapshotMemoryLimit());
    }
}
