package dev.cobtree.kafka.example;

import dev.cobtree.kafka.CobTreeStores;
import dev.cobtree.kafka.IdBitmapQuery;
import dev.cobtree.kafka.KeyRange;
import dev.cobtree.kafka.RangeCountQuery;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.roaringbitmap.RoaringBitmap;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Example: index events by timestamp, one cobtree store per input partition, and answer "how
 * many events in [t0, t1)" and "which event ids in [t0, t1)".
 *
 * <p>Input: topic {@value #EVENTS}, key = event id ({@code Integer}), record timestamp = event
 * time (ms). Index key: {@code timestamp << 20 | (id & 0xFFFFF)}, a non-negative {@code long}
 * while timestamps stay below 2^43 ms (year 2248), so Kafka's byte order is time order; the value
 * is the id's 4 bytes. Two events with the same millisecond and the same low 20 id bits would
 * share a key (the later overwrites); an application whose ids collide there keeps a list per key
 * instead.
 *
 * <p>Each instance answers for the partitions it hosts: {@link #countQuery} and {@link #idsQuery}
 * run on its store(s) through IQv2 ({@link #localCount} sums its partitions). Across instances the
 * application fans the query out (hosts from {@code KafkaStreams.streamsMetadataForStore}; the
 * call between instances is the application's own RPC, as in Kafka's interactive-query docs) and
 * merges: counts add ({@link #mergeCounts}), id bitmaps OR ({@link #mergeIds}); partitions hold
 * disjoint events, so nothing is counted twice.
 */
public final class EventTimeIndex {
    public static final String EVENTS = "events";
    public static final String STORE = "events-by-time";
    static final int ID_BITS = 20;

    private EventTimeIndex() {
    }

    /** The index key of an event. */
    static long indexKey(long timestamp, int id) {
        if (timestamp < 0 || timestamp >= 1L << (63 - ID_BITS)) {
            throw new IllegalArgumentException("timestamp out of the index's range [0, 2^43): " + timestamp);
        }
        return timestamp << ID_BITS | (id & ((1 << ID_BITS) - 1));
    }

    public static Topology topology() {
        Topology t = new Topology();
        t.addSource("events", Serdes.Integer().deserializer(), Serdes.ByteArray().deserializer(), EVENTS);
        t.addProcessor("index", () -> new Processor<Integer, byte[], Void, Void>() {
            private KeyValueStore<Long, byte[]> index;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                index = context.getStateStore(STORE);
            }

            @Override
            public void process(Record<Integer, byte[]> event) {
                index.put(indexKey(event.timestamp(), event.key()), ByteBuffer.allocate(4).putInt(event.key()).array());
            }
        }, "events");
        t.addStateStore(Stores.keyValueStoreBuilder(CobTreeStores.keyValueStore(STORE), Serdes.Long(), Serdes.ByteArray()), "index");
        return t;
    }

    /** Events with timestamp in [t0, t1), counted without visiting them. */
    public static RangeCountQuery countQuery(long t0, long t1) {
        return RangeCountQuery.of(KeyRange.ofLongs(t0 << ID_BITS, t1 << ID_BITS));
    }

    /** Ids of the events with timestamp in [t0, t1). */
    public static IdBitmapQuery idsQuery(long t0, long t1) {
        return IdBitmapQuery.of(KeyRange.ofLongs(t0 << ID_BITS, t1 << ID_BITS), (key, value) -> ByteBuffer.wrap(value).getInt());
    }

    /** One instance's count over every partition it hosts (IQv2 across its local stores). */
    public static long localCount(KafkaStreams streams, long t0, long t1) {
        return sumPartitions(streams.query(StateQueryRequest.inStore(STORE).withQuery(countQuery(t0, t1)).withAllPartitions()));
    }

    /** The sum of the per-partition answers of one instance. @throws IllegalStateException if a partition failed */
    static long sumPartitions(StateQueryResult<Long> result) {
        long sum = 0;
        for (var e : result.getPartitionResults().entrySet()) {
            QueryResult<Long> r = e.getValue();
            if (r.isFailure()) {
                throw new IllegalStateException("partition " + e.getKey() + " failed: " + r.getFailureReason() + " " + r.getFailureMessage());
            }
            sum += r.getResult();
        }
        return sum;
    }

    /** Counts from several instances: they add (disjoint partitions). */
    public static long mergeCounts(Collection<Long> perInstance) {
        return perInstance.stream().mapToLong(Long::longValue).sum();
    }

    /** Id bitmaps from several instances: their union. */
    public static RoaringBitmap mergeIds(Collection<RoaringBitmap> perInstance) {
        return RoaringBitmap.or(perInstance.iterator());
    }
}
