package dev.cobtree.storage;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Throughput of reloading a checkpoint of 10^7 entries (160 MB) and of the mapped store's body
 * checksum. A throughput figure, not a latency benchmark: it runs only with
 * {@code -Dcobtree.perf=true}, reads the file (warm in the page cache) nine times, each after a
 * {@code System.gc()} outside the timed section, and reports the median and best rate (bytes of
 * file per second of {@code CheckpointFile.read}, which includes allocating the two arrays).
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "cobtree.perf", matches = "true")
class CheckpointReloadBenchmark {

    @TempDir
    Path dir;

    @Test
    void reloadRateOfTenMillionEntries() throws Exception {
        int n = (int) TestSettings.longProperty("cobtree.perf.entries", 10_000_000);
        long[][] e = CheckpointFileTest.sortedEntries(n, 1);
        Path f = dir.resolve("ckpt");
        long t0 = System.nanoTime();
        CheckpointFile.write(f, e[0], e[1], 0, n);
        double writeS = (System.nanoTime() - t0) / 1e9;
        long bytes = Files.size(f);
        double[] rates = new double[9];
        for (int r = 0; r < rates.length; r++) {
            System.gc(); // the previous image's garbage is not this reload's cost
            long s = System.nanoTime();
            CheckpointFile.Image img = CheckpointFile.read(f);
            rates[r] = bytes / 1e6 / ((System.nanoTime() - s) / 1e9);
            assertEquals(n, img.size());
            assertEquals(e[0][n - 1], img.keys()[n - 1]);
        }
        Arrays.sort(rates);
        System.out.printf("[perf] checkpoint of %,d entries (%,d bytes): write+force %.2f s (%.0f MB/s); read+validate median %.0f MB/s, best %.0f MB/s%n",
                n, bytes, writeS, bytes / 1e6 / writeS, rates[rates.length / 2], rates[rates.length - 1]);

        // the mapped store's clean close (force + CRC32C) and checked reopen, same entry count as cells
        try (MappedCellStoreFactory mf = new MappedCellStoreFactory(dir.resolve("mapped"))) {
            CellStore s = mf.create(n / 64, 64);
            for (long c = 0; c < s.capacity(); c++) {
                s.setPlain(c, c | 1, c, ~c);
            }
            long c0 = System.nanoTime();
            mf.close(s, 0);
            double closeS = (System.nanoTime() - c0) / 1e9;
            long mb = s.memoryBytes();
            try (MappedCellStoreFactory g = new MappedCellStoreFactory(dir.resolve("mapped"))) {
                long o0 = System.nanoTime();
                CellStore r = g.recover();
                double openS = (System.nanoTime() - o0) / 1e9;
                System.out.printf("[perf] mapped store of %,d cells (%,d bytes): clean close %.3f s, checked open %.3f s (%.0f MB/s)%n",
                        r.capacity(), mb, closeS, openS, mb / 1e6 / openS);
                g.close(r, 0);
            }
        }
    }
}
