package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The changelog that Kafka's logging layer writes for a cobtree store, replayed through the
 * store's own restore callback into a fresh store, gives the same contents; restored batches
 * bulk-load when they can.
 */
class RestorationTest {

    @ParameterizedTest(name = "caching {0}")
    @ValueSource(booleans = {false, true})
    void changelogReplayIntoAFreshStoreGivesTheSameContents(boolean caching) {
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("RestorationTest seed " + seed);
        Random rnd = new Random(seed);
        NavigableMap<Bytes, byte[]> model = new TreeMap<>();
        List<TestRecord<byte[], byte[]>> changelog;
        Map<Bytes, byte[]> driverContents = new TreeMap<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(StoreTopologies.writer(StoreTopologies.cobtreeStore(caching)), StoreTopologies.config())) {
            TestInputTopic<Long, byte[]> in = driver.createInputTopic(StoreTopologies.INPUT, Serdes.Long().serializer(), Serdes.ByteArray().serializer());
            for (int i = 0; i < 5_000; i++) {
                long k = rnd.nextInt(400) - 200;
                byte[] v = rnd.nextInt(6) == 0 ? null : CobTreeKeyValueStoreModelTest.value(rnd);
                in.pipeInput(k, v);
                if (v == null) {
                    model.remove(CobTreeKeyValueStoreModelTest.key(k));
                } else {
                    model.put(CobTreeKeyValueStoreModelTest.key(k), v);
                }
            }
            changelog = driver.createOutputTopic(StoreTopologies.CHANGELOG, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList();
            KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(StoreTopologies.STORE);
            try (KeyValueIterator<Long, byte[]> it = store.all()) {
                it.forEachRemaining(kv -> driverContents.put(CobTreeKeyValueStoreModelTest.key(kv.key), kv.value));
            }
        }
        assertFalse(changelog.isEmpty());
        assertEquals(model.keySet(), driverContents.keySet());

        CapturingStoreContext context = new CapturingStoreContext();
        CobTreeKeyValueStore fresh = CapturingStoreContext.openStore(StoreTopologies.STORE, 8, context);
        BatchingStateRestoreCallback callback = assertInstanceOf(BatchingStateRestoreCallback.class, context.restoreCallback);
        assertTrue(context.registeredStore == fresh);
        int at = 0;
        while (at < changelog.size()) {
            int n = Math.min(changelog.size() - at, 1 + rnd.nextInt(700));
            List<KeyValue<byte[], byte[]>> batch = new ArrayList<>();
            for (TestRecord<byte[], byte[]> r : changelog.subList(at, at + n)) {
                batch.add(KeyValue.pair(r.key(), r.value()));
            }
            callback.restoreAll(batch);
            at += n;
        }
        try (KeyValueIterator<Bytes, byte[]> it = fresh.all()) {
            CobTreeKeyValueStoreModelTest.assertSame(model, it, "replayed store, seed " + seed);
        }
        fresh.close();
    }

