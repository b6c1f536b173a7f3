package dev.cobtree.storage;

import dev.cobtree.storage.CorruptIndexException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Checkpoints an attacker (or an unlucky copy) hands to {@link CheckpointFile#read}: huge counts
 * in sparse files under a small heap, a file cut while it is read, a FIFO; and the writer's
 * misleading corners (a root target, a missing directory, a symlink, temporary files of killed writes).
 */
class HostileCheckpointTest {

    @TempDir
    Path dir;

    /** A header announcing {@code count} entries (valid CRC) over a sparse body of the matching length. */
    private Path sparseCheckpoint(long count) throws IOException {
        Path file = dir.resolve("huge.ckpt");
        ByteBuffer h = ByteBuffer.allocate(CheckpointFile.HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0, CheckpointFile.MAGIC).putInt(8, CheckpointFile.VERSION).putInt(12, CheckpointFile.HEADER)
                .putLong(16, count).putInt(24, CheckpointFile.BLOCK).putInt(28, 0);
        CRC32C c = new CRC32C();
        c.update(h.array(), 0, 60);
        h.putInt(60, (int) c.getValue());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(h, 0);
            ch.write(ByteBuffer.allocate(1), CheckpointFile.HEADER + 16 * count - 1);
        }
        return file;
    }

    /** Finding 5: 2^25 entries announced (a 512 MiB sparse file: two 256 MiB arrays up front before the fix) read under -Xmx64m: refused, no OutOfMemoryError. */
    @Test
    void aHugeCountInASparseFileIsRefusedWithoutRunningOutOfMemory() throws Exception {
        Path file = sparseCheckpoint(1L << 25);
        Path log = dir.resolve("child.log");
        ChildJvm r = ChildJvm.await(ChildJvm.start(log, "64m", CheckpointReaderChild.class, "once", file.toString()), log, 120);
        assertTrue(r.cleanExit(), "child exit " + r.exitCode() + ": " + r.output());
        assertTrue(r.output().contains("REFUSED BODY_CHECKSUM") || r.output().contains("REFUSED UNSORTED"), r.output());
    }

    /** Finding 4: the file cut (and restored) again and again while a child JVM reads it: exceptions, never a signal. */
    @Test
    void aCheckpointTruncatedWhileReadIsAnExceptionNotACrash() throws Exception {
        int n = 1 << 20; // 16 MiB
        long[] keys = new long[n];
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = 3L * i;
            values[i] = i;
        }
        Path good = dir.resolve("good.ckpt");
        CheckpointFile.write(good, keys, values, 0, n);
        byte[] bytes = Files.readAllBytes(good);
        Path file = dir.resolve("snap.ckpt");
        Files.write(file, bytes);
        Path log = dir.resolve("child.log");
        Process p = ChildJvm.start(log, "256m", CheckpointReaderChild.class, "loop", file.toString(), "4000");
        long cuts = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (p.isAlive()) {
                ch.truncate(CheckpointFile.HEADER + 4096L * (cuts % 7)); // like `cp new.ckpt snap.ckpt`: cut in place ...
                Thread.sleep(1);
                ch.write(ByteBuffer.wrap(bytes), 0); // ... then written again
                cuts++;
                Thread.sleep(2);
            }
        }
        ChildJvm r = ChildJvm.await(p, log, 60);
        System.out.println("[truncate-while-read] " + cuts + " cuts; child: " + r.output().lines().reduce((a, b) -> b).orElse(""));
        assertTrue(r.cleanExit(), "child exit " + r.exitCode() + " (134 = aborted by a signal): " + r.output());
        assertTrue(r.output().contains("DONE"), r.output());
        assertEquals(n, CheckpointFile.read(good).size(), "the untouched copy still reads");
    }

    /** Finding 8: a FIFO (or any non-regular file) is refused at once, not waited on forever. */
    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.ckpt");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        if (mk.waitFor() != 0) {
            System.out.println("[fifo] skipped: mkfifo is not available here");
            return;
        }
        CorruptIndexException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(CorruptIndexException.class, () -> CheckpointFile.read(fifo)));
        assertEquals(Reason.FOREIGN, e.reason());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void aTargetWithoutAFileNameIsABadArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CheckpointFile.write(Path.of("/"), -1, sink -> { }));
        assertTrue(e.getMessage().contains("/"), e.getMessage());
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path target = dir.resolve("no-such-dir").resolve("x.ckpt");
        var e = assertThrows(java.io.UncheckedIOException.class, () -> CheckpointFile.write(target, -1, sink -> sink.accept(1, 2)));
        assertTrue(e.getMessage().contains("directory " + target.getParent() + " does not exist"), e.getMessage());
    }

    /** A symlinked target is followed: the file it points at gets the checkpoint, the link stays a link. */
    @Test
    void aSymlinkedTargetIsFollowed() throws IOException {
        Path real = dir.resolve("real.ckpt");
        CheckpointFile.write(real, -1, sink -> sink.accept(1, 1));
        Path link = Files.createSymbolicLink(dir.resolve("current.ckpt"), real);
        CheckpointFile.write(link, -1, sink -> sink.accept(2, 2));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(2, CheckpointFile.read(real).keys()[0]);
    }

    /** Temporary files of killed writes of the same target are removed by the next write. */
    @Test
    void strayTemporaryFilesOfKilledWritesAreCleanedUp() throws IOException {
        Path target = dir.resolve("snap.ckpt");
        Files.write(dir.resolve(".snap.ckpt.tmp-1234abcd"), new byte[4096]);
        Files.write(dir.resolve(".other.ckpt.tmp-1234abcd"), new byte[16]);
        CheckpointFile.write(target, -1, sink -> sink.accept(1, 1));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(java.util.List.of(".other.ckpt.tmp-1234abcd", "snap.ckpt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "only the target's strays are removed");
        }
    }
}
