package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectTreeSnapshot;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * READ_COMMITTED reads answer from the snapshot of the last commit point; READ_UNCOMMITTED ones
 * from the live tree. Compared with {@code TreeMap} copies taken at each commit.
 */
class ReadCommittedTest {
    private static final QueryConfig COMMITTED = new QueryConfig(false, IsolationLevel.READ_COMMITTED);
    private static final QueryConfig UNCOMMITTED = new QueryConfig(false, IsolationLevel.READ_UNCOMMITTED);

    private static Bytes key(long k) {
        return CobTreeKeyValueStoreModelTest.key(k);
    }

    private static <R> R answer(StateStore store, Query<R> q, QueryConfig config) {
        QueryResult<R> r = store.query(q, PositionBound.unbounded(), config);
        assertTrue(r.isSuccess(), () -> q + ": " + r.getFailureReason() + " " + r.getFailureMessage());
        return r.getResult();
    }

    private static void write(CobTreeKeyValueStore store, NavigableMap<Bytes, byte[]> model, Random rnd, int n) {
        for (int i = 0; i < n; i++) {
            Bytes k = key(rnd.nextInt(600) - 300);
            int op = rnd.nextInt(10);
            if (op < 2) {
                store.delete(k);
                model.remove(k);
            } else if (op < 3) {
                store.put(k, null);
                model.remove(k);
            } else {
                byte[] v = CobTreeKeyValueStoreModelTest.value(rnd);
                store.put(k, v);
                model.put(k, v);
            }
        }
    }

    private static void assertSameEntries(Iterable<Map.Entry<Bytes, byte[]>> expected, KeyValueIterator<Bytes, byte[]> it, String where) {
        try (it) {
            Iterator<Map.Entry<Bytes, byte[]>> e = expected.iterator();
            int i = 0;
            while (e.hasNext()) {
                Map.Entry<Bytes, byte[]> x = e.next();
                assertTrue(it.hasNext(), where + ": ended after " + i);
                KeyValue<Bytes, byte[]> kv = it.next();
                assertEquals(x.getKey(), kv.key, where + " at " + i);
                assertArrayEquals(x.getValue(), kv.value, where + " at " + i);
                i++;
            }
            assertFalse(it.hasNext(), where + ": more than " + i);
        }
    }

