package dev.cobtree.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report computes its ratios and verdicts from the data: checked on a small JMH file with known numbers. */
class ReportWriterTest {

    private static String result(String bench, String mode, int threads, String params, double score, String unit) {
        return """
                {"jmhVersion":"1.37","benchmark":"dev.cobtree.bench.%s","mode":"%s","threads":%d,"forks":1,
                 "jvm":"/jdk/bin/java","jvmArgs":["-Xmx3g","-XX:+UseParallelGC"],"jdkVersion":"25","vmName":"OpenJDK 64-Bit Server VM",
                 "vmVersion":"25+1","warmupIterations":2,"warmupTime":"500 ms","warmupBatchSize":1,"measurementIterations":3,
                 "measurementTime":"500 ms","measurementBatchSize":1,"params":{%s},
                 "primaryMetric":{"score":%s,"scoreError":"NaN","scoreConfidence":[0,0],"scorePercentiles":{},"scoreUnit":"%s","rawData":[[1]]},
                 "secondaryMetrics":{}}""".formatted(bench, mode, threads, params, score, unit);
    }

    private static String params(String impl, String... more) {
        StringBuilder sb = new StringBuilder("\"impl\":\"" + impl + "\",\"size\":\"1000000\"");
        for (int i = 0; i < more.length; i += 2) sb.append(",\"").append(more[i]).append("\":\"").append(more[i + 1]).append('"');
        return sb.toString();
    }

