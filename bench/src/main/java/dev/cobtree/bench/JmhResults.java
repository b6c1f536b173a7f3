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
     */
    public record Result(String benchmark, String mode, int threads, Map<String, String> params,
                         double score, double error, String unit) {

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
            JsonObject primary = o.getAsJsonObject("primaryMetric");
            double error = number(primary.get("scoreError"));
            results.add(new Result(shortName, o.get("mode").getAsString(), o.get("threads").getAsInt(), params,
                    number(primary.get("score")), error, primary.get("scoreUnit").getAsString()));
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
        return new JmhResults(results, env);
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
