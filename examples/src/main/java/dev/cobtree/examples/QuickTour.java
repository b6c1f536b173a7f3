package dev.cobtree.examples;

import dev.cobtree.core.CobTree;
import dev.cobtree.query.PointLookup;
import dev.cobtree.query.Positions;
import dev.cobtree.query.Range;
import dev.cobtree.query.RangeScan;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The README demo: builds a cobtree of N entries (default 1,000,000) and a
 * {@link ConcurrentSkipListMap} with the same entries, then runs the same random lookups, a
 * sorted batch of lookups, a range scan and a range count on both, checks that they agree,
 * and prints the timings side by side. One run on whatever machine this is: a rough demo,
 * not a benchmark (the JMH benchmarks live in the bench module).
 *
 * <pre>bin/demo [size]</pre>
 */
public final class QuickTour {

    /** What both structures answered; the tour passes when they agree. */
    public record Result(long entries, long cobtreeSize, long cslmSize,
                         long lookups, long cobtreeHits, long cslmHits, long cobtreeSum, long cslmSum,
                         long batchHits, long batchSum,
                         Range scanned, long cobtreeScanCount, long cslmScanCount, long cobtreeScanSum, long cslmScanSum,
                         long cobtreeRangeCount, long cslmRangeCount) {

        public boolean ok() {
            return cobtreeSize == entries && cslmSize == entries
                    && cobtreeHits == cslmHits && cobtreeSum == cslmSum
                    && batchHits == cslmHits && batchSum == cslmSum
                    && cobtreeScanCount == cslmScanCount && cobtreeScanSum == cslmScanSum
                    && cobtreeRangeCount == cslmRangeCount && cobtreeRangeCount == cobtreeScanCount;
        }
    }

    private QuickTour() {
    }

    public static void main(String[] args) {
        int size = SizeArgument.parse(args, 1_000_000);
        Result r = run(size, System.out);
        if (!r.ok()) {
            System.out.println("MISMATCH: cobtree and ConcurrentSkipListMap disagree: " + r);
            System.exit(1);
        }
    }

    /** Runs the tour over {@code size} entries, printing to {@code out}; returns both sides' answers. */
    public static Result run(int size, PrintStream out) {
        out.printf("cobtree quick tour: %,d entries, cobtree beside java.util.concurrent.ConcurrentSkipListMap%n", size);
        out.println("  (rough single-run timings on this machine, not a benchmark: see bench/ for JMH numbers)");
        out.println();
        if (size > 20_000) {
            out.print("  warming up the JIT on a small copy of the workload ...");
            out.flush();
            tour(20_000, new PrintStream(OutputStream.nullOutputStream()), new TextTable("op", "a", "b", "c"));
            out.println(" done");
        }
        TextTable table = new TextTable("operation", "cobtree", "ConcurrentSkipListMap", "cobtree speed-up");
        Result r = tour(size, out, table);
        out.println();
        table.print(out);
        out.println();
        out.printf("  check: %s (both structures gave the same hits, sums and counts)%n", r.ok() ? "OK" : "MISMATCH");
        return r;
    }

    private static Result tour(int size, PrintStream out, TextTable table) {
        Random rnd = new Random(42);
        // Distinct keys, roughly uniform over [0, 8 * size), inserted in random order.
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) keys[i] = 8L * i + rnd.nextInt(8);
        shuffle(keys, rnd);

        CobTree tree = new CobTree();
        ProgressLine p = ProgressLine.start(out, String.format("building cobtree (%,d random puts)", size), size);
        for (int i = 0; i < size; i++) {
            tree.put(keys[i], valueOf(keys[i]), -1);
            if ((i & 0xFFFF) == 0) p.update(i);
        }
        double cobBuild = p.finish();
        ConcurrentSkipListMap<Long, Long> cslm = new ConcurrentSkipListMap<>();
        p = ProgressLine.start(out, String.format("building ConcurrentSkipListMap (%,d puts)", size), size);
        for (int i = 0; i < size; i++) {
            cslm.put(keys[i], valueOf(keys[i]));
            if ((i & 0xFFFF) == 0) p.update(i);
        }
        double cslmBuild = p.finish();
        table.row(String.format("build: %,d random puts", size), Stopwatch.format(cobBuild), Stopwatch.format(cslmBuild),
                TextTable.speedup(cobBuild, cslmBuild));

        // Lookups: half of them hit.
        int lookups = size;
        long[] probe = new long[lookups];
        for (int i = 0; i < lookups; i++) probe[i] = i % 2 == 0 ? keys[rnd.nextInt(size)] : rnd.nextLong(8L * size);
        Stopwatch sw = Stopwatch.start();
        long cobHits = 0, cobSum = 0;
        for (long k : probe) {
            long v = tree.get(k, -1);
            if (v != -1) {
                cobHits++;
                cobSum += v;
            }
        }
        double cobGet = sw.millis();
        sw = Stopwatch.start();
        long cslmHits = 0, cslmSum = 0;
        for (long k : probe) {
            Long v = cslm.get(k);
            if (v != null) {
                cslmHits++;
                cslmSum += v;
            }
        }
        double cslmGet = sw.millis();
        table.row(String.format("%,d random lookups", lookups), Stopwatch.format(cobGet), Stopwatch.format(cslmGet),
                TextTable.speedup(cobGet, cslmGet));

