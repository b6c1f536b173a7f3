package dev.cobtree.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results of a JMH JSON file ({@code -rf json}), one {@link Result} per benchmark and parameter set. */
public final class JmhResults {

    /**
     * One JMH result.
     *
     * @param benchmark class and method, without the package ({@code PointBench.getHit})
     * @param score     JMH's primary score in {@code unit}
     * @param error     half-width of JMH's 99.9% confidence interval (NaN with one iteration)
     * @param raw       the iteration scores of each fork ({@code rawData}), empty if the file has none
     */
    public record Result(String benchmark, String mode, int threads, Map<String, String> params,
                         double score, double error, String unit, List<double[]> raw) {

        /** A result without raw data (tests, hand-made rows). */
        public Result(String benchmark, String mode, int threads, Map<String, String> params, double score, double error, String unit) {
            this(benchmark, mode, threads, params, score, error, unit, List.of());
        }

        /** Forks behind this result (1 where the file has no raw data). */
        public int forks() {
            return Math.max(1, raw.size());
        }

        /** Measured iterations of all forks together. */
        public int iterations() {
            int n = 0;
            for (double[] f : raw) n += f.length;
            return n;
        }

        /** This result with {@code impl} (or another parameter) set to {@code value}. */
        public Result withParam(String name, String value) {
            Map<String, String> p = new LinkedHashMap<>(params);
            p.put(name, value);
            return new Result(benchmark, mode, threads, p, score, error, unit, raw);
        }

        public String param(String name) {
            return params.get(name);
        }

        public int size() {
            String s = params.get("size");
            return s == null ? 0 : Integer.parseInt(s);
        }
    }

    /** What every result shares: the JVM and the JMH settings, taken from the first result. */
    public record Environment(String jmhVersion, String jdkVersion, String vmName, String vmVersion, String jvm,
                              List<String> jvmArgs, String warmup, String measurement, int forks) {
    }

    private final List<Result> results;
    private final Environment environment;

    private JmhResults(List<Result> results, Environment environment) {
        this.results = results;
        this.environment = environment;
    }

    public static JmhResults read(Path json) throws IOException {
        JsonArray array;
        try (Reader r = Files.newBufferedReader(json)) {
            JsonElement root = JsonParser.parseReader(r);
            if (!root.isJsonArray()) {
                throw new IOException(json + " is not a JMH JSON result file (expected an array at the top)");
            }
            array = root.getAsJsonArray();
        }
        List<Result> results = new ArrayList<>();
        Environment env = null;
        Map<String, List<Result>> same = new LinkedHashMap<>();
        for (JsonElement e : array) {
            JsonObject o = e.getAsJsonObject();
            String name = o.get("benchmark").getAsString();
            String shortName = name.startsWith("dev.cobtree.bench.") ? name.substring("dev.cobtree.bench.".length()) : name;
            Map<String, String> params = new LinkedHashMap<>();
            if (o.has("params")) {
                for (Map.Entry<String, JsonElement> p : o.getAsJsonObject("params").entrySet()) {
                    params.put(p.getKey(), p.getValue().getAsString());
                }
            }
            String mode = o.get("mode").getAsString();
            int threads = o.get("threads").getAsInt();
            add(same, metric(shortName, mode, threads, params, o.getAsJsonObject("primaryMetric")));
            // A JMH @Group reports each method of the group as a secondary metric "group:method".
            if (o.has("secondaryMetrics") && o.get("secondaryMetrics").isJsonObject()) {
                for (Map.Entry<String, JsonElement> m : o.getAsJsonObject("secondaryMetrics").entrySet()) {
                    JsonObject sm = m.getValue().getAsJsonObject();
                    if (sm.has("rawData") && !m.getKey().startsWith("·")) {
                        add(same, metric(shortName + ":" + m.getKey(), mode, threads, params, sm));
                    }
                }
            }
            if (env == null) {
                List<String> args = new ArrayList<>();
                if (o.has("jvmArgs")) {
                    for (JsonElement a : o.getAsJsonArray("jvmArgs")) args.add(a.getAsString());
                }
                env = new Environment(text(o, "jmhVersion"), text(o, "jdkVersion"), text(o, "vmName"), text(o, "vmVersion"),
                        text(o, "jvm"), args,
                        o.get("warmupIterations").getAsInt() + " x " + text(o, "warmupTime"),
                        o.get("measurementIterations").getAsInt() + " x " + text(o, "measurementTime"),
                        o.get("forks").getAsInt());
            }
        }
        for (List<Result> group : same.values()) {
            results.add(group.size() == 1 ? group.get(0) : pool(group));
        }
        return new JmhResults(results, env);
    }

