package dev.cobtree.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Runs the benchmark plan through JMH's API and writes every result into one JMH JSON file.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.cobtree.bench.Suite [--full] [--json FILE]
 * [--only REGEX] [--threads 1,2,4] [--forks N]}. The short plan (default) measures 10^4 and
 * 10^6 entries with short iterations and a subset of the workloads, and fits in about 20 minutes
 * on two cores; {@code --full} measures every workload, every implementation and 10^7 entries.
 *
 * <p>Fairness: each (benchmark, implementation, parameters) combination runs in its own forked
 * JVM, so no implementation inherits another's JIT profile or heap. JMH runs parameter values in
 * the order given; the plan gives the implementations in an order that alternates between
 * workloads (cobtree first in some, a skip list first in others), so that a drift in the load of
 * the machine does not always favour the same side. Implementations that do not exist in this
 * build (CobTreeMap before it lands) are left out and the report says so.
 */
public final class Suite {

    /** One line of the plan: a benchmark method, the implementations in run order, the other parameters. */
    record Run(String benchmark, String implParam, List<String> impls, Map<String, String[]> params, int[] threads) {
    }

    /** The one size of the object-value rows (issue 12 asks for 10^6 keys). */
    private static final String[] M = {"1000000"};

    private static final String SHORT_SIZES = "10000,1000000";
    private static final String FULL_SIZES = "10000,1000000,10000000";

    private Suite() {
    }

