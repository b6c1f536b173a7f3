package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/** The adaptive form (pairs, promoted to a bitmap value past a threshold): model, boundaries, concurrency. */
class AdaptiveSecondaryIndexTest {

    /** The forms the index should be in: promoted at promoteAt rows, demoted below max(1, promoteAt / 4). */
    static final class FormModel {
        final int promoteAt;
        final int demoteBelow;
        final Set<Long> bitmapKeys = new HashSet<>();

        FormModel(int promoteAt) {
            this.promoteAt = promoteAt;
            this.demoteBelow = Math.max(1, promoteAt / 4);
        }

        void after(long key, int rows) {
            if (rows >= promoteAt) bitmapKeys.add(key);
            else if (rows < demoteBelow) bitmapKeys.remove(key);
        }
    }

    private static int rows(SecondaryIndexTest.PairModel m, long k) {
        TreeSet<Long> r = m.pairs.get(k);
        return r == null ? 0 : r.size();
    }

    @Test
    void randomWritesAndQueriesAgreeWithTheModel() {
        long seed = TestSeed.seed("AdaptiveSecondaryIndexTest.randomWritesAndQueriesAgreeWithTheModel");
        for (int promoteAt : new int[] {2, 8, 64}) {
            Random rnd = new Random(seed + promoteAt);
            SecondaryIndex idx = SecondaryIndex.adaptive(promoteAt);
            SecondaryIndexTest.PairModel model = new SecondaryIndexTest.PairModel();
            FormModel forms = new FormModel(promoteAt);
            int spread = 1 + rnd.nextInt(60);
            int rowSpread = rnd.nextBoolean() ? 200 : 300_000; // one container, or many
            for (int op = 0; op < 20_000; op++) {
                String ctx = "seed=" + seed + " promoteAt=" + promoteAt + " op " + op;
                long k = rnd.nextInt(spread) - spread / 3;
                long r = rnd.nextInt(50) == 0 ? 0xFFFF_FFFFL - rnd.nextInt(2) : rnd.nextInt(rowSpread);
                switch (rnd.nextInt(10)) {
                    case 0, 1, 2, 3, 4 -> {
                        assertEquals(model.insert(k, r), idx.insert(k, r), ctx + " insert " + k + "," + r);
                        forms.after(k, rows(model, k));
                    }
                    case 5, 6 -> {
                        assertEquals(model.delete(k, r), idx.delete(k, r), ctx + " delete " + k + "," + r);
                        forms.after(k, rows(model, k));
                    }
                    case 7 -> assertEquals(model.pairs.containsKey(k) && model.pairs.get(k).contains(r), idx.contains(k, r), ctx);
                    default -> {
                        long a = rnd.nextInt(spread + 4) - spread / 3 - 2;
                        Range q = rnd.nextInt(8) == 0 ? Range.all() : Range.of(a, rnd.nextBoolean(), a + rnd.nextInt(spread / 2 + 1), rnd.nextBoolean());
                        assertEquals(model.bitmap(q), idx.rowIds(q), ctx + " rowIds " + q);
                        assertEquals(model.bitmap(Range.singleton(k)), idx.rowIds(k), ctx + " rowIds " + k);
                        assertEquals(model.bitmap64(q), idx.rowIds64(q), ctx + " rowIds64 " + q);
                        assertEquals(model.count(q), idx.count(q), ctx + " count " + q);
                    }
                }
                assertEquals(forms.bitmapKeys.contains(k), idx.isBitmapKey(k), ctx + " form of key " + k);
            }
            assertEquals(model.count(Range.all()), idx.size(), "seed=" + seed);
            for (int i = 0; i < 20; i++) {
                long a = rnd.nextInt(spread) - spread / 3;
                Range q = i == 0 ? Range.all() : Range.closed(a, a + rnd.nextInt(spread));
                List<Long> got = new ArrayList<>();
                long n = idx.forEach(q, (k, r) -> { got.add(k); got.add(r); });
                List<Long> want = new ArrayList<>();
                for (Map.Entry<Long, TreeSet<Long>> e : model.in(q).entrySet()) for (long r : e.getValue()) { want.add(e.getKey()); want.add(r); }
                assertEquals(want, got, "seed=" + seed + " forEach " + q);
                assertEquals(want.size() / 2, n);
            }
            assertFalse(forms.bitmapKeys.isEmpty() && promoteAt <= 8, "seed=" + seed + ": the run must have promoted some key");
            idx.close();
        }
    }