    /** The results of several files (or runs) in one list; the environment is the first file's. */
    public static JmhResults read(List<Path> files) throws IOException {
        List<Result> all = new ArrayList<>();
        Environment env = null;
        for (Path f : files) {
            JmhResults r = read(f);
            if (env == null) env = r.environment();
            all.addAll(r.results());
        }
        return new JmhResults(poolAll(all), env);
    }

    /** Merges the results that share benchmark, mode, threads and parameters (see {@link #pool}). */
    public static List<Result> poolAll(List<Result> results) {
        Map<String, List<Result>> same = new LinkedHashMap<>();
        for (Result r : results) add(same, r);
        List<Result> out = new ArrayList<>();
        for (List<Result> group : same.values()) out.add(group.size() == 1 ? group.get(0) : pool(group));
        return out;
    }

    private static void add(Map<String, List<Result>> same, Result r) {
        String key = r.benchmark() + "|" + r.mode() + "|" + r.threads() + "|" + new java.util.TreeMap<>(r.params()) + "|" + r.unit();
        same.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
    }

    private static Result metric(String benchmark, String mode, int threads, Map<String, String> params, JsonObject m) {
        List<double[]> raw = new ArrayList<>();
        if (m.has("rawData") && m.get("rawData").isJsonArray()) {
            for (JsonElement fork : m.getAsJsonArray("rawData")) {
                JsonArray it = fork.getAsJsonArray();
                double[] v = new double[it.size()];
                for (int i = 0; i < v.length; i++) v[i] = number(it.get(i));
                raw.add(v);
            }
        }
        return new Result(benchmark, mode, threads, params, number(m.get("score")), number(m.get("scoreError")),
                m.get("scoreUnit").getAsString(), raw);
    }

    /**
     * One result from several runs of the same benchmark and parameters (the rounds of
     * {@code Suite --targets}, which alternate the implementations fork by fork): the forks'
     * iterations together, the score their mean and the error the half-width of the 99.9%
     * Student-t interval of that mean, as JMH computes both for the forks of one run.
     */
    static Result pool(List<Result> same) {
        List<double[]> raw = new ArrayList<>();
        for (Result r : same) {
            if (r.raw().isEmpty()) {
                throw new IllegalArgumentException("cannot pool " + r.benchmark() + " " + r.params() + ": a result has no raw data");
            }
            raw.addAll(r.raw());
        }
        Result first = same.get(0);
        double[] s = stats(raw);
        return new Result(first.benchmark(), first.mode(), first.threads(), first.params(), s[0], s[1], first.unit(), raw);
    }

    /** Mean and 99.9% confidence half-width of all the iterations in {@code raw} (NaN width for one iteration). */
    static double[] stats(List<double[]> raw) {
        int n = 0;
        double sum = 0;
        for (double[] f : raw) {
            for (double v : f) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        if (n < 2) return new double[] {mean, Double.NaN};
        double ss = 0;
        for (double[] f : raw) {
            for (double v : f) ss += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = new org.apache.commons.math3.distribution.TDistribution(n - 1).inverseCumulativeProbability(1 - 0.001 / 2);
        return new double[] {mean, t * sd / Math.sqrt(n)};
    }

    private static String text(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "?";
    }

    /** JMH writes "NaN" as a string where a number is undefined. */
    private static double number(JsonElement e) {
        if (e == null || e.isJsonNull()) return Double.NaN;
        if (e.getAsJsonPrimitive().isString()) {
            try {
                return Double.parseDouble(e.getAsString());
            } catch (NumberFormatException x) {
                return Double.NaN;
            }
        }
        return e.getAsDouble();
    }

    public List<Result> results() {
        return results;
    }

    /** Null when the file held no result. */
    public Environment environment() {
        return environment;
    }
}
