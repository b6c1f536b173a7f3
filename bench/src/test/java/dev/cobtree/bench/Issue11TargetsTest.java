package dev.cobtree.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue-11 report: group benchmarks' secondary metrics become rows, the rounds of one row are
 * pooled over their raw iterations, and each target's ratio, error and verdict come from the data.
 */
class Issue11TargetsTest {

    /** A JMH JSON result with raw iteration data (one array per fork) and optional group metrics. */
    private static String result(String bench, String mode, int threads, String impl, String size, String extra,
                                 double[][] raw, String unit, String secondary) {
        StringBuilder rawText = new StringBuilder("[");
        double sum = 0;
        int n = 0;
        for (double[] fork : raw) {
            if (rawText.length() > 1) rawText.append(',');
            rawText.append('[');
            for (int i = 0; i < fork.length; i++) {
                rawText.append(i == 0 ? "" : ",").append(fork[i]);
                sum += fork[i];
                n++;
            }
            rawText.append(']');
        }
        rawText.append(']');
        return """
                {"jmhVersion":"1.37","benchmark":"dev.cobtree.bench.%s","mode":"%s","threads":%d,"forks":1,
                 "jvm":"/jdk/bin/java","jvmArgs":["-Xmx8g"],"jdkVersion":"25","vmName":"OpenJDK 64-Bit Server VM",
                 "vmVersion":"25+1","warmupIterations":2,"warmupTime":"1 s","warmupBatchSize":1,"measurementIterations":4,
                 "measurementTime":"1 s","measurementBatchSize":1,"params":{"impl":"%s","size":"%s"%s},
                 "primaryMetric":{"score":%s,"scoreError":"NaN","scoreConfidence":[0,0],"scorePercentiles":{},"scoreUnit":"%s","rawData":%s},
                 "secondaryMetrics":{%s}}""".formatted(bench, mode, threads, impl, size, extra, sum / n, unit, rawText, secondary);
    }

    private static String metric(String name, double[] fork, String unit) {
        StringBuilder v = new StringBuilder();
        double sum = 0;
        for (double d : fork) {
            v.append(v.isEmpty() ? "" : ",").append(d);
            sum += d;
        }
        return "\"%s\":{\"score\":%s,\"scoreError\":\"NaN\",\"scoreUnit\":\"%s\",\"rawData\":[[%s]]}".formatted(name, sum / fork.length, unit, v);
    }

    private static double[][] forks(double... perFork) {
        double[][] out = new double[perFork.length][];
        for (int i = 0; i < perFork.length; i++) out[i] = new double[] {perFork[i], perFork[i]};
        return out;
    }

    @Test
    void roundsArePooledOverTheirRawIterations(@TempDir Path dir) throws IOException {
        // Two rounds of the same row, one fork each: one result over both forks.
        String json = "[" + result("PointBench.getHit", "avgt", 1, "cobtree", "1000000", "", new double[][] {{100, 110}}, "ns/op", "")
                + "," + result("PointBench.getHit", "avgt", 1, "cobtree", "1000000", "", new double[][] {{90, 100}}, "ns/op", "") + "]";
        Path f = dir.resolve("r.json");
        Files.writeString(f, json);
        List<JmhResults.Result> rs = JmhResults.read(f).results();
        assertEquals(1, rs.size());
        JmhResults.Result r = rs.get(0);
        assertEquals(2, r.forks());
        assertEquals(4, r.iterations());
        assertEquals(100.0, r.score(), 1e-9);
        // sd of {100, 110, 90, 100} = sqrt(200 / 3); t(0.9995, 3) = 12.924
        assertEquals(12.924 * Math.sqrt(200.0 / 3) / 2, r.error(), 0.01);
    }

    @Test
    void aResultWithoutRawDataIsNotPooled() {
        JmhResults.Result a = new JmhResults.Result("X.y", "avgt", 1, java.util.Map.of("impl", "a"), 1, 0, "ns/op");
        assertThrows(IllegalArgumentException.class, () -> JmhResults.pool(List.of(a, a)));
    }

