package dev.cobtree.core;

import dev.cobtree.storage.EpochReclaimer;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.ref.WeakReference;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a snapshot holds and when it lets go: pre-images and a replaced storage are held exactly
 * while a snapshot needs them and released (bytes back to 0, the reclaimer's retired and freed
 * counts rising, replaced values collectable) when the last one closes; use after close and after
 * the tree's close fails with a clear exception; a checkpoint written from a snapshot holds the
 * snapshot's instant while writers go on.
 */
class SnapshotLifecycleTest {

    @Test
    void aReplacedStorageIsHeldUntilTheLastSnapshotClosesThenFreed() {
        OffHeapCellStoreFactory f = new OffHeapCellStoreFactory();
        EpochReclaimer r = f.reclaimer();
        try (CobTree t = CobTree.builder().segmentSize(8).storage(f).build()) {
            for (long k = 0; k < 100; k++) {
                t.put(k, k, 0);
            }
            CobTreeSnapshot a = t.snapshot();
            CobTreeSnapshot b = t.snapshot();
            long retired = r.retiredCount();
            long resizes = t.statistics().resizes();
            for (long k = 100; k < 2_000; k++) {
                t.put(k, -k, 0); // several grows: the snapshots' storage is replaced
            }
            CobTreeStatistics s = t.statistics();
            assertTrue(s.resizes() > resizes + 1, "the test needs resizes");
            assertEquals(2, s.openSnapshots());
            assertEquals(1, s.snapshotHeldStorages(), "the snapshots' storage is held after it was replaced");
            assertEquals(retired + (s.resizes() - resizes - 1), r.retiredCount(),
                    "every replaced storage but the held one went to the reclaimer");
            assertTrue(s.snapshotPreImageBytes() > 0, "the writes kept pre-images");
            assertEquals(100, a.size());
            assertEquals(99, b.lastKey());
            a.close();
            assertEquals(1, t.statistics().snapshotHeldStorages(), "still held by the second snapshot");
            assertEquals(retired + (s.resizes() - resizes - 1), r.retiredCount());
            assertEquals(4950, sum(b), "the second snapshot still reads the replaced off-heap storage");
            b.close();
            CobTreeStatistics after = t.statistics();
            assertEquals(0, after.openSnapshots());
            assertEquals(0, after.snapshotHeldStorages());
            assertEquals(0, after.snapshotPreImages());
            assertEquals(0, after.snapshotPreImageBytes(), "no pre-image remains after every snapshot closed");
            assertEquals(retired + (s.resizes() - resizes), r.retiredCount(), "the last close retired the held storage");
            r.reclaimNow();
            assertEquals(r.retiredCount(), r.freedCount(), "and the reclaimer freed it (no reader pinned)");
        }
    }

    private static long sum(CobTreeSnapshot s) {
        long[] sum = {0};
        s.forEach((k, v) -> sum[0] += v);
        return sum[0];
    }

    @Test
    void preImagesAreSharedCountedAndDroppedWithTheirLastSnapshot() {
        try (CobTree t = CobTree.builder().segmentSize(8).initialCapacity(1_000).build()) {
            for (long k = 0; k < 500; k++) {
                t.put(k, k, 0);
            }
            CobTreeSnapshot a = t.snapshot();
            CobTreeSnapshot b = t.snapshot();
            assertEquals(0, t.statistics().snapshotPreImages(), "taking a snapshot copies nothing");
            t.put(0, -1, 0);
            CobTreeStatistics s = t.statistics();
            assertEquals(1, s.snapshotPreImages(), "one write, one pre-image, shared by both snapshots");
            long one = s.snapshotPreImageBytes();
            assertEquals(one, a.preImageBytes());
            assertEquals(one, b.preImageBytes());
            t.put(1, -1, 0); // same segment: no second copy
            assertEquals(1, t.statistics().snapshotPreImages());
            CobTreeSnapshot c = t.snapshot();
            t.put(2, -1, 0); // same segment, changed since a and b, not since c: one copy, for c only
            assertEquals(2, t.statistics().snapshotPreImages());
            assertEquals(2, a.get(2, 99));
            assertEquals(0, a.get(0, 99));
            assertEquals(0, b.get(0, 99));
            assertEquals(-1, c.get(0, 99));
            assertEquals(2, c.get(2, 99));
            a.close();
            assertEquals(2, t.statistics().snapshotPreImages(), "b still holds the shared one");
            b.close();
            assertEquals(1, t.statistics().snapshotPreImages());
            c.close();
            assertEquals(0, t.statistics().snapshotPreImages());
            assertEquals(0, t.statistics().snapshotPreImageBytes());
            t.put(3, -1, 0);
            assertEquals(0, t.statistics().snapshotPreImagesKept() - 2, "no snapshot open: no pre-image kept");
        }
    }

