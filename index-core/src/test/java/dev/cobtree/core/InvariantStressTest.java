package dev.cobtree.core;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariants of docs/CONCURRENCY.md under real concurrency: sentinel keys (multiples of 3)
 * are inserted before any reader starts and never removed; writers insert and delete other keys
 * around them (forcing rebalances, grows and shrinks) and overwrite values; readers look the
 * sentinels up, navigate to them and scan ranges. Any miss, torn pair (a value that was never
 * associated with its key), duplicate or out-of-order key fails the test. When the writers stop,
 * the index must hold exactly what they left (no lost update) and size() must be exact.
 *
 * <p>CI runs each configuration for {@code cobtree.stress.millis} (default 3 s); the long run is
 * {@code bin/stress}, which sets {@code cobtree.stress.ops} (e.g. 10^8) and runs until that many
 * operations are done. The operation count is printed.
 */
class InvariantStressTest {

    private static final int SENTINELS = 4_000;
    private static final long SPAN = SENTINELS * 3L;

    static long sentinelValue(long k) {
        return k * 7 + 1;
    }

    /** Writers use only these two values for a key: a reader seeing anything else saw a torn pair. */
    static long otherValue(long k, boolean alt) {
        return alt ? k * 31 + 5 : ~k;
    }

    static boolean plausible(long k, long v) {
        return k % 3 == 0 ? v == sentinelValue(k) : v == otherValue(k, true) || v == otherValue(k, false);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "segmentSize={0} writers={1} readers={2} store={3}")
    @CsvSource({"8, 2, 2, HEAP", "128, 2, 2, HEAP", "16, 1, 3, HEAP", "8, 2, 2, OFF_HEAP", "16, 2, 2, MAPPED"})
    void sentinelsAreNeverMissedAndScansStayConsistent(int segmentSize, int writers, int readers, StoreKinds store) throws Exception {
        long millis = Long.getLong("cobtree.stress.millis", 3000);
        long targetOps = Long.getLong("cobtree.stress.ops", 0);
        long seed = Long.getLong("cobtree.seed", System.nanoTime());
        System.out.printf("InvariantStressTest segmentSize=%d store=%s seed=%d (replay with -Dcobtree.seed=%d)%n", segmentSize, store, seed, seed);

        CobTree tree = CobTree.builder().segmentSize(segmentSize).storage(store.factory(dir)).build();
        try {
            run(tree, segmentSize, writers, readers, millis, targetOps, seed, store);
        } finally {
            tree.close();
        }
    }

