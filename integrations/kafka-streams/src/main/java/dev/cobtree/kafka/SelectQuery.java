package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.Query;

/**
 * IQv2 query: the entry at a 0-based position of a cobtree store in Kafka's byte order (the
 * median, a percentile, a page start), or {@code null} when the position is at or past the end;
 * O(log n). A global position across instances is not a merge of local ones: docs/KAFKA.md
 * shows how to find it with {@link RankQuery} fan-outs.
 */
public final class SelectQuery implements Query<KeyValue<Bytes, byte[]>> {
    private final long index;

    private SelectQuery(long index) {
        this.index = index;
    }

    /** @throws IllegalArgumentException if {@code index} is negative */
    public static SelectQuery at(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0; got " + index);
        }
        return new SelectQuery(index);
    }

    public long index() {
        return index;
    }

    @Override
    public String toString() {
        return "SelectQuery(" + index + ")";
    }
}
