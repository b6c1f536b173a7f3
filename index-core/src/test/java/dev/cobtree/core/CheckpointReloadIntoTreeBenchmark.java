package dev.cobtree.core;

import dev.cobtree.storage.CheckpointFile;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Restoring an index from a checkpoint of 10^7 entries: write it from a tree, read and validate
 * it, bulk-load a tree (heap and off-heap) from it. A throughput figure, run only with
 * {@code -Dcobtree.perf=true}; prints the median and best of several runs.
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "cobtree.perf", matches = "true")
class CheckpointReloadIntoTreeBenchmark {

    @TempDir
    Path dir;

    @Test
    void restoreTenMillionEntries() {
        int n = Integer.getInteger("cobtree.perf.entries", 10_000_000);
        long[] keys = new long[n], values = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = i * 3L - n;
            values[i] = ~i;
        }
        CobTree source = CobTree.builder().buildFromSorted(keys, values, 0, n);
        Path f = dir.resolve("ckpt");
        long w0 = System.nanoTime();
        CheckpointFile.write(f, source.size(), sink -> source.forEach(sink::accept));
        double writeS = (System.nanoTime() - w0) / 1e9;
        source.close();
        long bytes = f.toFile().length();
        double[] read = new double[5], heap = new double[5], offHeap = new double[5];
        for (int r = 0; r < read.length; r++) {
            System.gc(); // the previous round's garbage is not this reload's cost
            long t0 = System.nanoTime();
            CheckpointFile.Image img = CheckpointFile.read(f);
            long t1 = System.nanoTime();
            CobTree h = CobTree.builder().buildFromSorted(img.keys(), img.values(), 0, img.size());
            long t2 = System.nanoTime();
            CobTree o = CobTree.builder().storage(new OffHeapCellStoreFactory()).buildFromSorted(img.keys(), img.values(), 0, img.size());
            long t3 = System.nanoTime();
            assertEquals(n, h.size());
            assertEquals(n, o.size());
            h.close();
            o.close();
            read[r] = bytes / 1e6 / ((t1 - t0) / 1e9);
            heap[r] = bytes / 1e6 / ((t2 - t0) / 1e9);
            offHeap[r] = bytes / 1e6 / ((t3 - t2 + t1 - t0) / 1e9);
        }
        Arrays.sort(read);
        Arrays.sort(heap);
        Arrays.sort(offHeap);
        System.out.printf("[perf] checkpoint of %,d entries (%,d bytes) written from a tree in %.2f s; MB/s median/best: "
                        + "read+validate %.0f/%.0f, read+validate+bulk-load heap tree %.0f/%.0f, off-heap tree %.0f/%.0f%n",
                n, bytes, writeS, read[2], read[4], heap[2], heap[4], offHeap[2], offHeap[4]);
        try {
            Files.delete(f);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
