package dev.cobtree.core;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to {@link CobTree}, its builder, {@link CobTreeMap} and the map's views: each call
 * fails with the standard exception, the message names the bad value, and the index holds exactly
 * what it held before the call.
 */
class BadInputTest {

    private static final long[] KEYS = {Long.MIN_VALUE, -10, -1, 0, 1, 10, 20, Long.MAX_VALUE};

    private static CobTreeMap filledMap() {
        CobTreeMap m = new CobTreeMap(CobTree.builder().segmentSize(8).build());
        for (long k : KEYS) {
            m.put(k, k * 3);
        }
        return m;
    }

    private static List<Long> snapshot(CobTree tree) {
        List<Long> out = new ArrayList<>();
        tree.forEach((k, v) -> { out.add(k); out.add(v); });
        return out;
    }

    /** Runs {@code call}, which must throw {@code type}, and checks that the tree did not change. */
    private static <T extends Throwable> T failsCleanly(Class<T> type, CobTree tree, Executable call) {
        List<Long> before = snapshot(tree);
        T thrown = assertThrows(type, call);
        assertEquals(before, snapshot(tree), "index changed by a failed call");
        return thrown;
    }

    /** The map itself and views of each kind, all containing the key 10 and not 15's neighbours... */
    private static Map<String, Function<CobTreeMap, ConcurrentNavigableMap<Long, Long>>> flavours() {
        Map<String, Function<CobTreeMap, ConcurrentNavigableMap<Long, Long>>> f = new LinkedHashMap<>();
        f.put("map", m -> m);
        f.put("descendingMap", CobTreeMap::descendingMap);
        f.put("subMap[-5,15)", m -> m.subMap(-5L, 15L));
        f.put("headMap(15]", m -> m.headMap(15L, true));
        f.put("tailMap(-5).descendingMap", m -> m.tailMap(-5L).descendingMap());
        return f;
    }

    @TestFactory
    Stream<DynamicTest> nullKeysAndValuesAreRejectedEverywhere() {
        List<DynamicTest> tests = new ArrayList<>();
        Long k = 10L, v = 7L;
        for (var flavour : flavours().entrySet()) {
            Map<String, java.util.function.Consumer<ConcurrentNavigableMap<Long, Long>>> calls = new LinkedHashMap<>();
            calls.put("get(null)", m -> m.get(null));
            calls.put("getOrDefault(null, v)", m -> m.getOrDefault(null, v));
            calls.put("containsKey(null)", m -> m.containsKey(null));
            calls.put("containsValue(null)", m -> m.containsValue(null));
            calls.put("put(null, v)", m -> m.put(null, v));
            calls.put("put(k, null)", m -> m.put(k, null));
            calls.put("remove(null)", m -> m.remove(null));
            calls.put("remove(null, v)", m -> m.remove(null, v));
            calls.put("putIfAbsent(null, v)", m -> m.putIfAbsent(null, v));
            calls.put("putIfAbsent(k, null)", m -> m.putIfAbsent(k, null));
            calls.put("replace(null, v)", m -> m.replace(null, v));
            calls.put("replace(k, null)", m -> m.replace(k, null));
            calls.put("replace(null, v, v)", m -> m.replace(null, v, v));
            calls.put("replace(k, null, v)", m -> m.replace(k, null, v));
            calls.put("replace(k, v, null)", m -> m.replace(k, 30L, null));
            calls.put("compute(null, f)", m -> m.compute(null, (a, b) -> 1L));
            calls.put("compute(k, null)", m -> m.compute(k, null));
            calls.put("computeIfAbsent(null, f)", m -> m.computeIfAbsent(null, a -> 1L));
            calls.put("computeIfAbsent(k, null)", m -> m.computeIfAbsent(k, null));
            calls.put("computeIfPresent(null, f)", m -> m.computeIfPresent(null, (a, b) -> 1L));
            calls.put("computeIfPresent(k, null)", m -> m.computeIfPresent(k, null));
            calls.put("merge(null, v, f)", m -> m.merge(null, v, Long::sum));
            calls.put("merge(k, null, f)", m -> m.merge(k, null, Long::sum));
            calls.put("merge(k, v, null)", m -> m.merge(k, v, null));
            calls.put("replaceAll(null)", m -> m.replaceAll(null));
            calls.put("replaceAll(f -> null)", m -> m.replaceAll((a, b) -> null));
            calls.put("forEach(null)", m -> m.forEach(null));
            calls.put("putAll(null)", m -> m.putAll(null));
            calls.put("putAll with a null key", m -> m.putAll(mapWith(null, 1L)));
            calls.put("putAll with a null value", m -> m.putAll(mapWith(11L, null)));
            calls.put("lowerEntry(null)", m -> m.lowerEntry(null));
            calls.put("floorKey(null)", m -> m.floorKey(null));
            calls.put("ceilingEntry(null)", m -> m.ceilingEntry(null));
            calls.put("higherKey(null)", m -> m.higherKey(null));
            calls.put("subMap(null, k)", m -> m.subMap(null, k));
            calls.put("subMap(k, true, null, true)", m -> m.subMap(k, true, null, true));
            calls.put("headMap(null)", m -> m.headMap(null));
            calls.put("tailMap(null, true)", m -> m.tailMap(null, true));
            calls.put("keySet().contains(null)", m -> m.keySet().contains(null));
            calls.put("keySet().remove(null)", m -> m.keySet().remove(null));
            calls.put("keySet().ceiling(null)", m -> m.navigableKeySet().ceiling(null));
            calls.put("values().contains(null)", m -> m.values().contains(null));
            calls.put("values().remove(null)", m -> m.values().remove(null));
            calls.put("entrySet().removeIf(null)", m -> m.entrySet().removeIf(null));
            calls.put("entrySet().contains(null key)", m -> m.entrySet().contains(new AbstractMap.SimpleEntry<>(null, v)));
            for (var call : calls.entrySet()) {
                tests.add(DynamicTest.dynamicTest(flavour.getKey() + "." + call.getKey(), () -> {
                    CobTreeMap root = filledMap();
                    ConcurrentNavigableMap<Long, Long> m = flavour.getValue().apply(root);
                    failsCleanly(NullPointerException.class, root.tree(), () -> call.getValue().accept(m));
                }));
            }
        }
        return tests.stream();
    }

