package dev.cobtree.kafka;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random operations through the {@code KeyValueStore<Bytes, byte[]>} interface against a
 * {@code TreeMap<Bytes, byte[]>} ordered as Kafka orders keys ({@code Bytes.compareTo}: unsigned
 * bytes, lexicographic). Keys include negative longs and share prefixes; range bounds and
 * prefixes have every length from 0 to 10 bytes; null values delete. Seed printed; rerun with
 * {@code -Dcobtree.kafka.seed}.
 */
class CobTreeKeyValueStoreModelTest {

    private static final int OPS = Integer.getInteger("cobtree.kafka.ops", 200_000);

    @Test
    void negativeLongsSortAfterPositiveOnesAsInKafka() {
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("order", 8, new CapturingStoreContext());
        long[] keys = {Long.MIN_VALUE, -2, -1, 0, 1, 2, Long.MAX_VALUE};
        for (long k : keys) {
            store.put(key(k), new byte[] {(byte) k});
        }
        List<Long> seen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> seen.add(Serdes.Long().deserializer().deserialize(null, kv.key.get())));
        }
        assertEquals(List.of(0L, 1L, 2L, Long.MAX_VALUE, Long.MIN_VALUE, -2L, -1L), seen);
        List<Long> reversed = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.reverseRange(key(2), key(-2))) {
            it.forEachRemaining(kv -> reversed.add(Serdes.Long().deserializer().deserialize(null, kv.key.get())));
        }
        assertEquals(List.of(-2L, Long.MIN_VALUE, Long.MAX_VALUE, 2L), reversed);
        // Kafka's own in-memory store agrees
        KeyValueStore<Bytes, byte[]> kafka = org.apache.kafka.streams.state.Stores.inMemoryKeyValueStore("x").get();
        kafka.init(new CapturingStoreContext(), kafka);
        for (long k : keys) {
            kafka.put(key(k), new byte[] {(byte) k});
        }
        List<Long> kafkaSeen = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = kafka.all()) {
            it.forEachRemaining(kv -> kafkaSeen.add(Serdes.Long().deserializer().deserialize(null, kv.key.get())));
        }
        assertEquals(kafkaSeen, seen);
        store.close();
        kafka.close();
    }

    @Test
    void randomOperationsMatchAByteOrderedTreeMap() {
        long seed = Long.getLong("cobtree.kafka.seed", System.nanoTime());
        System.out.println("CobTreeKeyValueStoreModelTest seed " + seed + " (-Dcobtree.kafka.seed=" + seed + ")");
        Random rnd = new Random(seed);
        CapturingStoreContext context = new CapturingStoreContext();
        CobTreeKeyValueStore store = CapturingStoreContext.openStore("model", 8, context);
        NavigableMap<Bytes, byte[]> model = new TreeMap<>();
        long[] highs = new long[16];
        for (int i = 0; i < highs.length; i++) {
            highs[i] = rnd.nextLong() & ~0xffffL;
        }
        for (int op = 0; op < OPS; op++) {
            String where = "op " + op + ", seed " + seed;
            int kind = rnd.nextInt(100);
            if (kind < 30) {
                Bytes k = key(randomKey(rnd, highs));
                byte[] v = rnd.nextInt(10) == 0 ? null : value(rnd);
                store.put(k, v);
                if (v == null) {
                    model.remove(k);
                } else {
                    model.put(k, v);
                }
            } else if (kind < 36) {
                Bytes k = key(randomKey(rnd, highs));
                byte[] v = rnd.nextInt(10) == 0 ? null : value(rnd);
                byte[] expected = model.get(k);
                assertArrayEquals(expected, store.putIfAbsent(k, v), where);
                if (expected == null && v != null) {
                    model.put(k, v);
                }
            } else if (kind < 40) {
                List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
                int n = rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    Bytes k = key(randomKey(rnd, highs));
                    byte[] v = rnd.nextInt(5) == 0 ? null : value(rnd);
                    batch.add(KeyValue.pair(k, v));
                    if (v == null) {
                        model.remove(k);
                    } else {
                        model.put(k, v);
                    }
                }
                store.putAll(batch);
            } else if (kind < 52) {
                Bytes k = key(randomKey(rnd, highs));
                assertArrayEquals(model.remove(k), store.delete(k), where);
            } else if (kind < 70) {
                Bytes k = key(randomKey(rnd, highs));
                assertArrayEquals(model.get(k), store.get(k), where);
            } else if (kind < 82) {
                Bytes lo = rnd.nextInt(8) == 0 ? null : bound(rnd, highs);
                Bytes hi = rnd.nextInt(8) == 0 ? null : bound(rnd, highs);
                boolean reverse = rnd.nextBoolean();
                NavigableMap<Bytes, byte[]> expected = subMap(model, lo, true, hi, true);
                try (KeyValueIterator<Bytes, byte[]> it = reverse ? store.reverseRange(lo, hi) : store.range(lo, hi)) {
                    assertSame(reverse ? expected.descendingMap() : expected, it, where + " range " + lo + " " + hi);
                }
            } else if (kind < 86) {
                byte[] prefix = Arrays.copyOf(key(randomKey(rnd, highs)).get(), rnd.nextInt(10));
                if (prefix.length > 8) {
                    prefix[8] = (byte) rnd.nextInt();
                }
                NavigableMap<Bytes, byte[]> expected = prefixMap(model, prefix);
                Serializer<Bytes> ser = Serdes.Bytes().serializer();
                try (KeyValueIterator<Bytes, byte[]> it = store.prefixScan(Bytes.wrap(prefix), ser)) {
                    assertSame(expected, it, where + " prefix " + Bytes.wrap(prefix));
                }
            } else if (kind < 88) {
                try (KeyValueIterator<Bytes, byte[]> it = rnd.nextBoolean() ? store.all() : store.reverseAll()) {
                    boolean ascending = true;
                    if (it.hasNext()) {
                        Bytes first = it.peekNextKey();
                        ascending = model.isEmpty() || first.equals(model.firstKey());
                    }
                    assertSame(ascending ? model : model.descendingMap(), it, where + " all");
                }
            } else if (kind < 94) {
                Bytes lo = rnd.nextInt(8) == 0 ? null : bound(rnd, highs);
                Bytes hi = rnd.nextInt(8) == 0 ? null : bound(rnd, highs);
                boolean loInc = rnd.nextBoolean();
                boolean hiInc = rnd.nextBoolean();
                NavigableMap<Bytes, byte[]> expected = subMap(model, lo, loInc, hi, hiInc);
                KeyRange range = KeyRange.of(lo, loInc, hi, hiInc);
                assertEquals((long) expected.size(), (long) answer(store, RangeCountQuery.of(range)), where + " count " + range);
                RoaringBitmap ids = answer(store, IdBitmapQuery.of(range, (k, v) -> v[0] & 0xff));
                RoaringBitmap expectedIds = new RoaringBitmap();
                expected.values().forEach(v -> expectedIds.add(v[0] & 0xff));
                assertEquals(expectedIds, ids, where + " ids " + range);
            } else if (kind < 97) {
                Bytes b = bound(rnd, highs);
                assertEquals((long) model.headMap(b, false).size(), (long) answer(store, RankQuery.of(b)), where + " rank " + b);
            } else {
                long index = model.isEmpty() ? rnd.nextInt(3) : rnd.nextInt(model.size() + 2);
                KeyValue<Bytes, byte[]> got = answer(store, SelectQuery.at(index));
                if (index >= model.size()) {
                    assertNull(got, where);
                } else {
                    Map.Entry<Bytes, byte[]> e = new ArrayList<>(model.entrySet()).get((int) index);
                    assertEquals(e.getKey(), got.key, where + " select " + index);
                    assertArrayEquals(e.getValue(), got.value, where);
                }
            }
            if (op % 1000 == 0) {
                assertEquals(model.size(), store.approximateNumEntries(), where);
            }
        }
        store.close();
    }

    static <R> R answer(CobTreeKeyValueStore store, Query<R> q) {
        QueryResult<R> r = store.query(q, PositionBound.unbounded(), new QueryConfig(false));
        assertTrue(r.isSuccess(), () -> q + ": " + r.getFailureMessage());
        return r.getResult();
    }

    static void assertSame(Map<Bytes, byte[]> expected, KeyValueIterator<Bytes, byte[]> it, String where) {
        Iterator<Map.Entry<Bytes, byte[]>> e = expected.entrySet().iterator();
        while (e.hasNext()) {
            Map.Entry<Bytes, byte[]> x = e.next();
            assertTrue(it.hasNext(), where + ": missing " + x.getKey());
            assertEquals(x.getKey(), it.peekNextKey(), where);
            KeyValue<Bytes, byte[]> kv = it.next();
            assertEquals(x.getKey(), kv.key, where);
            assertArrayEquals(x.getValue(), kv.value, where);
        }
        assertFalse(it.hasNext(), where + ": extra entries");
    }

    /** The entries between the bounds, by filtering (no TreeMap view arithmetic to trust). */
    static NavigableMap<Bytes, byte[]> subMap(NavigableMap<Bytes, byte[]> m, Bytes lo, boolean loInc, Bytes hi, boolean hiInc) {
        NavigableMap<Bytes, byte[]> out = new TreeMap<>();
        for (Map.Entry<Bytes, byte[]> e : m.entrySet()) {
            Bytes k = e.getKey();
            boolean above = lo == null || (loInc ? k.compareTo(lo) >= 0 : k.compareTo(lo) > 0);
            boolean below = hi == null || (hiInc ? k.compareTo(hi) <= 0 : k.compareTo(hi) < 0);
            if (above && below) {
                out.put(k, e.getValue());
            }
        }
        return out;
    }

    static NavigableMap<Bytes, byte[]> prefixMap(NavigableMap<Bytes, byte[]> m, byte[] prefix) {
        NavigableMap<Bytes, byte[]> out = new TreeMap<>();
        for (Map.Entry<Bytes, byte[]> e : m.entrySet()) {
            byte[] k = e.getKey().get();
            if (k.length >= prefix.length && Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Keys near zero (both signs), at the extremes, and sharing 6-byte prefixes. */
    static long randomKey(Random rnd, long[] highs) {
        return switch (rnd.nextInt(5)) {
            case 0 -> rnd.nextInt(101) - 50;
            case 1 -> switch (rnd.nextInt(4)) {
                case 0 -> Long.MIN_VALUE + rnd.nextInt(3);
                case 1 -> Long.MAX_VALUE - rnd.nextInt(3);
                case 2 -> -1 - rnd.nextInt(3);
                default -> rnd.nextInt(3);
            };
            default -> highs[rnd.nextInt(highs.length)] | rnd.nextInt(64);
        };
    }

    /** A bound of 0 to 10 bytes: a key's first bytes, a key, or a key with bytes appended. */
    static Bytes bound(Random rnd, long[] highs) {
        byte[] k = key(randomKey(rnd, highs)).get();
        int n = rnd.nextInt(11);
        byte[] b = Arrays.copyOf(k, n);
        for (int i = 8; i < n; i++) {
            b[i] = (byte) rnd.nextInt();
        }
        if (n > 0 && n <= 8 && rnd.nextInt(4) == 0) {
            b[n - 1] += (byte) (rnd.nextBoolean() ? 1 : -1);
        }
        return Bytes.wrap(b);
    }

    static byte[] value(Random rnd) {
        byte[] v = new byte[1 + rnd.nextInt(6)];
        rnd.nextBytes(v);
        return v;
    }

    static Bytes key(long k) {
        return Bytes.wrap(Serdes.Long().serializer().serialize(null, k));
    }
}
