package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reader turns (issue 11, "readers do not queue behind writers"; docs/CONCURRENCY.md, "Readers
 * under a busy writer"): a reader that keeps meeting the writer of its segment asks for a turn,
 * and the writer's next lock waits for it, so the reader validates between two writes instead
 * of spinning until it gives up and locks.
 */
class ReaderTurnsTest {

    @Test
    void aTurnHoldsTheNextWriterBackUntilItEndsOrExpires() throws Exception {
        SegmentHeaders h = new SegmentHeaders(2);
        h.askTurn(1, 10_000_000_000L); // a long turn, so that the writer's wait is plain to see
        AtomicBoolean locked = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            assertTrue(h.lock(1));
            locked.set(true);
            h.unlock(1);
        });
        writer.start();
        Thread.sleep(200);
        assertFalse(locked.get(), "a writer took the lock inside a reader's turn");
        assertTrue(h.lock(0), "a turn in segment 1 holds back writers of segment 1 only");
        h.unlock(0);
        h.endTurn(1);
        writer.join(5_000);
        assertTrue(locked.get(), "the writer did not go on when the turn ended");

        h.askTurn(0, 100_000_000L); // 100 ms, never ended: the writer waits out the deadline, no longer
        long t0 = System.nanoTime();
        assertTrue(h.lock(0));
        long waited = System.nanoTime() - t0;
        h.unlock(0);
        assertTrue(waited >= 50_000_000L && waited < 5_000_000_000L, "a 100 ms turn never ended held a writer back for " + waited + " ns");
    }

    @Test
    void readersUnderAWriterThatNeverPausesRarelyFallBackToLocks() throws Exception {
        CobTree tree = CobTree.builder().segmentSize(128).build();
        long base = 1_000_000;
        for (long k = 0; k < 100_000; k++) {
            tree.put(k * 10, k, 0L);
        }
        for (long k = base; k < base + 64; k++) {
            tree.put(k, k, 0L);
        }
        TreeCounters counters = tree.engine().counters;
        long lockedBefore = counters.lockedReads.sum();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] writes = new long[1];
        Thread writer = new Thread(() -> {
            long i = 0;
            while (!stop.get()) {
                long k = base + (i++ & 63);
                tree.remove(k, 0L);
                tree.put(k, k, 0L);
            }
            writes[0] = i;
        });
        long[] reads = new long[1];
        Thread reader = new Thread(() -> {
            try {
                KeyValue kv = new KeyValue();
                SplittableRandom rnd = new SplittableRandom(7);
                while (!stop.get()) {
                    long k = base + rnd.nextInt(1, 63);
                    assertTrue(tree.ceiling(k, kv) && (kv.key == k || kv.key == k + 1), "ceiling of " + k + " gave " + kv.key);
                    assertTrue(tree.floor(k, kv) && (kv.key == k || kv.key == k - 1), "floor of " + k + " gave " + kv.key);
                    reads[0] += 2;
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        reader.start();
        Thread.sleep(1500);
        stop.set(true);
        writer.join();
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        long locked = counters.lockedReads.sum() - lockedBefore;
        System.out.printf("ReaderTurnsTest: %d navigations (%d under locks) against %d write pairs%n", reads[0], locked, writes[0]);
        assertTrue(reads[0] > 1000, "the reader made little progress: " + reads[0] + " navigations");
        assertTrue(writes[0] > 1000, "the writer made little progress: " + writes[0] + " write pairs");
        assertTrue(locked * 10 <= reads[0], locked + " of " + reads[0] + " navigations fell back to locks: turns should let nearly all validate");
        for (long k = base; k < base + 64; k++) {
            assertEquals(k, tree.get(k, -1));
        }
        tree.close();
    }
}
