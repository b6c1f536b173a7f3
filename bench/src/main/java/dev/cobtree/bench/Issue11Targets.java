package dev.cobtree.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The benchmark targets of issue 11, judged from the data of one run (plus, for the targets
 * against an earlier build, the results of its {@code --baseline-jar}, whose implementations are
 * named {@code base:IMPL}). Each target is judged at each size measured, 10^6 and up, on its own
 * row: the ratio of cobtree to the baseline, its error, and met / not met.
 *
 * <p>The ratio is a speedup ({@code baseline time / cobtree time}, or cobtree throughput /
 * baseline throughput; above 1 cobtree is faster), its error the propagated error of the two
 * means, {@code ratio * sqrt((e1/m1)^2 + (e2/m2)^2)}, from JMH's 99.9% half-widths. A target is
 * met when the ratio reaches the goal; when the goal lies inside {@code ratio ± error} the status
 * says so ("within error"): the run cannot tell that row apart from its goal.
 */
final class Issue11Targets {

    /** One verdict row. */
    record Row(String target, String size, String goal, String measured, String status) {
    }

    private final List<JmhResults.Result> results;
    private final List<MemoryFootprint.Row> memory;

    Issue11Targets(List<JmhResults.Result> results, List<MemoryFootprint.Row> memory) {
        this.results = results;
        this.memory = memory;
    }

    /** A target: cobtree's best of {@code impls} against {@code base} on {@code benchmark}'s rows that pass {@code filter}. */
    private record Spec(String name, String benchmark, Predicate<JmhResults.Result> filter, List<String> impls, String base,
                        double goal, boolean cost) {
        /** The goal as text: a minimum speedup, or a maximum cost (time relative to the baseline). */
        String goalText() {
            return cost ? String.format(Locale.ROOT, "<= %sx the time of %s", trim(goal), base)
                    : String.format(Locale.ROOT, ">= %sx %s", trim(goal), base);
        }
    }

    private static Predicate<JmhResults.Result> param(String name, String value) {
        return r -> value.equals(r.param(name));
    }

    private static final Predicate<JmhResults.Result> ALL = r -> true;

    private static List<Spec> specs() {
        List<String> sink = List.of("cobtreeSink", "cobtree");
        List<String> map = List.of("cobtreeMap");
        List<String> tree = List.of("cobtree");
        return List.of(
                new Spec("whole-range scan, primitive sink", "ScanBench.ascending", param("length", "all"), sink, "sortedArray", 2, true),
                new Spec("whole-range scan, primitive sink", "ScanBench.ascending", param("length", "all"), sink, "cslmCompacted", 5, false),
                new Spec("`CobTreeMap` entry-set scan of 10^4 entries", "ScanBench.ascending", param("length", "10000"), map,
                        "cslmCompacted", 1.5, false),
                new Spec("random get, present key", "PointBench.getHit", ALL, tree, "sortedArray", 0.75, true),
                new Spec("random get, present key", "PointBench.getHit", ALL, tree, "cslmCompacted", 6, false),
                new Spec("strided, every 8th", "StridedBench.strided", param("k", "8"), tree, "cslmCompacted", 3, false),
                new Spec("tail ingest + recent reads: reader (`CobTreeMap`)", "TailBench.tail:read", ALL, map, "cslmFresh", 1, false),
                new Spec("tail ingest + recent reads: reader (`CobTreeMap`)", "TailBench.tail:read", ALL, map, "cslmCompacted", 1, false),
                new Spec("tail ingest + recent reads: reader (primitive `CobTree`)", "TailBench.tail:read", ALL, tree, "cslmFresh", 1, false),
                new Spec("tail ingest + recent reads: reader (primitive `CobTree`)", "TailBench.tail:read", ALL, tree, "cslmCompacted", 1, false),
                new Spec("tail ingest + recent reads: writer (`CobTreeMap`)", "TailBench.tail:append", ALL, map, "base:cobtreeMap", 1, false),
                new Spec("random put from empty", "WriteBench.randomPut", ALL, tree, "base:cobtree", 1.1, true),
                new Spec("ascending put from empty", "WriteBench.ascendingPut", ALL, tree, "base:cobtree", 1.1, true),
                new Spec("remove until empty", "RemoveBench.removeAll", ALL, tree, "base:cobtree", 1.1, true),
                new Spec("reader under a writer in its region (`CobTreeMap`; no goal in the issue)", "RegionBench.region:read", ALL, map,
                        "cslmCompacted", Double.NaN, false),
                new Spec("reader under a writer in its region (`CobTreeMap`; no goal in the issue)", "RegionBench.region:read", ALL, map,
                        "cslmFresh", Double.NaN, false),
                new Spec("reader under a writer in its region (primitive `CobTree`; no goal)", "RegionBench.region:read", ALL, tree,
                        "cslmCompacted", Double.NaN, false));
    }

