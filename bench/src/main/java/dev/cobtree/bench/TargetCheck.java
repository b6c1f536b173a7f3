package dev.cobtree.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The targets of issue 3, judged from the measured data at 10^6 keys and above: a target is
 * met when every measured ratio (every size, and every CSLM state it names) reaches it.
 */
final class TargetCheck {

    /** One target's verdict. */
    record Verdict(String target, String goal, String measured, String status) {
    }

    private final List<JmhResults.Result> results;
    private final List<MemoryFootprint.Row> memory;

    TargetCheck(List<JmhResults.Result> results, List<MemoryFootprint.Row> memory) {
        this.results = results;
        this.memory = memory;
    }

    List<Verdict> verdicts() {
        List<Verdict> out = new ArrayList<>();
        out.add(speedup("random get", "PointBench.getHit", r -> true, List.of("cslmFresh", "cslmCompacted"), 5));
        out.add(speedup("random put", "WriteBench.randomPut", r -> true, List.of("cslmFresh"), 2));
        out.add(speedup("ascending put", "WriteBench.ascendingPut", r -> true, List.of("cslmFresh"), 1));
        Predicate<JmhResults.Result> longScan = r -> !"100".equals(r.param("length"));
        out.add(speedup("range scan per entry vs fresh CSLM", "ScanBench.ascending", longScan, SCAN_PATHS, List.of("cslmFresh"), 50));
        out.add(speedup("range scan per entry vs compacted CSLM", "ScanBench.ascending", longScan, SCAN_PATHS, List.of("cslmCompacted"), 5));
        out.add(limit("range scan per entry vs long[] scan", "ScanBench.ascending", longScan, 4));
        out.add(speedup("strided access (every k)", "StridedBench.strided", r -> true, List.of("cslmFresh", "cslmCompacted"), 20));
        out.add(speedup("mixed 80/20 on 2 threads", "ConcurrentBench.mixed", r -> r.threads() == 2,
                List.of("cslmFresh", "cslmCompacted"), 3));
        out.add(memory(32));
        return out;
    }

    private static Workload workload(String benchmark) {
        return Workload.ALL.stream().filter(w -> w.benchmark().equals(benchmark)).findFirst().orElseThrow();
    }

    /** The result of {@code impl} in the same group (same parameters but the implementation, same threads) as {@code row}. */
    private JmhResults.Result peer(JmhResults.Result row, String impl) {
        for (JmhResults.Result r : results) {
            if (!r.benchmark().equals(row.benchmark()) || r.threads() != row.threads()) continue;
            if (!impl.equals(r.param("impl"))) continue;
            boolean same = true;
            for (var p : row.params().entrySet()) {
                if (!p.getKey().equals("impl") && !p.getValue().equals(r.params().get(p.getKey()))) same = false;
            }
            if (same) return r;
        }
        return null;
    }

    /** cobtree's public scan paths: a target on scans is judged on the faster of them at each point (the row names which). */
    private static final List<String> SCAN_PATHS = List.of("cobtree", "cobtreeSink");

    /**
     * At each measured point (parameters and threads, size 10^6 and up) the best result among
     * cobtree's {@code paths}.
     */
    private List<JmhResults.Result> cobtreeRows(String benchmark, Predicate<JmhResults.Result> filter, List<String> paths) {
        Workload w = workload(benchmark);
        Map<String, JmhResults.Result> best = new LinkedHashMap<>();
        for (JmhResults.Result r : results) {
            if (!r.benchmark().equals(benchmark) || !paths.contains(r.param("impl")) || r.size() < 1_000_000 || !filter.test(r)) {
                continue;
            }
            Map<String, String> point = new TreeMap<>(r.params());
            point.remove("impl");
            String key = r.threads() + " " + point;
            JmhResults.Result old = best.get(key);
            if (old == null || w.speedup(r, old) > 1) best.put(key, r);
        }
        return new ArrayList<>(best.values());
    }

    private Verdict speedup(String name, String benchmark, Predicate<JmhResults.Result> filter, List<String> baselines, double goal) {
        return speedup(name, benchmark, filter, List.of("cobtree"), baselines, goal);
    }

    private Verdict speedup(String name, String benchmark, Predicate<JmhResults.Result> filter, List<String> paths,
                            List<String> baselines, double goal) {
        Workload w = workload(benchmark);
        StringBuilder measured = new StringBuilder();
        double worst = Double.MAX_VALUE;
        for (JmhResults.Result row : cobtreeRows(benchmark, filter, paths)) {
            for (String base : baselines) {
                JmhResults.Result b = peer(row, base);
                if (b == null) continue;
                double s = w.speedup(row, b);
                worst = Math.min(worst, s);
                if (!measured.isEmpty()) measured.append("; ");
                measured.append(String.format(Locale.ROOT, "%.2fx vs %s (%s)", s, base, label(row, w)));
            }
        }
        String goalText = String.format(Locale.ROOT, ">= %sx faster than %s", trim(goal), String.join(" and ", baselines));
        return verdict(name, goalText, measured, worst == Double.MAX_VALUE ? Double.NaN : worst, goal, true);
    }

    private Verdict limit(String name, String benchmark, Predicate<JmhResults.Result> filter, double goal) {
        Workload w = workload(benchmark);
        StringBuilder measured = new StringBuilder();
        double worst = 0;
        boolean any = false;
        for (JmhResults.Result row : cobtreeRows(benchmark, filter, SCAN_PATHS)) {
            JmhResults.Result b = peer(row, "sortedArray");
            if (b == null) continue;
            double cost = w.value(row) / w.value(b);
            worst = Math.max(worst, cost);
            any = true;
            if (!measured.isEmpty()) measured.append("; ");
            measured.append(String.format(Locale.ROOT, "%.2fx the time of long[] (%s)", cost, label(row, w)));
        }
        return verdict(name, "<= " + trim(goal) + "x the time of a long[] scan", measured, any ? worst : Double.NaN, goal, false);
    }

    private Verdict memory(double goal) {
        StringBuilder measured = new StringBuilder();
        double worst = 0;
        boolean any = false;
        for (MemoryFootprint.Row r : memory) {
            if (r.impl().equals("cobtree") && r.method().equals("memoryBytes()") && r.size() >= 1_000_000) {
                worst = Math.max(worst, r.perEntry());
                any = true;
                if (!measured.isEmpty()) measured.append("; ");
                measured.append(String.format(Locale.ROOT, "%.1f bytes/entry at %s", r.perEntry(), ReportWriter.size(r.size())));
            }
        }
        return verdict("memory per entry", "<= " + trim(goal) + " bytes/entry (CobTree.memoryBytes())", measured,
                any ? worst : Double.NaN, goal, false);
    }

    private static Verdict verdict(String name, String goal, StringBuilder measured, double worst, double target, boolean atLeast) {
        if (Double.isNaN(worst)) {
            return new Verdict(name, goal, "no data at 10^6 keys or more in this run", "not measured");
        }
        boolean met = atLeast ? worst >= target : worst <= target;
        return new Verdict(name, goal, measured.toString(), met ? "**met**" : "**not met**");
    }

    private static String label(JmhResults.Result r, Workload w) {
        StringBuilder sb = new StringBuilder();
        if (!"cobtree".equals(r.param("impl"))) sb.append(r.param("impl"));
        for (String g : w.groupBy()) {
            if (!sb.isEmpty()) sb.append(", ");
            sb.append(g.equals("size") ? ReportWriter.size(r.size()) : g + "=" + (g.equals("threads") ? String.valueOf(r.threads()) : r.param(g)));
        }
        return sb.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }
}
