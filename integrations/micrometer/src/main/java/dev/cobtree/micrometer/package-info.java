/**
 * Micrometer metrics for cobtree. {@link dev.cobtree.micrometer.CobTreeMetrics} binds one
 * index's size, memory, capacity, resizes, rebalances (and the cells they moved), writer and
 * reader retries and reclamation backlog, read from {@code CobTree.statistics()};
 * {@link dev.cobtree.micrometer.FilterCacheMetrics} binds a {@code FilterCache} with Micrometer's
 * standard cache meters ({@code cache.gets}, {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size}), as Micrometer's own {@code CaffeineCacheMetrics} does.
 *
 * <p>Both hold their subject weakly, as Micrometer's cache binders do: binding does not keep an
 * index or a cache alive. Nothing is measured on the index's hot paths: the meters read counters
 * that the engine increments on rare events only.
 */
package dev.cobtree.micrometer;
