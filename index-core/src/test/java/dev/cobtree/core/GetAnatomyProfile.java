package dev.cobtree.core;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a random {@code get} spends its time: a profile by subtraction, not a benchmark (the
 * benchmark is JMH {@code PointBench}). Over the same 2^20 random present keys, each pass adds
 * one stage of {@link Navigator#get}: the vEB descent to the home segment, the header line (count
 * and pivots), the in-segment search, and the whole get (the found cell's meta word and value,
 * validated); a sorted {@code long[]} binary search (keys only) runs beside it. Passes alternate
 * in one JVM; the best and the median pass of each are printed in ns per lookup. Run only with
 * {@code -Dcobtree.perf=true} ({@code -Dcobtree.perf.entries=N}, default 10^6).
 */
@Tag("perf")
@EnabledIfSystemProperty(named = "cobtree.perf", matches = "true")
class GetAnatomyProfile {

    @Test
    void stagesOfARandomGet() {
        int n = Integer.getInteger("cobtree.perf.entries", 1_000_000);
        int rounds = Integer.getInteger("cobtree.perf.rounds", 21);
        CobTree t = CobTree.builder().build();
        SplittableRandom r = new SplittableRandom(42);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = r.nextLong();
            t.put(keys[i], i, -1);
        }
        long[] probe = new long[1 << 20];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = keys[r.nextInt(n)];
        }
        long[] sorted = keys.clone();
        Arrays.sort(sorted);
        Storage st = t.engine().storage();
        String[] stage = {"vEB descent", "+ header line", "+ in-segment search", "whole get", "binary search, long[]"};
        double[][] ns = new double[stage.length][rounds];
        long sink = 0;
        for (int round = 0; round < rounds; round++) {
            long t0 = System.nanoTime();
            for (long k : probe) {
                sink += st.index.find(k);
            }
            long t1 = System.nanoTime();
            for (long k : probe) {
                sink += st.headers.count(st.index.find(k));
            }
            long t2 = System.nanoTime();
            for (long k : probe) {
                int s = st.index.find(k);
                sink += st.search(s, st.clampCount(st.headers.count(s)), k);
            }
            long t3 = System.nanoTime();
            for (long k : probe) {
                sink += t.get(k, -1);
            }
            long t4 = System.nanoTime();
            for (long k : probe) {
                sink += Arrays.binarySearch(sorted, k);
            }
            long t5 = System.nanoTime();
            long[] at = {t0, t1, t2, t3, t4, t5};
            for (int j = 0; j < stage.length; j++) {
                ns[j][round] = (double) (at[j + 1] - at[j]) / probe.length;
            }
        }
        System.out.printf(Locale.ROOT, "get anatomy: %,d entries, %d segments of %d cells, %d rounds (checksum %d)%n",
                n, st.segments, st.segmentSize, rounds, sink & 0xff);
        for (int j = 0; j < stage.length; j++) {
            double[] s = ns[j].clone();
            Arrays.sort(s);
            System.out.printf(Locale.ROOT, "  %-24s best %7.1f  median %7.1f ns%n", stage[j], s[0], s[s.length / 2]);
        }
        t.close();
    }
}
