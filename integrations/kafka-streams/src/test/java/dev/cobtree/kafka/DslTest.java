package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DSL's {@code count()} and {@code aggregate()} materialized in a cobtree store give what they
 * give in Kafka's in-memory store, for the same input (keys of both signs).
 */
class DslTest {

    private static final int RECORDS = 3_000;

    /** Runs the topology built by {@code materialize} over a seeded input; returns the store's contents in iteration order. */
    private static Map<Long, Long> run(long seed, KeyValueBytesStoreSupplier supplier, boolean aggregate) {
        StreamsBuilder builder = new StreamsBuilder();
        var grouped = builder.stream("words", Consumed.with(Serdes.Long(), Serdes.String())).groupByKey(Grouped.with(Serdes.Long(), Serdes.String()));
        if (aggregate) {
            grouped.aggregate(() -> 0L, (k, v, sum) -> sum + v.length(),
                    Materialized.<Long, Long>as(supplier).withKeySerde(Serdes.Long()).withValueSerde(Serdes.Long()));
        } else {
            grouped.count(Materialized.<Long, Long>as(supplier).withKeySerde(Serdes.Long()));
        }
        Random rnd = new Random(seed);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), StoreTopologies.config())) {
            TestInputTopic<Long, String> in = driver.createInputTopic("words", Serdes.Long().serializer(), Serdes.String().serializer());
            for (int i = 0; i < RECORDS; i++) {
                in.pipeInput((long) rnd.nextInt(301) - 150, "x".repeat(1 + rnd.nextInt(5)));
            }
            KeyValueStore<Long, ValueAndTimestamp<Long>> store = driver.getTimestampedKeyValueStore(supplier.name());
            Map<Long, Long> contents = new LinkedHashMap<>();
            try (KeyValueIterator<Long, ValueAndTimestamp<Long>> it = store.all()) {
                it.forEachRemaining(kv -> contents.put(kv.key, kv.value.value()));
            }
            if (supplier.metricsScope().equals("cobtree")) {
                StateStore outer = driver.getAllStateStores().get(supplier.name());
                QueryResult<Long> n = outer.query(RangeCountQuery.of(KeyRange.all()), PositionBound.unbounded(), new QueryConfig(false));
                assertTrue(n.isSuccess(), () -> n.getFailureReason() + " " + n.getFailureMessage());
                assertEquals(contents.size(), n.getResult());
            }
            return contents;
        }
    }

    private static void compare(boolean aggregate) {
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("DslTest seed " + seed);
        Map<Long, Long> cobtree = run(seed, CobTreeStores.keyValueStore("counts"), aggregate);
        Map<Long, Long> kafka = run(seed, Stores.inMemoryKeyValueStore("counts"), aggregate);
        assertFalse(cobtree.isEmpty());
        assertEquals(List.copyOf(kafka.entrySet()), List.copyOf(cobtree.entrySet()), "same entries in the same (byte) order, seed " + seed);
        long total = aggregate ? -1 : cobtree.values().stream().mapToLong(Long::longValue).sum();
        if (!aggregate) {
            assertEquals(RECORDS, total);
        }
        // Kafka's byte order: non-negative keys first, negative keys after them
        List<Long> keys = List.copyOf(cobtree.keySet());
        assertTrue(keys.get(0) >= 0 && keys.get(keys.size() - 1) < 0, keys.toString());
    }

    @Test
    void countMatchesKafkasInMemoryStore() {
        compare(false);
    }

    @Test
    void aggregateMatchesKafkasInMemoryStore() {
        compare(true);
    }

}
