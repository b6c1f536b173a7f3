package dev.cobtree.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Damaged files never open: a mapped cell file or a checkpoint that was truncated, extended,
 * bit-flipped, overwritten, of the wrong version or with fields changed behind a valid header
 * checksum fails with {@link CorruptIndexException} every time, and nothing is returned.
 * {@code -Dcobtree.fuzz.cases=N} runs more cases (default 3000 per format).
 */
class CorruptFileFuzzTest {

    @TempDir
    Path dir;

    private static final long CASES = TestSettings.longProperty("cobtree.fuzz.cases", 3000);

    /** Replaces the file by a new one (a truncating rewrite makes ext4 flush on close, which is slow). */
    private static void rewrite(Path target, byte[] bytes) throws IOException {
        Files.deleteIfExists(target);
        Files.write(target, bytes);
    }

    @Test
    void damagedCellFilesAreAlwaysRefused() throws IOException {
        long seed = TestSettings.seed("fuzz-cells");
        Path good = dir.resolve("good");
        MappedCellStoreFactory f = new MappedCellStoreFactory(good);
        CellStore s = f.create(32, 32);
        MappedCellStoreTest.fill(s, seed);
        f.close(s, 1000);
        Path file = good.resolve("cells-1.cob");
        byte[] bytes = Files.readAllBytes(file);

        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Path target = bad.resolve("cells-1.cob");
        // control: the undamaged file opens, with its cells
        Files.write(target, bytes);
        try (MappedCellStoreFactory g = new MappedCellStoreFactory(bad)) {
            CellStore r = g.recover();
            MappedCellStoreTest.assertFilled(r, seed, r.capacity());
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<CorruptIndexException.Reason, Integer> reasons = new EnumMap<>(CorruptIndexException.Reason.class);
        for (long i = 0; i < CASES; i++) {
            FileMutation m = FileMutation.random(bytes, FileMutation.CELL_FILE, rnd);
            rewrite(target, m.bytes());
            try (MappedCellStoreFactory g = new MappedCellStoreFactory(bad)) {
                CellStore r = null;
                try {
                    r = g.recover();
                } catch (CorruptIndexException e) {
                    reasons.merge(e.reason(), 1, Integer::sum);
                    assertTrue(e.getMessage().contains("Rebuild the index"), e.getMessage());
                    if (m.expected() != null) {
                        assertEquals(m.expected(), e.reason(), "case " + i + " (" + m.description() + ", seed " + seed + "): " + e.getMessage());
                    }
                }
                assertNull(r, "case " + i + " (" + m.description() + ", seed " + seed + ") opened a damaged file");
            }
        }
        System.out.println("[fuzz-cells] " + CASES + " damaged cell files refused: " + reasons);
    }

    @Test
    void damagedCheckpointsAreAlwaysRefused() throws IOException {
        long seed = TestSettings.seed("fuzz-checkpoint");
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 1000;
        long[] keys = new long[n], values = new long[n];
        long k = Long.MIN_VALUE + rnd.nextInt(1000);
        for (int i = 0; i < n; i++) {
            keys[i] = k;
            values[i] = rnd.nextLong();
            k += 1 + rnd.nextInt(1 << 20);
        }
        Path file = dir.resolve("good.ckpt");
        CheckpointFile.write(file, keys, values, 0, n);
        byte[] bytes = Files.readAllBytes(file);
        assertEquals(64 + 16L * n, bytes.length);
        Path target = dir.resolve("bad.ckpt");
        Files.write(target, bytes);
        CheckpointFile.Image control = CheckpointFile.read(target);
        assertArrayEquals(keys, control.keys());
        assertArrayEquals(values, control.values());

        Map<CorruptIndexException.Reason, Integer> reasons = new TreeMap<>();
        for (long i = 0; i < CASES; i++) {
            FileMutation m = FileMutation.random(bytes, FileMutation.CHECKPOINT, rnd);
            rewrite(target, m.bytes());
            CheckpointFile.Image image = null;
            try {
                image = CheckpointFile.read(target);
            } catch (CorruptIndexException e) {
                reasons.merge(e.reason(), 1, Integer::sum);
                assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
                if (m.expected() != null) {
                    assertEquals(m.expected(), e.reason(), "case " + i + " (" + m.description() + ", seed " + seed + "): " + e.getMessage());
                }
            }
            assertNull(image, "case " + i + " (" + m.description() + ", seed " + seed + ") read a damaged checkpoint");
        }
        // keys out of order behind valid checksums (a buggy writer): refused as UNSORTED
        byte[] unsorted = bytes.clone();
        long first = FileMutation.le(unsorted).getLong(64);
        FileMutation.le(unsorted).putLong(64, FileMutation.le(unsorted).getLong(72));
        FileMutation.le(unsorted).putLong(72, first);
        CRC32C body = new CRC32C();
        body.update(unsorted, 64, unsorted.length - 64);
        FileMutation.le(unsorted).putInt(28, (int) body.getValue());
        FileMutation.fixHeaderCrc(unsorted, FileMutation.CHECKPOINT);
        Files.write(target, unsorted);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CheckpointFile.read(target));
        assertEquals(CorruptIndexException.Reason.UNSORTED, e.reason());
        System.out.println("[fuzz-checkpoint] " + CASES + " damaged checkpoints refused: " + reasons);
    }
}
