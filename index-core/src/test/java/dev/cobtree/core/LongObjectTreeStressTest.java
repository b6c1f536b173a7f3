package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Invariant stress of the reference column: every value records its own key and a per-key
 * sequence number. Writers own disjoint keys (key mod writers), put ever-newer values, remove and
 * re-insert (so segments shift, rebalance with Moves and the array resizes, on 8-cell segments),
 * and after each completed put publish its sequence number. Readers fail on
 * <ul>
 *   <li>a value that holds another key (a torn key/reference pair, or a reference moved without its key);</li>
 *   <li>a value older than the last put of that key that completed before the read began
 *   (a stale reference after its update completed);</li>
 *   <li>a scan whose keys do not ascend strictly, or a scanned value holding another key.</li>
 * </ul>
 * Runs for {@code -Dcobtree.stress.millis} (default 2000) ms.
 */
class LongObjectTreeStressTest {

    static final long MILLIS = Long.getLong("cobtree.stress.millis", 2_000);
    static final int KEYS = 512;
    static final int WRITERS = 2;

    record Value(long key, long seq) {
    }

    @Test
    void readersNeverSeeForeignOrStaleValues() throws Exception {
        LongObjectTree<Value> tree = LongObjectTree.builder().segmentSize(8).build();
        AtomicLongArray completed = new AtomicLongArray(KEYS); // seq of the last completed put of each key; 0 = removed
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long end = System.nanoTime() + MILLIS * 1_000_000;
        Thread[] threads = new Thread[WRITERS + 2];
        for (int w = 0; w < WRITERS; w++) {
            int me = w;
            threads[w] = new Thread(() -> {
                long seq = 0;
                ThreadLocalRandom r = ThreadLocalRandom.current();
                while (System.nanoTime() < end && failure.get() == null) {
                    int k = r.nextInt(KEYS / WRITERS) * WRITERS + me;
                    if (r.nextInt(4) == 0) {
                        completed.set(k, 0); // before: a reader that starts after this may miss the key
                        tree.remove(k);
                    } else {
                        long s = ++seq;
                        tree.put(k, new Value(k, s));
                        completed.set(k, s);
                    }
                }
            });
        }
        threads[WRITERS] = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (System.nanoTime() < end && failure.get() == null) {
                int k = r.nextInt(KEYS);
                long floor = completed.get(k);
                Value v = tree.get(k);
                if (v != null && v.key != k) {
                    failure.compareAndSet(null, new AssertionError("get(" + k + ") returned the value of key " + v.key));
                } else if (v != null && floor > 0 && v.seq < floor) {
                    failure.compareAndSet(null, new AssertionError("get(" + k + ") returned seq " + v.seq + " after seq " + floor + " completed"));
                }
                LongObjectEntry<Value> e = tree.ceilingEntry(k);
                if (e != null && e.value().key != e.key()) {
                    failure.compareAndSet(null, new AssertionError("ceilingEntry(" + k + ") paired key " + e.key() + " with the value of " + e.value().key));
                }
            }
        });
        threads[WRITERS + 1] = new Thread(() -> {
            while (System.nanoTime() < end && failure.get() == null) {
                boolean down = ThreadLocalRandom.current().nextBoolean();
                LongObjectTree.Cursor<Value> c = down ? tree.descendingCursor() : tree.cursor();
                boolean first = true;
                long previous = 0;
                while (c.next()) {
                    Value v = c.value();
                    if (v.key != c.key()) {
                        failure.compareAndSet(null, new AssertionError("scan paired key " + c.key() + " with the value of " + v.key));
                    }
                    if (!first && (down ? c.key() >= previous : c.key() <= previous)) {
                        failure.compareAndSet(null, new AssertionError("scan not strictly monotone: " + previous + " then " + c.key()));
                    }
                    first = false;
                    previous = c.key();
                }
                tree.forEachInRange(0, true, KEYS, false, (k, v) -> {
                    if (v.key != k) {
                        failure.compareAndSet(null, new AssertionError("forEachInRange paired key " + k + " with the value of " + v.key));
                    }
                });
            }
        });
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), () -> String.valueOf(failure.get()));
    }
}
