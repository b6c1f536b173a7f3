package dev.cobtree.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointFileTest {

    @TempDir
    Path dir;

    static long[][] sortedEntries(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = new long[n], values = new long[n];
        long k = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            keys[i] = k;
            values[i] = rnd.nextLong();
            k += 1 + rnd.nextLong(1L << 40);
        }
        if (n > 1) {
            keys[n - 1] = Long.MAX_VALUE;
        }
        return new long[][] {keys, values};
    }

    private long filesIn(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 65_535, 65_536, 65_537, 200_001})
    void roundTrip(int n) {
        long[][] e = sortedEntries(n, n);
        Path f = dir.resolve("ckpt");
        CheckpointFile.write(f, e[0], e[1], 0, n);
        CheckpointFile.Image img = CheckpointFile.read(f);
        assertEquals(n, img.size());
        assertArrayEquals(e[0], img.keys());
        assertArrayEquals(e[1], img.values());
        // the streaming writer produces the same bytes
        Path g = dir.resolve("ckpt2");
        assertEquals(n, CheckpointFile.write(g, sink -> {
            for (int i = 0; i < n; i++) {
                sink.accept(e[0][i], e[1][i]);
            }
        }));
        assertDoesNotThrow(() -> assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(g)));
    }

    @Test
    void subrangeOfArrays() {
        long[][] e = sortedEntries(100, 7);
        Path f = dir.resolve("ckpt");
        CheckpointFile.write(f, e[0], e[1], 10, 20);
        CheckpointFile.Image img = CheckpointFile.read(f);
        assertEquals(10, img.size());
        assertEquals(e[0][10], img.keys()[0]);
        assertEquals(e[1][19], img.values()[9]);
    }

    @Test
    void replacesAnExistingCheckpointAtomically() throws IOException {
        Path f = dir.resolve("ckpt");
        CheckpointFile.write(f, new long[] {1, 2}, new long[] {10, 20}, 0, 2);
        CheckpointFile.write(f, new long[] {5}, new long[] {50}, 0, 1);
        assertArrayEquals(new long[] {5}, CheckpointFile.read(f).keys());
        assertEquals(1, filesIn(dir), "no temporary file left behind");
    }

    @Test
    void unsortedArraysAreRejectedNamingTheIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(dir.resolve("c"), new long[] {1, 3, 3}, new long[3], 0, 3));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("c")));
        assertThrows(NullPointerException.class, () -> CheckpointFile.write(dir.resolve("c"), null, new long[0], 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> CheckpointFile.write(dir.resolve("c"), new long[2], new long[1], 0, 2));
        assertThrows(IllegalArgumentException.class, () -> CheckpointFile.write(dir.resolve("c"), -2, sink -> { }));
    }

    @Test
    void aFailedWriteLeavesTheTargetUntouched() throws IOException {
        Path f = dir.resolve("ckpt");
        CheckpointFile.write(f, new long[] {1, 2, 3}, new long[] {1, 2, 3}, 0, 3);
        byte[] before = Files.readAllBytes(f);

        IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class, () -> CheckpointFile.write(f, sink -> {
            for (int i = 0; i < 100_000; i++) {
                sink.accept(i, i);
            }
            sink.accept(5, 5);
        }));
        assertTrue(unsorted.getMessage().contains("not strictly ascending"), unsorted.getMessage());

        IllegalArgumentException fewer = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(f, 10, sink -> sink.accept(1, 1)));
        assertTrue(fewer.getMessage().contains("1 entries, 10 were announced"), fewer.getMessage());
        IllegalArgumentException more = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(f, 1, sink -> { sink.accept(1, 1); sink.accept(2, 2); }));
        assertTrue(more.getMessage().contains("more than the 1"), more.getMessage());

        IllegalStateException boom = assertThrows(IllegalStateException.class, () -> CheckpointFile.write(f, sink -> {
            sink.accept(1, 1);
            throw new IllegalStateException("source failed");
        }));
        assertEquals("source failed", boom.getMessage());

        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(1, filesIn(dir), "no temporary file left behind");
    }

    @Test
    void missingFileIsNotCalledCorrupt() {
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> CheckpointFile.read(dir.resolve("none")));
        assertFalse(e instanceof CorruptIndexException);
        assertInstanceOf(NoSuchFileException.class, e.getCause());
    }

    @Test
    void emptyAndForeignFilesAreRefused() throws IOException {
        Path f = dir.resolve("x");
        Files.write(f, new byte[0]);
        assertEquals(CorruptIndexException.Reason.TRUNCATED, assertThrows(CorruptIndexException.class, () -> CheckpointFile.read(f)).reason());
        Files.writeString(f, "hello, this is not a checkpoint at all; it is long enough to hold a header of 64 bytes");
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CheckpointFile.read(f));
        assertEquals(CorruptIndexException.Reason.FOREIGN, e.reason());
        assertTrue(e.getMessage().contains("Restore an older checkpoint"), e.getMessage());
    }
}