    private void run(CobTree tree, int segmentSize, int writers, int readers, long millis, long targetOps, long seed, StoreKinds store)
            throws Exception {
        for (long k = 0; k < SPAN; k += 3) {
            tree.put(k, sentinelValue(k), -1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder ops = new LongAdder(); // live: the long run stops when it reaches its target
        CountDownLatch started = new CountDownLatch(writers + readers);
        List<TreeSet<Long>> owned = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < writers; w++) {
            TreeSet<Long> mine = new TreeSet<>();
            owned.add(mine);
            int id = w;
            SplittableRandom rnd = new SplittableRandom(seed + 1000 + w);
            threads.add(new Thread(() -> {
                started.countDown();
                long n = 0;
                try {
                    while (!stop.get()) {
                        // keys owned by this writer: k % 3 != 0 and (k / 3) % writers == id, wider than
                        // the sentinel span so the array grows and shrinks
                        long k = (rnd.nextLong(SPAN * 4) / 3) * 3 - SPAN;
                        k = k + 1 + (rnd.nextBoolean() ? 1 : 0);
                        if (Math.floorMod(Math.floorDiv(k, 3), writers) != id) {
                            continue;
                        }
                        int op = rnd.nextInt(10);
                        if (op < 5 || mine.size() < 100) {
                            tree.put(k, otherValue(k, rnd.nextBoolean()), -1);
                            mine.add(k);
                        } else if (op < 9) {
                            tree.remove(k, -1);
                            mine.remove(k);
                        } else {
                            // a burst of deletes so that the array shrinks as well as grows
                            for (int i = 0; i < 200 && !mine.isEmpty(); i++) {
                                long victim = mine.pollFirst();
                                tree.remove(victim, -1);
                            }
                        }
                        n++;
                        if ((n & 1023) == 0) {
                            ops.add(1024);
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    ops.add(n & 1023);
                }
            }, "writer-" + w));
        }
        for (int r = 0; r < readers; r++) {
            SplittableRandom rnd = new SplittableRandom(seed + r);
            threads.add(new Thread(() -> {
                started.countDown();
                KeyValue kv = new KeyValue();
                long n = 0;
                long counted = 0;
                try {
                    while (!stop.get() && failure.get() == null) {
                        long s = rnd.nextLong(SENTINELS) * 3;
                        switch (rnd.nextInt(7)) {
                            case 0, 1 -> {
                                long v = tree.get(s, Long.MIN_VALUE);
                                check(v == sentinelValue(s), "get missed or tore sentinel " + s + ": " + v);
                            }
                            case 2 -> {
                                check(tree.ceiling(s, kv) && kv.key == s && kv.value == sentinelValue(s), "ceiling(" + s + ") = " + kv);
                                check(tree.floor(s, kv) && kv.key == s && kv.value == sentinelValue(s), "floor(" + s + ") = " + kv);
                            }
                            case 3 -> {
                                s = Math.min(s, SPAN - 6);
                                check(tree.higher(s, kv) && kv.key > s && kv.key <= s + 3 && plausible(kv.key, kv.value), "higher(" + s + ") = " + kv);
                                check(s == 0 || tree.lower(s, kv) && kv.key < s && kv.key >= s - 3 && plausible(kv.key, kv.value), "lower(" + s + ") = " + kv);
                            }
                            case 4 -> n += scanAscending(tree, s, Math.min(SPAN - 3, s + 3 * rnd.nextInt(1, 400)));
                            case 5 -> n += skipBothWays(tree, s, rnd.nextInt(1, 300));
                            default -> n += scanDescending(tree, Math.min(SPAN - 3, s + 3 * rnd.nextInt(1, 400)), s);
                        }
                        n++;
                        if (n - counted >= 1024) {
                            ops.add(n - counted);
                            counted = n;
                        }
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    ops.add(n - counted);
                }
            }, "reader-" + r));
        }
        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        started.await();
        // run while every thread is live: readers and writers overlap for the whole period
        while (failure.get() == null) {
            Thread.sleep(50);
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            if (targetOps > 0 ? ops.sum() >= targetOps && elapsed >= millis : elapsed >= millis) {
                break;
            }
            if (targetOps > 0 && elapsed % 10_000 < 50) {
                System.out.printf("  ... %,d ms, %,d operations%n", elapsed, ops.sum());
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("invariant broken (seed " + seed + ")", failure.get());
        }
        // quiescent: exactly the sentinels plus what the writers left, size exact
        TreeSet<Long> expected = new TreeSet<>();
        for (long k = 0; k < SPAN; k += 3) {
            expected.add(k);
        }
        owned.forEach(expected::addAll);
        assertEquals(expected.size(), tree.size(), "size() after the writers stopped (seed " + seed + ")");
        CobTree.Cursor c = tree.cursor();
        for (long k : expected) {
            assertTrue(c.next(), "scan ended early before " + k);
            assertEquals(k, c.key(), "scan after the writers stopped (seed " + seed + ")");
            assertTrue(plausible(c.key(), c.value()), "value of " + k);
        }
        assertTrue(!c.next(), "scan has extra keys");
        System.out.printf("InvariantStressTest segmentSize=%d store=%s: %,d operations in %,d ms, final size %,d, capacity %,d%n",
                segmentSize, store, ops.sum(), (System.nanoTime() - t0) / 1_000_000, tree.size(), tree.capacity());
    }

    /** Every sentinel in [from, to] appears, keys strictly increase, values are plausible. */
    private static long scanAscending(CobTree tree, long from, long to) {
        CobTree.Cursor c = tree.cursor(from, true);
        long expect = from;
        long previous = Long.MIN_VALUE;
        long n = 0;
        while (expect <= to && c.next()) {
            long k = c.key();
            check(n == 0 || k > previous, "ascending scan not increasing: " + previous + " then " + k);
            check(plausible(k, c.value()), "torn pair in scan: " + k + "=" + c.value());
            check(k <= expect, "ascending scan skipped sentinel " + expect + " (saw " + k + ")");
            if (k == expect) {
                expect += 3;
            }
            previous = k;
            n++;
        }
        check(expect > to, "ascending scan ended before sentinel " + expect);
        return n;
    }

    /**
     * Strided access: a cursor at sentinel s that skips k entries (s counted) lands on a key in
     * [s, s + 3(k-1)] (k sentinels lie there), with a plausible value, and goes on strictly beyond
     * it to a key at most 3 further. The same downwards.
     */
    private static long skipBothWays(CobTree tree, long s, int k) {
        long up = Math.min(s, SPAN - 3 - 3L * (k + 1));
        if (up >= 0) {
            CobTree.Cursor c = tree.cursor(up, true);
            check(c.skip(k) == k, "skip(" + k + ") from " + up + " fell short");
            long landed = c.key();
            check(landed >= up && landed <= up + 3L * (k - 1) && plausible(landed, c.value()),
                    "skip(" + k + ") from " + up + " landed on " + landed + "=" + c.value());
            check(c.next() && c.key() > landed && c.key() <= landed + 3, "after skip from " + up + ": " + landed + " then " + c.key());
        }
        long down = Math.max(s, 3L * (k + 1));
        if (down <= SPAN - 3) {
            CobTree.Cursor c = tree.descendingCursor(down, true);
            check(c.skip(k) == k, "descending skip(" + k + ") from " + down + " fell short");
            long landed = c.key();
            check(landed <= down && landed >= down - 3L * (k - 1) && plausible(landed, c.value()),
                    "descending skip(" + k + ") from " + down + " landed on " + landed + "=" + c.value());
            check(c.next() && c.key() < landed && c.key() >= landed - 3, "after descending skip from " + down + ": " + landed + " then " + c.key());
        }
        return 2;
    }

    private static long scanDescending(CobTree tree, long from, long to) {
        CobTree.Cursor c = tree.descendingCursor(from, true);
        long expect = from;
        long previous = Long.MAX_VALUE;
        long n = 0;
        while (expect >= to && c.next()) {
            long k = c.key();
            check(n == 0 || k < previous, "descending scan not decreasing: " + previous + " then " + k);
            check(plausible(k, c.value()), "torn pair in scan: " + k + "=" + c.value());
            check(k >= expect, "descending scan skipped sentinel " + expect + " (saw " + k + ")");
            if (k == expect) {
                expect -= 3;
            }
            previous = k;
            n++;
        }
        check(expect < to, "descending scan ended before sentinel " + expect);
        return n;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }
}
