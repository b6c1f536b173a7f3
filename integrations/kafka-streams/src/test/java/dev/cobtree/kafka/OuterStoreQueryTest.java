package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * IQv2 queries sent to the outermost store Kafka builds (metering, optional caching, change
 * logging around the cobtree store): Kafka's typed {@code KeyQuery}/{@code RangeQuery}, which the
 * metered layer translates to bytes, and cobtree's custom queries, which pass through unchanged.
 */
class OuterStoreQueryTest {

    /** Keys -50..49 in Long terms, value = one byte (key + 50): the id. */
    private static TopologyTestDriver loaded(boolean caching) {
        TopologyTestDriver driver = new TopologyTestDriver(StoreTopologies.writer(StoreTopologies.cobtreeStore(caching)), StoreTopologies.config());
        TestInputTopic<Long, byte[]> in = driver.createInputTopic(StoreTopologies.INPUT, Serdes.Long().serializer(), Serdes.ByteArray().serializer());
        for (long k = -50; k < 50; k++) {
            in.pipeInput(k, new byte[] {(byte) (k + 50)});
        }
        in.pipeInput(7L, null); // delete
        return driver;
    }

    private static <R> QueryResult<R> run(StateStore outer, Query<R> q) {
        return outer.query(q, PositionBound.unbounded(), new QueryConfig(true));
    }

    private static <R> R answer(StateStore outer, Query<R> q) {
        QueryResult<R> r = run(outer, q);
        assertTrue(r.isSuccess(), () -> q + ": " + r.getFailureReason() + " " + r.getFailureMessage());
        return r.getResult();
    }

    private static Bytes key(long k) {
        return CobTreeKeyValueStoreModelTest.key(k);
    }

    @ParameterizedTest(name = "caching {0}")
    @ValueSource(booleans = {false, true})
    void customQueriesPassThroughKafkasWrappers(boolean caching) {
        try (TopologyTestDriver driver = loaded(caching)) {
            StateStore outer = driver.getAllStateStores().get(StoreTopologies.STORE);
            assertFalse(outer instanceof CobTreeKeyValueStore, "the driver hands out Kafka's outer store, not the cobtree store");
            // [0, 50): 49 keys (7 deleted); in Kafka's order the negative keys come after, so [0, -1] holds all 99
            assertEquals(49L, answer(outer, RangeCountQuery.of(KeyRange.ofLongs(0, 50))));
            assertEquals(99L, answer(outer, RangeCountQuery.of(KeyRange.closed(key(0), key(-1)))));
            assertEquals(0L, answer(outer, RangeCountQuery.of(KeyRange.closed(key(-1), key(0)))));
            assertEquals(50L, answer(outer, RangeCountQuery.of(KeyRange.closed(key(-50), key(-1)))));
            assertEquals(99L, answer(outer, RangeCountQuery.of(KeyRange.all())));
            // rank of key 10: 0..9 precede it but 7 is gone
            assertEquals(9L, answer(outer, RankQuery.of(key(10))));
            assertEquals(49L, answer(outer, RankQuery.of(key(-50))));
            KeyValue<Bytes, byte[]> third = answer(outer, SelectQuery.at(7)); // 0..6, then 8
            assertEquals(key(8), third.key);
            assertArrayEquals(new byte[] {58}, third.value);
            assertEquals(key(-1), answer(outer, SelectQuery.at(98)).key);
            assertNull(answer(outer, SelectQuery.at(99)));
            RoaringBitmap ids = answer(outer, IdBitmapQuery.of(KeyRange.ofLongs(5, 12), (k, v) -> v[0]));
            assertEquals(RoaringBitmap.bitmapOf(55, 56, 58, 59, 60, 61), ids);
            RoaringBitmap keys = answer(outer, IdBitmapQuery.of(KeyRange.closed(key(-3), key(-1)), (k, v) -> (int) k + 100));
            assertEquals(RoaringBitmap.bitmapOf(97, 98, 99), keys);
            QueryResult<Long> withInfo = run(outer, RangeCountQuery.of(KeyRange.all()));
            assertTrue(withInfo.getExecutionInfo().stream().anyMatch(s -> s.contains("CobTreeKeyValueStore")), withInfo.getExecutionInfo().toString());
        }
    }

    @ParameterizedTest(name = "caching {0}")
    @ValueSource(booleans = {false, true})
    void kafkasTypedKeyAndRangeQueriesAreAnswered(boolean caching) {
        try (TopologyTestDriver driver = loaded(caching)) {
            StateStore outer = driver.getAllStateStores().get(StoreTopologies.STORE);
            assertArrayEquals(new byte[] {53}, answer(outer, KeyQuery.<Long, byte[]>withKey(3L)));
            assertNull(answer(outer, KeyQuery.<Long, byte[]>withKey(7L)));
            List<Long> asc = new ArrayList<>();
            try (KeyValueIterator<Long, byte[]> it = answer(outer, RangeQuery.<Long, byte[]>withRange(45L, -48L))) {
                it.forEachRemaining(kv -> asc.add(kv.key));
            }
            assertEquals(List.of(45L, 46L, 47L, 48L, 49L, -50L, -49L, -48L), asc);
            List<Long> desc = new ArrayList<>();
            try (KeyValueIterator<Long, byte[]> it = answer(outer, RangeQuery.<Long, byte[]>withRange(5L, 9L).withDescendingKeys())) {
                it.forEachRemaining(kv -> desc.add(kv.key));
            }
            assertEquals(List.of(9L, 8L, 6L, 5L), desc);
        }
    }

    @ParameterizedTest(name = "caching {0}")
    @ValueSource(booleans = {false, true})
    void unknownQueriesAndUnreachedPositionsFailAsKafkaSays(boolean caching) {
        try (TopologyTestDriver driver = loaded(caching)) {
            StateStore outer = driver.getAllStateStores().get(StoreTopologies.STORE);
            QueryResult<String> unknown = run(outer, new Query<String>() {
            });
            assertEquals(FailureReason.UNKNOWN_QUERY_TYPE, unknown.getFailureReason());
            Position position = answerPosition(outer);
            Map<Integer, Long> offsets = position.getPartitionPositions(StoreTopologies.INPUT);
            assertEquals(100L, offsets.get(0), position.toString()); // 101 records, offsets 0..100
            PositionBound reached = PositionBound.at(Position.emptyPosition().withComponent(StoreTopologies.INPUT, 0, 100));
            assertTrue(outer.query(RangeCountQuery.of(KeyRange.all()), reached, new QueryConfig(false)).isSuccess());
            PositionBound ahead = PositionBound.at(Position.emptyPosition().withComponent(StoreTopologies.INPUT, 0, 101));
            QueryResult<Long> r = outer.query(RangeCountQuery.of(KeyRange.all()), ahead, new QueryConfig(false));
            assertEquals(FailureReason.NOT_UP_TO_BOUND, r.getFailureReason(), r.getFailureMessage());
            QueryResult<Long> bad = run(outer, RankQuery.of(Bytes.wrap(new byte[] {1, 2, 3}))); // any bound length is fine for rank
            assertTrue(bad.isSuccess());
        }
    }

    private static Position answerPosition(StateStore outer) {
        QueryResult<Long> r = run(outer, RangeCountQuery.of(KeyRange.all()));
        assertTrue(r.isSuccess());
        return r.getPosition();
    }
}
