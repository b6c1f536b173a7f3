package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the query layer must keep under concurrent writers: scans strictly monotonic and inside
 * their range, every sentinel key (present throughout) reported by scans, batches and
 * bitmaps, no torn pairs (every value is the function of its key that all writers use).
 * Writers and readers start together and overlap for the whole run.
 */
class ConcurrentQueryTest {

    private static final int SPAN = 100_000;
    private static final int SENTINEL_EVERY = 1000;

    private static long valueOf(long key) {
        return key * 31 + 7;
    }

    private static boolean isSentinel(long key) {
        return key % SENTINEL_EVERY == 0;
    }

    @Test
    void scansStayMonotonicAndCompleteUnderConcurrentWriters() throws Exception {
        long seed = TestSeed.seed("ConcurrentQueryTest.scansStayMonotonicAndCompleteUnderConcurrentWriters");
        CobTree tree = new CobTree();
        SecondaryIndex idx = new SecondaryIndex();
        Random init = new Random(seed);
        for (long k = 0; k < SPAN; k += SENTINEL_EVERY) {
            tree.put(k, valueOf(k), 0);
            idx.insert(k / SENTINEL_EVERY, k);
        }
        for (int i = 0; i < SPAN / 4; i++) {
            long k = init.nextInt(SPAN);
            if (!isSentinel(k)) tree.put(k, valueOf(k), 0);
        }
        RangeScan scan = new RangeScan(tree);
        StridedScan strided = new StridedScan(tree);
        PointLookup lookup = new PointLookup(tree);
        Positions positions = new Positions(tree);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong writes = new AtomicLong(), queries = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);

        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int me = w;
            threads.add(new Thread(() -> {
                Random rnd = new Random(seed + 101 * me);
                await(start);
                while (!stop.get()) {
                    long k = rnd.nextInt(SPAN);
                    if (isSentinel(k)) continue;
                    if (rnd.nextBoolean()) tree.put(k, valueOf(k), 0); else tree.remove(k, 0);
                    long row = SPAN + rnd.nextInt(SPAN);
                    long key = rnd.nextInt(SPAN / SENTINEL_EVERY);
                    if (rnd.nextBoolean()) idx.insert(key, row); else idx.delete(key, row);
                    if ((writes.incrementAndGet() & 15) == 0) Thread.yield(); // leave the readers CPU on small machines
                }
            }, "writer-" + w));
        }
        List<Consumer<Random>> checks = List.of(
                rnd -> { // ascending range scan
                    Range r = randomRange(rnd);
                    long[] prev = {Long.MIN_VALUE};
                    boolean[] first = {true};
                    List<Long> sentinels = new ArrayList<>();
                    scan.forEach(r, (k, v) -> {
                        if (!r.contains(k)) fail(failures, "ascending scan of " + r + " gave " + k);
                        if (!first[0] && k <= prev[0]) fail(failures, "ascending scan of " + r + " gave " + k + " after " + prev[0]);
                        if (v != valueOf(k)) fail(failures, "torn pair " + k + "=" + v);
                        if (isSentinel(k)) sentinels.add(k);
                        first[0] = false;
                        prev[0] = k;
                    });
                    checkSentinels(failures, r, sentinels, "ascending scan");
                },
                rnd -> { // descending chunks
                    Range r = randomRange(rnd);
                    RangeReader reader = scan.reader(r, Order.DESCENDING);
                    long[] keys = new long[1 + rnd.nextInt(100)];
                    long[] values = new long[keys.length];
                    long prev = Long.MAX_VALUE;
                    boolean first = true;
                    List<Long> sentinels = new ArrayList<>();
                    for (int n; (n = reader.read(keys, values)) > 0; ) {
                        for (int i = 0; i < n; i++) {
                            if (!r.contains(keys[i])) fail(failures, "descending reader of " + r + " gave " + keys[i]);
                            if (!first && keys[i] >= prev) fail(failures, "descending reader gave " + keys[i] + " after " + prev);
                            if (values[i] != valueOf(keys[i])) fail(failures, "torn pair " + keys[i] + "=" + values[i]);
                            if (isSentinel(keys[i])) sentinels.add(0, keys[i]);
                            first = false;
                            prev = keys[i];
                        }
                    }
                    checkSentinels(failures, r, sentinels, "descending reader");
                },
                rnd -> { // strided, both orders
                    Range r = randomRange(rnd);
                    Order o = rnd.nextBoolean() ? Order.ASCENDING : Order.DESCENDING;
                    long stride = 1 + rnd.nextInt(300);
                    long[] prev = {0};
                    boolean[] first = {true};
                    strided.forEach(r, stride, o, (k, v) -> {
                        if (!r.contains(k)) fail(failures, "strided scan of " + r + " gave " + k);
                        if (!first[0] && (o == Order.ASCENDING ? k <= prev[0] : k >= prev[0])) {
                            fail(failures, "strided " + o + " scan gave " + k + " after " + prev[0]);
                        }
                        if (v != valueOf(k)) fail(failures, "torn pair " + k + "=" + v);
                        first[0] = false;
                        prev[0] = k;
                    });
                },
                rnd -> { // sorted batch with every sentinel among other keys
                    long[] batch = new long[2 * SPAN / SENTINEL_EVERY];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = i % 2 == 0 ? (long) (i / 2) * SENTINEL_EVERY : rnd.nextInt(SPAN);
                    }
                    java.util.Arrays.sort(batch);
                    long[] values = new long[batch.length];
                    lookup.getAll(batch, values, -1);
                    for (int i = 0; i < batch.length; i++) {
                        if (isSentinel(batch[i]) && values[i] != valueOf(batch[i])) fail(failures, "batch missed sentinel " + batch[i]);
                        if (values[i] != -1 && values[i] != valueOf(batch[i])) fail(failures, "batch torn pair " + batch[i] + "=" + values[i]);
                    }
                },
                rnd -> { // histogram bounds strictly increasing
                    Range r = randomRange(rnd);
                    Histogram h = positions.equiDepth(r, 1 + rnd.nextInt(20));
                    for (int i = 0; i < h.buckets(); i++) {
                        if (!r.contains(h.lowerBound(i))) fail(failures, "histogram bound " + h.lowerBound(i) + " outside " + r);
                        if (i > 0 && h.lowerBound(i) <= h.lowerBound(i - 1)) fail(failures, "histogram bounds not increasing: " + h);
                        if (h.count(i) <= 0) fail(failures, "empty bucket: " + h);
                    }
                },
                rnd -> { // bitmaps of the secondary index keep the sentinel rows
                    long lo = rnd.nextInt(SPAN / SENTINEL_EVERY);
                    long hi = lo + rnd.nextInt(20);
                    RoaringBitmap rows = idx.rowIds(Range.closed(lo, hi));
                    for (long key = lo; key <= Math.min(hi, SPAN / SENTINEL_EVERY - 1); key++) {
                        if (!rows.contains((int) (key * SENTINEL_EVERY))) fail(failures, "bitmap of " + lo + ".." + hi + " lost sentinel row " + key * SENTINEL_EVERY);
                    }
                });
        for (int r = 0; r < 2; r++) {
            int me = r;
            threads.add(new Thread(() -> {
                Random rnd = new Random(seed + 7 * me + 3);
                await(start);
                while (!stop.get() && failures.isEmpty()) {
                    checks.get(rnd.nextInt(checks.size())).accept(rnd);
                    queries.incrementAndGet();
                }
            }, "reader-" + r));
        }
        threads.forEach(Thread::start);
        start.countDown();
        Thread.sleep(TestSeed.stressMillis());
        stop.set(true);
        for (Thread t : threads) t.join();
        System.out.println("ConcurrentQueryTest: " + writes + " writes overlapped " + queries + " queries");
        assertTrue(failures.isEmpty(), "seed=" + seed + ": " + failures.peek() + " (" + failures.size() + " failures)");
        assertTrue(writes.get() > 100 && queries.get() > 10, "the threads did not overlap enough");
    }

    private static Range randomRange(Random rnd) {
        long a = rnd.nextInt(SPAN + 2000) - 1000;
        long b = a + rnd.nextInt(rnd.nextBoolean() ? 5000 : SPAN);
        return Range.of(a, rnd.nextBoolean(), b, rnd.nextBoolean());
    }

    private static void checkSentinels(ConcurrentLinkedQueue<String> failures, Range r, List<Long> seen, String what) {
        int i = 0;
        for (long k = 0; k < SPAN; k += SENTINEL_EVERY) {
            if (!r.contains(k)) continue;
            if (i >= seen.size() || seen.get(i) != k) {
                fail(failures, what + " of " + r + " missed sentinel " + k);
                return;
            }
            i++;
        }
    }

    private static void fail(ConcurrentLinkedQueue<String> failures, String what) {
        failures.add(what);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