    static List<Run> plan(boolean full, int[] threadCounts) {
        String[] sizes = (full ? FULL_SIZES : SHORT_SIZES).split(",");
        String[] bigSizes = full ? new String[] {"1000000", "10000000"} : new String[] {"1000000"};
        String[] scanSizes = full ? sizes : bigSizes;
        String[] lengths = full ? new String[] {"100", "10000", "all"} : new String[] {"100", "all"};
        int[] one = {1};
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("PointBench.getHit", "impl",
                List.of("cobtree", "cobtreeOffHeap", "cslmFresh", "cobtreeMap", "cslmCompacted", "treeMapRw", "avl", "sortedArray", "eytzinger"),
                Map.of("size", sizes), one));
        runs.add(new Run("PointBench.getMiss", "impl",
                full ? List.of("cslmCompacted", "cobtree", "cslmFresh", "cobtreeMap", "treeMapRw", "avl", "sortedArray", "eytzinger")
                     : List.of("cslmCompacted", "cobtree", "cslmFresh", "eytzinger"),
                Map.of("size", sizes), one));
        runs.add(new Run("PointBench.ceilingMiss", "impl",
                List.of("cobtree", "cslmFresh", "cslmCompacted", "cobtreeMap"), Map.of("size", bigSizes), one));
        runs.add(new Run("PointBench.floorMiss", "impl",
                List.of("cobtree", "cslmFresh", "cslmCompacted"), Map.of("size", bigSizes), one));
        runs.add(new Run("CountBench.countRange", "impl",
                List.of("cobtree", "cslmFresh", "cslmCompacted"), ordered("size", bigSizes, "width", new String[] {"100", "10000", "0"}), one));
        runs.add(new Run("WriteBench.randomPut", "impl",
                List.of("cobtree", "cobtreeOffHeap", "cslmFresh", "cobtreeMap", "treeMapRw", "avl"), Map.of("size", sizes), one));
        runs.add(new Run("WriteBench.ascendingPut", "impl",
                full ? List.of("cslmFresh", "cobtree", "cobtreeMap", "treeMapRw", "avl") : List.of("cslmFresh", "cobtree", "cobtreeMap"),
                Map.of("size", sizes), one));
        runs.add(new Run("RemoveBench.removeAll", "impl",
                full ? List.of("cobtree", "cslmFresh", "cobtreeMap", "treeMapRw", "avl") : List.of("cobtree", "cslmFresh", "cobtreeMap"),
                Map.of("size", sizes), one));
        runs.add(new Run("ScanBench.ascending", "impl",
                full ? List.of("cslmFresh", "cobtree", "cslmCompacted", "cobtreeSink", "cobtreeOffHeap", "cobtreeMap", "treeMapRw", "avl", "sortedArray")
                     : List.of("cslmFresh", "cobtree", "cslmCompacted", "cobtreeSink", "cobtreeOffHeap", "cobtreeMap", "sortedArray"),
                ordered("size", scanSizes, "length", lengths), one));
        runs.add(new Run("ScanBench.descending", "impl",
                full ? List.of("cobtree", "cslmFresh", "cslmCompacted", "cobtreeMap", "treeMapRw", "avl", "sortedArray")
                     : List.of("cobtree", "cslmFresh", "cslmCompacted", "sortedArray"),
                ordered("size", scanSizes, "length", lengths), one));
        runs.add(new Run("StridedBench.strided", "impl",
                full ? List.of("cslmFresh", "cobtree", "cslmCompacted", "cobtreeMap", "treeMapRw", "avl", "sortedArray")
                     : List.of("cslmFresh", "cobtree", "cslmCompacted", "sortedArray"),
                ordered("size", bigSizes, "k", new String[] {"8", "64", "1024"}), one));
        runs.add(new Run("ConcurrentBench.mixed", "impl",
                List.of("cobtree", "cobtreeOffHeap", "cslmCompacted", "cslmFresh", "treeMapRw", "cobtreeMap"),
                Map.of("size", bigSizes), threadCounts));
        runs.add(new Run("ConcurrentBench.readOnly", "impl",
                List.of("cslmCompacted", "cobtree", "cslmFresh", "cobtreeMap", "eytzinger"),
                Map.of("size", bigSizes), threadCounts));
        // Object values (issue 12): LongObjectTree<Object> against Long -> Object maps (ObjectCandidates), 10^6 keys.
        runs.add(new Run("ValuesBench.getHit", "impl",
                List.of("cobtree", "cslmFresh", "cslmCompacted", "treeMapRw", "avlRw"), Map.of("size", M), one));
        runs.add(new Run("ValuesBench.randomPut", "impl",
                List.of("cslmFresh", "cobtree", "treeMapRw", "avlRw"), Map.of("size", M), one));
        runs.add(new Run("ValuesBench.removeAll", "impl",
                List.of("cobtree", "cslmFresh", "cslmCompacted", "treeMapRw", "avlRw"), Map.of("size", M), one));
        runs.add(new Run("ValuesBench.scan", "impl",
                List.of("cslmFresh", "cobtree", "cslmCompacted", "cobtreeSink", "treeMapRw", "avlRw"), Map.of("size", M), one));
        runs.add(new Run("SearchLayoutBench.route", "layout",
                List.of("veb", "binary", "eytzinger"), Map.of("fences", new String[] {"1000", "10000", "100000"}), one));
        return runs;
    }

    /**
     * The layout study of issue 11 (docs/BENCH.md): the default layout with the meta words apart
     * ({@code cobtree}), the first columnar layout with meta words inside each segment
     * ({@code cobtreeColumnar}), the interleaved layout before both ({@code cobtreeOld}), all with
     * the same search, and the baselines,
     * at 10^6 keys, in one run. (The study's first run also compared in-segment searches; the
     * branch-free one lost and was removed, see docs/BENCH.md.)
     */
    static List<Run> layoutStudy() {
        String[] m = {"1000000"};
        int[] one = {1};
        List<Run> runs = new ArrayList<>();
        List<String> lookups = List.of("cobtree", "cobtreeColumnar", "cobtreeOld", "cslmCompacted", "sortedArray");
        runs.add(new Run("PointBench.getHit", "impl", lookups, Map.of("size", m), one));
        runs.add(new Run("PointBench.getMiss", "impl", lookups, Map.of("size", m), one));
        runs.add(new Run("PointBench.ceilingMiss", "impl", List.of("cobtreeOld", "cobtree", "cobtreeColumnar", "cslmCompacted"), Map.of("size", m), one));
        runs.add(new Run("ScanBench.ascending", "impl",
                List.of("cobtree", "cobtreeColumnar", "cobtreeOld", "cslmCompacted", "cobtreeSink", "cobtreeSinkColumnar", "cobtreeSinkOld", "sortedArray"),
                ordered("size", m, "length", new String[] {"100", "all"}), one));
        runs.add(new Run("StridedBench.strided", "impl", List.of("cobtreeOld", "cobtreeColumnar", "cobtree", "cslmCompacted", "sortedArray"),
                ordered("size", m, "k", new String[] {"8"}), one));
        runs.add(new Run("WriteBench.randomPut", "impl", List.of("cobtree", "cobtreeColumnar", "cobtreeOld", "cslmFresh"), Map.of("size", m), one));
        return runs;
    }

    private static Map<String, String[]> ordered(String k1, String[] v1, String k2, String[] v2) {
        Map<String, String[]> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    public static void main(String[] args) throws RunnerException, IOException {
        boolean full = false;
        Path json = Path.of("bench/target/jmh-result.json");
        Pattern only = null;
        int[] threads = {1, 2};
        int forks = 1;
        boolean layoutStudy = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--short" -> full = false;
                case "--json" -> json = Path.of(args[++i]);
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--layout-study" -> layoutStudy = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Suite [--full | --layout-study] [--json FILE] [--only REGEX] [--threads 1,2] [--forks N]");
            }
        }
        List<Run> plan = layoutStudy ? layoutStudy() : plan(full, threads);
        List<RunResult> results = new ArrayList<>();
        String[] jvmArgs = jvmArgs(full);
        int done = 0;
        int total = 0;
        for (Run r : plan) {
            if (only == null || only.matcher(r.benchmark()).find()) total += runnable(r).size() * r.threads().length;
        }
        System.out.println("cobtree bench: " + (full ? "full" : "short") + " suite, " + total + " JMH invocations; fork JVM args " + String.join(" ", BASE_JVM_ARGS) + " " + String.join(" ", jvmArgs));
        for (Run r : plan) {
            if (only != null && !only.matcher(r.benchmark()).find()) continue;
            for (String impl : r.impls()) {
                if (!known(r, impl)) {
                    throw new IllegalStateException("plan names unknown impl " + impl);
                }
                if (!available(r, impl)) {
                    System.out.println("(skipping " + r.benchmark() + " impl=" + impl + ": " + Candidates.COBTREE_MAP_CLASS + " is not in this build)");
                    continue;
                }
                for (int t : r.threads()) {
                    done++;
                    System.out.println("== [" + done + "/" + total + "] " + r.benchmark() + " " + r.implParam() + "=" + impl + " threads=" + t);
                    ChainedOptionsBuilder o = new OptionsBuilder()
                            .include("^\\Qdev.cobtree.bench." + r.benchmark() + "\\E$")
                            .param(r.implParam(), impl)
                            .threads(t)
                            .forks(forks)
                            // short: 2 s of warmup is the least that let the JIT finish on a loaded 2-core
                            // machine (with 2 x 0.5 s, ascending put at 10^4 was still being compiled).
                            .warmupIterations(full ? 3 : 2)
                            .warmupTime(TimeValue.seconds(1))
                            .measurementIterations(full ? 5 : 3)
                            .measurementTime(TimeValue.seconds(1))
                            .jvmArgs(BASE_JVM_ARGS)
                            .jvmArgsAppend(jvmArgs)
                            .shouldFailOnError(false);
                    for (Map.Entry<String, String[]> p : r.params().entrySet()) {
                        o.param(p.getKey(), p.getValue());
                    }
                    results.addAll(new Runner(o.build()).run());
                    write(json, results);
                }
            }
        }
        write(json, results);
        System.out.println("cobtree bench: " + results.size() + " results in " + json);
    }

    private static List<String> runnable(Run r) {
        return r.impls().stream().filter(i -> available(r, i)).toList();
    }

    /** Whether the plan's {@code impl} names an implementation of the run's family (object-valued for ValuesBench). */
    private static boolean known(Run r, String impl) {
        if (!r.implParam().equals("impl")) return true;
        return r.benchmark().startsWith("ValuesBench.") ? ObjectCandidates.ALL.contains(impl) : Candidates.ALL.contains(impl);
    }

    private static boolean available(Run r, String impl) {
        if (!r.implParam().equals("impl") || r.benchmark().startsWith("ValuesBench.")) return known(r, impl);
        return Candidates.available(impl);
    }

    /** Replaces the flags a fork would otherwise inherit from this JVM (its -Xmx among them). */
    private static final String[] BASE_JVM_ARGS = {"--sun-misc-unsafe-memory-access=allow"};

    /** The heap flags of every fork; they replace the ones in the classes' {@code @Fork} annotations. */
    static String[] jvmArgs(boolean full) {
        return full ? HeapState.JVM_ARGS : HeapState.JVM_ARGS_SHORT;
    }

    private static void write(Path json, List<RunResult> results) throws IOException {
        Path parent = json.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        ResultFormatFactory.getInstance(ResultFormatType.JSON, json.toString()).writeOut(results);
    }
}