    @Test
    void groupMetricsAndTargetsComeFromTheData(@TempDir Path dir) throws IOException {
        String tail = "TailBench.tail";
        List<String> rows = List.of(
                // whole-range scan at 10^6: cobtreeSink 2 ms, long[] 0.5 ms -> 4x the time (goal <= 2: not met); CSLM 12 ms -> 6x (met)
                result("ScanBench.ascending", "avgt", 1, "cobtreeSink", "1000000", ",\"length\":\"all\"", forks(2e6, 2e6, 2e6), "ns/op", ""),
                result("ScanBench.ascending", "avgt", 1, "sortedArray", "1000000", ",\"length\":\"all\"", forks(5e5, 5e5, 5e5), "ns/op", ""),
                result("ScanBench.ascending", "avgt", 1, "cslmCompacted", "1000000", ",\"length\":\"all\"", forks(1.2e7, 1.2e7, 1.2e7), "ns/op", ""),
                // tail: the group's primary is the sum; read 1.0 vs CSLM 2.0 Mops/s -> 0.5x (not met)
                result(tail, "thrpt", 2, "cobtreeMap", "1000000", "", forks(3e6, 3e6), "ops/s",
                        metric("append", new double[] {2e6, 2e6}, "ops/s") + "," + metric("read", new double[] {1e6, 1e6}, "ops/s")),
                result(tail, "thrpt", 2, "cslmCompacted", "1000000", "", forks(5e6, 5e6), "ops/s",
                        metric("append", new double[] {3e6, 3e6}, "ops/s") + "," + metric("read", new double[] {2e6, 2e6}, "ops/s")
                                + ",\"·gc.alloc.rate\":{\"score\":1,\"scoreError\":\"NaN\",\"scoreUnit\":\"MB/sec\",\"rawData\":[[1]]}"),
                // random put vs the baseline jar: 105 vs 100 ms, noisy -> met within error
                // (two rounds of each, pooled)
                result("WriteBench.randomPut", "avgt", 1, "cobtree", "1000000", "", new double[][] {{95, 115}}, "ms/op", ""),
                result("WriteBench.randomPut", "avgt", 1, "base:cobtree", "1000000", "", new double[][] {{90, 110}}, "ms/op", ""),
                result("WriteBench.randomPut", "avgt", 1, "cobtree", "1000000", "", new double[][] {{100, 110}}, "ms/op", ""),
                result("WriteBench.randomPut", "avgt", 1, "base:cobtree", "1000000", "", new double[][] {{95, 105}}, "ms/op", ""));
        Path f = dir.resolve("r.json");
        Files.writeString(f, "[" + String.join(",", rows) + "]");
        JmhResults results = JmhResults.read(f);
        assertTrue(results.results().stream().anyMatch(r -> r.benchmark().equals("TailBench.tail:read")), "secondary metric read");
        assertTrue(results.results().stream().noneMatch(r -> r.benchmark().contains("gc.alloc")), "profiler metrics are not rows");

        List<MemoryFootprint.Row> memory = List.of(new MemoryFootprint.Row("cobtree", 1_000_000, "memoryBytes()", 25_600_000));
        List<Issue11Targets.Row> verdicts = new Issue11Targets(results.results(), memory).rows();
        Issue11Targets.Row limit = find(verdicts, "whole-range scan, primitive sink", "sortedArray");
        assertEquals("10^6", limit.size());
        assertTrue(limit.measured().startsWith("4.00x the time ± ? (cobtreeSink 2.00 ns/entry vs sortedArray 0.500 ns/entry; n = 3 forks x 2"),
                limit.measured());
        assertEquals("**not met**", limit.status());
        assertEquals("**met**", find(verdicts, "whole-range scan, primitive sink", "cslmCompacted").status());
        Issue11Targets.Row read = find(verdicts, "reader (`CobTreeMap`)", "cslmCompacted");
        assertTrue(read.measured().startsWith("0.500x ± ? (cobtreeMap 1.00 Mops/s vs cslmCompacted 2.00 Mops/s"), read.measured());
        assertEquals("**not met**", read.status());
        assertEquals("not measured", find(verdicts, "reader (`CobTreeMap`)", "cslmFresh").status());
        assertTrue(find(verdicts, "writer (`CobTreeMap`)", "base:cobtreeMap").measured().contains("run with --baseline-jar"));
        Issue11Targets.Row put = find(verdicts, "random put from empty", "base:cobtree");
        assertTrue(put.measured().startsWith("1.05x the time ± "), put.measured());
        assertEquals("**met** (within error)", put.status());
        Issue11Targets.Row mem = verdicts.get(verdicts.size() - 1);
        assertEquals("25.6 B/entry at 10^6 (memoryBytes())", mem.measured());
        assertEquals("**met**", mem.status());

        String md = ReportWriter.render(results, memory, Path.of("charts"), dir.resolve("charts"),
                new ReportWriter.RunInfo("targets", "abc", null, java.time.ZonedDateTime.of(2026, 1, 2, 3, 4, 0, 0, java.time.ZoneOffset.UTC),
                        "old.jar"), null);
        assertTrue(md.contains("## Targets (issue 11)"), md);
        assertTrue(md.contains("rows come from the baseline jar (old.jar)"), md);
        assertTrue(md.contains("## Tail ingest + recent reads: the reader"), md);
        assertTrue(md.contains("| 10^6 | **cobtreeMap** | 1.00 | — | — | 0.500x |"), md);
    }

    private static Issue11Targets.Row find(List<Issue11Targets.Row> rows, String target, String base) {
        return rows.stream().filter(r -> r.target().contains(target) && r.goal().contains(base)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + target + " vs " + base + " in " + rows));
    }
}
