package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.query.Query;

import java.util.Objects;

/**
 * IQv2 query: how many keys of a cobtree store sort strictly before {@code key} in Kafka's byte
 * order (the key's 0-based position if present), in O(log n). The key may have any length.
 * Across instances the ranks add up.
 */
public final class RankQuery implements Query<Long> {
    private final Bytes key;

    private RankQuery(Bytes key) {
        this.key = key;
    }

    public static RankQuery of(Bytes key) {
        return new RankQuery(Objects.requireNonNull(key, "key"));
    }

    public Bytes key() {
        return key;
    }

    @Override
    public String toString() {
        return "RankQuery(" + key + ")";
    }
}
