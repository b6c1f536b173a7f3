package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class MappedCellStoreTest {

    @TempDir
    Path dir;

    /** Fills every cell from a seeded generator; occupied cells get a non-zero meta. */
    static void fill(CellStore s, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long c = 0; c < s.capacity(); c++) {
            if (rnd.nextInt(4) == 0) {
                s.setPlain(c, 0, 0, 0);
            } else {
                s.setPlain(c, rnd.nextLong() & CellStore.MAX_META | 1, rnd.nextLong(), rnd.nextLong());
            }
        }
    }

    static void assertFilled(CellStore s, long seed, long cells) {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (long c = 0; c < cells; c++) {
            long m, k, v;
            if (rnd.nextInt(4) == 0) {
                m = k = v = 0;
            } else {
                m = rnd.nextLong() & CellStore.MAX_META | 1;
                k = rnd.nextLong();
                v = rnd.nextLong();
            }
            if (s.metaPlain(c) != m || s.keyPlain(c) != k || s.valuePlain(c) != v) {
                fail("cell " + c + " differs: " + s.metaPlain(c) + "/" + s.keyPlain(c) + "/" + s.valuePlain(c)
                        + " instead of " + m + "/" + k + "/" + v);
            }
        }
    }

    private List<Path> cellFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cob")).sorted().toList();
        }
    }

    @Test
    void emptyDirectoryHasNothingToRecover() {
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            assertNull(f.recover());
        }
    }

    @Test
    void reopenAfterCleanCloseGivesIdenticalCells() throws IOException {
        long seed = TestSettings.seed("mapped-reopen");
        long segments = 8192;
        int segmentSize = 128; // 1,048,576 cells, 24 MiB
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore s = f.create(segments, segmentSize);
        fill(s, seed);
        long t0 = System.nanoTime();
        f.close(s, 777_777);
        long closeNanos = System.nanoTime() - t0;
        assertFalse(s.isOpen());
        assertEquals(1, cellFiles().size());

        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        t0 = System.nanoTime();
        MappedCellStore r = (MappedCellStore) g.recover();
        long openNanos = System.nanoTime() - t0;
        assertNotNull(r);
        assertEquals(segments * segmentSize, r.capacity());
        assertEquals(segmentSize, r.segmentSize());
        assertEquals(777_777, r.recoveredEntryCount());
        assertFilled(r, seed, r.capacity());
        System.out.printf("[mapped-reopen] %d cells (%d MiB): clean close (force + CRC32C) %.1f ms, open (checks + CRC32C) %.1f ms%n",
                r.capacity(), r.memoryBytes() >> 20, closeNanos / 1e6, openNanos / 1e6);
        g.close(r, 777_777);
    }

    @Test
    void reopenWithGrowthInBetween() throws IOException {
        long seed = TestSettings.seed("mapped-growth");
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore small = f.create(64, 64);
        fill(small, seed);
        // grow: a new generation holding the old cells first, then more
        CellStore big = f.create(4096, 64);
        for (long c = 0; c < small.capacity(); c++) {
            big.setPlain(c, small.metaPlain(c), small.keyPlain(c), small.valuePlain(c));
        }
        f.retire(small);
        assertEquals(2, cellFiles().size());
        f.reclaimer().reclaimNow();
        assertFalse(small.isOpen());
        assertEquals(1, cellFiles().size(), "the retired generation's file is deleted once released");
        f.close(big, 5);

        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        CellStore r = g.recover();
        assertFilled(r, seed, 64 * 64);
        // grow again from the recovered generation, to over a million cells
        CellStore bigger = g.create(16384, 64);
        fill(bigger, seed + 1);
        g.retire(r);
        g.close(bigger, 6);
        assertEquals(1, cellFiles().size());

        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            MappedCellStore last = (MappedCellStore) h.recover();
            assertEquals(16384 * 64, last.capacity());
            assertEquals(6, last.recoveredEntryCount());
            assertFilled(last, seed + 1, last.capacity());
            h.close(last, 6);
        }
    }

    @Test
    void uncleanShutdownIsRefusedWithAClearMessage() {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore s = f.create(4, 16);
        fill(s, 1);
        f.close(); // no persistence: like a crash, the file stays marked not clean
        try (MappedCellStoreFactory g = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, g::recover);
            assertEquals(Reason.UNCLEAN_SHUTDOWN, e.reason());
            assertTrue(e.getMessage().contains("not closed cleanly"), e.getMessage());
            assertTrue(e.getMessage().contains("Rebuild the index"), e.getMessage());
            assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
            assertTrue(e.getMessage().contains("cells-1.cob"), e.getMessage());
            assertEquals("cells-1.cob", e.file().getFileName().toString());
        }
    }

    /**
     * A clean file in the interleaved layout (id 1) of builds before issue 11, in the first
     * columnar layout (id 2, meta words inside segments) or in the layout with 64-bit meta words
     * apart (id 3, 24-byte cells), whose cells would read as garbage through this build's layout,
     * is refused as LAYOUT, saying what to do; it is left exactly as it was.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void aFileOfAnOlderLayoutIsRefusedNeverMisread(int oldId) throws IOException {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore s = f.create(2, 8);
        fill(s, 5);
        f.close(s, 0);
        Path file = dir.resolve("cells-1.cob");
        byte[] written = Files.readAllBytes(file);
        java.nio.ByteBuffer w = java.nio.ByteBuffer.wrap(written).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(CellLayout.Arrangement.SEPARATE_META.fileId, w.getInt(20), "this build writes the layout id with 32-bit meta words apart");
        assertEquals(20, w.getInt(16), "20 bytes per cell");
        assertEquals(CellFileHeader.BYTES + 16 * 20, written.length);
        // the shape of an earlier build's file: 24-byte cells (64-bit meta words), its layout id
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(CellFileHeader.BYTES + 16 * 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0, written, 0, written.length);
        b.putInt(16, 24);
        b.putLong(56, 16 * 24);
        b.putInt(20, oldId);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b.array(), 0, CellFileHeader.BYTES - 4);
        b.putInt(CellFileHeader.BYTES - 4, (int) crc.getValue()); // a genuine old file: its header checksum is right
        Files.write(file, b.array());
        byte[] before = Files.readAllBytes(file);
        try (MappedCellStoreFactory g = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, g::recover);
            assertEquals(Reason.LAYOUT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(oldId == 1 ? "interleaved layout" : oldId == 2 ? "meta words inside segments"
                    : "64-bit meta words apart"), e.getMessage());
            assertTrue(e.getMessage().contains("cobtree version that wrote it"), e.getMessage());
            assertTrue(e.getMessage().contains("cells-1.cob"), e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(file), "a refused file is not changed");
    }

    @Test
    void aRecoveredFileIsNotCleanUntilClosedAgain() {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        f.close(f.create(2, 8), 0);
        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        CellStore s = g.recover();
        assertNotNull(s);
        g.close(); // refused or failed before adoption: the file is left clean
        MappedCellStoreFactory g2 = new MappedCellStoreFactory(dir);
        s = g2.recover();
        g2.adopted(s, 0); // an index accepted it: in use from now on
        g2.close(); // the process "dies" while the recovered file is open
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            assertEquals(Reason.UNCLEAN_SHUTDOWN, assertThrows(CorruptIndexException.class, h::recover).reason());
        }
    }

    @Test
    void anOlderCleanFileNeverStandsInForANewerGeneration() {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        f.close(f.create(2, 8), 0); // generation 1, clean
        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        CellStore fresh = g.create(2, 8); // a new index in the same directory: generation 2
        assertEquals(2, ((MappedCellStore) fresh).generation());
        g.close(); // dies
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, h::recover);
            assertTrue(e.file().endsWith("cells-2.cob"), e.getMessage());
        }
    }

    @Test
    void deleteCellFilesStartsOver() throws IOException {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        f.create(2, 8);
        f.close();
        Files.writeString(dir.resolve("keep.txt"), "not ours");
        MappedCellStoreFactory.deleteCellFiles(dir);
        assertEquals(0, cellFiles().size());
        assertTrue(Files.exists(dir.resolve("keep.txt")));
        try (MappedCellStoreFactory g = new MappedCellStoreFactory(dir)) {
            assertNull(g.recover());
        }
    }

    @Test
    void oneFactoryPerDirectory() {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new MappedCellStoreFactory(dir));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> MappedCellStoreFactory.deleteCellFiles(dir));
        f.close();
        new MappedCellStoreFactory(dir).close();
    }

    @Test
    void misuseIsRefused() {
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            CellStore s = f.create(2, 8);
            assertThrows(IllegalStateException.class, f::recover, "recover after create");
            CellStore foreign = new OffHeapCellStore(16, 8);
            assertThrows(IllegalArgumentException.class, () -> f.retire(foreign));
            assertThrows(IllegalArgumentException.class, () -> f.close(foreign, 0));
            assertThrows(IllegalArgumentException.class, () -> f.close(s, -1));
            foreign.close();
            f.retire(s);
            assertThrows(IllegalArgumentException.class, () -> f.retire(s), "retired twice");
        }
    }

    /** Cells beyond 2 GiB of file: the mapping and the offsets are 64-bit (a sparse file; only a few pages are touched). */
    @Test
    void cellsBeyondTwoGigabytes() {
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir, MappedCellStoreFactory.Allocation.SPARSE)) {
            CellStore s = f.create(100_000_000L / 64, 64);
            long last = s.capacity() - 1;
            assertTrue(last * 24 > Integer.MAX_VALUE);
            s.setPlain(last, 1, 2, 3);
            assertTrue(s.metaCompareAndSet(last, 1, 5));
            assertEquals(5, s.metaAcquire(last));
            assertEquals(2, s.keyOpaque(last));
            assertEquals(3, s.valuePlain(last));
            assertEquals(0, s.keyPlain(last - 1));
        }
    }
}