    private static Map<Long, Long> mapWith(Long key, Long value) {
        Map<Long, Long> m = new LinkedHashMap<>();
        m.put(-3L, 9L); // a good entry first: it must not be written either
        m.put(key, value);
        return m;
    }

    @Test
    void removeWithANullValueRemovesNothingAsConcurrentSkipListMapDoes() {
        CobTreeMap map = new CobTreeMap();
        map.put(10L, 7L);
        java.util.concurrent.ConcurrentSkipListMap<Long, Long> cslm = new java.util.concurrent.ConcurrentSkipListMap<>(map);
        org.junit.jupiter.api.Assertions.assertEquals(cslm.remove(10L, null), map.remove(10L, null));
        org.junit.jupiter.api.Assertions.assertEquals(cslm.subMap(0L, 20L).remove(10L, null), map.subMap(0L, 20L).remove(10L, null));
        org.junit.jupiter.api.Assertions.assertEquals(cslm, map);
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> map.remove(null, 7L));
    }

    @Test
    void nullMessagesNameTheArgument() {
        CobTreeMap m = filledMap();
        assertEquals("key", assertThrows(NullPointerException.class, () -> m.put(null, 1L)).getMessage());
        assertEquals("value", assertThrows(NullPointerException.class, () -> m.put(1L, null)).getMessage());
        assertEquals("fromKey", assertThrows(NullPointerException.class, () -> m.subMap(null, 1L)).getMessage());
        assertEquals("tree", assertThrows(NullPointerException.class, () -> new CobTreeMap((CobTree) null)).getMessage());
    }

    @Test
    void keysOfAnotherTypeThrowClassCastException() {
        CobTreeMap root = filledMap();
        for (ConcurrentNavigableMap<Long, Long> m : List.of(root, root.subMap(-5L, 15L), root.descendingMap())) {
            failsCleanly(ClassCastException.class, root.tree(), () -> m.get("10"));
            failsCleanly(ClassCastException.class, root.tree(), () -> m.containsKey(10));
            failsCleanly(ClassCastException.class, root.tree(), () -> m.remove(10));
            failsCleanly(ClassCastException.class, root.tree(), () -> m.remove(10, 30L));
            // values of another type are simply not there
            assertFalse(m.containsValue(30));
            assertFalse(m.remove(10L, 30));
            assertFalse(m.entrySet().contains(new AbstractMap.SimpleEntry<>(10L, 30)));
        }
        assertEquals(30L, root.get(10L));
    }

    @Test
    void rangesWithLowAboveHighAreRejected() {
        CobTree tree = filledMap().tree();
        IllegalArgumentException e = failsCleanly(IllegalArgumentException.class, tree, () -> tree.countRange(5, true, 4, true));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        e = failsCleanly(IllegalArgumentException.class, tree, () -> tree.forEachInRange(Long.MAX_VALUE, true, Long.MIN_VALUE, true, (k, v) -> { }));
        assertTrue(e.getMessage().contains(Long.toString(Long.MAX_VALUE)), e.getMessage());
        CobTreeMap m = new CobTreeMap(tree);
        e = failsCleanly(IllegalArgumentException.class, tree, () -> m.subMap(20L, 10L));
        assertTrue(e.getMessage().contains("20") && e.getMessage().contains("10"), e.getMessage());
        failsCleanly(IllegalArgumentException.class, tree, () -> m.descendingMap().subMap(10L, 20L));
        failsCleanly(IllegalArgumentException.class, tree, () -> m.navigableKeySet().subSet(20L, true, 10L, true));
        assertEquals(0, m.subMap(10L, false, 10L, false).size());
        assertEquals(1, m.subMap(10L, true, 10L, true).size());
    }

    @Test
    void nestedViewsRejectBoundsOutsideTheirRange() {
        CobTreeMap root = filledMap();
        ConcurrentNavigableMap<Long, Long> sub = root.subMap(-5L, true, 15L, false);
        IllegalArgumentException e = failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.subMap(-6L, 0L));
        assertEquals("key out of range: -6", e.getMessage());
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.headMap(15L, true));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.tailMap(16L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.descendingMap().headMap(-6L));
        assertEquals(0, sub.headMap(15L, false).tailMap(15L, false).size()); // exclusive bound may repeat
        // writes outside a view's range
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.put(15L, 1L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.putIfAbsent(-6L, 1L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.replace(20L, 1L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.replace(20L, 60L, 1L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.merge(20L, 1L, Long::sum));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.compute(20L, (k, v) -> 1L));
        failsCleanly(IllegalArgumentException.class, root.tree(), () -> sub.computeIfAbsent(20L, k -> 1L));
        // ... while reads and removals outside it see nothing
        assertEquals(null, sub.get(20L));
        assertEquals(null, sub.remove(20L));
        assertFalse(sub.remove(20L, 60L));
        assertEquals(null, sub.computeIfPresent(20L, (k, v) -> 1L));
        assertEquals(60L, root.get(20L));
    }

    @Test
    void negativePositionsAndCountsAreRejected() {
        CobTree tree = filledMap().tree();
        IllegalArgumentException e = failsCleanly(IllegalArgumentException.class, tree, () -> tree.select(-1, new KeyValue()));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        CobTree.Cursor c = tree.cursor();
        e = assertThrows(IllegalArgumentException.class, () -> c.skip(-3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
        assertTrue(c.next(), "the cursor still works after a refused skip");
        assertEquals(Long.MIN_VALUE, c.key());
    }

    @Test
    void badBuilderSettingsAreRejectedAndLeaveTheBuilderAsItWas() {
        CobTree.Builder b = CobTree.builder().segmentSize(16);
        for (int bad : new int[] {0, -8, 7, 12, 4, 8192, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.segmentSize(bad));
            assertTrue(e.getMessage().contains(Integer.toString(bad)), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.initialCapacity(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertThrows(NullPointerException.class, () -> b.storage(null));
        try (CobTree t = b.build()) {
            assertEquals(16, t.segmentSize());
            assertEquals(0, t.size());
        }
    }

    @Test
    void buildFromSortedRejectsUnsortedOrBadInput() {
        CobTree.Builder b = CobTree.builder().segmentSize(8);
        long[] unsorted = {1, 2, 5, 4, 9};
        long[] values = {10, 20, 50, 40, 90};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.buildFromSorted(unsorted, values, 0, 5));
        assertTrue(e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.buildFromSorted(new long[] {1, 1}, new long[] {1, 2}, 0, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> b.buildFromSorted(unsorted, values, 3, 9));
        assertThrows(IndexOutOfBoundsException.class, () -> b.buildFromSorted(unsorted, new long[2], 0, 3));
        assertThrows(NullPointerException.class, () -> b.buildFromSorted(null, values, 0, 0));
        assertThrows(NullPointerException.class, () -> b.buildFromSorted(unsorted, null, 0, 0));
        try (CobTree t = b.buildFromSorted(unsorted, values, 0, 3)) { // the sorted prefix is fine
            assertEquals(List.of(1L, 10L, 2L, 20L, 5L, 50L), snapshot(t));
        }
    }

    @Test
    void functionsThatThrowLeaveTheMapUnchanged() {
        CobTreeMap m = filledMap();
        RuntimeException boom = new IllegalStateException("boom");
        for (ConcurrentNavigableMap<Long, Long> v : List.of(m, m.subMap(-5L, 15L), m.descendingMap())) {
            assertEquals(boom, failsCleanly(IllegalStateException.class, m.tree(), () -> v.compute(10L, (a, b) -> { throw boom; })));
            failsCleanly(IllegalStateException.class, m.tree(), () -> v.compute(11L, (a, b) -> { throw boom; }));
            failsCleanly(IllegalStateException.class, m.tree(), () -> v.computeIfAbsent(11L, a -> { throw boom; }));
            failsCleanly(IllegalStateException.class, m.tree(), () -> v.computeIfPresent(10L, (a, b) -> { throw boom; }));
            failsCleanly(IllegalStateException.class, m.tree(), () -> v.merge(10L, 1L, (a, b) -> { throw boom; }));
        }
    }

    @Test
    void viewsRefuseWhatTheyCannotDo() {
        CobTreeMap m = filledMap();
        Map.Entry<Long, Long> e = m.firstEntry();
        failsCleanly(UnsupportedOperationException.class, m.tree(), () -> e.setValue(1L));
        failsCleanly(UnsupportedOperationException.class, m.tree(), () -> m.entrySet().iterator().next().setValue(1L));
        failsCleanly(UnsupportedOperationException.class, m.tree(), () -> m.keySet().add(99L));
        failsCleanly(UnsupportedOperationException.class, m.tree(), () -> m.values().add(99L));
        Iterator<Long> it = m.keySet().iterator();
        failsCleanly(IllegalStateException.class, m.tree(), it::remove);
        it.next();
        it.remove();
        failsCleanly(IllegalStateException.class, m.tree(), it::remove);
        ConcurrentNavigableMap<Long, Long> empty = m.subMap(2L, 9L);
        failsCleanly(java.util.NoSuchElementException.class, m.tree(), empty::firstKey);
        failsCleanly(java.util.NoSuchElementException.class, m.tree(), () -> empty.keySet().last());
    }

    @Test
    void everyOperationAfterCloseThrowsIllegalStateException() {
        CobTree tree = CobTree.builder().segmentSize(8).build();
        CobTreeMap m = new CobTreeMap(tree);
        m.put(1L, 2L);
        ConcurrentNavigableMap<Long, Long> view = m.subMap(0L, 5L);
        tree.close();
        tree.close(); // idempotent
        assertTrue(tree.isClosed());
        KeyValue kv = new KeyValue();
        List<Executable> calls = List.of(
                () -> tree.get(1, 0), () -> tree.get(1, kv), () -> tree.containsKey(1),
                () -> tree.put(1, 2, 0), () -> tree.put(1, 2, kv), () -> tree.putIfAbsent(1, 2, 0),
                () -> tree.putIfAbsent(1, 2, kv), () -> tree.remove(1, 0), () -> tree.remove(1, kv),
                () -> tree.removeEntry(1, 2), () -> tree.replace(1, 2, 3), () -> tree.replace(1, 2, kv),
                () -> tree.floor(1, kv), () -> tree.ceiling(1, kv), () -> tree.higher(1, kv), () -> tree.lower(1, kv),
                () -> tree.first(kv), () -> tree.last(kv), () -> tree.pollFirst(kv), () -> tree.pollLast(kv),
                tree::firstKey, tree::lastKey, tree::cursor, () -> tree.cursor(1, true), tree::descendingCursor,
                () -> tree.descendingCursor(1, false), () -> tree.forEach((k, v) -> { }),
                () -> tree.forEachInRange(0, true, 9, true, (k, v) -> { }), tree::size, tree::isEmpty,
                () -> tree.rank(1), () -> tree.countRange(0, true, 9, true), () -> tree.select(0, kv), tree::clear,
                tree::capacity, tree::memoryBytes,
                () -> m.get(1L), () -> m.put(1L, 3L), () -> m.size(), () -> m.firstEntry(), () -> m.keySet().iterator(),
                () -> m.compute(1L, (a, b) -> 1L), () -> view.size(), () -> view.get(1L), () -> view.pollFirstEntry());
        for (int i = 0; i < calls.size(); i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, calls.get(i), "call #" + i);
            assertNotNull(e.getMessage(), "call #" + i);
        }
    }

    @Test
    void putAllChecksEverythingBeforeWriting() {
        CobTreeMap m = filledMap();
        Map<Long, Long> src = new HashMap<>();
        src.put(100L, 1L);
        src.put(101L, null);
        failsCleanly(NullPointerException.class, m.tree(), () -> m.putAll(src));
        assertFalse(m.containsKey(100L));
    }
}
