package dev.cobtree.core;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots under writers that never wait for them. Appenders write per-stripe sequences (stripe
 * w writes keys {@code w + STRIPES * i} for i = 0, 1, 2, ..., value i), so every snapshot must hold
 * a prefix of each stripe: indices 0..p-1 and nothing else. A causal writer reads the newest key
 * of stripe 0 on the live tree, then writes a key whose value names it: any snapshot that holds
 * the effect must hold its cause. A churn writer inserts and removes blocks of negative keys, so
 * the array keeps growing and shrinking (8-cell segments, no initial capacity) under the open
 * snapshots. Snapshot threads take snapshots, check a full ascending scan (strictly increasing,
 * prefixes, causes), a descending scan of stripe 0's range, {@code size}, {@code countRange} and
 * {@code select} against that scan, sometimes keep a snapshot open across many resizes before
 * checking it, and close them. Over the heap, off-heap and mapped stores: a snapshot across
 * resizes on a store freed by hand must never fail.
 *
 * <p>CI runs each store for {@code cobtree.stress.millis} (default 2 s); {@code bin/stress} runs
 * it longer.
 */
class SnapshotStressTest {

    static final int STRIPES = 3;
    static final long CAUSAL_BASE = 1L << 40;

    @ParameterizedTest
    @EnumSource(StoreKinds.class)
    void everySnapshotHoldsAPrefixOfEveryStripeAndTheCausesOfItsEffects(StoreKinds kind, @TempDir Path dir) throws Exception {
        long millis = Long.getLong("cobtree.stress.millis", 2000);
        CobTree tree = CobTree.builder().segmentSize(8).storage(kind.factory(dir)).build();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        AtomicLong[] written = new AtomicLong[STRIPES];
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(STRIPES + 4);
        AtomicLong snapshots = new AtomicLong();
        for (int w = 0; w < STRIPES; w++) {
            int stripe = w;
            written[w] = new AtomicLong();
            threads.add(thread(errors, started, () -> {
                for (long i = 0; !stop.get(); i++) {
                    tree.put(stripe + STRIPES * i, i, -1);
                    written[stripe].set(i + 1);
                }
            }));
        }
        threads.add(thread(errors, started, () -> { // causal: effect key CAUSAL_BASE + j, value = the stripe-0 index it saw
            for (long j = 0; !stop.get(); j++) {
                long seen = written[0].get() - 1; // stripe 0's newest index, present (appends only)
                if (seen >= 0) {
                    assertEquals(seen, tree.get(seen * STRIPES, -1), "live read of stripe 0's newest key");
                    tree.put(CAUSAL_BASE + j, seen, -1);
                }
            }
        }));
        threads.add(thread(errors, started, () -> { // churn: grows and shrinks the array
            for (long round = 0; !stop.get(); round++) {
                for (long k = 1; k <= 600; k++) {
                    tree.put(-k, k, -1);
                }
                for (long k = 1; k <= 600; k++) {
                    tree.remove(-k, -1);
                }
            }
        }));
        for (int t = 0; t < 2; t++) {
            boolean keeper = t == 1;
            threads.add(thread(errors, started, () -> {
                while (!stop.get()) {
                    try (CobTreeSnapshot s = tree.snapshot()) {
                        if (keeper) {
                            Thread.sleep(20); // held open across resizes and many pre-images
                        }
                        check(s);
                        snapshots.incrementAndGet();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.start();
        }
        started.await();
        Thread.sleep(millis);
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
            assertTrue(!t.isAlive(), "a thread did not stop: " + t);
        }
        if (!errors.isEmpty()) {
            Throwable first = errors.peek();
            errors.forEach(first::addSuppressed);
            throw new AssertionError("snapshot stress failed on " + kind, first);
        }
        assertTrue(snapshots.get() > 0, "no snapshot was checked");
        CobTreeStatistics stats = tree.statistics();
        assertEquals(0, stats.openSnapshots());
        assertEquals(0, stats.snapshotPreImageBytes(), "no pre-image stays after every snapshot closed");
        assertEquals(0, stats.snapshotHeldStorages());
        System.out.println("[SnapshotStressTest " + kind + "] snapshots checked: " + snapshots.get() + ", resizes: "
                + stats.resizes() + ", pre-images kept: " + stats.snapshotPreImagesKept());
        tree.close();
    }

    private static void check(CobTreeSnapshot s) {
        long[] next = new long[STRIPES];
        List<long[]> effects = new ArrayList<>();
        long count = 0;
        long prev = Long.MIN_VALUE;
        boolean any = false;
        long negatives = 0;
        CobTreeSnapshot.Cursor c = s.cursor();
        while (c.next()) {
            long k = c.key();
            assertTrue(!any || k > prev, "keys strictly increasing: " + prev + " then " + k);
            any = true;
            prev = k;
            count++;
            if (k < 0) {
                negatives++;
            } else if (k >= CAUSAL_BASE) {
                effects.add(new long[] {k, c.value()});
            } else {
                int w = (int) (k % STRIPES);
                long i = k / STRIPES;
                assertEquals(next[w], i, "stripe " + w + " is not a prefix: index " + i + " after " + (next[w] - 1));
                assertEquals(i, c.value(), "value of key " + k);
                next[w]++;
            }
        }
        for (long[] e : effects) {
            long cause = e[1];
            assertTrue(cause < next[0], "effect " + e[0] + " saw stripe 0's index " + cause
                    + " live, but the snapshot holds stripe 0 only up to " + (next[0] - 1));
        }
        assertEquals(count, s.size(), "size agrees with the scan");
        assertEquals(negatives, s.countRange(Long.MIN_VALUE, true, -1, true), "countRange of the churn range");
        assertEquals(next[0] + next[1] + next[2], s.countRange(0, true, CAUSAL_BASE - 1, true), "countRange of the stripes");
        assertEquals(negatives, s.rank(0), "rank(0)");
        if (next[0] > 0) {
            KeyValue kv = new KeyValue();
            assertTrue(s.select(negatives, kv));
            assertEquals(0, kv.key, "select(first stripe position)");
            CobTreeSnapshot.Cursor d = s.descendingCursor(CAUSAL_BASE - 1, true);
            long seen = 0;
            long expect = next[0] - 1;
            while (d.next() && d.key() >= 0) {
                if (d.key() % STRIPES == 0) {
                    assertEquals(expect--, d.key() / STRIPES, "descending stripe 0");
                    seen++;
                }
            }
            assertEquals(next[0], seen, "descending scan of stripe 0");
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private static Thread thread(ConcurrentLinkedQueue<Throwable> errors, CountDownLatch started, Body body) {
        return new Thread(() -> {
            started.countDown();
            try {
                body.run();
            } catch (Throwable t) {
                errors.add(t);
            }
        });
    }
}