    List<Row> rows() {
        List<Row> out = new ArrayList<>();
        for (Spec s : specs()) {
            Workload w = Workload.ALL.stream().filter(x -> x.benchmark().equals(s.benchmark())).findFirst().orElseThrow();
            boolean any = false;
            for (int size : sizes(s)) {
                JmhResults.Result row = best(s, w, size);
                JmhResults.Result base = row == null ? null : peer(row, s.base());
                if (row == null || base == null) continue;
                any = true;
                double speedup = w.speedup(row, base);
                double rel = Math.hypot(w.error(row) / w.value(row), w.error(base) / w.value(base));
                double ratio = s.cost() ? 1 / speedup : speedup;
                double err = ratio * rel;
                String measured = String.format(Locale.ROOT, "%s%s ± %s (%s %s %s vs %s %s %s; n = %s, %s)",
                        ReportWriter.num(ratio), s.cost() ? "x the time" : "x", Double.isNaN(err) ? "?" : ReportWriter.num(err),
                        row.param("impl"), ReportWriter.num(w.value(row)), w.unit(), s.base(), ReportWriter.num(w.value(base)), w.unit(),
                        samples(row), samples(base));
                out.add(new Row(s.name(), ReportWriter.size(size), Double.isNaN(s.goal()) ? "(none)" : s.goalText(), measured,
                        status(s, ratio, err)));
            }
            if (!any) {
                out.add(new Row(s.name(), "—", Double.isNaN(s.goal()) ? "(none)" : s.goalText(),
                        s.base().startsWith("base:") ? "no " + s.base() + " rows: run with --baseline-jar" : "not measured in this run",
                        "not measured"));
            }
        }
        out.add(memoryRow());
        return out;
    }

    private static String samples(JmhResults.Result r) {
        return r.raw().isEmpty() ? "1 fork" : r.forks() + (r.forks() == 1 ? " fork" : " forks") + " x " + (r.iterations() / r.forks());
    }

    private static String status(Spec s, double ratio, double err) {
        if (Double.isNaN(s.goal())) return "measured (no target)";
        boolean met = s.cost() ? ratio <= s.goal() : ratio >= s.goal();
        boolean close = !Double.isNaN(err) && Math.abs(ratio - s.goal()) <= err;
        return (met ? "**met**" : "**not met**") + (close ? " (within error)" : "");
    }

    private List<Integer> sizes(Spec s) {
        return results.stream().filter(r -> r.benchmark().equals(s.benchmark()) && r.size() >= 1_000_000 && s.filter().test(r))
                .map(JmhResults.Result::size).distinct().sorted().toList();
    }

    /** cobtree's fastest result among the spec's implementations at {@code size}. */
    private JmhResults.Result best(Spec s, Workload w, int size) {
        JmhResults.Result best = null;
        for (JmhResults.Result r : results) {
            if (!r.benchmark().equals(s.benchmark()) || r.size() != size || !s.filter().test(r) || !s.impls().contains(r.param("impl"))) {
                continue;
            }
            if (best == null || w.speedup(r, best) > 1) best = r;
        }
        return best;
    }

    /** The result of {@code impl} with the same benchmark, threads and other parameters as {@code row}. */
    private JmhResults.Result peer(JmhResults.Result row, String impl) {
        for (JmhResults.Result r : results) {
            if (!r.benchmark().equals(row.benchmark()) || r.threads() != row.threads() || !impl.equals(r.param("impl"))) continue;
            boolean same = true;
            for (Map.Entry<String, String> p : row.params().entrySet()) {
                if (!p.getKey().equals("impl") && !p.getValue().equals(r.params().get(p.getKey()))) same = false;
            }
            if (same) return r;
        }
        return null;
    }

    private Row memoryRow() {
        StringBuilder measured = new StringBuilder();
        boolean met = true;
        boolean any = false;
        for (MemoryFootprint.Row r : memory) {
            if (r.impl().equals("cobtree") && r.size() >= 1_000_000) {
                if (!measured.isEmpty()) measured.append("; ");
                measured.append(String.format(Locale.ROOT, "%.1f B/entry at %s (%s)", r.perEntry(), ReportWriter.size(r.size()), r.method()));
                met &= r.perEntry() <= 30;
                any = true;
            }
        }
        return new Row("memory per entry (random puts)", "10^6 and up", "<= 30 bytes/entry",
                any ? measured.toString() : "not measured in this run", any ? (met ? "**met**" : "**not met**") : "not measured");
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
