package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * An index directory disturbed from outside while, or between, uses: files deleted, copied back,
 * renamed, made immutable, cut short. Nothing may be served wrong, and nothing the index vouches
 * for may be lost silently: each case is repaired or refused with an exception that says what happened.
 */
class DisturbedDirectoryTest {

    @TempDir
    Path dir;

    private MappedCellStore cleanIndex(long seed) {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore s = f.create(4, 16);
        MappedCellStoreTest.fill(s, seed);
        f.close(s, 5);
        return (MappedCellStore) s;
    }

    /** The live file deleted, then the process dies: the next open must not take the directory for a new one. */
    @Test
    void aDeletedLiveFileIsMissingNotANewIndex() throws IOException {
        Path file = cleanIndex(1).file();
        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        assertNotNull(g.recover());
        Files.delete(file);
        g.close(); // dies without persisting
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, h::recover);
            assertEquals(Reason.MISSING, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("cells-1.cob"), e.getMessage());
        }
        MappedCellStoreFactory.deleteCellFiles(dir); // the documented way to start over
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            assertNull(h.recover());
        }
    }

    /** cobtree.lock deleted under a running index: a second factory must still not get its files. */
    @Test
    void aDeletedLockFileDoesNotHandTheDirectoryToASecondIndex() throws IOException {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CellStore live = f.create(2, 8);
        Files.delete(dir.resolve(MappedCellStoreFactory.LOCK_FILE));
        try (MappedCellStoreFactory g = new MappedCellStoreFactory(dir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, g::recover);
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        assertThrows(IllegalStateException.class, () -> MappedCellStoreFactory.deleteCellFiles(dir));
        live.setPlain(0, 1, 2, 3);
        f.close(live, 0);
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            assertEquals(2, h.recover().keyPlain(0));
        }
    }

    /** Generations never restart: an old clean file copied back can never be taken for the newest. */
    @Test
    void generationsAreMonotoneSoAStaleCopyNeverWins() throws IOException {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        f.retire(f.create(2, 8));
        f.retire(f.create(2, 8));
        CellStore old = f.create(2, 8);
        old.setPlain(0, 1, 111, 0);
        f.close(old, 0); // generation 3, clean
        Path stale = Files.copy(dir.resolve("cells-3.cob"), dir.resolve("stale.bak"));
        MappedCellStoreFactory.deleteCellFiles(dir);
        MappedCellStoreFactory g = new MappedCellStoreFactory(dir);
        CellStore fresh = g.create(2, 8);
        assertTrue(((MappedCellStore) fresh).generation() > 3, "generation " + ((MappedCellStore) fresh).generation() + " restarted");
        fresh.setPlain(0, 1, 222, 0);
        g.close(fresh, 0);
        Files.copy(stale, dir.resolve("cells-3.cob"));
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            assertEquals(222, h.recover().keyPlain(0), "the stale copy must not win");
        }
    }

    /** A clean file renamed to a newer generation: its header says otherwise, so it is refused. */
    @Test
    void aFileWhoseHeaderGenerationDiffersFromItsNameIsRefused() throws IOException {
        cleanIndex(2);
        Files.move(dir.resolve("cells-1.cob"), dir.resolve("cells-9.cob"));
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, h::recover);
            assertTrue(e.reason() == Reason.RENAMED || e.reason() == Reason.MISSING, e.getMessage());
        }
        Files.delete(dir.resolve(MappedCellStoreFactory.LOCK_FILE)); // no history: only the header can tell
        try (MappedCellStoreFactory h = new MappedCellStoreFactory(dir)) {
            CorruptIndexException e = assertThrows(CorruptIndexException.class, h::recover);
            assertEquals(Reason.RENAMED, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("generation 1"), e.getMessage());
        }
    }

    /** Finding 5: a segment size beyond the engine's 8..4096 (here 2^27 over a 3 GiB sparse file) is a LAYOUT refusal. */
    @Test
    void aSegmentSizeOutOfRangeIsRefused() throws IOException {
        for (int size : new int[] {1 << 27, 4, 24}) {
            Path file = dir.resolve("cells-1.cob");
            long capacity = size == 24 ? 48 : size;
            ByteBuffer h = new CellFileHeader(size, capacity, 1, true, 0, zerosCrc(24 * capacity)).encode().order(ByteOrder.LITTLE_ENDIAN);
            Files.deleteIfExists(file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(h, 0);
                ch.write(ByteBuffer.allocate(1), 4096 + 24 * capacity - 1);
            }
            try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
                CorruptIndexException e = assertThrows(CorruptIndexException.class, f::recover, "segment size " + size);
                assertEquals(Reason.LAYOUT, e.reason(), e.getMessage());
                assertTrue(e.getMessage().contains("segment size " + size), e.getMessage());
            }
            Files.delete(file);
            Files.delete(dir.resolve(MappedCellStoreFactory.LOCK_FILE));
        }
    }

    /** Finding 8: an intact file that cannot be opened for writing is a permission problem, never "delete the files". */
    @Test
    void anImmutableFileIsAPermissionErrorAndNeverAdvisedForDeletion() throws Exception {
        Path file = cleanIndex(3).file();
        if (new ProcessBuilder("chattr", "+i", file.toString()).start().waitFor() != 0) {
            System.out.println("[immutable] skipped: chattr +i is not supported on this file system");
            return;
        }
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, f::recover);
            assertFalse(e instanceof CorruptIndexException, e.getMessage());
            assertTrue(e.getMessage().contains("permission"), e.getMessage());
            assertFalse(e.getMessage().contains("delete"), e.getMessage());
        } finally {
            new ProcessBuilder("chattr", "-i", file.toString()).start().waitFor();
        }
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            MappedCellStoreTest.assertFilled(f.recover(), 3, 64);
        }
    }

    /** Finding 8: a kill while a new generation's file was being created leaves it empty; the previous clean one is used. */
    @Test
    void anEmptyNewestFileFallsBackToAPreviousCleanGeneration() throws IOException {
        cleanIndex(4);
        Files.createFile(dir.resolve("cells-2.cob"));
        try (MappedCellStoreFactory f = new MappedCellStoreFactory(dir)) {
            CellStore s = f.recover();
            assertEquals(1, ((MappedCellStore) s).generation());
            MappedCellStoreTest.assertFilled(s, 4, 64);
            f.close(s, 5);
        }
        assertFalse(Files.exists(dir.resolve("cells-2.cob")), "the empty file is removed by the clean close");
    }

    /** CRC32C of {@code bytes} zero bytes: the right body checksum of a sparse body. */
    private static int zerosCrc(long bytes) {
        CRC32C c = new CRC32C();
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        for (long done = 0; done < bytes; ) {
            int n = (int) Math.min(zeros.capacity(), bytes - done);
            c.update(zeros.clear().limit(n));
            done += n;
        }
        return (int) c.getValue();
    }
}
