package dev.cobtree.query;

/**
 * Counts of a {@link FilterCache} since it was created: a snapshot, taken by
 * {@link FilterCache#stats()}, that does not change afterwards.
 *
 * <p>cobtree's own type, so that the query API does not tie its users to the major version of
 * the cache library behind it. Each count is exact for the operations that completed before the
 * snapshot; counts taken while other threads use the cache need not agree with each other at
 * one instant (a hit may be counted and its request not yet, for instance).
 *
 * @param hitCount      queries answered from the cache
 * @param missCount     queries that were computed by the index (whether or not the answer was
 *                      then cached)
 * @param putCount      computed answers that were added to the cache (a miss that raced a write
 *                      of a key in its range, or a close, is not added)
 * @param evictionCount answers dropped to keep the cache within its byte bound (writes that
 *                      invalidate answers and {@link FilterCache#invalidateAll()} are not evictions)
 * @param evictionWeight bytes, as weighed against the bound, of the evicted answers
 */
public record FilterCacheStats(long hitCount, long missCount, long putCount, long evictionCount, long evictionWeight) {

    /**
     * Checks that no count is negative.
     * @throws IllegalArgumentException if a count is negative
     */
    public FilterCacheStats {
        if ((hitCount | missCount | putCount | evictionCount | evictionWeight) < 0) {
            throw new IllegalArgumentException("negative count in " + FilterCacheStats.class.getSimpleName()
                    + "[hits " + hitCount + ", misses " + missCount + ", puts " + putCount + ", evictions " + evictionCount
                    + ", eviction weight " + evictionWeight + "]");
        }
    }

    /** Hits plus misses (saturating at {@code Long.MAX_VALUE}). */
    public long requestCount() {
        long sum = hitCount + missCount;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** The share of requests that were hits; 1.0 when there were no requests (as Caffeine counts it). */
    public double hitRate() {
        long requests = requestCount();
        return requests == 0 ? 1.0 : (double) hitCount / requests;
    }

    /** The share of requests that were misses; 0.0 when there were no requests. */
    public double missRate() {
        long requests = requestCount();
        return requests == 0 ? 0.0 : (double) missCount / requests;
    }
}
