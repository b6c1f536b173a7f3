package dev.cobtree.core;

import dev.cobtree.storage.MappedCellStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A mapped index on a disk that fills up (a 4 MiB tmpfs mounted for the test; skipped, with the
 * reason printed, where mounting is not permitted): the write whose resize needs the space fails
 * with an {@link UncheckedIOException} from the creation of the new file, the index stays as it
 * was and readable, {@code close()} returns, and the directory reopens with every entry.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    private static boolean run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        boolean ok = p.waitFor() == 0;
        if (!ok) {
            System.out.println("[full-disk] " + String.join(" ", cmd) + ": " + out.trim());
        }
        return ok;
    }

    @Test
    void aFullDiskFailsTheResizeCleanlyAndTheIndexSurvives() throws Exception {
        Path mount = dir.resolve("small");
        java.nio.file.Files.createDirectories(mount);
        if (!run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString())) {
            System.out.println("[full-disk] skipped: cannot mount a small tmpfs here (needs root and mount permission)");
            return;
        }
        try {
            TreeMap<Long, Long> model = new TreeMap<>();
            CobTree t = CobTree.builder().segmentSize(8).storage(new MappedCellStoreFactory(mount)).build();
            UncheckedIOException full = null;
            for (long k = 0; k < 1_000_000 && full == null; k++) {
                long key = k * 7919 % 1_000_003;
                try {
                    t.put(key, k, -1);
                    model.put(key, k);
                } catch (UncheckedIOException e) {
                    full = e;
                }
            }
            assertNotNull(full, "4 MiB should not hold a million entries");
            System.out.println("[full-disk] after " + model.size() + " entries: " + full.getMessage());
            assertTrue(full.getMessage().contains("cannot create the cell file"), full.getMessage());
            StorageBackedTreeTest.assertContents(t, model, "after the failed resize");
            long firstAbsent = model.size() * 7919L % 1_000_003;
            assertEquals(-1, t.get(firstAbsent, -1), "the failed write left nothing behind");
            assertTimeoutPreemptively(Duration.ofSeconds(60), t::close);
            try (CobTree again = CobTree.builder().storage(new MappedCellStoreFactory(mount)).build()) {
                StorageBackedTreeTest.assertContents(again, model, "reopened");
            }
        } finally {
            run("umount", "-l", mount.toString());
        }
    }
}
