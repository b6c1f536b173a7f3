package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong key lengths, null keys and closed stores: the standard exception, a message naming the value, nothing lost. */
class BadInputTest {

    private static Bytes key(long k) {
        return CobTreeKeyValueStoreModelTest.key(k);
    }

    private static CobTreeKeyValueStore storeWith(long... keys) {
        CobTreeKeyValueStore s = CapturingStoreContext.openStore("s", 8, new CapturingStoreContext());
        for (long k : keys) {
            s.put(key(k), new byte[] {(byte) k});
        }
        return s;
    }

    private static Map<Bytes, byte[]> contents(CobTreeKeyValueStore s) {
        Map<Bytes, byte[]> m = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = s.all()) {
            it.forEachRemaining(kv -> m.put(kv.key, kv.value));
        }
        return m;
    }

    private static void assertUnchanged(Map<Bytes, byte[]> before, CobTreeKeyValueStore s) {
        Map<Bytes, byte[]> after = contents(s);
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k)));
    }

    @Test
    void keysOfAnotherLengthFailNamingTheLengthAndChangeNothing() {
        CobTreeKeyValueStore s = storeWith(1, 2, -3);
        Map<Bytes, byte[]> before = contents(s);
        for (int length : new int[] {0, 1, 4, 7, 9, 16}) {
            Bytes bad = Bytes.wrap(new byte[length]);
            List<org.junit.jupiter.api.function.Executable> calls = List.of(
                    () -> s.put(bad, new byte[] {9}),
                    () -> s.put(bad, null),
                    () -> s.putIfAbsent(bad, new byte[] {9}),
                    () -> s.get(bad),
                    () -> s.delete(bad),
                    () -> s.putAll(List.of(KeyValue.pair(key(50), new byte[] {9}), KeyValue.pair(bad, new byte[] {9}))));
            for (org.junit.jupiter.api.function.Executable call : calls) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
                assertTrue(e.getMessage().contains("got a key of " + length + " bytes"), e.getMessage());
                assertUnchanged(before, s);
            }
            QueryResult<byte[]> q = s.query(KeyQuery.withKey(bad), PositionBound.unbounded(), new QueryConfig(false));
            assertEquals(FailureReason.STORE_EXCEPTION, q.getFailureReason());
            assertTrue(q.getFailureMessage().contains(length + " bytes"), q.getFailureMessage());
        }
        assertNull(s.get(key(50)), "putAll applied nothing of a list with a bad key");
        s.close();
    }

    @Test
    void nullKeysFailWithNullPointerExceptionAndChangeNothing() {
        CobTreeKeyValueStore s = storeWith(1, 2);
        Map<Bytes, byte[]> before = contents(s);
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> s.put(null, new byte[] {1}), () -> s.get(null), () -> s.delete(null), () -> s.putIfAbsent(null, new byte[] {1}),
                () -> s.putAll(List.of(KeyValue.pair(key(9), new byte[] {1}), KeyValue.pair(null, new byte[] {1}))),
                () -> s.putAll(java.util.Arrays.asList(KeyValue.pair(key(9), new byte[] {1}), null)),
                () -> s.prefixScan(null, Serdes.Bytes().serializer()))) {
            NullPointerException e = assertThrows(NullPointerException.class, call);
            assertTrue(e.getMessage() != null && (e.getMessage().contains("null")), String.valueOf(e.getMessage()));
            assertUnchanged(before, s);
        }
        assertThrows(NullPointerException.class, () -> RangeCountQuery.of(null));
        assertThrows(NullPointerException.class, () -> RankQuery.of(null));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> SelectQuery.at(-1));
        assertTrue(negative.getMessage().contains("-1"));
        IllegalArgumentException segment = assertThrows(IllegalArgumentException.class, () -> CobTreeStores.keyValueStore("x", 100));
        assertTrue(segment.getMessage().contains("100"));
        s.close();
    }

    @Test
    void aReversedRangeIsEmptyAsInKafkasStores() {
        CobTreeKeyValueStore s = storeWith(1, 2, 3);
        try (KeyValueIterator<Bytes, byte[]> it = s.range(key(3), key(1))) {
            assertFalse(it.hasNext());
        }
        try (KeyValueIterator<Bytes, byte[]> it = s.reverseRange(key(3), key(1))) {
            assertFalse(it.hasNext());
        }
        assertEquals(0L, CobTreeKeyValueStoreModelTest.answer(s, RangeCountQuery.of(KeyRange.closed(key(3), key(1)))));
        s.close();
    }

    @Test
    void aClosedStoreFailsEveryCallWithInvalidStateStoreException() {
        CobTreeKeyValueStore s = storeWith(1, 2, 3);
        KeyValueIterator<Bytes, byte[]> open = s.all();
        assertTrue(open.hasNext());
        open.next();
        s.close();
        assertFalse(s.isOpen());
        s.close(); // idempotent
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> s.put(key(4), new byte[] {4}), () -> s.get(key(1)), () -> s.delete(key(1)), () -> s.putIfAbsent(key(4), new byte[] {4}),
                () -> s.putAll(List.of(KeyValue.pair(key(4), new byte[] {4}))), () -> s.range(key(1), key(2)), () -> s.all(),
                () -> s.reverseAll(), () -> s.prefixScan(key(1), Serdes.Bytes().serializer()), () -> s.approximateNumEntries(),
                open::hasNext, open::next);
        for (org.junit.jupiter.api.function.Executable call : calls) {
            InvalidStateStoreException e = assertThrows(InvalidStateStoreException.class, call);
            assertTrue(e.getMessage().contains("s"), e.getMessage());
        }
        QueryResult<Long> q = s.query(RangeCountQuery.of(KeyRange.all()), PositionBound.unbounded(), new QueryConfig(false));
        assertEquals(FailureReason.STORE_EXCEPTION, q.getFailureReason());
        assertTrue(q.getFailureMessage().contains("closed"), q.getFailureMessage());
    }

    @Test
    void throughKafkasWrappersABadKeyFailsTheRecordAndTheStoreKeepsItsContents() {
        Topology t = new Topology();
        t.addSource("src", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), "in");
        t.addProcessor("write", () -> new Processor<String, byte[], Void, Void>() {
            private KeyValueStore<String, byte[]> kv;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                kv = context.getStateStore("idx");
            }

            @Override
            public void process(Record<String, byte[]> record) {
                kv.put(record.key(), record.value());
            }
        }, "src");
        t.addStateStore(Stores.keyValueStoreBuilder(CobTreeStores.keyValueStore("idx"), Serdes.String(), Serdes.ByteArray()).withCachingDisabled(), "write");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, StoreTopologies.config())) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
            in.pipeInput("eightchr", new byte[] {1}); // 8 UTF-8 bytes: a valid key
            RuntimeException e = assertThrows(RuntimeException.class, () -> in.pipeInput("abc", new byte[] {2}));
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
                cause = cause.getCause();
            }
            assertTrue(cause instanceof IllegalArgumentException && cause.getMessage().contains("got a key of 3 bytes"), String.valueOf(cause));
            KeyValueStore<String, byte[]> store = driver.getKeyValueStore("idx");
            assertArrayEquals(new byte[] {1}, store.get("eightchr"));
            assertEquals(1, store.approximateNumEntries());
            NullPointerException npe = assertThrows(NullPointerException.class, () -> store.put(null, new byte[] {3}));
            assertTrue(String.valueOf(npe.getMessage()).contains("null"), npe.getMessage());
            assertEquals(1, store.approximateNumEntries());
        }
    }

}