    @Test
    void promotionAndDemotionBoundaries() {
        SecondaryIndex idx = SecondaryIndex.adaptive(8); // promoted at 8 rows, demoted below 2
        for (int r = 0; r < 7; r++) assertTrue(idx.insert(5, 100 + r));
        assertFalse(idx.isBitmapKey(5), "7 rows: still pairs");
        assertFalse(idx.insert(5, 100), "a repeated row changes nothing, so it does not promote");
        assertFalse(idx.isBitmapKey(5));
        assertTrue(idx.insert(5, 107));
        assertTrue(idx.isBitmapKey(5), "8 rows: a bitmap");
        assertEquals(8, idx.count(Range.singleton(5)));
        assertEquals(RoaringBitmap.bitmapOf(100, 101, 102, 103, 104, 105, 106, 107), idx.rowIds(5));
        assertEquals(8, idx.count(Range.all()), "no pair may stay behind a promotion");
        for (int r = 0; r < 6; r++) assertTrue(idx.delete(5, 100 + r));
        assertTrue(idx.isBitmapKey(5), "2 rows: still a bitmap (hysteresis)");
        assertFalse(idx.delete(5, 100), "an absent row changes nothing");
        assertTrue(idx.delete(5, 106));
        assertFalse(idx.isBitmapKey(5), "1 row: back to pairs");
        assertEquals(RoaringBitmap.bitmapOf(107), idx.rowIds(5));
        assertTrue(idx.contains(5, 107));
        assertEquals(1, idx.size());
        assertTrue(idx.delete(5, 107));
        assertEquals(0, idx.size());
        assertTrue(idx.rowIds(Range.all()).isEmpty());

        SecondaryIndex two = SecondaryIndex.adaptive(2); // promoted at 2, demoted only when empty
        two.insert(1, 1);
        two.insert(1, 2);
        assertTrue(two.isBitmapKey(1));
        two.delete(1, 1);
        assertTrue(two.isBitmapKey(1), "1 row of promoteAt 2: demoteBelow is 1");
        two.delete(1, 2);
        assertFalse(two.isBitmapKey(1));
        assertEquals(0, two.size());
        assertEquals(4294967295L, SecondaryIndex.adaptive(2).maxRowId());
    }

    @Test
    void copyWithChangesOneRowAndLeavesTheOriginal() {
        long seed = TestSeed.seed("AdaptiveSecondaryIndexTest.copyWithChangesOneRowAndLeavesTheOriginal");
        Random rnd = new Random(seed);
        RoaringBitmap b = new RoaringBitmap();
        TreeSet<Integer> model = new TreeSet<>();
        for (int i = 0; i < 30_000; i++) {
            int row = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(8) << 16 | rnd.nextInt(rnd.nextBoolean() ? 20 : 65_536);
            RoaringBitmap before = b.clone();
            boolean add = !model.contains(row);
            RoaringBitmap next = BitmapKeys.copyWith(b, row, add);
            assertEquals(before, b, "seed=" + seed + " op " + i + ": the original must not change");
            if (add) model.add(row); else model.remove(row);
            if (i % 500 == 0) {
                RoaringBitmap want = new RoaringBitmap();
                model.forEach(want::add);
                assertEquals(want, next, "seed=" + seed + " op " + i);
                assertTrue(next.validate(), "seed=" + seed + " op " + i);
            }
            b = next;
        }
    }

    @Test
    void answersAreTheCallersOwn() {
        SecondaryIndex idx = SecondaryIndex.adaptive(4);
        for (int r = 0; r < 5000; r++) idx.insert(r % 3, r * 7L);
        RoaringBitmap want = idx.rowIds(Range.all());
        RoaringBitmap one = idx.rowIds(1);
        RoaringBitmap all = idx.rowIds(Range.all());
        one.add(1, 400_000);
        all.remove(0, 100_000);
        all.add(3);
        assertEquals(want, idx.rowIds(Range.all()), "changing an answer must not change the index's bitmaps");
    }

