package dev.cobtree.kafka;

import org.apache.kafka.streams.query.Query;

import java.util.Objects;

/**
 * IQv2 query: how many keys a cobtree store holds in a range, answered in O(log n) from the
 * tree's per-block counts without visiting the keys (linearizable: a count the store had at one
 * instant of the call). Kafka's own stores answer it only by iterating the range. Kafka's
 * wrappers (metering, caching, logging) pass it to the store unchanged; with caching enabled the
 * count is of what the cache has flushed to the store (at the latest, the last commit).
 *
 * <p>Across instances: each instance answers for the partitions it hosts; the counts add up
 * (partitions hold disjoint keys). See docs/KAFKA.md.
 */
public final class RangeCountQuery implements Query<Long> {
    private final KeyRange range;

    private RangeCountQuery(KeyRange range) {
        this.range = range;
    }

    public static RangeCountQuery of(KeyRange range) {
        return new RangeCountQuery(Objects.requireNonNull(range, "range"));
    }

    public KeyRange range() {
        return range;
    }

    @Override
    public String toString() {
        return "RangeCountQuery" + range;
    }
}