    @Test
    void ratiosAndTargetsComeFromTheData(@TempDir Path dir) throws IOException {
        String json = "[" + String.join(",", List.of(
                result("PointBench.getHit", "avgt", 1, params("cobtree"), 20, "ns/op"),
                result("PointBench.getHit", "avgt", 1, params("cslmFresh"), 200, "ns/op"),
                result("PointBench.getHit", "avgt", 1, params("cslmCompacted"), 100, "ns/op"),
                result("PointBench.getMiss", "avgt", 1, params("cobtree"), 30, "ns/op"),
                result("PointBench.getMiss", "avgt", 1, params("sortedArray"), 10, "ns/op"),
                result("PointBench.getMiss", "avgt", 1, params("eytzinger"), 15, "ns/op"),
                result("WriteBench.randomPut", "avgt", 1, params("cobtree"), 100, "ms/op"),
                result("WriteBench.randomPut", "avgt", 1, params("cslmFresh"), 400, "ms/op"),
                result("ScanBench.ascending", "avgt", 1, params("cobtree", "length", "all"), 2e6, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cslmFresh", "length", "all"), 1.4e8, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cslmCompacted", "length", "all"), 6e6, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("sortedArray", "length", "all"), 5e5, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cobtree", "length", "100"), 2000, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cobtreeSink", "length", "all"), 3e6, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cobtreeSink", "length", "100"), 1000, "ns/op"),
                result("ConcurrentBench.mixed", "thrpt", 2, params("cobtree"), 3e7, "ops/s"),
                result("ConcurrentBench.mixed", "thrpt", 2, params("cslmFresh"), 5e6, "ops/s"),
                result("ConcurrentBench.mixed", "thrpt", 2, params("cslmCompacted"), 1.2e7, "ops/s"))) + "]";
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, json);
        JmhResults results = JmhResults.read(jmh);
        assertEquals(18, results.results().size());
        assertEquals("25", results.environment().jdkVersion());

        Workload scan = Workload.ALL.stream().filter(w -> w.id().equals("scan-ascending")).findFirst().orElseThrow();
        assertEquals(2.0, scan.value(results.results().get(8)), 1e-9, "ns per entry of a whole-range scan of 10^6");
        assertEquals(20.0, scan.value(results.results().get(12)), 1e-9, "ns per entry of a 100-entry scan");

        List<MemoryFootprint.Row> memory = List.of(new MemoryFootprint.Row("cobtree", 1_000_000, "memoryBytes()", 30_000_000));
        Path charts = dir.resolve("charts");
        String md = ReportWriter.render(results, memory, Path.of("charts"), charts,
                new ReportWriter.RunInfo("short", "abc123", MachineInfo.loadSummary(List.of("1 3.00 2 1", "2 5.00 2 1", "3")),
                        java.time.ZonedDateTime.of(2026, 1, 2, 3, 4, 0, 0, java.time.ZoneOffset.UTC)),
                "measured by a test");

        assertTrue(md.contains("| 10^6 | **cobtree** | 20.0 | — | 10.0x | 5.00x |\n"), "no limit column without the limit's rows\n" + md);
        assertTrue(md.contains("| 10^6 | **cobtree** | 100 | — | 4.00x | — |"), "put: 100 ms per 10^6 puts = 100 ns/put, 4x fresh CSLM\n" + md);
        assertTrue(md.contains("| 10^6 | all | **cobtree** | 2.00 | — | 70.0x | 3.00x | 4.00x |"), md);
        assertTrue(md.contains("x limit (best of eytzinger, sortedArray) |"), md);
        assertTrue(md.contains("| 10^6 | **cobtree** | 30.0 | — | — | — | 3.00x |"), "lookup limit is the faster of the two\n" + md);
        assertTrue(md.contains("| size | length | impl | ns/entry | ± | x CSLM fresh | x CSLM compacted | x limit (sortedArray) |"), md);
        assertTrue(md.contains("| 10^6 | 2 | **cobtree** | 30.0 | — | 6.00x | 2.50x |"), md);

        assertTrue(md.contains("| random get | >= 5x faster than cslmFresh and cslmCompacted | 10.00x vs cslmFresh (10^6); 5.00x vs cslmCompacted (10^6) | **met** |"), md);
        assertTrue(md.contains("| random put | >= 2x faster than cslmFresh | 4.00x vs cslmFresh (10^6) | **met** |"), md);
        assertTrue(md.contains("| range scan per entry vs fresh CSLM | >= 50x faster than cslmFresh | 70.00x vs cslmFresh (10^6, length=all) | **met** |"),
                "the cursor (2 ns/entry) beats the sink (3) on the whole range, and 100-entry scans do not count\n" + md);
        assertTrue(md.contains("| range scan per entry vs compacted CSLM | >= 5x faster than cslmCompacted | 3.00x vs cslmCompacted (10^6, length=all) | **not met** |"), md);
        assertTrue(md.contains("| range scan per entry vs long[] scan | <= 4x the time of a long[] scan | 4.00x the time of long[] (10^6, length=all) | **met** |"), md);
        assertTrue(md.contains("| mixed 80/20 on 2 threads | >= 3x faster than cslmFresh and cslmCompacted | 6.00x vs cslmFresh (10^6, threads=2); 2.50x vs cslmCompacted (10^6, threads=2) | **not met** |"), md);
        assertTrue(md.contains("| strided access (every k) |") && md.contains("| not measured |"), md);
        assertTrue(md.contains("| memory per entry | <= 32 bytes/entry (CobTree.memoryBytes()) | 30.0 bytes/entry at 10^6 | **met** |"), md);
        assertTrue(md.contains("## Notes\n\nmeasured by a test"), md);
        assertTrue(md.contains("1-minute load average during the run: mean 4.0, max 5.0 (2 samples)"), md);
        assertTrue(md.contains("| commit | abc123 |"), md);
        assertTrue(md.contains("| date | 2026-01-02 03:04 UTC (when the JMH results were written) |"), md);

        Path png = charts.resolve("get-hit.png");
        assertTrue(Files.exists(png), "chart written");
        byte[] head = Files.readAllBytes(png);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(head, 4));
        assertTrue(md.contains("![Random get, present keys](charts/get-hit.png)"), md);
    }

    @Test
    void scanTargetsTakeTheFasterScanPath(@TempDir Path dir) throws IOException {
        String json = "[" + String.join(",", List.of(
                result("ScanBench.ascending", "avgt", 1, params("cobtree", "length", "all"), 6e6, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cobtreeSink", "length", "all"), 3e6, "ns/op"),
                result("ScanBench.ascending", "avgt", 1, params("cslmCompacted", "length", "all"), 6e6, "ns/op"))) + "]";
        Path jmh = dir.resolve("jmh.json");
        Files.writeString(jmh, json);
        List<TargetCheck.Verdict> verdicts = new TargetCheck(JmhResults.read(jmh).results(), List.of()).verdicts();
        TargetCheck.Verdict compacted = verdicts.stream().filter(v -> v.target().contains("compacted")).findFirst().orElseThrow();
        assertEquals("2.00x vs cslmCompacted (cobtreeSink, 10^6, length=all)", compacted.measured());
        assertEquals("**not met**", compacted.status());
        TargetCheck.Verdict get = verdicts.stream().filter(v -> v.target().equals("random get")).findFirst().orElseThrow();
        assertEquals("not measured", get.status());
    }

    @Test
    void sizesPrintAsPowersOfTen() {
        assertEquals("10^4", ReportWriter.size(10_000));
        assertEquals("10^7", ReportWriter.size(10_000_000));
        assertEquals("2,000,000", ReportWriter.size(2_000_000));
        assertEquals("500", ReportWriter.size(500));
    }
}