    @Test
    void badArguments() {
        assertThrows(IllegalArgumentException.class, () -> SecondaryIndex.adaptive(1));
        assertThrows(IllegalArgumentException.class, () -> new SecondaryIndex(33, 16));
        assertEquals(0, new SecondaryIndex().promoteAt());
        SecondaryIndex idx = SecondaryIndex.adaptive(4);
        idx.close();
        assertThrows(IllegalStateException.class, () -> idx.rowIds(Range.all()));
        assertThrows(IllegalStateException.class, () -> idx.count(Range.all()));
    }

    @Test
    void filterCacheHearsWritesToBitmapKeys() {
        SecondaryIndex idx = SecondaryIndex.adaptive(8); // demoted below 2 rows
        for (int r = 0; r < 10; r++) idx.insert(3, r);
        assertTrue(idx.isBitmapKey(3));
        try (FilterCache cache = new FilterCache(idx, 1 << 20)) {
            Range q = Range.closed(0, 5);
            assertEquals(10, cache.rowIds(q).getCardinality());
            assertEquals(10, cache.rowIds(q).getCardinality()); // a hit
            idx.insert(3, 77);
            assertTrue(cache.rowIds(q).contains(77), "a write to a bitmap key must drop the cached answer");
            idx.delete(3, 0);
            assertFalse(cache.rowIds(q).contains(0));
            for (int r = 1; r < 10; r++) idx.delete(3, r); // demoted on the way down
            assertFalse(idx.isBitmapKey(3));
            assertEquals(RoaringBitmap.bitmapOf(77), cache.rowIds(q));
        }
    }

