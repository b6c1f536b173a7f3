package dev.cobtree.core;

import dev.cobtree.storage.CorruptIndexException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CobTree#checkpoint(Path)} and {@link CobTree.Builder#loadCheckpoint(Path)}. */
class TreeCheckpointTest {

    @TempDir
    Path dir;

    @Test
    void roundTripGivesExactlyTheSameEntries() {
        long seed = StoreKinds.seed("TreeCheckpointTest");
        SplittableRandom rnd = new SplittableRandom(seed);
        CobTree tree = CobTree.builder().segmentSize(16).build();
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int i = 0; i < 200_000; i++) {
            long k = rnd.nextLong();
            long v = rnd.nextLong();
            tree.put(k, v, 0);
            model.put(k, v);
        }
        tree.put(Long.MIN_VALUE, 1, 0);
        tree.put(Long.MAX_VALUE, 2, 0);
        model.put(Long.MIN_VALUE, 1L);
        model.put(Long.MAX_VALUE, 2L);
        Path file = dir.resolve("index.ckpt");
        assertEquals(model.size(), tree.checkpoint(file));

        CobTree loaded = CobTree.builder().loadCheckpoint(file);
        assertEquals(model.size(), loaded.size());
        CobTree.Cursor c = loaded.cursor();
        for (var e : model.entrySet()) {
            assertTrue(c.next());
            assertEquals(e.getKey(), c.key());
            assertEquals(e.getValue(), c.value());
        }
        assertFalse(c.next());
        // the source tree is unchanged and still writable after the checkpoint
        tree.put(5, 5, 0);
        assertEquals(model.size() + (model.containsKey(5L) ? 0 : 1), tree.size());
    }

    @Test
    void checkpointUnderConcurrentWritersIsAPointInTimeImage() throws Exception {
        int n = 20_000;
        CobTree tree = CobTree.builder().segmentSize(8).build();
        for (long i = 0; i < n; i++) {
            tree.put(i, 0, 0);
        }
        // round r rewrites keys 0..n-1 with value r, in ascending order: in any point-in-time state
        // the values are non-increasing along the keys and span at most two rounds, while a scan
        // racing the writer can see a later round after an earlier one
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (long round = 1; !stop.get(); round++) {
                for (long i = 0; i < n && !stop.get(); i++) {
                    tree.put(i, round, 0);
                }
            }
        });
        writer.start();
        try {
            for (int k = 0; k < 20; k++) {
                Path file = dir.resolve("pit-" + k + ".ckpt");
                tree.checkpoint(file);
                CobTree image = CobTree.builder().loadCheckpoint(file);
                assertEquals(n, image.size());
                CobTree.Cursor c = image.cursor();
                long first = Long.MIN_VALUE;
                long previous = Long.MAX_VALUE;
                while (c.next()) {
                    long v = c.value();
                    if (first == Long.MIN_VALUE) {
                        first = v;
                    }
                    assertTrue(v <= previous && first - v <= 1,
                            "checkpoint " + k + " is not a point-in-time image at key " + c.key() + ": " + v + " after " + previous);
                    previous = v;
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void badInputAndDamagedFilesFailClearly() throws IOException {
        CobTree tree = new CobTree();
        tree.put(1, 1, 0);
        assertThrows(NullPointerException.class, () -> tree.checkpoint(null));
        assertThrows(NullPointerException.class, () -> CobTree.builder().loadCheckpoint(null));
        Path file = dir.resolve("x.ckpt");
        tree.checkpoint(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(file, bytes);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CobTree.builder().loadCheckpoint(file));
        assertTrue(e.getMessage().contains(file.getFileName().toString()) || e.getMessage().toLowerCase().contains("checksum"),
                e.getMessage());
        tree.close();
        assertThrows(IllegalStateException.class, () -> tree.checkpoint(dir.resolve("y.ckpt")));
    }
}
