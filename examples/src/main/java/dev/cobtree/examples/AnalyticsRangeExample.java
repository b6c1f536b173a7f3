package dev.cobtree.examples;

import dev.cobtree.core.CobTree;
import dev.cobtree.query.Histogram;
import dev.cobtree.query.Order;
import dev.cobtree.query.Positions;
import dev.cobtree.query.Range;
import dev.cobtree.query.RangeScan;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Range analytics over N generated events (default 10,000,000): key = event time in
 * microseconds (strictly increasing), value = latency in microseconds. Range counts over many
 * time windows, an equi-depth histogram of event times by strided sampling, the latest k
 * events before many instants by a descending scan, and a range sum; each done by cobtree and
 * by {@link ConcurrentSkipListMap} with its own API (subMap().size(), iteration), answers
 * compared, timings side by side. A rough single run, not a benchmark.
 *
 * <pre>bin/demo AnalyticsRangeExample [events]</pre>
 */
public final class AnalyticsRangeExample {

    /** 2025-01-01T00:00:00Z in microseconds. */
    static final long EPOCH_MICROS = 1_735_689_600_000_000L;

    /** What both sides answered. */
    public record Result(long events, long windows, long cobtreeCountTotal, long cslmCountTotal,
                         long[] cobtreeHistogramBounds, long[] cslmHistogramBounds, long[] histogramCounts,
                         long cobtreeTopKChecksum, long cslmTopKChecksum,
                         long cobtreeSum, long cslmSum) {
        public boolean ok() {
            return cobtreeCountTotal == cslmCountTotal
                    && Arrays.equals(cobtreeHistogramBounds, cslmHistogramBounds)
                    && cobtreeTopKChecksum == cslmTopKChecksum
                    && cobtreeSum == cslmSum;
        }
    }

    private AnalyticsRangeExample() {
    }

    public static void main(String[] args) {
        int n = SizeArgument.parse(args, 10_000_000);
        Result r = run(n, System.out);
        if (!r.ok()) System.exit(1);
    }

    /** Generates {@code events} events, runs the analytics on both structures, prints to {@code out}. */
    public static Result run(int events, PrintStream out) {
        out.printf("range analytics over %,d events (key: time in microseconds, value: latency)%n", events);
        out.println("  cobtree beside java.util.concurrent.ConcurrentSkipListMap doing the same work");
        out.println("  (rough single-run timings on this machine, not a benchmark: see bench/ for JMH numbers)");
        out.println();
        if (events > 50_000) {
            out.print("  warming up the JIT on a small copy of the workload ...");
            out.flush();
            analyze(50_000, new PrintStream(OutputStream.nullOutputStream()), new TextTable("a", "b", "c", "d", "e"));
            out.println(" done");
        }
        TextTable table = new TextTable("operation", "cobtree", "ConcurrentSkipListMap", "cobtree speed-up", "check");
        Result r = analyze(events, out, table);
        out.println();
        table.print(out);
        out.println();
        out.printf("  check: %s%n", r.ok() ? "OK (both structures gave the same counts, histogram, top-k and sum)" : "MISMATCH");
        return r;
    }