    /**
     * Writers cycle their own key through promotion and demotion (insert rows 0..R-1, delete them
     * in the same order) while readers query stable keys (answers must be exact) and the written
     * keys (each row must be in if it was in every state the key had during the query, out if in
     * none). Readers and writers run together until the deadline.
     */
    @Test
    void concurrentWritersAndReaders() throws Exception {
        long seed = TestSeed.seed("AdaptiveSecondaryIndexTest.concurrentWritersAndReaders");
        int promoteAt = 16;
        int cycleRows = 40; // promoted at 16, demoted below 4: two moves per cycle
        SecondaryIndex idx = SecondaryIndex.adaptive(promoteAt);
        Random rnd = new Random(seed);
        Map<Long, RoaringBitmap> stable = new HashMap<>();
        for (long k = 0; k < 40; k += 2) { // even keys: stable; half of them bitmaps, half pairs
            RoaringBitmap rows = new RoaringBitmap();
            int n = k % 4 == 0 ? 200 + rnd.nextInt(300) : 1 + rnd.nextInt(promoteAt - 1);
            while (rows.getCardinality() < n) rows.add(rnd.nextInt(1 << 20));
            for (int r : rows) idx.insert(k, r);
            stable.put(k, rows);
        }
        long[] written = {1, 21, 39};
        AtomicLong[] begun = new AtomicLong[written.length];
        AtomicLong[] done = new AtomicLong[written.length];
        for (int w = 0; w < written.length; w++) {
            begun[w] = new AtomicLong();
            done[w] = new AtomicLong();
        }
        long deadline = System.nanoTime() + TestSeed.stressMillis() * 1_000_000L;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < written.length; w++) {
            int wi = w;
            threads.add(new Thread(() -> {
                try {
                    for (long i = 0; System.nanoTime() < deadline && failure.get() == null; i++) {
                        int p = (int) (i % (2 * cycleRows));
                        long row = rowOf(written[wi], p < cycleRows ? p : p - cycleRows);
                        begun[wi].set(i + 1);
                        boolean changed = p < cycleRows ? idx.insert(written[wi], row) : idx.delete(written[wi], row);
                        done[wi].set(i + 1);
                        if (!changed) throw new AssertionError("op " + i + " on key " + written[wi] + " changed nothing");
                        if ((i & 3) == 0) Thread.yield(); // lets readers run on few cores: narrow windows make the checks sharp
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            }));
        }
        long[] checks = new long[2];
        for (int t = 0; t < 2; t++) {
            Random r = new Random(seed + 1 + t);
            int ti = t;
            threads.add(new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        if (r.nextInt(3) == 0) { // a count of one written key: between the sizes of its states
                            int w = r.nextInt(written.length);
                            long before = done[w].get();
                            long n = idx.count(Range.singleton(written[w]));
                            long after = begun[w].get();
                            long min = Long.MAX_VALUE, max = 0;
                            for (long st = before; st <= Math.min(after, before + 2L * cycleRows); st++) {
                                int size = 0;
                                for (int j = 0; j < cycleRows; j++) if (inState(st, j, cycleRows)) size++;
                                min = Math.min(min, size);
                                max = Math.max(max, size);
                            }
                            if (after - before >= 2L * cycleRows) min = 0;
                            if (n < min || n > max) fail("count of key " + written[w] + " = " + n + ", states of ops [" + before + ", " + after + "] hold " + min + ".." + max + " (seed=" + seed + ")");
                            checks[ti]++;
                            continue;
                        }
                        long lo = r.nextInt(40);
                        Range q = Range.closed(lo, lo + r.nextInt(40 - (int) lo));
                        long[] before = new long[written.length];
                        for (int w = 0; w < written.length; w++) before[w] = done[w].get();
                        RoaringBitmap got = r.nextBoolean() ? idx.rowIds(q) : viaForEach(idx, q);
                        long[] after = new long[written.length];
                        for (int w = 0; w < written.length; w++) after[w] = begun[w].get();
                        RoaringBitmap rest = got.clone();
                        for (long k = q.first(); k <= q.last(); k++) {
                            RoaringBitmap s = stable.get(k);
                            if (s != null) {
                                RoaringBitmap mine = RoaringBitmap.and(got, s);
                                assertEquals(s, mine, "stable key " + k + " in " + q + " (seed=" + seed + ")");
                                rest.andNot(s);
                            }
                        }
                        for (int w = 0; w < written.length; w++) {
                            if (!q.contains(written[w])) continue;
                            for (int j = 0; j < cycleRows; j++) {
                                long row = rowOf(written[w], j);
                                boolean in = got.contains((int) row);
                                if (in) rest.remove((int) row);
                                boolean always = true, never = true;
                                for (long s = before[w]; s <= Math.min(after[w], before[w] + 2L * cycleRows); s++) {
                                    if (inState(s, j, cycleRows)) never = false; else always = false;
                                }
                                if (always && !in) fail("key " + written[w] + " row " + j + " was in every state of ops [" + before[w] + ", " + after[w] + "] but missing (seed=" + seed + ")");
                                if (never && in) fail("key " + written[w] + " row " + j + " was in no state of ops [" + before[w] + ", " + after[w] + "] but reported (seed=" + seed + ")");
                            }
                        }
                        assertTrue(rest.isEmpty(), "rows of no key in " + q + ": " + rest + " (seed=" + seed + ")");
                        checks[ti]++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
        long moves = idx.formMoves();
        System.out.println("AdaptiveSecondaryIndexTest.concurrent: " + (checks[0] + checks[1]) + " checked queries, " + moves + " form moves, ops per writer " + done[0].get() + "/" + done[1].get() + "/" + done[2].get());
        assertTrue(checks[0] + checks[1] > 0 && moves > 0, "the run must have queried and moved keys");
    }

    private static long rowOf(long key, int j) {
        return (1L << 21) + key * 64 + j; // disjoint from the stable rows (< 2^20)
    }

    /** Row j's membership after s ops of a writer cycling insert 0..R-1, delete 0..R-1. */
    private static boolean inState(long s, int j, int cycleRows) {
        int p = (int) (s % (2L * cycleRows));
        return p <= cycleRows ? j < p : j >= p - cycleRows;
    }

    private static RoaringBitmap viaForEach(SecondaryIndex idx, Range q) {
        RoaringBitmap b = new RoaringBitmap();
        long[] last = {Long.MIN_VALUE, -1};
        idx.forEach(q, (k, r) -> {
            if (k < last[0] || (k == last[0] && r <= last[1])) throw new AssertionError("forEach out of order: " + k + "," + r + " after " + last[0] + "," + last[1]);
            last[0] = k;
            last[1] = r;
            b.add((int) r);
        });
        return b;
    }
}
