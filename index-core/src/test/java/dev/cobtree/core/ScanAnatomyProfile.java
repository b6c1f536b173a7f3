package dev.cobtree.core;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a whole-range scan spends its time: a profile by subtraction, not a benchmark (the
 * benchmark is JMH {@code ScanBench}, {@code length=all}, {@code impl=cobtreeSink}). A tree
 * bulk-loaded as the target rows load it ({@link CobTree.Builder#buildFromSorted}, density
 * about 0.65) is read five ways in alternating passes in one JVM, each folding every key and
 * value into a checksum:
 * <ol>
 *   <li>the heap store's whole word array in address order, the segments' empty cells included
 *       (what a stream of the whole store costs: the layout's floor with its gaps; the array is
 *       taken from the store by reflection, this profile's only look behind the store);</li>
 *   <li>each segment's occupied key run and value run in place in that array, no seqlock (the
 *       gaps skipped);</li>
 *   <li>as 2, but copied first into a buffer with the store's bulk copy, then folded from it;</li>
 *   <li>the scan itself ({@link CobTree#forEachInRange}: batched steps, seqlock validation, the sink);</li>
 *   <li>a sorted {@code long[]} pair (keys, values): the limit the issue-11 target is set against.</li>
 * </ol>
 * The best and the median pass of each are printed in ns per entry. Run only with
 * {@code -Dcobtree.perf=true} ({@code -Dcobtree.perf.entries=N}, default 10^7).
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "cobtree.perf", matches = "true")
class ScanAnatomyProfile {

    private static final class Fold implements LongLongConsumer {
        long acc;

        @Override
        public void accept(long key, long value) {
            acc += key ^ value;
        }
    }

    @Test
    void waysOfReadingTheWholeTree() {
        int n = Integer.getInteger("cobtree.perf.entries", 10_000_000);
        int rounds = Integer.getInteger("cobtree.perf.rounds", 15);
        SplittableRandom r = new SplittableRandom(42);
        long[] keys = r.longs(n + n / 10L).distinct().limit(n).sorted().toArray();
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = keys[i] * 31;
        }
        CobTree t = CobTree.builder().buildFromSorted(keys, values, 0, n);
        Storage st = t.engine().storage();
        long capacity = st.capacity();
        long[] words = wordsOf(st);
        int b = st.segmentSize;
        long[] kbuf = new long[st.segmentSize];
        long[] vbuf = new long[st.segmentSize];
        Fold fold = new Fold();
        String[] way = {"whole word array (gaps too)", "occupied runs in place", "runs copied, then folded",
            "forEachInRange (the scan)", "sorted long[] pair"};
        double[][] ns = new double[way.length][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (int w = 0; w < words.length; w += 2) {
                sink += words[w] ^ words[w + 1];
            }
            long t1 = System.nanoTime();
            for (int s = 0; s < st.segments; s++) {
                int keyAt = 2 * b * s; // SEPARATE_META: [key 0 .. key B-1 | value 0 .. value B-1] per segment
                int count = st.headers.count(s);
                for (int i = 0; i < count; i++) {
                    sink += words[keyAt + i] ^ words[keyAt + b + i];
                }
            }
            long t2 = System.nanoTime();
            for (int s = 0; s < st.segments; s++) {
                int count = st.headers.count(s);
                st.cells.copyEntries(st.base(s), count, kbuf, vbuf);
                for (int i = 0; i < count; i++) {
                    sink += kbuf[i] ^ vbuf[i];
                }
            }
            long t3 = System.nanoTime();
            t.forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, fold);
            long t4 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sink += keys[i] ^ values[i];
            }
            long t5 = System.nanoTime();
            long[] at = {t0, t1, t2, t3, t4, t5};
            for (int j = 0; j < way.length; j++) {
                ns[j][round] = (double) (at[j + 1] - at[j]) / n;
            }
        }
        System.out.printf(Locale.ROOT, "scan anatomy: %,d entries, %d segments of %d cells (density %.2f), %d rounds (checksum %d)%n",
                n, st.segments, st.segmentSize, (double) n / capacity, rounds, (sink + fold.acc) & 0xff);
        for (int j = 0; j < way.length; j++) {
            double[] s = ns[j].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "  %-30s best %6.3f  median %6.3f ns per entry%n", way[j], s[0], s[s.length / 2]);
        }
        t.close();
    }

    private static long[] wordsOf(Storage st) {
        try {
            var f = st.cells.getClass().getDeclaredField("words");
            f.setAccessible(true);
            return (long[]) f.get(st.cells);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("this profile reads the heap store's word array", e);
        }
    }
}
