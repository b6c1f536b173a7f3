package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WideKeyIndex against a model ({@code TreeMap<key, TreeSet<row>>}): full 64-bit keys (the
 * extremes, and keys that 33-bit packing would have merged), row ids up to 2^32 - 1, keys growing
 * and shrinking through every form (first slot only, list, bitmap and back), bulk loads, the row
 * id limit, and concurrent writers against readers checking the rows no writer touches.
 */
class WideKeyIndexTest {

    static final long[] KEYS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -1, 0, 1, 1L << 40, (1L << 40) + 1, (1L << 40) + (1L << 31),
            Long.MAX_VALUE - 1, Long.MAX_VALUE, 123_456_789_012L, -987_654_321_098L};

    static long randomKey(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> rnd.nextLong();                    // about one row each: first slots
            case 1 -> 5_000_000_000L + rnd.nextInt(500); // tens of rows each: lists
            default -> KEYS[rnd.nextInt(KEYS.length)];   // hundreds: bitmaps
        };
    }

    static long randomRow(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> WideKeyIndex.MAX_ROW_ID - rnd.nextInt(3);
            case 1 -> (1L << 31) + rnd.nextInt(100); // above Integer.MAX_VALUE: negative as an int
            case 2 -> rnd.nextInt(200_000);          // several 65,536-row blocks
            default -> rnd.nextInt(3_000);           // clustered: bitmaps get smaller than lists
        };
    }

    static RoaringBitmap expected(NavigableMap<Long, TreeSet<Long>> model, Range r) {
        RoaringBitmap b = new RoaringBitmap();
        if (r.isEmpty()) return b;
        for (TreeSet<Long> rows : model.subMap(r.first(), true, r.last(), true).values()) for (long row : rows) b.add((int) row);
        return b;
    }

    static long count(NavigableMap<Long, TreeSet<Long>> model, Range r) {
        if (r.isEmpty()) return 0;
        long n = 0;
        for (TreeSet<Long> rows : model.subMap(r.first(), true, r.last(), true).values()) n += rows.size();
        return n;
    }

    static Range randomRange(Random rnd) {
        long a = randomKey(rnd);
        long b = randomKey(rnd);
        if (a > b) {
            long t = a;
            a = b;
            b = t;
        }
        return Range.of(a, rnd.nextBoolean(), b, rnd.nextBoolean());
    }

    @Test
    void randomWritesAndQueriesMatchTheModel() {
        long seed = TestSeed.seed("WideKeyIndexTest.model");
        for (boolean bitmapsOnly : new boolean[] {false, true}) {
            Random rnd = new Random(seed);
            TreeMap<Long, TreeSet<Long>> model = new TreeMap<>();
            long pairs = 0;
            int checks = 0;
            long maxBitmaps = 0;
            long maxLists = 0;
            try (WideKeyIndex w = bitmapsOnly ? WideKeyIndex.bitmapsOnly() : new WideKeyIndex()) {
                // One key with 300 consecutive rows (a bitmap is smaller than their list), so that every
                // seed has a key held as a bitmap: random rows alone left none for some seeds.
                TreeSet<Long> dense = model.computeIfAbsent(KEYS[0], k -> new TreeSet<>());
                for (long row = 0; row < 300; row++) {
                    dense.add(row);
                    assertTrue(w.insert(KEYS[0], row));
                    pairs++;
                }
                for (int round = 0; round < 40; round++) {
                    boolean growing = round % 8 < 5; // phases of growth and shrinkage move keys across forms
                    for (int i = 0; i < 1500; i++) {
                        long key = randomKey(rnd);
                        long row = randomRow(rnd);
                        TreeSet<Long> rows = model.computeIfAbsent(key, k -> new TreeSet<>());
                        if (growing ? rnd.nextInt(4) != 0 : rnd.nextInt(4) == 0) {
                            boolean added = rows.add(row);
                            assertEquals(added, w.insert(key, row), () -> "seed " + seed + " insert " + key + " " + row);
                            if (added) pairs++;
                        } else {
                            Long victim = rows.isEmpty() || rnd.nextInt(5) == 0 ? row : rows.first();
                            boolean removed = rows.remove(victim);
                            assertEquals(removed, w.delete(key, victim), () -> "seed " + seed + " delete " + key + " " + victim);
                            if (removed) pairs--;
                        }
                        if (rows.isEmpty()) model.remove(key);
                    }
                    assertEquals(pairs, w.size(), "seed " + seed);
                    maxBitmaps = Math.max(maxBitmaps, w.forms()[0]);
                    maxLists = Math.max(maxLists, w.forms()[1]);
                    for (int q = 0; q < 100; q++, checks++) {
                        Range r = q % 4 == 0 ? Range.singleton(randomKey(rnd)) : randomRange(rnd);
                        assertEquals(expected(model, r), w.rowIds(r), () -> "seed " + seed + " range " + r);
                        long n = count(model, r);
                        assertEquals(n, w.count(r), () -> "seed " + seed + " count " + r);
                        if (!r.isEmpty()) {
                            long e = w.estimate(r.first(), r.last());
                            assertTrue(e >= 0, "estimate " + e);
                            if (model.subMap(r.first(), true, r.last(), true).size() <= WideKeyIndex.ESTIMATE_WALK) {
                                assertEquals(n, e, () -> "seed " + seed + " estimate " + r); // few keys: walked, exact
                            }
                        }
                        long key = randomKey(rnd);
                        long row = randomRow(rnd);
                        assertEquals(model.containsKey(key) && model.get(key).contains(row), w.contains(key, row));
                    }
                }
                System.out.println("WideKeyIndexTest (" + (bitmapsOnly ? "bitmaps only" : "mixed") + "): " + checks
                        + " range checks, " + pairs + " pairs at the end; at most " + maxBitmaps + " keys with bitmaps, " + maxLists + " with lists");
                assertTrue(maxBitmaps > 0, "bitmaps exercised");
                if (!bitmapsOnly) assertTrue(maxLists > 0, "lists exercised");
            }
        }
    }

    @Test
    void aKeyMovesThroughEveryFormAndBack() {
        try (WideKeyIndex w = new WideKeyIndex()) {
            long key = Long.MIN_VALUE + 7;
            TreeMap<Long, TreeSet<Long>> model = new TreeMap<>();
            model.put(key, new TreeSet<>());
            List<Long> rows = new ArrayList<>();
            for (long r = 0; r < 6000; r++) rows.add(r * 3); // one block: a bitmap is smaller from 64 rows on
            boolean sawList = false;
            boolean sawBitmap = false;
            for (long r : rows) {
                assertTrue(w.insert(key, r));
                model.get(key).add(r);
                long[] f = w.forms();
                sawList |= f[1] == 1;
                sawBitmap |= f[0] == 1;
                if (r % 97 == 0) assertEquals(expected(model, Range.singleton(key)), w.rowIds(key));
            }
            assertTrue(sawList && sawBitmap, "list then bitmap");
            boolean backToList = false;
            for (long r : rows) {
                assertTrue(w.delete(key, r));
                model.get(key).remove(r);
                backToList |= w.forms()[1] == 1 && !model.get(key).isEmpty();
                if (r % 89 == 0) assertEquals(expected(model, Range.singleton(key)), w.rowIds(key));
                assertEquals(model.get(key).size(), w.count(Range.singleton(key)));
            }
            assertTrue(backToList, "a small bitmap becomes a list again");
            assertEquals(0, w.size());
            assertEquals(0, w.forms()[0] + w.forms()[1]);
            // rows spread over many blocks stay a list: the bitmap would be larger
            for (long r = 0; r < 200; r++) w.insert(key, r << 16);
            assertEquals(0, w.forms()[0]);
            assertEquals(1, w.forms()[1]);
        }
    }

    @Test
    void bulkLoadEqualsInserts() {
        Random rnd = TestSeed.random("WideKeyIndexTest.bulk");
        int n = 20_000;
        long[] keys = new long[n];
        long[] rows = new long[n];
        TreeMap<Long, TreeSet<Long>> model = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            keys[i] = rnd.nextInt(3) == 0 ? rnd.nextLong() : KEYS[rnd.nextInt(KEYS.length)] + rnd.nextInt(50);
            rows[i] = i % 7 == 0 && i > 0 ? rows[i - 1] : randomRow(rnd); // duplicate pairs too
            if (i % 7 == 0 && i > 0) keys[i] = keys[i - 1];
            model.computeIfAbsent(keys[i], k -> new TreeSet<>()).add(rows[i]);
        }
        try (WideKeyIndex bulk = WideKeyIndex.bulkLoad(keys, rows, n); WideKeyIndex one = new WideKeyIndex()) {
            for (int i = 0; i < n; i++) one.insert(keys[i], rows[i]);
            assertEquals(one.size(), bulk.size());
            for (int q = 0; q < 2000; q++) {
                Range r = randomRange(rnd);
                RoaringBitmap want = expected(model, r);
                assertEquals(want, bulk.rowIds(r), r::toString);
                assertEquals(want, one.rowIds(r), r::toString);
                assertEquals(count(model, r), bulk.count(r));
            }
            for (Map.Entry<Long, TreeSet<Long>> e : model.entrySet()) for (long row : e.getValue()) assertTrue(bulk.contains(e.getKey(), row));
        }
        long[] sorted = new long[n];
        for (int i = 0; i < n; i++) sorted[i] = rnd.nextLong();
        try (WideKeyIndex byRow = WideKeyIndex.loadRowOrder(sorted.clone(), n, true)) {
            for (int i = 0; i < 100; i++) {
                int row = rnd.nextInt(n);
                assertTrue(byRow.contains(sorted[row], row));
            }
        }
    }

    @Test
    void rowIdsOutOfRangeAreRefusedNamingThemAndChangeNothing() {
        try (WideKeyIndex w = new WideKeyIndex()) {
            w.insert(5, 1);
            for (long bad : new long[] {-1, WideKeyIndex.MAX_ROW_ID + 1, Long.MAX_VALUE}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.insert(5, bad));
                assertTrue(e.getMessage().contains("row id " + bad), e.getMessage());
                assertThrows(IllegalArgumentException.class, () -> w.delete(5, bad));
            }
            assertEquals(1, w.size());
            assertEquals(RoaringBitmap.bitmapOf(1), w.rowIds(5));
            assertTrue(w.insert(5, WideKeyIndex.MAX_ROW_ID));
            assertTrue(w.rowIds(5).contains((int) WideKeyIndex.MAX_ROW_ID));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WideKeyIndex.bulkLoad(new long[] {1, 2}, new long[] {0, -3}, 2));
        assertTrue(e.getMessage().contains("entry 1") && e.getMessage().contains("-3"), e.getMessage());
        WideKeyIndex closed = new WideKeyIndex();
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.rowIds(1));
        assertThrows(IllegalStateException.class, () -> closed.insert(1, 1));
    }

    /**
     * Writers insert and delete the "moving" rows of a few keys (so keys keep changing form and
     * losing and regaining their first slot) while readers check that every answer, restricted to
     * the stable rows (inserted before and never touched), is exactly the stable rows of the range.
     */
    @Test
    void concurrentWritersNeverHideStableRows() throws Exception {
        long seed = TestSeed.seed("WideKeyIndexTest.concurrent");
        int keys = 8;
        try (WideKeyIndex w = new WideKeyIndex()) {
            TreeMap<Long, TreeSet<Long>> stable = new TreeMap<>();
            RoaringBitmap stableRows = new RoaringBitmap();
            Random init = new Random(seed);
            for (int k = 0; k < keys; k++) {
                long key = (k - 4) * (1L << 60);
                w.insert(key, 1_000_000 + k); // a moving row takes the first slot
                int n = k * 12; // 0, 12, ..., 84 stable rows: around the list/bitmap thresholds
                TreeSet<Long> rows = new TreeSet<>();
                for (int i = 0; i < n; i++) rows.add((long) init.nextInt(500_000) * 2);
                for (long r : rows) {
                    w.insert(key, r);
                    stableRows.add((int) r);
                }
                if (!rows.isEmpty()) stable.put(key, rows);
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong checks = new AtomicLong();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int writer = t;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(seed + 1 + writer);
                    started.countDown();
                    while (!stop.get()) {
                        long key = (rnd.nextInt(keys) - 4) * (1L << 60);
                        long row = 1_000_000 + 2L * rnd.nextInt(300) + writer; // odd or even per writer: never stable (stable rows < 1,000,000)
                        for (int i = 0; i < 40; i++) w.insert(key, row + 600L * i);
                        for (int i = 0; i < 40; i++) w.delete(key, row + 600L * i);
                        w.delete(key, 1_000_000 + (key >> 60) + 4); // the first slot's row, sometimes
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                int reader = t;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(seed + 100 + reader);
                    started.countDown();
                    while (!stop.get()) {
                        long a = (rnd.nextInt(keys) - 4) * (1L << 60);
                        long b = (rnd.nextInt(keys) - 4) * (1L << 60);
                        Range r = Range.closed(Math.min(a, b), Math.max(a, b));
                        RoaringBitmap got = RoaringBitmap.and(w.rowIds(r), stableRows);
                        RoaringBitmap want = expected(stable, r);
                        long count = w.count(r);
                        if (!want.equals(got) || count < want.getLongCardinality()) {
                            failure.compareAndSet(null, new AssertionError("seed " + seed + " " + r + ": want " + want + " got " + got + " count " + count));
                            stop.set(true);
                        }
                        checks.incrementAndGet();
                    }
                }));
            }
            for (Thread th : threads) {
                th.setUncaughtExceptionHandler((x, e) -> {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                });
                th.start();
            }
            started.await();
            Thread.sleep(TestSeed.stressMillis());
            stop.set(true);
            for (Thread th : threads) th.join();
            if (failure.get() != null) throw new AssertionError(failure.get());
            System.out.println("WideKeyIndexTest.concurrent: " + checks.get() + " answers checked");
            assertTrue(checks.get() > 0);
            assertFalse(stableRows.isEmpty());
        }
    }
}
