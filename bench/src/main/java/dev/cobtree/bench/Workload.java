package dev.cobtree.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * How the report reads one benchmark method's results: its title, which parameters besides the
 * implementation tell rows apart, how a JMH score becomes the number people compare (ns per
 * operation or per entry, or operations per second), and what to compare it with.
 *
 * @param id          file name of the chart
 * @param implParam   the parameter naming the implementation
 * @param groupBy     the other parameters (and "threads") that make one comparison group
 * @param perOp       entries one JMH operation covers (the score is divided by it)
 * @param baselines   implementations every row is compared with (speedup = baseline time / row time)
 * @param limits      the implementations that stand for the physical limit here (the best of them
 *                    in each group is the limit), empty if none
 */
public record Workload(String id, String title, String benchmark, String description, String implParam,
                       List<String> groupBy, String unit, ToDoubleFunction<JmhResults.Result> perOp,
                       List<String> baselines, List<String> limits) {

    private static final List<String> CSLM = List.of("cslmFresh", "cslmCompacted");
    /** Lookups have two limits: which of binary search and Eytzinger wins depends on the machine and the size. */
    private static final List<String> LOOKUP_LIMITS = List.of("eytzinger", "sortedArray");

    /** Every workload, in report order. */
    public static final List<Workload> ALL = List.of(
            new Workload("get-hit", "Random get, present keys", "PointBench.getHit",
                    "One lookup of a random present key; ns per lookup.", "impl", List.of("size"), "ns/op",
                    r -> 1, CSLM, LOOKUP_LIMITS),
            new Workload("get-miss", "Random get, absent keys", "PointBench.getMiss",
                    "One lookup of a random absent key; ns per lookup.", "impl", List.of("size"), "ns/op",
                    r -> 1, CSLM, LOOKUP_LIMITS),
            new Workload("put-random", "Random put from empty", "WriteBench.randomPut",
                    "All `size` keys put in random order into a new, empty structure; ns per put.", "impl",
                    List.of("size"), "ns/put", JmhResults.Result::size, CSLM, List.of()),
            new Workload("put-ascending", "Ascending put from empty", "WriteBench.ascendingPut",
                    "All `size` keys put in ascending order into a new, empty structure; ns per put.", "impl",
                    List.of("size"), "ns/put", JmhResults.Result::size, CSLM, List.of()),
            new Workload("remove", "Remove until empty", "RemoveBench.removeAll",
                    "Every key removed in random order from a structure just built by random puts; ns per remove.", "impl",
                    List.of("size"), "ns/remove", JmhResults.Result::size, CSLM, List.of()),
            new Workload("scan-ascending", "Range scan, ascending", "ScanBench.ascending",
                    "`length` consecutive entries from a random present key, key and value of each read; ns per entry.",
                    "impl", List.of("size", "length"), "ns/entry",
                    r -> ScanBench.entries(r.param("length"), r.size()), CSLM, List.of("sortedArray")),
            new Workload("scan-descending", "Range scan, descending", "ScanBench.descending",
                    "As the ascending scan, from the high end down; ns per entry.",
                    "impl", List.of("size", "length"), "ns/entry",
                    r -> ScanBench.entries(r.param("length"), r.size()), CSLM, List.of("sortedArray")),
            new Workload("strided", "Strided access", "StridedBench.strided",
                    "Every k-th entry of the whole range; ns per entry visited (ceil(size/k) per pass).",
                    "impl", List.of("size", "k"), "ns/visited",
                    r -> StridedBench.visited(r.size(), Integer.parseInt(r.param("k"))), CSLM, List.of("sortedArray")),
            new Workload("mixed", "Mixed 80% get / 20% put", "ConcurrentBench.mixed",
                    "Random keys from a universe of 2 x size, half present at the start; total operations per second of all threads.",
                    "impl", List.of("size", "threads"), "Mops/s", r -> 1, CSLM, List.of()),
            new Workload("read-only", "Read-only scaling", "ConcurrentBench.readOnly",
                    "Random get of present keys by every thread; total operations per second of all threads.",
                    "impl", List.of("size", "threads"), "Mops/s", r -> 1, CSLM, LOOKUP_LIMITS),
            new Workload("tail-read", "Tail ingest + recent reads: the reader", "TailBench.tail:read",
                    "One thread appends ascending keys to a window of `size` entries (each append also removes the oldest key), "
                    + "one reads among the newest 10^4 keys: get, ceiling and 100-entry scans in turn; the reader's operations per second.",
                    "impl", List.of("size"), "Mops/s", r -> 1, CSLM, List.of()),
            new Workload("tail-append", "Tail ingest + recent reads: the writer", "TailBench.tail:append",
                    "The same run: the appending thread's operations per second (one put of the next key and one remove of the oldest).",
                    "impl", List.of("size"), "Mops/s", r -> 1, CSLM, List.of()),
            new Workload("region-read", "Reader under a writer in its region: the reader", "RegionBench.region:read",
                    "One thread removes and puts back 64 adjacent keys in turn, one calls ceilingKey and get among them; "
                    + "the reader's operations per second.",
                    "impl", List.of("size"), "Mops/s", r -> 1, CSLM, List.of()),
            new Workload("region-write", "Reader under a writer in its region: the writer", "RegionBench.region:write",
                    "The same run: the writer's removes and puts per second.",
                    "impl", List.of("size"), "Mops/s", r -> 1, CSLM, List.of()),
            new Workload("values-get", "Object values: random get, present keys", "ValuesBench.getHit",
                    "LongObjectTree<Object> vs Long -> Object maps (shared value objects): one lookup of a random present key; ns per lookup.",
                    "impl", List.of("size"), "ns/op", r -> 1, CSLM, List.of()),
            new Workload("values-put", "Object values: random put from empty", "ValuesBench.randomPut",
                    "All `size` keys put in random order into a new, empty structure, shared value objects; ns per put.",
                    "impl", List.of("size"), "ns/put", JmhResults.Result::size, CSLM, List.of()),
            new Workload("values-remove", "Object values: remove until empty", "ValuesBench.removeAll",
                    "Every key removed in random order from a structure just built by random puts; ns per remove.",
                    "impl", List.of("size"), "ns/remove", JmhResults.Result::size, CSLM, List.of()),
            new Workload("values-scan", "Object values: 10,000-entry range scan", "ValuesBench.scan",
                    "10,000 consecutive entries from a random present key, key and value id of each read; ns per entry.",
                    "impl", List.of("size"), "ns/entry", r -> ValuesBench.scanEntries(r.size()), CSLM, List.of()),
            new Workload("search-layout", "Search layout over segment fences", "SearchLayoutBench.route",
                    "Route a random key to its segment (greatest fence <= key) among `fences` sorted fences; ns per search.",
                    "layout", List.of("fences"), "ns/op", r -> 1, List.of("binary", "eytzinger"), List.of()));

    public boolean throughput() {
        return unit.endsWith("/s");
    }

    /** The number this workload reports for a result: ns per entry, or millions of operations per second. */
    public double value(JmhResults.Result r) {
        return convert(r, r.score());
    }

    /** The error on {@link #value}, in the same unit. */
    public double error(JmhResults.Result r) {
        return convert(r, r.error());
    }

    private double convert(JmhResults.Result r, double x) {
        if (throughput()) {
            return x * perSecond(r.unit()) / 1e6;
        }
        return x * nanosPerUnit(r.unit()) / perOp.applyAsDouble(r);
    }

    /** Speedup of {@code row} over {@code base}: above 1 means {@code row} is faster. */
    public double speedup(JmhResults.Result row, JmhResults.Result base) {
        double a = value(row);
        double b = value(base);
        return throughput() ? a / b : b / a;
    }

    private static double nanosPerUnit(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.startsWith("ns/")) return 1;
        if (u.startsWith("us/")) return 1e3;
        if (u.startsWith("ms/")) return 1e6;
        if (u.startsWith("s/")) return 1e9;
        throw new IllegalArgumentException("not a time per operation: " + unit);
    }

    private static double perSecond(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.endsWith("/s")) return 1;
        if (u.endsWith("/ms")) return 1e3;
        if (u.endsWith("/us")) return 1e6;
        if (u.endsWith("/ns")) return 1e9;
        throw new IllegalArgumentException("not operations per time: " + unit);
    }
}
