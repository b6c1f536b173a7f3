package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class FilterCacheTest {

    @Test
    void answersAgreeWithTheModelAndWritesInvalidateExactlyTheRangesTheyTouch() {
        long seed = TestSeed.seed("FilterCacheTest.answersAgree...InvalidateExactly");
        Random rnd = new Random(seed);
        SecondaryIndex idx = new SecondaryIndex();
        SecondaryIndexTest.PairModel model = new SecondaryIndexTest.PairModel();
        for (int i = 0; i < 5000; i++) {
            long k = rnd.nextInt(1000), r = rnd.nextInt(20_000);
            idx.insert(k, r);
            model.insert(k, r);
        }
        FilterCache cache = new FilterCache(idx, 64L << 20);
        List<Range> ranges = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long a = rnd.nextInt(1100) - 50;
            ranges.add(Range.of(a, rnd.nextBoolean(), a + rnd.nextInt(200), rnd.nextBoolean()));
        }
        ranges.add(Range.all());
        ranges.add(Range.singleton(500));
        for (int op = 0; op < 5000; op++) {
            String ctx = "seed=" + seed + " op " + op;
            if (rnd.nextInt(3) == 0) {
                long k = rnd.nextInt(1000), r = rnd.nextInt(20_000);
                List<Range> cachedBefore = new ArrayList<>();
                for (Range q : ranges) if (cache.isCached(q)) cachedBefore.add(q);
                boolean changed = rnd.nextBoolean() ? idx.insert(k, r) : idx.delete(k, r);
                if (changed) {
                    if (!model.insert(k, r)) model.delete(k, r);
                }
                for (Range q : cachedBefore) {
                    boolean touched = changed && q.contains(k);
                    assertEquals(!touched, cache.isCached(q), ctx + ": write of key " + k + " (changed=" + changed + ") and cached range " + q);
                }
            } else {
                Range q = ranges.get(rnd.nextInt(ranges.size()));
                RoaringBitmap got = cache.rowIds(q);
                assertEquals(model.bitmap(q), got, ctx + " " + q);
                got.add(1 << 30); // ours to modify: must not leak into the cache
            }
        }
        assertTrue(cache.stats().hitCount() > 0, "the cache was never hit");
        cache.close();
        assertEquals(0, cache.cachedRanges());
        idx.insert(3, 3); // a closed cache no longer listens
    }

    @Test
    void statsCountHitsMissesAndEvictionsExactly() {
        SecondaryIndex idx = new SecondaryIndex();
        for (int row = 0; row < 1000; row++) idx.insert(row % 100, row);
        FilterCache cache = new FilterCache(idx, 64L << 20);
        assertEquals(new FilterCacheStats(0, 0, 0, 0, 0), cache.stats());
        assertEquals(1.0, cache.stats().hitRate());
        cache.rowIds(Range.halfOpen(0, 10));   // miss, cached
        cache.rowIds(Range.halfOpen(0, 10));   // hit
        cache.rowIds(Range.halfOpen(0, 10));   // hit
        cache.rowIds(Range.halfOpen(10, 20));  // miss
        cache.isCached(Range.halfOpen(20, 30)); // neither
        idx.insert(5, 5000);                  // invalidation, not an eviction
        cache.rowIds(Range.halfOpen(0, 10));   // miss again
        FilterCacheStats s = cache.stats();
        assertEquals(new FilterCacheStats(2, 3, 3, 0, 0), s);
        assertEquals(5, s.requestCount());
        assertEquals(0.4, s.hitRate(), 1e-12);
        assertEquals(0.6, s.missRate(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new FilterCacheStats(-1, 0, 0, 0, 0));
        assertEquals(Long.MAX_VALUE, new FilterCacheStats(Long.MAX_VALUE, 1, 0, 0, 0).requestCount());
        cache.close();

        FilterCache tiny = new FilterCache(idx, 1); // every answer weighs more than the bound
        tiny.rowIds(Range.halfOpen(0, 50));
        tiny.weightedBytes(); // settles Caffeine's pending work
        FilterCacheStats t = tiny.stats();
        assertEquals(1, t.putCount());
        assertEquals(1, t.evictionCount());
        assertTrue(t.evictionWeight() > FilterCache.ENTRY_OVERHEAD, t.toString());
        tiny.close();
    }

    @Test
    void cacheStaysWithinItsByteBound() {
        long seed = TestSeed.seed("FilterCacheTest.cacheStaysWithinItsByteBound");
        Random rnd = new Random(seed);
        SecondaryIndex idx = new SecondaryIndex();
        for (int row = 0; row < 50_000; row++) idx.insert(rnd.nextInt(10_000), row);
        long bound = 64 * 1024;
        FilterCache cache = new FilterCache(idx, bound);
        for (int q = 0; q < 500; q++) {
            long a = rnd.nextInt(10_000);
            cache.rowIds(Range.halfOpen(a, a + 1 + rnd.nextInt(300)));
            assertTrue(cache.weightedBytes() <= bound, "seed=" + seed + ": " + cache.weightedBytes() + " bytes cached, bound " + bound);
        }
        assertTrue(cache.stats().evictionCount() > 0, "nothing was evicted");
        cache.weightedBytes(); // settles Caffeine's pending work
        assertEquals(cache.cachedRanges(), cache.indexedRanges(), "evicted ranges stayed in the interval index");
        for (int w = 0; w < 200; w++) { // evictions and re-fills must not hide a cached range from writes
            long k = rnd.nextInt(10_000);
            Range q = Range.closed(Math.max(0, k - rnd.nextInt(50)), k + rnd.nextInt(50));
            cache.rowIds(q);
            idx.insert(k, 60_000 + w);
            assertEquals(idx.rowIds(q), cache.rowIds(q), "seed=" + seed + ": stale " + q + " after a write of " + k);
        }
        FilterCache none = new FilterCache(idx, 0);
        assertEquals(idx.rowIds(Range.closed(5, 50)), none.rowIds(Range.closed(5, 50)));
        assertThrows(IllegalArgumentException.class, () -> new FilterCache(idx, -1));
        assertThrows(NullPointerException.class, () -> new FilterCache(null, 1));
        assertThrows(NullPointerException.class, () -> cache.rowIds(null));
    }

    /**
     * Writers own disjoint row ids and, after each write returns, ask the cache for ranges that
     * contain the written key: the answer must reflect the write. Readers keep filling the cache
     * with the same ranges meanwhile, racing every write. Afterwards, quiescent, every cached
     * answer must equal a fresh scan.
     */
    @Test
    void neverStaleUnderConcurrentWriters() throws Exception {
        long seed = TestSeed.seed("FilterCacheTest.neverStaleUnderConcurrentWriters");
        int keys = 64;
        SecondaryIndex idx = new SecondaryIndex();
        Random init = new Random(seed);
        for (int row = 0; row < 5_000; row++) idx.insert(init.nextInt(keys), 1_000_000 + row); // bulk no writer touches
        FilterCache cache = new FilterCache(idx, 16L << 20);
        List<Range> ranges = new ArrayList<>();
        for (int lo = 0; lo < keys; lo += 4) {
            ranges.add(Range.halfOpen(lo, lo + 4));
            ranges.add(Range.closed(lo, lo + 20));
        }
        ranges.add(Range.all());
        int writers = 2, readers = 2;
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong writes = new AtomicLong(), checks = new AtomicLong(), reads = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            threads.add(new Thread(() -> {
                Random rnd = new Random(seed * 31 + me);
                await(start);
                while (!stop.get() && failures.isEmpty()) {
                    long row = (long) rnd.nextInt(200) * writers + me; // only this writer writes these rows,
                    long k = (row * 7919) % keys;                        // each always under the same key
                    boolean insert = rnd.nextBoolean();
                    if (insert) idx.insert(k, row); else idx.delete(k, row);
                    writes.incrementAndGet();
                    for (Range q : ranges) {
                        if (!q.contains(k)) continue;
                        if (cache.rowIds(q).contains((int) row) != insert) {
                            failures.add("after " + (insert ? "insert" : "delete") + " of (" + k + ", " + row
                                    + ") returned, the cache answered " + q + (insert ? " without" : " with") + " that row");
                        }
                        checks.incrementAndGet();
                    }
                }
            }, "writer-" + w));
        }
        for (int r = 0; r < readers; r++) {
            int me = r;
            threads.add(new Thread(() -> {
                Random rnd = new Random(seed * 17 + me);
                await(start);
                while (!stop.get() && failures.isEmpty()) {
                    cache.rowIds(ranges.get(rnd.nextInt(ranges.size())));
                    if (rnd.nextInt(256) == 0) cache.invalidateAll(); // keep misses (the racy path) coming
                    reads.incrementAndGet();
                }
            }, "reader-" + r));
        }
        threads.forEach(Thread::start);
        start.countDown();
        Thread.sleep(TestSeed.stressMillis());
        stop.set(true);
        for (Thread t : threads) t.join();
        System.out.println("FilterCacheTest: " + writes + " writes, " + checks + " checks after writes, " + reads
                + " reader queries, " + cache.stats());
        assertTrue(failures.isEmpty(), "seed=" + seed + ": " + failures.peek() + " (" + failures.size() + " failures)");
        assertTrue(writes.get() > 100 && reads.get() > 100, "the threads did not overlap enough");
        for (Range q : ranges) {
            if (cache.isCached(q)) assertEquals(idx.rowIds(q), cache.rowIds(q), "seed=" + seed + ": stale cached " + q);
        }
    }

    /** Finding 2: a closed cache hears no writes, so it must not answer from (or fill) its map. */
    @Test
    void aClosedCacheRefusesInsteadOfAnsweringStale() {
        SecondaryIndex idx = new SecondaryIndex();
        idx.insert(1, 1);
        FilterCache cache = new FilterCache(idx, 1 << 20);
        Range r = Range.closed(0, 5);
        assertEquals(RoaringBitmap.bitmapOf(1), cache.rowIds(r));
        cache.close();
        idx.insert(2, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.rowIds(r),
                "a closed cache answered " + r);
        assertTrue(e.getMessage().contains("FilterCache is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cache.rowIds(Range.closed(7, 9)));
        assertFalse(cache.isCached(Range.closed(7, 9)));
        assertEquals(0, cache.cachedRanges());
        cache.close(); // idempotent
    }

    /** A miss between its scan and its publication when the cache closes must not be cached (the closed cache would never drop it). */
    @Test
    void aMissInFlightWhenTheCacheClosesIsNotCached() throws Exception {
        SecondaryIndex idx = new SecondaryIndex();
        idx.insert(1, 1);
        CountDownLatch scanning = new CountDownLatch(1), closed = new CountDownLatch(1);
        FilterCache cache = new FilterCache(idx, 1 << 20, keys -> {
            RoaringBitmap b = idx.rowIds(keys);
            scanning.countDown();
            await(closed); // close() runs while this miss is between its scan and its publication
            return b;
        });
        Range r = Range.closed(0, 5);
        AtomicReference<Object> got = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                got.set(cache.rowIds(r));
            } catch (RuntimeException e) {
                got.set(e);
            }
        }, "reader-racing-close");
        reader.start();
        assertTrue(scanning.await(10, TimeUnit.SECONDS));
        cache.close();
        closed.countDown();
        reader.join();
        assertFalse(cache.isCached(r), "a reader racing close() filled the closed cache");
        assertEquals(0, cache.cachedRanges());
        assertTrue(got.get() instanceof RoaringBitmap || got.get() instanceof IllegalStateException, String.valueOf(got.get()));
    }

    /** Finding 2: readers keep missing while the cache closes, each until the cache refuses it; then nothing may be cached. */
    @Test
    void readersRacingCloseDoNotFillTheClosedCache() throws Exception {
        long seed = TestSeed.seed("FilterCacheTest.readersRacingCloseDoNotFillTheClosedCache");
        SecondaryIndex idx = new SecondaryIndex();
        for (int row = 0; row < 2_000; row++) idx.insert(row % 500, row);
        FilterCache cache = new FilterCache(idx, 16L << 20);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong refused = new AtomicLong(), queries = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            int me = r;
            readers.add(new Thread(() -> {
                Random rnd = new Random(seed + me);
                await(start);
                while (!stop.get()) {
                    long a = rnd.nextInt(500);
                    try {
                        cache.rowIds(Range.closed(a, a + rnd.nextInt(20))); // mostly misses
                        queries.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        refused.incrementAndGet();
                        return;                                             // refused: this reader is done
                    }
                }
            }, "reader-" + r));
        }
        readers.forEach(Thread::start);
        start.countDown();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (queries.get() < 100 && System.nanoTime() < deadline) Thread.sleep(1); // racing for real
        cache.close();
        for (Thread t : readers) t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        stop.set(true);
        for (Thread t : readers) t.join();
        assertEquals(readers.size(), refused.get(), "a reader was never refused after close()");
        assertEquals(0, cache.cachedRanges(), "readers filled the cache after close()");
    }

    /** Finding 6: docs/QUERY.md promises IllegalStateException over a closed index, hit or miss. */
    @Test
    void aHitOverAClosedIndexThrows() {
        SecondaryIndex idx = new SecondaryIndex();
        idx.insert(1, 1);
        FilterCache cache = new FilterCache(idx, 1 << 20);
        Range r = Range.closed(0, 5);
        cache.rowIds(r);
        assertTrue(cache.isCached(r));
        idx.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cache.rowIds(r),
                "a cache hit over a closed index answered");
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> cache.rowIds(Range.closed(7, 9)));
    }

    /**
     * Finding 3: a user listener registered before the cache throws. The write has happened; the
     * cache must still drop the ranges it touched, every other listener must still run, and the
     * failures must reach the writer (the first thrown, the others suppressed).
     */
    @Test
    void aThrowingListenerAheadOfTheCacheNeitherStalesItNorSilencesTheOthers() {
        SecondaryIndex idx = new SecondaryIndex();
        idx.insert(1, 1);
        AtomicLong heard = new AtomicLong();
        idx.addWriteListener(key -> { throw new IllegalStateException("listener A failed on " + key); });
        idx.addWriteListener(key -> heard.incrementAndGet());
        idx.addWriteListener(key -> { throw new ArithmeticException("listener C failed on " + key); });
        FilterCache cache = new FilterCache(idx, 1 << 20);
        Range r = Range.closed(0, 5);
        assertEquals(RoaringBitmap.bitmapOf(1), cache.rowIds(r));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> idx.insert(2, 2));
        assertTrue(e.getMessage().contains("listener A"), e.getMessage());
        assertEquals(1, e.getSuppressed().length, "the second failure is suppressed into the first");
        assertTrue(e.getSuppressed()[0] instanceof ArithmeticException, String.valueOf(e.getSuppressed()[0]));
        assertEquals(1, heard.get(), "the listener between the two failing ones ran");
        assertTrue(idx.contains(2, 2), "the write happened");
        assertEquals(RoaringBitmap.bitmapOf(1, 2), cache.rowIds(r), "the cache kept a range the write changed");
        assertFalse(idx.insert(2, 2), "a retry finds the pair in");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
