package dev.cobtree.micrometer;

import dev.cobtree.query.FilterCache;
import dev.cobtree.query.Range;
import dev.cobtree.query.SecondaryIndex;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterCacheMetricsTest {

    @Test
    void theStandardCacheMetersCountHitsMissesPutsAndEvictions() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SecondaryIndex index = new SecondaryIndex();
        for (int row = 0; row < 10_000; row++) index.insert(row % 1000, row);
        FilterCache cache = new FilterCache(index, 2048);
        FilterCacheMetrics.monitor(registry, cache, "by-price", "region", "eu");

        cache.rowIds(Range.halfOpen(0, 10));  // miss, put
        cache.rowIds(Range.halfOpen(0, 10));  // hit
        for (int a = 100; a < 1000; a += 10) cache.rowIds(Range.halfOpen(a, a + 10)); // 90 misses, evictions
        cache.weightedBytes(); // settles Caffeine's pending eviction work

        var s = cache.stats();
        assertEquals(1, registry.get("cache.gets").tag("cache", "by-price").tag("result", "hit").functionCounter().count());
        assertEquals(91, registry.get("cache.gets").tag("result", "miss").tag("region", "eu").functionCounter().count());
        assertEquals(91, registry.get("cache.puts").tag("cache", "by-price").functionCounter().count());
        assertEquals(s.evictionCount(), registry.get("cache.evictions").functionCounter().count());
        assertTrue(s.evictionCount() > 0, s.toString());
        assertEquals(s.evictionWeight(), registry.get("cache.eviction.weight").functionCounter().count());
        assertEquals(cache.cachedRanges(), registry.get("cache.size").gauge().value());
        assertEquals(cache.weightedBytes(), registry.get("cache.weighted.size").gauge().value());
        assertTrue(cache.weightedBytes() <= 2048);
        cache.close();
    }
}