    private static NavigableMap<Bytes, byte[]> prefixMap(NavigableMap<Bytes, byte[]> m, byte[] prefix) {
        NavigableMap<Bytes, byte[]> out = new TreeMap<>();
        for (Map.Entry<Bytes, byte[]> e : m.entrySet()) {
            byte[] k = e.getKey().get();
            if (k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Every read of the view, and every query at the level, equals the model. */
    private static void assertReads(CobTreeKeyValueStore store, ReadOnlyKeyValueStore<Bytes, byte[]> view, QueryConfig config,
                                    NavigableMap<Bytes, byte[]> model, Random rnd, String where) {
        assertEquals(model.size(), view.approximateNumEntries(), where + " size");
        assertEquals((long) model.size(), answer(store, RangeCountQuery.of(KeyRange.all()), config), where + " count all");
        assertSameEntries(model.entrySet(), view.all(), where + " all");
        assertSameEntries(model.descendingMap().entrySet(), view.reverseAll(), where + " reverseAll");
        for (int q = 0; q < 20; q++) {
            long a = rnd.nextInt(700) - 350;
            long b = rnd.nextInt(700) - 350;
            Bytes k = key(a);
            byte[] v = view.get(k);
            if (model.containsKey(k)) {
                assertArrayEquals(model.get(k), v, where + " get " + a);
            } else {
                assertNull(v, where + " get " + a);
            }
            byte[] viaQuery = answer(store, KeyQuery.<Bytes, byte[]>withKey(k), config);
            assertArrayEquals(model.get(k), viaQuery, where + " KeyQuery " + a);
            Bytes lo = key(Math.min(a, b));
            Bytes hi = key(Math.max(a, b));
            NavigableMap<Bytes, byte[]> sub = lo.compareTo(hi) <= 0 ? model.subMap(lo, true, hi, true) : new TreeMap<>();
            assertSameEntries(sub.entrySet(), view.range(lo, hi), where + " range " + lo + " " + hi);
            assertSameEntries(sub.descendingMap().entrySet(), view.reverseRange(lo, hi), where + " reverseRange " + lo + " " + hi);
            assertSameEntries(sub.entrySet(), answer(store, RangeQuery.<Bytes, byte[]>withRange(lo, hi), config), where + " RangeQuery");
            assertEquals((long) sub.size(), answer(store, RangeCountQuery.of(KeyRange.closed(lo, hi)), config), where + " count " + lo + " " + hi);
            RoaringBitmap ids = new RoaringBitmap();
            sub.keySet().forEach(x -> ids.add((int) ByteBuffer.wrap(x.get()).getLong() + 1000));
            assertEquals(ids, answer(store, IdBitmapQuery.of(KeyRange.closed(lo, hi), (kk, vv) -> (int) kk + 1000), config), where + " ids");
            assertEquals((long) model.headMap(k, false).size(), answer(store, RankQuery.of(k), config), where + " rank " + a);
            int index = model.isEmpty() ? 0 : rnd.nextInt(model.size() + 1);
            KeyValue<Bytes, byte[]> sel = answer(store, SelectQuery.at(index), config);
            if (index == model.size()) {
                assertNull(sel, where + " select " + index);
            } else {
                Bytes expected = new ArrayList<>(model.keySet()).get(index);
                assertEquals(expected, sel.key, where + " select " + index);
                assertArrayEquals(model.get(expected), sel.value, where + " select " + index);
            }
            byte[] prefix = Arrays.copyOf(k.get(), rnd.nextInt(8));
            assertSameEntries(prefixMap(model, prefix).entrySet(), view.prefixScan(Bytes.wrap(prefix), Serdes.Bytes().serializer()), where + " prefix");
        }
    }

    @Test
    void writesAfterACommitAreSeenOnlyUncommittedUntilTheNextCommit() {
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("ReadCommittedTest seed " + seed);
        Random rnd = new Random(seed);
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("rc", 8, new CapturingStoreContext());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        ReadOnlyKeyValueStore<Bytes, byte[]> uncommitted = store.readOnly(IsolationLevel.READ_UNCOMMITTED);
        assertSame(store, uncommitted);
        assertNotSame(store, committed);
        NavigableMap<Bytes, byte[]> live = new TreeMap<>();
        NavigableMap<Bytes, byte[]> atCommit = new TreeMap<>(); // before the first commit: the state at init, empty
        for (int round = 0; round < 12; round++) {
            write(store, live, rnd, 1 + rnd.nextInt(400));
            String where = "seed " + seed + " round " + round;
            assertReads(store, committed, COMMITTED, atCommit, rnd, where + " committed");
            assertReads(store, uncommitted, UNCOMMITTED, live, rnd, where + " uncommitted");
            assertReads(store, store, null, live, rnd, where + " default");
            store.commit(Map.of());
            atCommit = new TreeMap<>(live);
            assertReads(store, committed, COMMITTED, atCommit, rnd, where + " after commit");
            assertEquals(1, store.openSnapshots(), where + ": the previous commit's snapshot was released");
        }
        store.close();
    }

    @Test
    void aCommittedIteratorKeepsItsCommitPointAcrossLaterCommits() {
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("rc-it", 8, new CapturingStoreContext());
        for (long k = 0; k < 100; k++) {
            store.put(key(k), new byte[] {(byte) k});
        }
        store.commit(Map.of());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        KeyValueIterator<Bytes, byte[]> it = committed.range(key(10), key(60));
        assertEquals(key(10), it.next().key);
        for (long k = 0; k < 100; k++) {
            store.delete(key(k));
        }
        store.put(key(30), new byte[] {99});
        store.commit(Map.of());
        assertEquals(2, store.openSnapshots(), "the iterator holds the first commit's snapshot");
        assertEquals(1, committed.approximateNumEntries());
        for (long k = 11; k <= 60; k++) {
            KeyValue<Bytes, byte[]> kv = it.next();
            assertEquals(key(k), kv.key);
            assertArrayEquals(new byte[] {(byte) k}, kv.value);
        }
        assertFalse(it.hasNext());
        assertEquals(1, store.openSnapshots(), "an exhausted iterator releases its snapshot");
        it.close();
        KeyValueIterator<Bytes, byte[]> open = committed.all();
        assertEquals(1, store.openSnapshots(), "an iterator shares the commit's snapshot");
        store.put(key(31), new byte[] {1});
        store.commit(Map.of());
        assertEquals(2, store.openSnapshots(), "the open iterator holds the previous commit's snapshot");
        open.close();
        assertEquals(1, store.openSnapshots(), "a closed iterator releases its snapshot");
        assertEquals(2L, answer(store, RangeCountQuery.of(KeyRange.all()), COMMITTED));
        store.close();
    }

    @Test
    void closingTheStoreClosesTheCommittedSnapshot() {
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("rc-close", 8, new CapturingStoreContext());
        store.put(key(1), new byte[] {1});
        List<LongObjectTreeSnapshot<byte[]>> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            store.put(key(i), new byte[] {(byte) i});
            store.commit(Map.of());
            taken.add(store.committedSnapshot());
        }
        for (int i = 0; i < 4; i++) {
            assertTrue(taken.get(i).isClosed(), "commit " + i + "'s snapshot is closed by the next commit");
        }
        assertEquals(1, store.openSnapshots());
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        KeyValueIterator<Bytes, byte[]> it = committed.all();
        assertEquals(1, store.openSnapshots(), "the iterator shares the last commit's snapshot");
        store.close();
        assertTrue(taken.get(4).isClosed(), "the last commit's snapshot is closed with the store");
        assertNull(store.committedSnapshot());
        assertThrows(InvalidStateStoreException.class, it::hasNext);
        assertThrows(InvalidStateStoreException.class, () -> committed.get(key(1)));
        assertThrows(InvalidStateStoreException.class, committed::approximateNumEntries);
        it.close();
    }

    @Test
    void restoredRecordsAreCommitted() {
        CapturingStoreContext context = new CapturingStoreContext();
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("rc-restore", 8, context);
        BatchingStateRestoreCallback callback = (BatchingStateRestoreCallback) context.restoreCallback;
        List<KeyValue<byte[], byte[]>> ascending = new ArrayList<>();
        for (long k = 0; k < 50; k++) {
            ascending.add(KeyValue.pair(key(k).get(), new byte[] {(byte) k}));
        }
        callback.restoreAll(ascending); // pending bulk load
        ReadOnlyKeyValueStore<Bytes, byte[]> committed = store.readOnly(IsolationLevel.READ_COMMITTED);
        assertEquals(50, committed.approximateNumEntries(), "the bulk-loaded run is committed");
        callback.restoreAll(List.of(KeyValue.pair(key(3).get(), null), KeyValue.pair(key(-5).get(), new byte[] {7})));
        assertEquals(50, committed.approximateNumEntries(), "record-by-record restore is committed");
        assertNull(committed.get(key(3)));
        assertArrayEquals(new byte[] {7}, committed.get(key(-5)));
        store.put(key(1000), new byte[] {1});
        assertNull(committed.get(key(1000)));
        assertEquals(1, store.openSnapshots());
        store.close();
    }

    /** Kafka's own commit (the driver commits after each record) reaches the store through its wrappers. */
    @Test
    void kafkasCommitAndIsolationLevelReachTheStoreThroughItsWrappers() {
        for (boolean caching : new boolean[] {false, true}) {
            try (TopologyTestDriver driver = new TopologyTestDriver(StoreTopologies.writer(StoreTopologies.cobtreeStore(caching)), StoreTopologies.config())) {
                TestInputTopic<Long, byte[]> in = driver.createInputTopic(StoreTopologies.INPUT, Serdes.Long().serializer(), Serdes.ByteArray().serializer());
                for (long k = -50; k < 50; k++) {
                    in.pipeInput(k, new byte[] {(byte) (k + 50)});
                }
                in.pipeInput(7L, null);
                StateStore outer = driver.getAllStateStores().get(StoreTopologies.STORE);
                assertEquals(99L, answer(outer, RangeCountQuery.of(KeyRange.all()), COMMITTED), "caching " + caching);
                assertEquals(49L, answer(outer, RangeCountQuery.of(KeyRange.ofLongs(0, 50)), COMMITTED), "caching " + caching);
                assertArrayEquals(new byte[] {58}, answer(outer, KeyQuery.<Long, byte[]>withKey(8L), COMMITTED), "caching " + caching);
                assertNull(answer(outer, KeyQuery.<Long, byte[]>withKey(7L), COMMITTED), "caching " + caching);
                @SuppressWarnings("unchecked")
                ReadOnlyKeyValueStore<Long, byte[]> view = ((org.apache.kafka.streams.state.KeyValueStore<Long, byte[]>) outer).readOnly(IsolationLevel.READ_COMMITTED);
                assertEquals(99, view.approximateNumEntries(), "caching " + caching);
            }
        }
    }
}
