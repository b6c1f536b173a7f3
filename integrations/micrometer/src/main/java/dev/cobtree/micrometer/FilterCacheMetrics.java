package dev.cobtree.micrometer;

import dev.cobtree.query.FilterCache;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;

/**
 * Binds a {@link FilterCache} to a {@link MeterRegistry} with Micrometer's standard cache meters,
 * as Micrometer's {@code CaffeineCacheMetrics} binds a Caffeine cache (the same base class, names
 * and tags, so dashboards built for caches work unchanged), every meter tagged
 * {@code cache=<name>}:
 * {@code cache.size} (cached ranges), {@code cache.gets} with {@code result=hit} and
 * {@code result=miss}, {@code cache.puts} (answers added), {@code cache.evictions} and
 * {@code cache.eviction.weight} (evictions to stay within the byte bound; invalidations by writes
 * are not evictions), plus {@code cache.weighted.size}, the bytes counted against the bound.
 *
 * <p>The cache is held weakly, as by Micrometer's own cache binders.
 *
 * <pre>{@code
 * FilterCacheMetrics.monitor(registry, cache, "orders-by-price");
 * }</pre>
 */
public final class FilterCacheMetrics extends CacheMeterBinder<FilterCache> {

    /**
     * A binder for {@code cache}, its meters tagged {@code cache=name} and with {@code tags}.
     * @param cache the cache to observe (held weakly)
     * @param name  the value of the {@code cache} tag
     * @param tags  further tags for every meter
     */
    public FilterCacheMetrics(FilterCache cache, String name, Iterable<Tag> tags) {
        super(cache, name, tags);
    }

    /**
     * Binds {@code cache}'s meters to {@code registry} and returns the cache.
     * @param registry where the meters go
     * @param cache    the cache to observe (held weakly)
     * @param name     the value of the {@code cache} tag
     * @param tags     further tags, as key-value pairs
     * @return {@code cache}, unchanged
     */
    public static FilterCache monitor(MeterRegistry registry, FilterCache cache, String name, String... tags) {
        new FilterCacheMetrics(cache, name, Tags.of(tags)).bindTo(registry);
        return cache;
    }

    @Override
    protected Long size() {
        FilterCache c = getCache();
        return c == null ? null : c.cachedRanges();
    }

    @Override
    protected long hitCount() {
        FilterCache c = getCache();
        return c == null ? 0 : c.stats().hitCount();
    }

    @Override
    protected Long missCount() {
        FilterCache c = getCache();
        return c == null ? null : c.stats().missCount();
    }

    @Override
    protected Long evictionCount() {
        FilterCache c = getCache();
        return c == null ? null : c.stats().evictionCount();
    }

    @Override
    protected long putCount() {
        FilterCache c = getCache();
        return c == null ? 0 : c.stats().putCount();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        FilterCache cache = getCache();
        if (cache == null) {
            return;
        }
        FunctionCounter.builder("cache.eviction.weight", cache, c -> c.stats().evictionWeight())
                .tags(getTagsWithCacheName())
                .baseUnit("bytes")
                .description("The sum of weights of evicted entries. This total does not include manual invalidations.")
                .register(registry);
        Gauge.builder("cache.weighted.size", cache, FilterCache::weightedBytes)
                .tags(getTagsWithCacheName())
                .baseUnit("bytes")
                .description("The bytes the cached answers weigh, as counted against the cache's bound")
                .register(registry);
    }
}
