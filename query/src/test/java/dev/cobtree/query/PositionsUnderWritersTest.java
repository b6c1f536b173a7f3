package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What counts and positions promise while writers run (docs/QUERY.md, "Counts and positions
 * under writers"):
 * <ul>
 *   <li>a range whose contents do not change during a call gets exact answers, whatever writers
 *       do outside it (tests "...OfAnUnchangingRange...");</li>
 *   <li>a count of a range that writers change lies within the counts the range had during the
 *       call, bounded here by the writes completed before the call and those started by its end.</li>
 * </ul>
 * One writer and the reader (the test thread) overlap for the whole run; the writer grows and
 * shrinks the tree around the fixed keys, so their segments split, merge and get copied by resizes.
 */
class PositionsUnderWritersTest {

    /** 64 fixed keys below every written key: their ranks are fixed too. */
    private static final long PREFIX_BASE = -4_000_000;
    private static final Range PREFIX = Range.halfOpen(PREFIX_BASE, -3_000_000);
    /** 100 fixed keys 0, 10, ..., 990; the writer writes on both sides of them. */
    private static final Range FIXED = Range.halfOpen(0, 1_000);
    /** The writer's keys: [-3,000,000, 0) and [1,000, 3,000,000). */
    private static final int WRITER_SPAN = 3_000_000;

    private static CobTree treeWithFixedKeys() {
        CobTree tree = new CobTree();
        for (int i = 0; i < 64; i++) tree.put(PREFIX_BASE + 1_000L * i, i, 0);
        for (int i = 0; i < 100; i++) tree.put(10L * i, i, 0);
        return tree;
    }

    /** Grows the tree by up to 30,000 keys outside the fixed ranges, then removes them, again and again. */
    private static LongConsumer writerOutside(CobTree tree, long seed) {
        Random rnd = new Random(seed);
        long[] written = new long[30_000];
        int[] n = {0};
        boolean[] growing = {true};
        return step -> {
            if (growing[0]) {
                long k = rnd.nextBoolean() ? -1 - rnd.nextInt(WRITER_SPAN) : 1_000 + rnd.nextInt(WRITER_SPAN - 1_000);
                if (!tree.containsKey(k)) { // one writer: nobody else adds k meanwhile
                    tree.put(k, step, 0);
                    written[n[0]++] = k;
                }
                if (n[0] == written.length) growing[0] = false;
            } else {
                int i = rnd.nextInt(n[0]);
                tree.remove(written[i], 0);
                written[i] = written[--n[0]];
                if (n[0] == 0) growing[0] = true;
            }
        };
    }

    @Test
    void selectOfAnUnchangingRangeIsExactWhileOthersWrite() throws Exception {
        long seed = TestSeed.seed("PositionsUnderWritersTest.selectOfAnUnchangingRangeIsExactWhileOthersWrite");
        CobTree tree = treeWithFixedKeys();
        Positions pos = new Positions(tree);
        Random rnd = new Random(seed);
        KeyValue kv = new KeyValue();
        Wrong wrong = new Wrong();
        long rounds = race(writerOutside(tree, seed), () -> {
            int i = rnd.nextInt(101);
            boolean found = pos.select(FIXED, i, kv);
            if (found != (i < 100) || found && (kv.key != 10L * i || kv.value != i)) {
                wrong.add("select(" + FIXED + ", " + i + ")", found ? kv.key + "=" + kv.value : "nothing");
            }
            int j = rnd.nextInt(65);
            found = pos.select(PREFIX, j, kv);
            if (found != (j < 64) || found && kv.key != PREFIX_BASE + 1_000L * j) {
                wrong.add("select(" + PREFIX + ", " + j + ")", found ? String.valueOf(kv.key) : "nothing");
            }
        });
        wrong.assertNone(seed, rounds);
    }

    /** Needs {@code CobTree.countRange} and {@code rank} to hold at one instant of the call (index-core). */
    @Test
    void countsRanksQuantilesAndHistogramsOfAnUnchangingRangeAreExactWhileOthersWrite() throws Exception {
        long seed = TestSeed.seed("PositionsUnderWritersTest.countsRanksQuantilesAndHistogramsOfAnUnchangingRangeAreExactWhileOthersWrite");
        CobTree tree = treeWithFixedKeys();
        Positions pos = new Positions(tree);
        long[] quartiles = pos.quantiles(FIXED, 4);     // quiet: exact (PositionsTest)
        long[] prefixSevenths = pos.quantiles(PREFIX, 7);
        Histogram hist = pos.equiDepth(FIXED, 7);
        assertArrayEquals(new long[] {0, 240, 490, 740, 990}, quartiles);
        Random rnd = new Random(seed);
        KeyValue kv = new KeyValue();
        Wrong wrong = new Wrong();
        long rounds = race(writerOutside(tree, seed), () -> {
            check(wrong, "count(" + FIXED + ")", 100, pos.count(FIXED));
            check(wrong, "count(" + PREFIX + ")", 64, pos.count(PREFIX));
            int i = rnd.nextInt(64);
            check(wrong, "rank(prefix key " + i + ")", i, pos.rank(PREFIX_BASE + 1_000L * i));
            check(wrong, "rank(" + PREFIX.last() + ")", 64, pos.rank(PREFIX.last() + 1));
            double q = rnd.nextDouble();
            if (!pos.quantile(FIXED, q, kv)) wrong.add("quantile(" + FIXED + ", " + q + ")", "nothing");
            else check(wrong, "quantile(" + FIXED + ", " + q + ")", 10 * (long) Math.floor(q * 99), kv.key);
            long[] got = pos.quantiles(FIXED, 4);
            if (!Arrays.equals(quartiles, got)) wrong.add("quantiles(" + FIXED + ", 4)", Arrays.toString(got));
            got = pos.quantiles(PREFIX, 7);
            if (!Arrays.equals(prefixSevenths, got)) wrong.add("quantiles(" + PREFIX + ", 7)", Arrays.toString(got));
            Histogram h = pos.equiDepth(FIXED, 7);
            if (!Arrays.equals(hist.lowerBounds(), h.lowerBounds()) || !Arrays.equals(hist.counts(), h.counts())
                    || h.buckets() == 0 || h.upperBound() != hist.upperBound()) {
                wrong.add("equiDepth(" + FIXED + ", 7)", h.toString());
            }
        });
        wrong.assertNone(seed, rounds);
    }

    /** Needs {@code CobTree.countRange} to hold at one instant of the call (index-core). */
    @Test
    void secondaryIndexCountOfAnUnchangingKeyIsExactWhileOthersWrite() throws Exception {
        long seed = TestSeed.seed("PositionsUnderWritersTest.secondaryIndexCountOfAnUnchangingKeyIsExactWhileOthersWrite");
        SecondaryIndex idx = new SecondaryIndex();
        for (int row = 0; row < 100; row++) idx.insert(5, row);
        Random rnd = new Random(seed);
        Wrong wrong = new Wrong();
        long rounds = race(step -> {
            long key = rnd.nextBoolean() ? 4 : 6 + rnd.nextInt(3);   // neighbours of key 5, on both sides
            long row = rnd.nextInt(20_000);
            if (rnd.nextInt(5) < 3) idx.insert(key, row); else idx.delete(key, row);
        }, () -> {
            check(wrong, "SecondaryIndex.count(key 5)", 100, idx.count(Range.singleton(5)));
            check(wrong, "SecondaryIndex.rowIds(key 5)", 100, idx.rowIds(5).getLongCardinality());
        });
        wrong.assertNone(seed, rounds);
    }

    /**
     * The writer only inserts into GROW and only deletes from SHRINK (and only inserts pairs of
     * key 7 into a secondary index). A count taken between two reads of the writer's counters
     * must lie between the count implied by the writes completed before the call and the one
     * implied by the writes started by its end. Needs {@code countRange}/{@code rank} to hold at
     * one instant of the call (index-core).
     */
    @Test
    void countsLieWithinTheCountsObservedAroundTheCallWhileWritersChangeTheRange() throws Exception {
        long seed = TestSeed.seed("PositionsUnderWritersTest.countsLieWithinTheCountsObservedAroundTheCallWhileWritersChangeTheRange");
        Range grow = Range.halfOpen(0, 1L << 40);
        Range shrink = Range.halfOpen(-(1L << 40), 0);
        int prefilled = 200_000;
        long[] keys = new long[prefilled];
        for (int i = 0; i < prefilled; i++) keys[i] = -(1L << 40) + spread(i); // distinct, below 0
        Arrays.sort(keys);
        CobTree tree = CobTree.builder().buildFromSorted(keys, keys.clone(), 0, prefilled);
        SecondaryIndex idx = new SecondaryIndex();
        Positions pos = new Positions(tree);
        AtomicLong growStarted = new AtomicLong(), growDone = new AtomicLong();
        AtomicLong shrinkStarted = new AtomicLong(), shrinkDone = new AtomicLong();
        long[] order = keys.clone();
        shuffle(order, new Random(seed));
        Wrong wrong = new Wrong();
        long rounds = race(step -> {
            growStarted.incrementAndGet();                 // before the write: an upper bound
            tree.put(spread(step), step, 0);               // a new key of GROW
            idx.insert(7, step);
            growDone.incrementAndGet();                    // after it returned: a lower bound
            if (step < prefilled) {
                shrinkStarted.incrementAndGet();
                tree.remove(order[(int) step], 0);
                shrinkDone.incrementAndGet();
            }
        }, () -> {
            long lo = growDone.get();
            long c = pos.count(grow);
            long hi = growStarted.get();
            within(wrong, "count(GROW)", lo, c, hi);
            lo = growDone.get();
            c = idx.count(Range.singleton(7));
            hi = growStarted.get();
            within(wrong, "SecondaryIndex.count(key 7)", lo, c, hi);
            lo = growDone.get();
            long[] q = pos.quantiles(grow, 8);
            if (lo > 0 && q.length != 9) wrong.add("quantiles(GROW, 8) of a range that only grows", q.length + " keys");
            for (int j = 1; j < q.length; j++) {
                if (q[j] < q[j - 1] || !grow.contains(q[j])) wrong.add("quantiles(GROW, 8) order and range", Arrays.toString(q));
            }
            Histogram h = pos.equiDepth(grow, 8);
            hi = growStarted.get();
            within(wrong, "equiDepth(GROW, 8).total()", lo, h.total(), hi);
            if (h.buckets() != Math.min(8, h.total())) wrong.add("equiDepth(GROW, 8).buckets()", h.toString());
            long removedBefore = shrinkDone.get();
            c = pos.count(shrink);
            long removedAfter = shrinkStarted.get();
            within(wrong, "count(SHRINK)", prefilled - removedAfter, c, prefilled - removedBefore);
            removedBefore = shrinkDone.get();
            c = pos.rank(0);
            removedAfter = shrinkStarted.get();
            within(wrong, "rank(0) = count(SHRINK)", prefilled - removedAfter, c, prefilled - removedBefore);
        });
        wrong.assertNone(seed, rounds);
    }

    /** Distinct for distinct i in [0, 2^40), spread over [0, 2^40): the bit-reversed index. */
    private static long spread(long i) {
        return Long.reverse(i) >>> 24;
    }

    private static void shuffle(long[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void check(Wrong wrong, String what, long want, long got) {
        if (got != want) wrong.add(what + " (want " + want + ")", String.valueOf(got));
    }

    private static void within(Wrong wrong, String what, long lo, long got, long hi) {
        if (got < lo || got > hi) wrong.add(what + " (bounds [" + lo + ", " + hi + "])", String.valueOf(got));
    }

    /**
     * Runs {@code write} (given its step number) on a writer thread and {@code read} on this
     * thread, started together, for the stress time; returns the reader's rounds.
     */
    private static long race(LongConsumer write, Runnable read) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong writes = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Thread writer = new Thread(() -> {
            try {
                start.await();
                for (long step = 0; !stop.get(); step++) {
                    write.accept(step);
                    writes.incrementAndGet();
                    if ((step & 63) == 0) Thread.yield(); // leave the reader CPU on small machines
                }
            } catch (Throwable t) {
                failed.incrementAndGet();
                t.printStackTrace();
            }
        }, "writer");
        writer.start();
        start.countDown();
        long rounds = 0;
        long end = System.nanoTime() + TestSeed.stressMillis() * 1_000_000;
        try {
            while (System.nanoTime() < end || rounds < 100 || writes.get() < 1_000) {
                read.run();
                rounds++;
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertEquals(0, failed.get(), "the writer failed");
        System.out.println("PositionsUnderWritersTest: " + rounds + " reader rounds against " + writes + " writes");
        return rounds;
    }

    /** Wrong answers by check: how many, and the first value seen. */
    private static final class Wrong {
        private final Map<String, long[]> counts = new TreeMap<>();
        private final Map<String, String> firstSeen = new TreeMap<>();

        void add(String what, String got) {
            String kind = what.replaceAll("-?\\d+(\\.\\d+)?(E-?\\d+)?", "#");
            counts.computeIfAbsent(kind, x -> new long[1])[0]++;
            firstSeen.putIfAbsent(kind, what + " gave " + got);
        }

        void assertNone(long seed, long rounds) {
            if (counts.isEmpty()) return;
            StringBuilder sb = new StringBuilder("seed=" + seed + ", " + rounds + " rounds:");
            counts.forEach((kind, n) -> sb.append("\n  ").append(n[0]).append(" wrong, e.g. ").append(firstSeen.get(kind)));
            fail(sb.toString());
        }
    }
}
