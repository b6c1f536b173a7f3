package dev.cobtree.kafka.example;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryResult;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two {@code TopologyTestDriver}s stand in for two instances of the {@link EventTimeIndex}
 * application, each hosting one partition (events routed by id parity, as a partitioner would);
 * their answers, merged, equal a brute-force answer over all events.
 */
class EventTimeIndexTest {

    private static TopologyTestDriver instance(int n) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "event-index");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "instance" + n + ":9092");
        return new TopologyTestDriver(EventTimeIndex.topology(), p);
    }

    private static <R> R ask(TopologyTestDriver instance, Query<R> q) {
        StateStore store = instance.getAllStateStores().get(EventTimeIndex.STORE); // Kafka's outer (metered, cached, logged) store
        QueryResult<R> r = store.query(q, PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(r.isSuccess(), () -> r.getFailureReason() + " " + r.getFailureMessage());
        return r.getResult();
    }

    @Test
    void twoInstancesAnswerCountsAndIdsThatMergeToTheWholeAnswer() {
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("EventTimeIndexTest seed " + seed);
        Random rnd = new Random(seed);
        long base = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long[] times = new long[20_000];
        try (TopologyTestDriver a = instance(0); TopologyTestDriver b = instance(1)) {
            List<TestInputTopic<Integer, byte[]>> inputs = List.of(
                    a.createInputTopic(EventTimeIndex.EVENTS, Serdes.Integer().serializer(), Serdes.ByteArray().serializer()),
                    b.createInputTopic(EventTimeIndex.EVENTS, Serdes.Integer().serializer(), Serdes.ByteArray().serializer()));
            for (int id = 0; id < times.length; id++) {
                times[id] = base + rnd.nextInt(3_600_000); // one hour of events, out of order
                inputs.get(id % 2).pipeInput(id, new byte[0], times[id]);
            }
            for (int q = 0; q < 200; q++) {
                long t0 = base + rnd.nextInt(3_700_000) - 50_000;
                long t1 = t0 + rnd.nextInt(q % 10 == 0 ? 4_000_000 : 60_000);
                long expectedCount = 0;
                RoaringBitmap expectedIds = new RoaringBitmap();
                for (int id = 0; id < times.length; id++) {
                    if (times[id] >= t0 && times[id] < t1) {
                        expectedCount++;
                        expectedIds.add(id);
                    }
                }
                List<Long> counts = new ArrayList<>();
                List<RoaringBitmap> ids = new ArrayList<>();
                for (TopologyTestDriver instance : List.of(a, b)) {
                    counts.add(ask(instance, EventTimeIndex.countQuery(t0, t1)));
                    ids.add(ask(instance, EventTimeIndex.idsQuery(t0, t1)));
                }
                String where = "[" + t0 + ", " + t1 + "), seed " + seed;
                assertEquals(expectedCount, EventTimeIndex.mergeCounts(counts), where);
                assertEquals(expectedIds, EventTimeIndex.mergeIds(ids), where);
                assertEquals(counts.get(0), ids.get(0).getLongCardinality(), where);
            }
        }
    }

    @Test
    void anInstanceSumsItsPartitionsAndRefusesAFailedOne() {
        StateQueryResult<Long> local = new StateQueryResult<>();
        local.addResult(0, QueryResult.forResult(5L));
        local.addResult(3, QueryResult.forResult(7L));
        assertEquals(12L, EventTimeIndex.sumPartitions(local));
        local.addResult(4, QueryResult.forFailure(FailureReason.NOT_UP_TO_BOUND, "behind"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> EventTimeIndex.sumPartitions(local));
        assertTrue(e.getMessage().contains("partition 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventTimeIndex.indexKey(-1, 0));
    }
}
