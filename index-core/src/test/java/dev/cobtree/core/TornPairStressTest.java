package dev.cobtree.core;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * No reader ever sees a torn (key, value) pair (issue 8; stands in for jcstress, which does not
 * resolve here). Every value written encodes its key and a generation:
 * {@code value = generation << 32 | mix(key)}. One writer keeps rewriting the values of the
 * <b>tracked</b> keys (multiples of 3, never removed), by {@code put} and by
 * {@code replace(k, expected, update)}, raising each key's generation; another inserts and removes
 * the other keys in bursts, so that with segment size 8 and no initial capacity segments shift,
 * windows rebalance and the array grows and shrinks under the readers. Readers use get,
 * ceiling/floor/higher/lower, ascending and descending cursors, {@code forEachInRange} and the map
 * views, and check every pair they see:
 * <ul>
 *   <li>the value belongs to the key ({@code (int) value == mix(key)}) and its generation was
 *   already being written ({@code <=} the writer's published generation for a tracked key);</li>
 *   <li>per reader and tracked key, generations never go backwards (each answer is the value at an
 *   instant inside its call, and calls of one reader follow each other);</li>
 *   <li>a tracked key is always found (by lookups, by navigation to it, by every scan over it),
 *   and scans are strictly monotone.</li>
 * </ul>
 * This property holds on the engine before issue 8's fix too (cells are read under their seqlock,
 * segments under theirs); the test guards it while the read protocol is rewritten. CI runs each
 * store for {@code cobtree.stress.millis}; {@code -Dcobtree.seed=N} replays the random choices.
 */
class TornPairStressTest {

    static final int TRACKED = 2_000;
    static final long SPAN = TRACKED * 3L;

