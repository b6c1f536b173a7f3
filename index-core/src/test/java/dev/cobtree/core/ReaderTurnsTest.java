package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * The mechanism end to end, with a writer whose gaps are too short to read in: it locks the
     * segment, holds it about a microsecond (less than a reader spins before it gives up), unlocks
     * with a new version and locks again at once. Without turns nearly every read fails against the
     * next write until it gives up and locks; with turns the writer's next lock waits and the
     * reader validates, so (nearly) no read falls back to locks.
     */
    @Test
    void aReaderGetsInBetweenTwoWritesOfAWriterWithoutGaps() throws Exception {
        CobTree tree = BusySegment.tree();
        Storage st = tree.engine().storage();
        long key = BusySegment.BASE + 10;
        int s = st.index.find(key);
        TreeCounters counters = tree.engine().counters;
        long lockedBefore = counters.lockedReads.sum();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            while (!stop.get()) {
                if (st.headers.lock(s)) {
                    long until = System.nanoTime() + 1_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                    st.headers.unlock(s); // a new version, as a write leaves (the contents do not change)
                }
            }
        });
        writer.start();
        KeyValue kv = new KeyValue();
        long reads = 0;
        long start = System.nanoTime();
        long deadline = start + 3_000_000_000L;
        try {
            while (reads < 20_000 && System.nanoTime() < deadline) {
                assertTrue(tree.ceiling(key, kv) && kv.key == key, "ceiling of " + key + " gave " + kv.key);
                reads++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        long elapsed = System.nanoTime() - start;
        long locked = counters.lockedReads.sum() - lockedBefore;
        System.out.printf("ReaderTurnsTest: %d ceilings under a writer without gaps in %d ms, %d under locks%n", reads, elapsed / 1_000_000, locked);
        // with turns each ceiling waits for at most one 1-us write (20,000 take tens of ms); without,
        // each waits until it wins a race for the lock (a few thousand in 1.5 s on 2 cores)
        assertEquals(20_000, reads, "the reader made little progress: " + reads + " ceilings in 3 s");
        assertTrue(locked * 10 <= reads, locked + " of " + reads + " ceilings fell back to locks: a turn should let nearly all validate");
        tree.close();
    }

    @Test
    void readersUnderAWriterThatNeverPausesRarelyFallBackToLocks() throws Exception {
        CobTree tree = BusySegment.tree();
        TreeCounters counters = tree.engine().counters;
        long lockedBefore = counters.lockedReads.sum();
        BusySegment.Result r = BusySegment.run(tree, 1500, (t, k, kv) -> {
            assertTrue(t.ceiling(k, kv) && (kv.key == k || kv.key == k + 1), "ceiling of " + k + " gave " + kv.key);
            assertTrue(t.floor(k, kv) && (kv.key == k || kv.key == k - 1), "floor of " + k + " gave " + kv.key);
            return 2;
        });
        long locked = counters.lockedReads.sum() - lockedBefore;
        System.out.printf("ReaderTurnsTest: %d navigations (%d under locks) against %d write pairs%n", r.reads(), locked, r.writePairs());
        assertTrue(r.reads() > 1000, "the reader made little progress: " + r.reads() + " navigations");
        assertTrue(r.writePairs() > 1000, "the writer made little progress: " + r.writePairs() + " write pairs");
        assertTrue(locked * 10 <= r.reads(), locked + " of " + r.reads() + " navigations fell back to locks: turns should let nearly all validate");
        for (long k = BusySegment.BASE; k < BusySegment.BASE + 64; k++) {
            assertEquals(k, tree.get(k, -1));
        }
        tree.close();
    }
}
