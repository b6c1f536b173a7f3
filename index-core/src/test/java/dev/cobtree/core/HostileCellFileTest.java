package dev.cobtree.core;

import dev.cobtree.storage.CellLayout;
import dev.cobtree.storage.CellStore;
import dev.cobtree.storage.CorruptIndexException;
import dev.cobtree.storage.MappedCellStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Cell files whose checksums are right but whose cells do not form an index (written by a bug,
 * a tool or an attacker, CRCs recomputed): the tree must refuse each with
 * {@link CorruptIndexException} naming the reason, and a refused open must leave the file exactly
 * as it was. The files are forged from a genuine clean file of 4 segments of 8 cells: its header
 * is kept, the cells are rewritten, entry count and both checksums are recomputed.
 */
class HostileCellFileTest {

    private static final int SEGMENT = 8;
    private static final int SEGMENTS = 4;
    /** A stable, occupied cell word (version 1): what a clean close leaves in every entry's cell. */
    private static final long ENTRY = CellMeta.end(0L, CellMeta.OCCUPIED, CellMeta.EMPTY);

    @TempDir
    Path dir;

    /** A genuine clean cell file of SEGMENTS x SEGMENT cells; returns its path. */
    private Path genuineFile() throws IOException {
        CobTree t = CobTree.builder().segmentSize(SEGMENT).initialCapacity(20).storage(new MappedCellStoreFactory(dir)).build();
        assertEquals(SEGMENTS, t.engine().storage().segments, "the forged files assume this many segments");
        t.close();
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".cob")).findFirst().orElseThrow();
        }
    }

    /** Rewrites the cells of {@code file}: {@code segments[t]} are the cells of segment t, as {meta, key} pairs (value = key * 10). */
    static void forge(Path file, long[][] segments) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long capacity = b.getLong(32);
        int size = b.getInt(24);
        CellLayout l = CellLayout.separateMeta(size).bind(capacity); // the layout every cell file has
        long entries = 0;
        for (int c = 0; c < capacity; c++) {
            b.putInt(Math.toIntExact(4096 + l.metaByte(c)), 0).putLong(at(l.keyWord(c)), 0).putLong(at(l.valueWord(c)), 0);
        }
        for (int t = 0; t < segments.length; t++) {
            for (int i = 0; i + 1 < segments[t].length; i += 2) {
                int c = t * size + i / 2;
                b.putInt(Math.toIntExact(4096 + l.metaByte(c)), CellStore.checkMeta(segments[t][i])).putLong(at(l.keyWord(c)), segments[t][i + 1])
                        .putLong(at(l.valueWord(c)), segments[t][i + 1] * 10);
                if ((segments[t][i] & CellMeta.OCCUPIED) != 0) {
                    entries++;
                }
            }
        }
        b.putLong(48, entries);
        recomputeChecksums(b);
        Files.write(file, b.array());
    }

    /** File offset of cell word {@code w}: the cells start after the 4096-byte header. */
    private static int at(long w) {
        return Math.toIntExact(4096 + 8 * w);
    }

    /** Body CRC (offset 64) and header CRC (offset 4092) recomputed, so only structure can give the forgery away. */
    static void recomputeChecksums(ByteBuffer b) {
        CRC32C body = new CRC32C();
        body.update(b.array(), 4096, b.capacity() - 4096);
        b.putInt(64, (int) body.getValue());
        CRC32C head = new CRC32C();
        head.update(b.array(), 0, 4092);
        b.putInt(4092, (int) head.getValue());
    }

    private static long[] entries(long... keys) {
        long[] cells = new long[2 * keys.length];
        for (int i = 0; i < keys.length; i++) {
            cells[2 * i] = ENTRY;
            cells[2 * i + 1] = keys[i];
        }
        return cells;
    }

    private CobTree open() {
        return CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
    }

    /** The forged file must be refused with STRUCTURE naming {@code expected}, and left byte for byte as it was. */
    private void assertRefused(long[][] segments, String expected) throws IOException {
        Path file = genuineFile();
        forge(file, segments);
        byte[] before = Files.readAllBytes(file);
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CobTree.builder().storage(f).build());
        f.close();
        assertEquals(CorruptIndexException.Reason.STRUCTURE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "a refused open must leave the file exactly as it was");
    }

    @Test
    void aWellFormedForgeryOpens() throws IOException {
        Path file = genuineFile();
        forge(file, new long[][] {entries(1, 2), entries(5), entries(), entries(9, Long.MAX_VALUE)});
        try (CobTree t = open()) {
            assertEquals(5, t.size());
            assertEquals(Long.MAX_VALUE, t.lastKey());
            assertEquals(Long.MAX_VALUE * 10, t.get(Long.MAX_VALUE, -1));
        }
    }

    @Test
    void maxValueOutsideTheLastSegmentIsRefused() throws IOException {
        assertRefused(new long[][] {entries(1, 2), entries(5, Long.MAX_VALUE), entries(), entries()}, "Long.MAX_VALUE");
    }

    @Test
    void keysOutOfOrderAcrossSegmentsAreRefused() throws IOException {
        assertRefused(new long[][] {entries(1, 7), entries(5), entries(), entries(9)}, "not strictly increasing");
    }

    @Test
    void duplicateKeysAreRefused() throws IOException {
        assertRefused(new long[][] {entries(1, 2), entries(2), entries(), entries()}, "not strictly increasing");
    }

    @Test
    void aGapInsideASegmentIsRefused() throws IOException {
        long[] gap = entries(1, 2, 3);
        gap[2] = 0; // the middle cell empty
        assertRefused(new long[][] {gap, entries(), entries(), entries()}, "gap");
    }

    @Test
    void aCellLeftMidWriteIsRefused() throws IOException {
        long[] cells = entries(1, 2);
        cells[2] |= CellMeta.WRITING; // readers would wait forever for this write to end
        assertRefused(new long[][] {cells, entries(), entries(), entries()}, "cell word");
    }

    @Test
    void aMarkerLeftInACellIsRefused() throws IOException {
        long[] cells = entries(1, 2);
        cells[0] |= CellMeta.MOVE;
        assertRefused(new long[][] {cells, entries(), entries(), entries()}, "cell word");
    }

    @Test
    void anEntryCountThatDisagreesWithTheCellsIsRefused() throws IOException {
        Path file = genuineFile();
        forge(file, new long[][] {entries(1, 2), entries(), entries(), entries()});
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(48, 3);
        recomputeChecksums(b);
        Files.write(file, b.array());
        byte[] before = b.array().clone();
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CobTree.builder().storage(f).build());
        f.close();
        assertEquals(CorruptIndexException.Reason.STRUCTURE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("entry count 3"), e.getMessage());
        assertTrue(Arrays.equals(before, Files.readAllBytes(file)));
    }

    /** Finding 1: a refused adoption must not mark a file not clean (it would then say UNCLEAN_SHUTDOWN forever). */
    @Test
    void aRefusedOpenLeavesTheFileCleanAndItOpensOnceRepaired() throws IOException {
        Path file = genuineFile();
        byte[] good = Files.readAllBytes(file);
        forge(file, new long[][] {entries(1, 7), entries(5), entries(), entries()});
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        assertThrows(CorruptIndexException.class, () -> CobTree.builder().storage(f).build());
        f.close();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, b.getInt(28) & 1, "the header must still say CLEAN after a refused open");
        Files.write(file, good); // the operator restores the good copy: it opens
        try (CobTree t = open()) {
            assertEquals(0, t.size());
        }
    }

    /** Finding 6: one factory is one index; a second tree on it would share (and unmap) its files. */
    @Test
    void aFactoryServesOneTree() {
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CobTree first = CobTree.builder().storage(f).build();
        first.put(1, 10, -1);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CobTree.builder().storage(f).buildFromSorted(new long[] {5}, new long[] {50}, 0, 1));
        assertTrue(e.getMessage().contains("one index"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> CobTree.builder().storage(f).build());
        assertEquals(10, first.get(1, -1));
        first.close();
        try (CobTree again = open()) {
            assertEquals(1, again.size());
        }
    }

    /** Finding 6: the live file deleted while the index runs: close must not lose the entries. */
    @Test
    void aLiveFileDeletedWhileOpenIsRescuedAtClose() throws IOException {
        CobTree t = open();
        for (long k = 0; k < 1000; k++) {
            t.put(k, k * 3, -1);
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".cob")).toList()) {
                Files.delete(p);
            }
        }
        t.close();
        try (CobTree again = open()) {
            assertEquals(1000, again.size());
            assertEquals(999 * 3, again.get(999, -1));
        }
    }
}