    static int mix(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32);
    }

    static long valueOf(long key, long generation) {
        return generation << 32 | (mix(key) & 0xFFFF_FFFFL);
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "store={0}")
    @CsvSource({"HEAP", "OFF_HEAP"})
    void readersNeverSeeAValueThatIsNotTheirKeys(StoreKinds store) throws Exception {
        long millis = Long.getLong("cobtree.stress.millis", 3000);
        long seed = StoreKinds.seed("TornPairStressTest " + store);
        CobTree tree = CobTree.builder().segmentSize(8).storage(store.factory(dir)).build();
        try {
            run(tree, millis, seed, store);
        } finally {
            tree.close();
        }
    }

    private void run(CobTree tree, long millis, long seed, StoreKinds store) throws Exception {
        AtomicLongArray published = new AtomicLongArray(TRACKED); // generation being written, per tracked key
        for (int i = 0; i < TRACKED; i++) {
            tree.put(i * 3L, valueOf(i * 3L, 0), -1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        LongAdder reads = new LongAdder();
        LongAdder writes = new LongAdder();
        List<Thread> threads = new ArrayList<>();
        int readers = 2;
        CountDownLatch started = new CountDownLatch(2 + readers);

        threads.add(new Thread(() -> { // rewrites the tracked keys' values, generation by generation
            SplittableRandom rnd = new SplittableRandom(seed);
            started.countDown();
            long n = 0;
            try {
                while (!stop.get()) {
                    int i = rnd.nextInt(TRACKED);
                    long k = i * 3L;
                    long g = published.get(i);
                    published.set(i, g + 1); // before the write: a reader may see g + 1 from now on
                    boolean ok = rnd.nextBoolean()
                            ? tree.put(k, valueOf(k, g + 1), Long.MIN_VALUE) == valueOf(k, g)
                            : tree.replace(k, valueOf(k, g), valueOf(k, g + 1));
                    if (!ok) {
                        throw new AssertionError("tracked key " + k + " did not hold generation " + g + " when rewritten");
                    }
                    n++;
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                writes.add(n);
            }
        }, "updater"));

        threads.add(new Thread(() -> { // churns the other keys: shifts, rebalances, grows and shrinks
            SplittableRandom rnd = new SplittableRandom(seed + 1);
            started.countDown();
            List<Long> mine = new ArrayList<>();
            long n = 0;
            try {
                while (!stop.get()) {
                    if (rnd.nextInt(8) == 0) {
                        while (!mine.isEmpty()) { // a burst of removes: the array shrinks
                            long k = mine.removeLast();
                            tree.remove(k, -1);
                            n++;
                        }
                        continue;
                    }
                    for (int j = 0; j < 400 && !stop.get(); j++) { // a burst of inserts: rebalances and grows
                        long k = rnd.nextLong(-SPAN, 2 * SPAN);
                        if (Math.floorMod(k, 3) == 0) {
                            k++;
                        }
                        if (tree.put(k, valueOf(k, rnd.nextInt(1 << 20)), Long.MIN_VALUE) == Long.MIN_VALUE) {
                            mine.add(k);
                        }
                        n++;
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                writes.add(n);
            }
        }, "churn"));

        for (int r = 0; r < readers; r++) {
            SplittableRandom rnd = new SplittableRandom(seed + 2 + r);
            threads.add(new Thread(() -> {
                started.countDown();
                Reader reader = new Reader(tree, published);
                long n = 0;
                try {
                    while (!stop.get() && failure.get() == null) {
                        reader.step(rnd);
                        n++;
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    reads.add(n);
                }
            }, "reader-" + r));
        }

        long t0 = System.nanoTime();
        threads.forEach(Thread::start);
        started.await();
        while (failure.get() == null && System.nanoTime() - t0 < millis * 1_000_000) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("TornPairStressTest store=%s: %,d reads, %,d writes in %,d ms, final size %,d, capacity %,d%n",
                store, reads.sum(), writes.sum(), (System.nanoTime() - t0) / 1_000_000, tree.size(), tree.capacity());
        if (failure.get() != null) {
            throw new AssertionError("torn or stale pair (store " + store + ", seed " + seed + ")", failure.get());
        }
    }

    /** One reader's checks; remembers the last generation it saw of every tracked key. */
    static final class Reader {
        final CobTree tree;
        final CobTreeMap map;
        final AtomicLongArray published;
        final long[] lastSeen = new long[TRACKED];
        final KeyValue kv = new KeyValue();

        Reader(CobTree tree, AtomicLongArray published) {
            this.tree = tree;
            this.map = new CobTreeMap(tree);
            this.published = published;
        }

        /** Checks one pair seen by operation {@code how}. */
        void see(long key, long value, String how) {
            if ((int) value != mix(key)) {
                throw new AssertionError(how + " returned " + key + "=" + value + ": that value was never written to " + key
                        + " (it carries " + Integer.toHexString((int) value) + ", the key's tag is " + Integer.toHexString(mix(key)) + ")");
            }
            if (Math.floorMod(key, 3) == 0 && key >= 0 && key < SPAN) {
                int i = (int) (key / 3);
                long g = value >>> 32;
                if (g < lastSeen[i]) {
                    throw new AssertionError(how + " returned " + key + " at generation " + g + " after this reader had seen generation "
                            + lastSeen[i]);
                }
                long limit = published.get(i); // read after the call: the writer publishes before it writes
                if (g > limit) {
                    throw new AssertionError(how + " returned " + key + " at generation " + g + ", which was never written (at most " + limit + ")");
                }
                lastSeen[i] = g;
            }
        }

        void step(SplittableRandom rnd) {
            long k = rnd.nextLong(TRACKED) * 3;
            switch (rnd.nextInt(10)) {
                case 0 -> {
                    check(tree.get(k, kv), "get(" + k + ", out) missed a tracked key");
                    see(kv.key, kv.value, "get(" + k + ", out)");
                }
                case 9 -> { // the positive-hit path (a cell read under its own seqlock)
                    long v = tree.get(k, Long.MIN_VALUE);
                    check(v != Long.MIN_VALUE, "get(" + k + ") missed a tracked key");
                    see(k, v, "get(" + k + ")");
                }
                case 1 -> {
                    check(tree.ceiling(k - 1, kv) && kv.key >= k - 1 && kv.key <= k, "ceiling(" + (k - 1) + ") = " + kv);
                    see(kv.key, kv.value, "ceiling(" + (k - 1) + ")");
                }
                case 2 -> {
                    check(tree.floor(k + 1, kv) && kv.key >= k && kv.key <= k + 1, "floor(" + (k + 1) + ") = " + kv);
                    see(kv.key, kv.value, "floor(" + (k + 1) + ")");
                }
                case 3 -> {
                    if (k + 3 < SPAN) {
                        check(tree.higher(k, kv) && kv.key > k && kv.key <= k + 3, "higher(" + k + ") = " + kv);
                        see(kv.key, kv.value, "higher(" + k + ")");
                    }
                    if (k > 0) {
                        check(tree.lower(k, kv) && kv.key < k && kv.key >= k - 3, "lower(" + k + ") = " + kv);
                        see(kv.key, kv.value, "lower(" + k + ")");
                    }
                }
                case 4 -> scan(tree.cursor(k, true), k, Math.min(SPAN - 3, k + 3L * rnd.nextInt(1, 60)), false);
                case 5 -> scan(tree.descendingCursor(k, true), k, Math.max(0, k - 3L * rnd.nextInt(1, 60)), true);
                case 6 -> {
                    long to = Math.min(SPAN - 3, k + 3L * rnd.nextInt(1, 60));
                    long[] expect = {k};
                    tree.forEachInRange(k, true, to, true, (key, value) -> {
                        see(key, value, "forEachInRange(" + k + ", " + to + ")");
                        check(key <= expect[0], "forEachInRange skipped tracked key " + expect[0] + " (saw " + key + ")");
                        if (key == expect[0]) {
                            expect[0] += 3;
                        }
                    });
                    check(expect[0] > to, "forEachInRange ended before tracked key " + expect[0]);
                }
                case 7 -> {
                    Long v = map.get(k);
                    check(v != null, "map.get(" + k + ") missed a tracked key");
                    see(k, v, "map.get(" + k + ")");
                    Map.Entry<Long, Long> e = map.ceilingEntry(k - 2);
                    check(e != null && e.getKey() <= k, "map.ceilingEntry(" + (k - 2) + ") = " + e);
                    see(e.getKey(), e.getValue(), "map.ceilingEntry(" + (k - 2) + ")");
                }
                default -> {
                    long to = Math.min(SPAN, k + 3L * rnd.nextInt(1, 30));
                    long expect = to - 3;
                    for (Map.Entry<Long, Long> e : map.subMap(k, true, to, false).descendingMap().entrySet()) {
                        see(e.getKey(), e.getValue(), "subMap(" + k + ", " + to + ").descendingMap() iteration");
                        check(e.getKey() >= expect, "descending view skipped tracked key " + expect + " (saw " + e.getKey() + ")");
                        if (e.getKey() == expect) {
                            expect -= 3;
                        }
                    }
                    check(expect < k, "descending view ended before tracked key " + expect);
                }
            }
        }

        /** A cursor from tracked key {@code from} to {@code to}: every tracked key in between, strictly monotone. */
        void scan(CobTree.Cursor c, long from, long to, boolean descending) {
            long expect = from;
            long previous = 0;
            boolean first = true;
            String how = (descending ? "descendingCursor(" : "cursor(") + from + ")";
            while (descending ? expect >= to : expect <= to) {
                check(c.next(), how + " ended before tracked key " + expect);
                long key = c.key();
                check(first || (descending ? key < previous : key > previous), how + " not monotone: " + previous + " then " + key);
                see(key, c.value(), how);
                check(descending ? key >= expect : key <= expect, how + " skipped tracked key " + expect + " (saw " + key + ")");
                if (key == expect) {
                    expect += descending ? -3 : 3;
                }
                previous = key;
                first = false;
            }
        }

        static void check(boolean ok, String message) {
            if (!ok) {
                throw new AssertionError(message);
            }
        }
    }
}
