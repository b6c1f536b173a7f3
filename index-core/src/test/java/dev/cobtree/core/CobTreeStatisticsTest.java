package dev.cobtree.core;

import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CobTreeStatisticsTest {

    @Test
    void aFreshTreeCountsNothing() {
        try (CobTree t = new CobTree()) {
            CobTreeStatistics s = t.statistics();
            assertEquals(new CobTreeStatistics(0, t.capacity(), t.memoryBytes(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), s);
        }
    }

    @Test
    void randomInsertsResizeAndRebalanceAndTheGaugesMatchTheTree() {
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            Random rnd = new Random(15);
            for (int i = 0; i < 20_000; i++) t.put(rnd.nextLong(), i, -1);
            CobTreeStatistics s = t.statistics();
            assertEquals(t.size(), s.size());
            assertEquals(t.capacity(), s.capacity());
            assertEquals(t.memoryBytes(), s.memoryBytes());
            assertTrue(s.resizes() > 0, s.toString());
            assertTrue(s.rebalances() > 0, s.toString());
            assertTrue(s.rebalanceCellsMoved() > 0, s.toString());
            assertEquals(0, s.writerRetries(), "one thread never retries: " + s);
            assertEquals(0, s.readerRetries(), "one thread never retries: " + s);
            assertEquals(0, s.reclamationBacklogStores(), "heap store: " + s);
        }
    }

    @Test
    void anAscendingStreamMovesFewerCellsThanRandomInserts() {
        long ascending, random;
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            for (int i = 0; i < 10_000; i++) t.put(i, i, -1);
            ascending = t.statistics().rebalanceCellsMoved();
        }
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            Random rnd = new Random(15);
            while (t.size() < 10_000) t.put(rnd.nextLong(), 0, -1);
            random = t.statistics().rebalanceCellsMoved();
        }
        // an append stream is packed: its rebalances hand the next keys an empty segment
        assertTrue(ascending * 2 < random, "cells moved: ascending " + ascending + ", random " + random);
    }

    @Test
    void anOffHeapTreeReportsItsReclamationBacklog() {
        OffHeapCellStoreFactory f = new OffHeapCellStoreFactory(Long.MAX_VALUE, Integer.MAX_VALUE, false);
        try (CobTree t = CobTree.builder().segmentSize(8).storage(f).build()) {
            long ticket = f.pin(); // a reader that never leaves: nothing retired can be freed
            try {
                for (int i = 0; i < 5_000; i++) t.put(i * 7L, i, -1);
                CobTreeStatistics s = t.statistics();
                assertTrue(s.resizes() > 0, s.toString());
                assertEquals(s.resizes(), s.reclamationBacklogStores(), s.toString());
                assertTrue(s.reclamationBacklogBytes() > 0, s.toString());
            } finally {
                f.unpin(ticket);
            }
            f.reclaimer().reclaimNow();
            assertEquals(0, t.statistics().reclamationBacklogStores());
        }
    }

    @Test
    void concurrentWritersAndReadersRetryAndItIsCounted() throws InterruptedException {
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                Random rnd = new Random(1);
                while (!stop.get()) {
                    long k = rnd.nextInt(64);
                    if (t.put(k, k, -1) != -1) t.remove(k, -1);
                }
            });
            writer.start();
            long deadline = System.nanoTime() + 20_000_000_000L;
            KeyValue kv = new KeyValue();
            try {
                while (t.statistics().readerRetries() == 0 && System.nanoTime() < deadline) {
                    for (int i = 0; i < 10_000; i++) t.ceiling(i & 63, kv);
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            assertTrue(t.statistics().readerRetries() > 0, "no reader retry in 20 s: " + t.statistics());
        }
    }

    @Test
    void aClosedTreeRefuses() {
        CobTree t = new CobTree();
        t.close();
        assertThrows(IllegalStateException.class, t::statistics);
    }
}