        // The same lookups sorted: one by one, then as one batch (one forward pass, no descent per key).
        long[] sorted = probe.clone();
        Arrays.sort(sorted);
        long[] values = new long[lookups];
        PointLookup lookup = new PointLookup(tree);
        sw = Stopwatch.start();
        long oneByOneHits = lookup.getAllOneByOne(sorted, 0, lookups, values, -1);
        double cobSorted = sw.millis();
        sw = Stopwatch.start();
        long sortedHits = 0;
        for (long k : sorted) if (cslm.get(k) != null) sortedHits++;
        double cslmSorted = sw.millis();
        table.row("the same lookups sorted, one by one", Stopwatch.format(cobSorted), Stopwatch.format(cslmSorted),
                TextTable.speedup(cobSorted, cslmSorted));
        sw = Stopwatch.start();
        long batchHits = lookup.getAll(sorted, values, -1);
        double cobBatch = sw.millis();
        long batchSum = 0;
        for (long v : values) if (v != -1) batchSum += v;
        table.row("the same lookups sorted, as one batch", Stopwatch.format(cobBatch), "(no batch API)",
                TextTable.speedup(cobBatch, cslmSorted));
        if (sortedHits != cslmHits || oneByOneHits != batchHits) cslmHits = -1; // cannot happen; shows as a mismatch

        // A range scan over a tenth of the key space, and the size of that range.
        long lo = 8L * size * 4 / 10;
        Range range = Range.halfOpen(lo, lo + 8L * size / 10);
        // Scanned in alternating rounds, so that both sides get the same warm-up (JIT, caches) and
        // the row shows the steady-state ratio, not whichever side happened to run cold.
        long[] acc = new long[2];
        long[] cslmAcc = new long[2];
        RangeScan scan = new RangeScan(tree);
        double[] scanMs = steadyState(() -> {
            acc[0] = 0;
            acc[1] = 0;
            scan.forEach(range, (k, v) -> {
                acc[0]++;
                acc[1] += v;
            });
        }, () -> {
            long n = 0, sum = 0;
            for (Map.Entry<Long, Long> e : cslm.subMap(range.first(), true, range.last(), true).entrySet()) {
                n++;
                sum += e.getValue();
            }
            cslmAcc[0] = n;
            cslmAcc[1] = sum;
        });
        long cslmScanCount = cslmAcc[0], cslmScanSum = cslmAcc[1];
        table.row(String.format("range scan of %,d entries (median of %d rounds)", acc[0], SCAN_ROUNDS),
                Stopwatch.format(scanMs[0]), Stopwatch.format(scanMs[1]), TextTable.speedup(scanMs[0], scanMs[1]));

        sw = Stopwatch.start();
        long cobCount = new Positions(tree).count(range);
        double cobCountMs = sw.millis();
        sw = Stopwatch.start();
        long cslmCount = cslm.subMap(range.first(), true, range.last(), true).size();
        double cslmCountMs = sw.millis();
        table.row("count of that range (subMap().size())", Stopwatch.format(cobCountMs), Stopwatch.format(cslmCountMs),
                TextTable.speedup(cobCountMs, cslmCountMs));

        Result r = new Result(size, tree.size(), cslm.size(), lookups, cobHits, cslmHits, cobSum, cslmSum, batchHits, batchSum,
                range, acc[0], cslmScanCount, acc[1], cslmScanSum, cobCount, cslmCount);
        tree.close();
        return r;
    }

    /** Unmeasured rounds of the scan row before its measured ones. */
    static final int SCAN_WARMUP_ROUNDS = 5;
    /** Measured rounds of the scan row; the row shows their median. */
    static final int SCAN_ROUNDS = 9;

    /**
     * Runs {@code a} and {@code b} in alternating rounds (which goes first alternates too), first
     * {@link #SCAN_WARMUP_ROUNDS} unmeasured, then {@link #SCAN_ROUNDS} measured; returns the
     * median milliseconds of each side's measured rounds.
     */
    static double[] steadyState(Runnable a, Runnable b) {
        double[] ta = new double[SCAN_ROUNDS];
        double[] tb = new double[SCAN_ROUNDS];
        for (int round = 0; round < SCAN_WARMUP_ROUNDS + SCAN_ROUNDS; round++) {
            boolean aFirst = round % 2 == 0;
            double first = time(aFirst ? a : b);
            double second = time(aFirst ? b : a);
            int m = round - SCAN_WARMUP_ROUNDS;
            if (m >= 0) {
                ta[m] = aFirst ? first : second;
                tb[m] = aFirst ? second : first;
            }
        }
        Arrays.sort(ta);
        Arrays.sort(tb);
        return new double[] {ta[SCAN_ROUNDS / 2], tb[SCAN_ROUNDS / 2]};
    }

    private static double time(Runnable r) {
        Stopwatch sw = Stopwatch.start();
        r.run();
        return sw.millis();
    }

    static long valueOf(long key) {
        return key * 1_000_003L + 17;
    }

    static void shuffle(long[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