    private static Result analyze(int events, PrintStream out, TextTable table) {
        Random rnd = new Random(11);
        long[] time = new long[events];
        long[] latency = new long[events];
        ProgressLine p = ProgressLine.start(out, String.format("generating %,d events", events), events);
        long t = EPOCH_MICROS;
        for (int i = 0; i < events; i++) {
            t += 1 + rnd.nextInt(200);                                  // about 10,000 events per second
            time[i] = t;
            latency[i] = 50 + (long) (-Math.log(1 - rnd.nextDouble()) * 400); // exponential, mean ~450 us
            if ((i & 0xFFFF) == 0) p.update(i);
        }
        p.finish();
        long first = time[0];
        long last = time[events - 1];

        p = ProgressLine.start(out, "loading cobtree (bulk load from sorted)", 1);
        CobTree tree = CobTree.builder().buildFromSorted(time, latency, 0, events);
        double cobLoad = p.finish();
        p = ProgressLine.start(out, "loading ConcurrentSkipListMap (ascending puts)", events);
        ConcurrentSkipListMap<Long, Long> cslm = new ConcurrentSkipListMap<>();
        for (int i = 0; i < events; i++) {
            cslm.put(time[i], latency[i]);
            if ((i & 0xFFFF) == 0) p.update(i);
        }
        double cslmLoad = p.finish();
        table.row(String.format("load %,d events", events), Stopwatch.format(cobLoad), Stopwatch.format(cslmLoad),
                TextTable.speedup(cobLoad, cslmLoad), "");

        // Range counts over random windows of up to 1% of the time span.
        Positions positions = new Positions(tree);
        int windows = 200;
        Range[] w = new Range[windows];
        long span = last - first;
        for (int i = 0; i < windows; i++) {
            long lo = first + (long) (rnd.nextDouble() * span);
            w[i] = Range.halfOpen(lo, lo + 1 + (long) (rnd.nextDouble() * span / 100));
        }
        Stopwatch sw = Stopwatch.start();
        long cobCounts = 0;
        for (Range r : w) cobCounts += positions.count(r);
        double cobCountMs = sw.millis();
        sw = Stopwatch.start();
        long cslmCounts = 0;
        for (Range r : w) cslmCounts += cslm.subMap(r.first(), true, r.last(), true).size();
        double cslmCountMs = sw.millis();
        table.row(String.format("count %d windows (%,d events in all)", windows, cobCounts), Stopwatch.format(cobCountMs),
                Stopwatch.format(cslmCountMs), TextTable.speedup(cobCountMs, cslmCountMs), check(cobCounts == cslmCounts));

        // An equi-depth histogram of the middle half of the time span, by strided sampling.
        Range middle = Range.halfOpen(first + span / 4, last - span / 4);
        int buckets = 20;
        sw = Stopwatch.start();
        Histogram h = positions.equiDepth(middle, buckets);
        double cobHistMs = sw.millis();
        sw = Stopwatch.start();
        long[] cslmBounds = cslmEquiDepth(cslm, middle, buckets);
        double cslmHistMs = sw.millis();
        long[] cobBounds = Arrays.copyOf(h.lowerBounds(), h.buckets() + 1);
        if (h.buckets() > 0) cobBounds[h.buckets()] = h.upperBound();
        table.row(String.format("equi-depth histogram, %d buckets of %,d", h.buckets(), h.buckets() == 0 ? 0 : h.count(0)),
                Stopwatch.format(cobHistMs), Stopwatch.format(cslmHistMs), TextTable.speedup(cobHistMs, cslmHistMs),
                check(Arrays.equals(cobBounds, cslmBounds)));

        // Top-k: the latest 10 events before each of 10,000 instants, by descending scans.
        int instants = 10_000;
        int k = 10;
        long[] at = new long[instants];
        for (int i = 0; i < instants; i++) at[i] = first + (long) (rnd.nextDouble() * span);
        RangeScan scan = new RangeScan(tree);
        long[] keys = new long[k];
        long[] values = new long[k];
        sw = Stopwatch.start();
        long cobTop = 0;
        for (long x : at) {
            int n = scan.fill(Range.lessThan(x), Order.DESCENDING, keys, values);
            for (int i = 0; i < n; i++) cobTop = cobTop * 31 + keys[i] + values[i];
        }
        double cobTopMs = sw.millis();
        sw = Stopwatch.start();
        long cslmTop = 0;
        for (long x : at) {
            Iterator<Map.Entry<Long, Long>> it = cslm.headMap(x, false).descendingMap().entrySet().iterator();
            for (int i = 0; i < k && it.hasNext(); i++) {
                Map.Entry<Long, Long> e = it.next();
                cslmTop = cslmTop * 31 + e.getKey() + e.getValue();
            }
        }
        double cslmTopMs = sw.millis();
        table.row(String.format("latest %d events before %,d instants", k, instants), Stopwatch.format(cobTopMs),
                Stopwatch.format(cslmTopMs), TextTable.speedup(cobTopMs, cslmTopMs), check(cobTop == cslmTop));

        // Sum of latencies over the middle half: a plain range scan.
        long[] sum = new long[1];
        sw = Stopwatch.start();
        long scanned = scan.forEach(middle, (key, v) -> sum[0] += v);
        double cobSumMs = sw.millis();
        sw = Stopwatch.start();
        long cslmSum = 0;
        for (Long v : cslm.subMap(middle.first(), true, middle.last(), true).values()) cslmSum += v;
        double cslmSumMs = sw.millis();
        table.row(String.format("sum latency over %,d events", scanned), Stopwatch.format(cobSumMs), Stopwatch.format(cslmSumMs),
                TextTable.speedup(cobSumMs, cslmSumMs), check(sum[0] == cslmSum));

        Result r = new Result(events, windows, cobCounts, cslmCounts, cobBounds, cslmBounds, h.counts(), cobTop, cslmTop, sum[0], cslmSum);
        tree.close();
        return r;
    }

    /** The same histogram with ConcurrentSkipListMap's API: size(), then a walk to each cut position. */
    static long[] cslmEquiDepth(ConcurrentNavigableMap<Long, Long> map, Range range, int buckets) {
        ConcurrentNavigableMap<Long, Long> sub = map.subMap(range.first(), true, range.last(), true);
        long n = sub.size();
        if (n == 0) return new long[0];
        int b = (int) Math.min(buckets, n);
        long[] bounds = new long[b + 1];
        int next = 0;
        long pos = 0;
        long cut = 0;
        for (Long key : sub.keySet()) {
            if (pos == cut && next < b) {
                bounds[next++] = key;
                cut = next < b ? Math.floorDiv(next * n, b) : n - 1;
            }
            if (pos == n - 1) bounds[b] = key;
            pos++;
        }
        return bounds;
    }

    private static String check(boolean same) {
        return same ? "OK" : "MISMATCH";
    }
}
