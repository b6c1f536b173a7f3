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
    record Run(String benchmark, String implParam, List<String> impls, Map<String, String[]> params, int[] threads,
               Rounds rounds) {
        Run(String benchmark, String implParam, List<String> impls, Map<String, String[]> params, int[] threads) {
            this(benchmark, implParam, impls, params, threads, null);
        }
    }

    /**
     * How a line of the {@code --targets} plan runs: {@code rounds} rounds of one fork per
     * implementation, the implementations' order reversed every other round (so that a drift in
     * the machine's load is spread over both sides and the forks of one implementation are not
     * consecutive), warmup and measurement iterations of 1 s, extra fork JVM flags, and whether
     * the implementations in {@code baselineImpls} also run, fork for fork, from the
     * {@code --baseline-jar} (reported as {@code base:IMPL}). {@link JmhResults} pools the rounds
     * of one (benchmark, parameters, implementation) into one result over all their forks.
     */
    record Rounds(int rounds, int warmups, int measurements, List<String> jvmArgs, List<String> baselineImpls) {
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
        // Issue 11: one writer and one reader on one structure (JMH groups, so the thread count is the group's 2).
        runs.add(new Run("TailBench.tail", "impl", List.of("cobtreeMap", "cslmFresh", "cobtree", "cslmCompacted"),
                Map.of("size", bigSizes), new int[] {2}));
        runs.add(new Run("RegionBench.region", "impl", List.of("cslmCompacted", "cobtreeMap", "cslmFresh", "cobtree"),
                Map.of("size", M), new int[] {2}));
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

    /** Fork flags of the 10^7 rows of {@code --targets}: bulk-loaded structures (see {@link Candidates#buildBulk}). */
    static final List<String> BULK = List.of("-D" + Candidates.LOAD_PROPERTY + "=bulk");

    /**
     * The target rows of issue 11 ({@code --targets}), at 10^6 keys (structures built by random
     * puts, as every earlier run) and 10^7 keys (bulk-loaded: {@link Candidates#buildBulk}),
     * {@code rounds} forks per implementation alternating as {@link Rounds} says. Sized to finish
     * within an hour on 2 cores (docs/BENCH.md gives the measured time). Random put and remove are
     * run at 10^6 only (one 10^7 random build takes about 30 s for cobtree here, four per fork);
     * with {@code --baseline-jar} they and the tail workload also run from that jar's cobtree.
     */
    static List<Run> targets(int rounds) {
        List<Run> runs = new ArrayList<>();
        int[] one = {1};
        int[] pair = {2}; // the group benchmarks: one writer and one reader
        Rounds small = new Rounds(rounds, 2, 4, List.of(), List.of());
        Rounds big = new Rounds(rounds, 2, 4, BULK, List.of());
        Rounds group = new Rounds(rounds, 2, 4, List.of(), List.of("cobtreeMap"));
        Rounds writes = new Rounds(rounds, 2, 4, List.of(), List.of("cobtree"));
        for (String size : new String[] {"1000000", "10000000"}) {
            boolean m = size.equals("1000000");
            String[] sz = {size};
            runs.add(new Run("ScanBench.ascending", "impl", List.of("cobtreeSink", "cslmCompacted", "sortedArray"),
                    ordered("size", sz, "length", new String[] {"all"}), one, m ? small : big));
            runs.add(new Run("ScanBench.ascending", "impl", List.of("cslmCompacted", "cobtreeMap"),
                    ordered("size", sz, "length", new String[] {"10000"}), one, m ? small : big));
            runs.add(new Run("PointBench.getHit", "impl", List.of("cobtree", "sortedArray", "cslmCompacted"),
                    Map.of("size", sz), one, m ? small : big));
            runs.add(new Run("StridedBench.strided", "impl", List.of("cslmCompacted", "cobtree"),
                    ordered("size", sz, "k", new String[] {"8"}), one, m ? small : big));
            runs.add(new Run("TailBench.tail", "impl", List.of("cobtreeMap", "cslmFresh", "cobtree", "cslmCompacted"),
                    Map.of("size", sz), pair, group));
        }
        runs.add(new Run("RegionBench.region", "impl", List.of("cslmCompacted", "cobtreeMap", "cslmFresh", "cobtree"),
                Map.of("size", M), pair, small));
        runs.add(new Run("WriteBench.randomPut", "impl", List.of("cobtree"), Map.of("size", M), one, writes));
        runs.add(new Run("WriteBench.ascendingPut", "impl", List.of("cobtree"), Map.of("size", M), one, writes));
        runs.add(new Run("WriteBench.ascendingPut", "impl", List.of("cobtree"), Map.of("size", new String[] {"10000000"}), one,
                new Rounds(rounds, 2, 4, List.of(), List.of())));
        runs.add(new Run("RemoveBench.removeAll", "impl", List.of("cobtree"), Map.of("size", M), one, writes));
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

    public static void main(String[] args) throws RunnerException, IOException, InterruptedException {
        boolean full = false;
        Path json = Path.of("bench/target/jmh-result.json");
        Path baselineJson = null;
        Path baselineJar = null;
        Pattern only = null;
        int[] threads = {1, 2};
        int forks = 1;
        int rounds = 3;
        boolean layoutStudy = false;
        boolean targets = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> full = true;
                case "--short" -> full = false;
                case "--json" -> json = Path.of(args[++i]);
                case "--only" -> only = Pattern.compile(args[++i]);
                case "--threads" -> threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--forks" -> forks = Integer.parseInt(args[++i]);
                case "--layout-study" -> layoutStudy = true;
                case "--targets" -> targets = true;
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--baseline-jar" -> baselineJar = Path.of(args[++i]);
                case "--baseline-json" -> baselineJson = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: Suite [--full | --layout-study | --targets [--rounds N] [--baseline-jar JAR] [--baseline-json FILE]]"
                        + " [--json FILE] [--only REGEX] [--threads 1,2] [--forks N]");
            }
        }
        if (rounds < 1) throw new IllegalArgumentException("--rounds " + rounds + " must be at least 1");
        if (baselineJar != null && !targets) throw new IllegalArgumentException("--baseline-jar needs --targets");
        if (baselineJar != null && !Files.isRegularFile(baselineJar)) throw new IllegalArgumentException("--baseline-jar " + baselineJar + " is not a file");
        if (baselineJson == null) baselineJson = json.resolveSibling("baseline-result.json");
        List<Run> plan = targets ? targets(rounds) : layoutStudy ? layoutStudy() : plan(full, threads);
        // The --targets plan has 10^7 rows: it runs with the full suite's heap.
        String[] jvmArgs = jvmArgs(full || targets);
        Baseline baseline = baselineJar == null ? null : new Baseline(baselineJar, baselineJson, jvmArgs);
        List<RunResult> results = new ArrayList<>();
        int done = 0;
        int total = 0;
        for (Run r : plan) {
            if (only != null && !only.matcher(r.benchmark()).find()) continue;
            int perRound = runnable(r).size() * r.threads().length;
            if (r.rounds() != null && baseline != null) perRound += baseline.runnable(r).size();
            total += r.rounds() == null ? perRound : perRound * r.rounds().rounds();
        }
        long start = System.nanoTime();
        System.out.println("cobtree bench: " + (targets ? "targets" : full ? "full" : "short") + " suite, " + total
                + " JMH invocations; fork JVM args " + String.join(" ", BASE_JVM_ARGS) + " " + String.join(" ", jvmArgs)
                + (baseline == null ? "" : "; baseline jar " + baselineJar));
        for (Run r : plan) {
            if (only != null && !only.matcher(r.benchmark()).find()) continue;
            for (String impl : r.impls()) {
                if (!known(r, impl)) {
                    throw new IllegalStateException("plan names unknown impl " + impl);
                }
            }
            Rounds rd = r.rounds();
            int roundCount = rd == null ? 1 : rd.rounds();
            for (int round = 0; round < roundCount; round++) {
                List<String> order = new ArrayList<>(r.impls());
                List<String> fromBaseline = baseline == null || rd == null ? List.of() : baseline.runnable(r);
                if (round % 2 == 1) java.util.Collections.reverse(order);
                for (int step = 0; step < order.size() + fromBaseline.size(); step++) {
                    // Baseline forks go last in even rounds and first in odd ones.
                    boolean base = round % 2 == 0 ? step >= order.size() : step < fromBaseline.size();
                    String impl = base ? fromBaseline.get(round % 2 == 0 ? step - order.size() : step)
                            : order.get(round % 2 == 0 ? step : step - fromBaseline.size());
                    if (!base && !available(r, impl)) {
                        System.out.println("(skipping " + r.benchmark() + " impl=" + impl + ": " + Candidates.COBTREE_MAP_CLASS + " is not in this build)");
                        continue;
                    }
                    for (int t : r.threads()) {
                        done++;
                        System.out.printf(java.util.Locale.ROOT, "== [%d/%d] %s %s=%s threads=%d%s%s (%.1f min)%n", done, total, r.benchmark(),
                                r.implParam(), impl, t, rd == null ? "" : " round " + (round + 1) + "/" + roundCount,
                                base ? " from the baseline jar" : "", (System.nanoTime() - start) / 6e10);
                        if (base) {
                            baseline.run(r, impl, t);
                            continue;
                        }
                        ChainedOptionsBuilder o = new OptionsBuilder()
                                .include("^\\Q" + PACKAGE + r.benchmark() + "\\E$")
                                .param(r.implParam(), impl)
                                .threads(t)
                                .forks(rd == null ? forks : 1)
                                // short: 2 s of warmup is the least that let the JIT finish on a loaded 2-core
                                // machine (with 2 x 0.5 s, ascending put at 10^4 was still being compiled).
                                .warmupIterations(rd != null ? rd.warmups() : full ? 3 : 2)
                                .warmupTime(TimeValue.seconds(1))
                                .measurementIterations(rd != null ? rd.measurements() : full ? 5 : 3)
                                .measurementTime(TimeValue.seconds(1))
                                .jvmArgs(BASE_JVM_ARGS)
                                .jvmArgsAppend(concat(jvmArgs, rd == null ? List.of() : rd.jvmArgs()))
                                .shouldFailOnError(false);
                        for (Map.Entry<String, String[]> p : r.params().entrySet()) {
                            o.param(p.getKey(), p.getValue());
                        }
                        results.addAll(new Runner(o.build()).run());
                        write(json, results);
                    }
                }
            }
        }
        write(json, results);
        System.out.printf(java.util.Locale.ROOT, "cobtree bench: %d results in %s%s, %.1f min%n", results.size(), json,
                baseline == null ? "" : " and " + baseline.count() + " baseline results in " + baselineJson, (System.nanoTime() - start) / 6e10);
    }

    private static final String PACKAGE = "dev.cobtree.bench.";

    private static String[] concat(String[] a, List<String> b) {
        String[] out = Arrays.copyOf(a, a.length + b.size());
        for (int i = 0; i < b.size(); i++) out[a.length + i] = b.get(i);
        return out;
    }

    /**
     * The benchmarks of another build (a {@code benchmarks.jar} of an earlier commit, built in its
     * own worktree), run fork by fork between this build's forks with the same settings and JVM
     * flags through that jar's own JMH command line; its results are written, with {@code impl}
     * renamed to {@code base:IMPL}, to a JSON file of their own, which the report reads with the
     * run's.
     */
    static final class Baseline {
        private final Path jar;
        private final Path out;
        private final String[] jvmArgs;
        private final java.util.Set<String> benchmarks = new java.util.HashSet<>();
        private final com.google.gson.JsonArray results = new com.google.gson.JsonArray();

        Baseline(Path jar, Path out, String[] jvmArgs) throws IOException, InterruptedException {
            this.jar = jar;
            this.out = out;
            this.jvmArgs = jvmArgs;
            Process p = new ProcessBuilder(java(), "-jar", jar.toString(), "-l").redirectErrorStream(true).start();
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                if (line.startsWith(PACKAGE)) benchmarks.add(line.substring(PACKAGE.length()).trim());
            }
            if (p.waitFor() != 0 || benchmarks.isEmpty()) {
                throw new IllegalStateException("cannot list the benchmarks of " + jar + " (java -jar " + jar + " -l)");
            }
        }

        /** The implementations of {@code r} to run from the baseline jar: none if the jar lacks the benchmark. */
        List<String> runnable(Run r) {
            if (r.rounds() == null) return List.of();
            String method = r.benchmark();
            return benchmarks.contains(method) ? r.rounds().baselineImpls() : List.of();
        }

        int count() {
            return results.size();
        }

        void run(Run r, String impl, int threads) throws IOException, InterruptedException {
            Rounds rd = r.rounds();
            Path tmp = Files.createTempFile("cobtree-baseline", ".json");
            List<String> cmd = new ArrayList<>(List.of(java()));
            cmd.addAll(List.of(BASE_JVM_ARGS));
            if (System.getProperty("jmh.ignoreLock") != null) cmd.add("-Djmh.ignoreLock=" + System.getProperty("jmh.ignoreLock"));
            cmd.addAll(List.of("-jar", jar.toString(), "^\\Q" + PACKAGE + r.benchmark() + "\\E$",
                    "-p", r.implParam() + "=" + impl, "-t", String.valueOf(threads), "-f", "1",
                    "-wi", String.valueOf(rd.warmups()), "-w", "1s", "-i", String.valueOf(rd.measurements()), "-r", "1s",
                    "-jvmArgs", String.join(" ", BASE_JVM_ARGS),
                    "-jvmArgsAppend", String.join(" ", concat(jvmArgs, rd.jvmArgs())),
                    "-foe", "false", "-rf", "json", "-rff", tmp.toString()));
            for (Map.Entry<String, String[]> p : r.params().entrySet()) {
                cmd.addAll(List.of("-p", p.getKey() + "=" + String.join(",", p.getValue())));
            }
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) System.out.println("(baseline jar exited with " + p.exitValue() + ")");
            try (java.io.Reader in = Files.newBufferedReader(tmp)) {
                for (com.google.gson.JsonElement e : com.google.gson.JsonParser.parseReader(in).getAsJsonArray()) {
                    com.google.gson.JsonObject o = e.getAsJsonObject();
                    o.getAsJsonObject("params").addProperty(r.implParam(), "base:" + impl);
                    results.add(o);
                }
            } catch (RuntimeException | IOException e) {
                System.out.println("(no results from the baseline jar: " + e + ")");
            }
            Files.deleteIfExists(tmp);
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(out, new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(results));
        }

        private static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }
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