    @Test
    void anAscendingBatchIntoAnEmptyStoreIsBulkLoadedAndLaterBatchesApplyInOrder() {
        CapturingStoreContext context = new CapturingStoreContext();
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("s", 8, context);
        BatchingStateRestoreCallback callback = (BatchingStateRestoreCallback) context.restoreCallback;
        NavigableMap<Bytes, byte[]> model = new TreeMap<>();
        List<KeyValue<byte[], byte[]>> batch = new ArrayList<>();
        for (long k = 0; k < 10_000; k++) { // ascending in Kafka's order: non-negative, then negative
            long key = k < 5_000 ? k * 3 : Long.MIN_VALUE + k;
            byte[] v = CobTreeKeyValueStoreModelTest.key(k).get();
            batch.add(KeyValue.pair(CobTreeKeyValueStoreModelTest.key(key).get(), v));
            model.put(CobTreeKeyValueStoreModelTest.key(key), v);
        }
        callback.restoreAll(batch);
        assertEquals(0, store.bulkLoads, "held back until the run ends");
        assertEquals(10_000, store.approximateNumEntries()); // the first other call loads the run
        assertEquals(1, store.bulkLoads);
        // a second batch: overwrites, a tombstone, a new key
        List<KeyValue<byte[], byte[]>> second = List.of(
                KeyValue.pair(CobTreeKeyValueStoreModelTest.key(3).get(), new byte[] {1}),
                KeyValue.pair(CobTreeKeyValueStoreModelTest.key(6).get(), null),
                KeyValue.pair(CobTreeKeyValueStoreModelTest.key(-1).get(), new byte[] {2}),
                KeyValue.pair(CobTreeKeyValueStoreModelTest.key(3).get(), new byte[] {3}));
        callback.restoreAll(second);
        model.put(CobTreeKeyValueStoreModelTest.key(3), new byte[] {3});
        model.remove(CobTreeKeyValueStoreModelTest.key(6));
        model.put(CobTreeKeyValueStoreModelTest.key(-1), new byte[] {2});
        assertEquals(1, store.bulkLoads);
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            CobTreeKeyValueStoreModelTest.assertSame(model, it, "bulk-loaded store");
        }
        assertEquals(5_000L, CobTreeKeyValueStoreModelTest.answer(store, RangeCountQuery.of(KeyRange.ofLongs(0, Long.MAX_VALUE))) + 1);
        store.close();
    }

    /** Kafka restores in batches of max.poll.records (1,000 by default): consecutive ascending batches make one run. */
    @Test
    void consecutiveAscendingBatchesAreBulkLoadedOnceWhenTheRunEnds() {
        for (String end : List.of("unsorted batch", "read", "commit", "flush")) {
            CapturingStoreContext context = new CapturingStoreContext();
            CobTreeKeyValueStore store = CapturingStoreContext.openStore("s", 8, context);
            BatchingStateRestoreCallback callback = (BatchingStateRestoreCallback) context.restoreCallback;
            NavigableMap<Bytes, byte[]> model = new TreeMap<>();
            long k = 0;
            for (int b = 0; b < 20; b++) {
                List<KeyValue<byte[], byte[]>> batch = new ArrayList<>();
                for (int i = 0; i < 1_000; i++, k += 7) {
                    batch.add(kv(k, (int) k));
                    model.put(CobTreeKeyValueStoreModelTest.key(k), new byte[] {(byte) k});
                }
                callback.restoreAll(batch);
            }
            assertEquals(0, store.bulkLoads);
            switch (end) {
                case "unsorted batch" -> {
                    callback.restoreAll(List.of(kv(5, 5), kv(3, 3), kv(7, 70)));
                    model.put(CobTreeKeyValueStoreModelTest.key(5), new byte[] {5});
                    model.put(CobTreeKeyValueStoreModelTest.key(3), new byte[] {3});
                    model.put(CobTreeKeyValueStoreModelTest.key(7), new byte[] {70});
                }
                case "read" -> assertArrayEquals(new byte[] {7}, store.get(CobTreeKeyValueStoreModelTest.key(7)));
                case "commit" -> store.commit(Map.of());
                default -> store.flush();
            }
            assertEquals(1, store.bulkLoads, end);
            // a later ascending batch no longer extends a run (the store is not empty): applied by puts
            callback.restoreAll(List.of(kv(k + 1, 1), kv(k + 2, 2)));
            model.put(CobTreeKeyValueStoreModelTest.key(k + 1), new byte[] {1});
            model.put(CobTreeKeyValueStoreModelTest.key(k + 2), new byte[] {2});
            try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
                CobTreeKeyValueStoreModelTest.assertSame(model, it, "run ended by " + end);
            }
            assertEquals(1, store.bulkLoads, end);
            store.close();
        }
    }

    @Test
    void unsortedDuplicateOrTombstoneBatchesAreAppliedInChangelogOrder() {
        for (List<KeyValue<byte[], byte[]>> batch : List.of(
                List.of(kv(5, 1), kv(2, 2), kv(9, 3)),          // unsorted
                List.of(kv(1, 1), kv(1, 2), kv(3, 3)),          // duplicate: the later wins
                List.of(kv(1, 1), KeyValue.<byte[], byte[]>pair(CobTreeKeyValueStoreModelTest.key(2).get(), null), kv(3, 3)))) {
            CapturingStoreContext context = new CapturingStoreContext();
            CobTreeKeyValueStore store = CapturingStoreContext.openStore("s", 8, context);
            ((BatchingStateRestoreCallback) context.restoreCallback).restoreAll(batch);
            assertEquals(0, store.bulkLoads);
            NavigableMap<Bytes, byte[]> model = new TreeMap<>();
            for (KeyValue<byte[], byte[]> r : batch) {
                if (r.value == null) {
                    model.remove(Bytes.wrap(r.key));
                } else {
                    model.put(Bytes.wrap(r.key), r.value);
                }
            }
            try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
                CobTreeKeyValueStoreModelTest.assertSame(model, it, "record-by-record restore");
            }
            store.close();
        }
    }

    @Test
    void aBatchWithABadKeyRestoresNothing() {
        CapturingStoreContext context = new CapturingStoreContext();
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("s", 8, context);
        BatchingStateRestoreCallback callback = (BatchingStateRestoreCallback) context.restoreCallback;
        callback.restoreAll(List.of(kv(1, 1), kv(2, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> callback.restoreAll(List.of(kv(3, 3), KeyValue.pair(new byte[] {1, 2, 3}, new byte[] {4}))));
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
        assertEquals(2, store.approximateNumEntries());
        assertArrayEquals(null, store.get(CobTreeKeyValueStoreModelTest.key(3)));
        assertThrows(NullPointerException.class, () -> callback.restoreAll(List.of(kv(4, 4), KeyValue.pair(null, new byte[] {4}))));
        assertEquals(2, store.approximateNumEntries());
        store.close();
    }

    private static KeyValue<byte[], byte[]> kv(long k, int v) {
        return KeyValue.pair(CobTreeKeyValueStoreModelTest.key(k).get(), new byte[] {(byte) v});
    }
}