    /** A value with some weight. */
    static final class Payload {
        final byte[] ballast = new byte[64];
    }

    @Test
    void valuesHeldOnlyByAPreImageOrAHeldStorageAreCollectedAfterClose() throws Exception {
        LongObjectTree<Payload> t = LongObjectTree.builder().segmentSize(8).build();
        Payload old = new Payload();
        Payload moved = new Payload();
        t.put(5, old);
        t.put(6, moved);
        LongObjectTreeSnapshot<Payload> s = t.snapshot();
        t.put(5, new Payload()); // the old value now lives only in the pre-image
        for (long k = 100; k < 400; k++) {
            t.put(k, new Payload()); // resizes: the storage holding 6's old cell is held by the snapshot
        }
        t.remove(6);
        WeakReference<Payload> oldRef = new WeakReference<>(old);
        WeakReference<Payload> movedRef = new WeakReference<>(moved);
        old = null;
        moved = null;
        assertTrue(s.get(5) == oldRef.get() && s.get(6) == movedRef.get(), "the snapshot holds the old values");
        s.close();
        for (int i = 0; i < 50 && (oldRef.get() != null || movedRef.get() != null); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(oldRef.get(), "a value held only by a closed snapshot's pre-image is still reachable");
        assertNull(movedRef.get(), "a value held only by a closed snapshot's storage is still reachable");
        t.close();
    }

    @Test
    void useAfterCloseAndAfterTheTreesCloseFailsClearly() {
        CobTree t = CobTree.builder().segmentSize(8).build();
        t.put(1, 1, 0);
        CobTreeSnapshot s = t.snapshot();
        CobTreeSnapshot.Cursor c = s.cursor();
        assertTrue(c.next());
        s.close();
        s.close(); // idempotent
        assertTrue(s.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.get(1, 0));
        assertEquals("snapshot is closed", e.getMessage());
        assertThrows(IllegalStateException.class, c::next);
        assertThrows(IllegalStateException.class, c::key);
        assertThrows(IllegalStateException.class, s::size);
        assertThrows(IllegalStateException.class, () -> s.countRange(0, true, 5, true));
        assertThrows(IllegalStateException.class, () -> s.cursor());

        CobTreeSnapshot open = t.snapshot();
        LongObjectTree<String> o = LongObjectTree.builder().build();
        o.put(1, "a");
        LongObjectTreeSnapshot<String> os = o.snapshot();
        t.close();
        o.close();
        assertTrue(open.isClosed(), "the tree's close closes its snapshots");
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> open.get(1, 0));
        assertEquals("snapshot is closed: its tree was closed", e2.getMessage());
        assertThrows(IllegalStateException.class, () -> os.get(1));
        IllegalStateException e3 = assertThrows(IllegalStateException.class, t::snapshot);
        assertTrue(e3.getMessage().contains("closed"), e3.getMessage());
        assertThrows(IllegalStateException.class, o::snapshot);
    }

    @Test
    void badArgumentsAreRefusedAndChangeNothing() {
        try (CobTree t = new CobTree(); CobTreeSnapshot s = t.snapshot()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.countRange(5, true, 4, true));
            assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> s.select(-1, new KeyValue()));
            assertThrows(IllegalArgumentException.class, () -> s.cursor().skip(-2));
            assertThrows(NullPointerException.class, () -> s.ceiling(1, null));
            assertFalse(s.isClosed());
            assertEquals(0, s.size());
        }
    }

    @Test
    void aCheckpointIsTheSnapshotsInstantWhileWritersRun(@TempDir Path dir) throws Exception {
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            for (long k = 0; k < 5_000; k++) {
                t.put(k, k, 0);
            }
            Path file = dir.resolve("ckpt");
            try (CobTreeSnapshot s = t.snapshot()) {
                Thread writer = new Thread(() -> {
                    for (long k = 5_000; k < 20_000; k++) {
                        t.put(k, k, 0);
                        t.remove(k - 5_000, 0);
                    }
                });
                writer.start();
                assertEquals(5_000, s.checkpoint(file));
                writer.join();
            }
            try (CobTree back = CobTree.builder().loadCheckpoint(file)) {
                assertEquals(5_000, back.size());
                assertEquals(0, back.firstKey());
                assertEquals(4_999, back.lastKey());
            }
            assertEquals(5_000, t.checkpoint(file), "the tree's checkpoint is a snapshot's");
        }
    }
}
