package dev.cobtree.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ConcurrentSkipListMap;

import dev.cobtree.query.Range;

import static org.junit.jupiter.api.Assertions.*;

class AnalyticsRangeExampleTest {

    @Test
    void bothStructuresGiveTheSameAnalytics() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AnalyticsRangeExample.Result r = AnalyticsRangeExample.run(60_000, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.ok(), out);
        assertEquals(60_000, r.events());
        assertTrue(r.cobtreeCountTotal() > 0, out);
        // The histogram of the middle half: 20 buckets of equal depth whose counts add up to about half the events.
        assertEquals(21, r.cobtreeHistogramBounds().length, out);
        long total = Arrays.stream(r.histogramCounts()).sum();
        assertTrue(Math.abs(total - 30_000) < 1_500, "histogram total " + total);
        long min = Arrays.stream(r.histogramCounts()).min().orElseThrow();
        long max = Arrays.stream(r.histogramCounts()).max().orElseThrow();
        assertTrue(max - min <= 1, Arrays.toString(r.histogramCounts()));
        for (int i = 1; i < r.cobtreeHistogramBounds().length; i++) {
            assertTrue(r.cobtreeHistogramBounds()[i] > r.cobtreeHistogramBounds()[i - 1], out);
        }
        assertTrue(out.contains("check: OK") && !out.contains("MISMATCH"), out);
    }

    @Test
    void theBaselineHistogramCutsAtTheSamePositions() {
        ConcurrentSkipListMap<Long, Long> m = new ConcurrentSkipListMap<>();
        for (long k = 0; k < 10; k++) m.put(k * 10, k);
        assertArrayEquals(new long[] {0, 30, 60, 90}, AnalyticsRangeExample.cslmEquiDepth(m, Range.all(), 3));
        assertArrayEquals(new long[] {20, 30, 40, 40}, AnalyticsRangeExample.cslmEquiDepth(m, Range.closed(20, 40), 5));
        assertArrayEquals(new long[0], AnalyticsRangeExample.cslmEquiDepth(m, Range.closed(1, 9), 5));
    }
}
