package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Redteam: {@link CobTreeMap} and {@link LongObjectTreeMap} and chains of their views against
 * {@link ConcurrentSkipListMap}: random operations (null arguments, keys out of a view's range,
 * Long.MIN_VALUE/MAX_VALUE bounds, inclusive/exclusive, empty and invalid views, descending of
 * descending) applied to both, every result and exception type compared. Plus the closed-tree
 * contract of the views. {@code cobtree.redteam.conformance.ops} (default 60000) ops per map.
 */
class RedteamConformanceTest {

    static final int OPS = Integer.getInteger("cobtree.redteam.conformance.ops", 60_000);
    static final long[] KEYS = {Long.MIN_VALUE, Long.MIN_VALUE + 1, -5, 0, 3, 7, 10, 11, 20, Long.MAX_VALUE - 1, Long.MAX_VALUE};

    @Test
    void cobTreeMapMatchesSkipListMap() {
        differential("CobTreeMap", new CobTreeMap(CobTree.builder().segmentSize(8).build()));
    }

    @Test
    void longObjectTreeMapMatchesSkipListMap() {
        LongObjectTree<Long> t = LongObjectTree.builder().segmentSize(8).build();
        differential("LongObjectTreeMap", t.asMap());
    }

    static long key(SplittableRandom rnd) {
        return KEYS[rnd.nextInt(KEYS.length)];
    }

    static Long keyOrNull(SplittableRandom rnd) {
        return rnd.nextInt(40) == 0 ? null : key(rnd);
    }

    static Long valueOrNull(SplittableRandom rnd) {
        return rnd.nextInt(40) == 0 ? null : Long.valueOf(1000 + rnd.nextInt(4));
    }

    /** A random chain of up to three view derivations. */
    static List<Function<NavigableMap<Long, Long>, NavigableMap<Long, Long>>> chain(SplittableRandom rnd, List<String> names) {
        List<Function<NavigableMap<Long, Long>, NavigableMap<Long, Long>>> c = new ArrayList<>();
        int n = rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            long a = key(rnd), b = key(rnd);
            if (a > b && rnd.nextInt(4) != 0) {
                long x = a; a = b; b = x;
            }
            boolean ai = rnd.nextBoolean(), bi = rnd.nextBoolean();
            long fa = a, fb = b;
            switch (rnd.nextInt(5)) {
                case 0 -> { names.add("subMap(" + fa + "," + ai + "," + fb + "," + bi + ")"); c.add(m -> m.subMap(fa, ai, fb, bi)); }
                case 1 -> { names.add("headMap(" + fb + "," + bi + ")"); c.add(m -> m.headMap(fb, bi)); }
                case 2 -> { names.add("tailMap(" + fa + "," + ai + ")"); c.add(m -> m.tailMap(fa, ai)); }
                case 3 -> { names.add("subMap(" + fa + "," + fb + ")"); c.add(m -> (NavigableMap<Long, Long>) m.subMap(fa, fb)); }
                default -> { names.add("descendingMap()"); c.add(NavigableMap::descendingMap); }
            }
        }
        return c;
    }

    @SuppressWarnings("unchecked")
    static void differential(String name, NavigableMap<Long, Long> cob) {
        long seed = StoreKinds.seed("RedteamConformanceTest " + name);
        SplittableRandom rnd = new SplittableRandom(seed);
        ConcurrentSkipListMap<Long, Long> ref = new ConcurrentSkipListMap<>();
        List<String> log = new ArrayList<>();
        int bothBad = 0;
        for (int i = 0; i < OPS; i++) {
            List<String> names = new ArrayList<>();
            List<Function<NavigableMap<Long, Long>, NavigableMap<Long, Long>>> chain = chain(rnd, names);
            Long k = keyOrNull(rnd), k2 = keyOrNull(rnd);
            Long v = valueOrNull(rnd), v2 = valueOrNull(rnd);
            boolean b1 = rnd.nextBoolean(), b2 = rnd.nextBoolean();
            int r = rnd.nextInt(48);
            String opName;
            Function<NavigableMap<Long, Long>, Object> f;
            switch (r) {
                case 0, 1, 2 -> { opName = "put(" + k + "," + v + ")"; f = m -> m.put(k, v); }
                case 3, 4 -> { opName = "remove(" + k + ")"; f = m -> m.remove(k); }
                case 5 -> { opName = "get(" + k + ")"; f = m -> m.get(k); }
                case 6 -> { opName = "containsKey(" + k + ")"; f = m -> m.containsKey(k); }
                case 7 -> { opName = "putIfAbsent(" + k + "," + v + ")"; f = m -> m.putIfAbsent(k, v); }
                case 8 -> { opName = "replace(" + k + "," + v + ")"; f = m -> m.replace(k, v); }
                case 9 -> { opName = "replace(" + k + "," + v + "," + v2 + ")"; f = m -> m.replace(k, v, v2); }
                case 10 -> { opName = "remove(" + k + "," + v + ")"; f = m -> m.remove(k, v); }
                case 11 -> { opName = "firstKey()"; f = NavigableMap::firstKey; }
                case 12 -> { opName = "lastKey()"; f = NavigableMap::lastKey; }
                case 13 -> { opName = "ceilingEntry(" + k + ")"; f = m -> m.ceilingEntry(k); }
                case 14 -> { opName = "floorEntry(" + k + ")"; f = m -> m.floorEntry(k); }
                case 15 -> { opName = "higherEntry(" + k + ")"; f = m -> m.higherEntry(k); }
                case 16 -> { opName = "lowerEntry(" + k + ")"; f = m -> m.lowerEntry(k); }
                case 17 -> { opName = "ceilingKey(" + k + ")"; f = m -> m.ceilingKey(k); }
                case 18 -> { opName = "floorKey(" + k + ")"; f = m -> m.floorKey(k); }
                case 19 -> { opName = "higherKey(" + k + ")"; f = m -> m.higherKey(k); }
                case 20 -> { opName = "lowerKey(" + k + ")"; f = m -> m.lowerKey(k); }
                case 21 -> { opName = "pollFirstEntry()"; f = NavigableMap::pollFirstEntry; }
                case 22 -> { opName = "pollLastEntry()"; f = NavigableMap::pollLastEntry; }
                case 23 -> { opName = "size()"; f = NavigableMap::size; }
                case 24 -> { opName = "isEmpty()"; f = NavigableMap::isEmpty; }
                case 25 -> { opName = "firstEntry()"; f = NavigableMap::firstEntry; }
                case 26 -> { opName = "lastEntry()"; f = NavigableMap::lastEntry; }
                case 27 -> { opName = "entries"; f = m -> new ArrayList<>(m.entrySet()); }
                case 28 -> { opName = "descendingKeySet"; f = m -> new ArrayList<>(m.descendingKeySet()); }
                case 29 -> { opName = "compute(" + k + ")"; f = m -> m.compute(k, (kk, o) -> o == null ? v : o % 2 == 0 ? null : Long.valueOf(o + 1)); }
                case 30 -> { opName = "computeIfAbsent(" + k + "," + v + ")"; f = m -> m.computeIfAbsent(k, kk -> v); }
                case 31 -> { opName = "computeIfPresent(" + k + ")"; f = m -> m.computeIfPresent(k, (kk, o) -> o % 3 == 0 ? null : Long.valueOf(o + 7)); }
                case 32 -> { opName = "merge(" + k + "," + v + ")"; f = m -> m.merge(k, v, (a, b) -> a % 2 == 1 ? null : Long.valueOf(a + b)); }
                case 33 -> { opName = "keySet.contains(" + k + ")"; f = m -> m.keySet().contains(k); }
                case 34 -> { opName = "keySet.remove(" + k + ")"; f = m -> m.keySet().remove(k); }
                case 35 -> { opName = "navigableKeySet.ceiling(" + k + ")"; f = m -> m.navigableKeySet().ceiling(k); }
                case 36 -> { opName = "descendingKeySet.pollFirst()"; f = m -> m.descendingKeySet().pollFirst(); }
                case 37 -> { opName = "keySet.subSet(" + k + "," + b1 + "," + k2 + "," + b2 + ")"; f = m -> new ArrayList<>(m.navigableKeySet().subSet(k, b1, k2, b2)); }
                case 38 -> { opName = "headMap(" + k + "," + b1 + ").size"; f = m -> m.headMap(k, b1).size(); }
                case 39 -> { opName = "tailMap(" + k + ").keys"; f = m -> new ArrayList<>(m.tailMap(k).keySet()); }
                case 40 -> { opName = "getOrDefault(" + k + "," + v + ")"; f = m -> m.getOrDefault(k, v); }
                case 41 -> { opName = "containsValue(" + v + ")"; f = m -> m.containsValue(v); }
                case 42 -> { opName = "values"; f = m -> new ArrayList<>(m.values()); }
                case 43 -> { opName = "entrySet.contains"; f = m -> m.entrySet().contains(java.util.Map.entry(k == null ? 0L : k, v == null ? 0L : v)); }
                case 44 -> { opName = "equals(ref view)"; f = m -> m.equals(new java.util.TreeMap<>(m)); }
                case 45 -> { opName = "clear()"; f = m -> { if (m.size() < 3) { m.clear(); } return null; }; }
                case 46 -> { opName = "remove(" + k + ",null)"; f = m -> m.remove(k, null); }
                default -> { opName = "hashCode"; f = NavigableMap::hashCode; }
            }
            Object expected = apply(ref, chain, f);
            Object actual = apply(cob, chain, f);
            String step = i + ": " + String.join(".", names) + (names.isEmpty() ? "" : ".") + opName;
            log.add(step + " -> " + expected);
            if (log.size() > 12) {
                log.remove(0);
            }
            if (!expected.equals(actual) && (k == null || v == null || v2 == null || k2 == null)
                    && Set.of("IllegalArgumentException", "NullPointerException").containsAll(List.of(expected, actual))) {
                // two bad arguments (a null and an out-of-range key): CSLM checks the range first,
                // the cobtree views the null first. Tolerated, counted, reported.
                bothBad++;
                continue;
            }
            assertEquals(expected, actual, () -> name + " differs from ConcurrentSkipListMap at step " + step
                    + " (seed " + seed + ", replay -Dcobtree.seed=" + seed + "); recent steps (expected results):\n  " + String.join("\n  ", log));
        }
        assertEquals(new ArrayList<>(ref.entrySet()).toString(), new ArrayList<>(cob.entrySet()).toString());
        System.out.printf("RedteamConformanceTest %s: %,d ops agree with ConcurrentSkipListMap (%,d with a null and an out-of-range key threw NPE where CSLM throws IAE)%n", name, OPS, bothBad);
    }

    static Object apply(NavigableMap<Long, Long> root, List<Function<NavigableMap<Long, Long>, NavigableMap<Long, Long>>> chain,
                        Function<NavigableMap<Long, Long>, Object> f) {
        try {
            NavigableMap<Long, Long> m = root;
            for (Function<NavigableMap<Long, Long>, NavigableMap<Long, Long>> d : chain) {
                m = d.apply(m);
            }
            return ModelLinearizabilityChecker.norm(f.apply(m));
        } catch (Throwable e) {
            return e.getClass().getSimpleName();
        }
    }

    // ---- found violations, as deterministic tests -----------------------------------------------

    /**
     * LongObjectTreeMap's views returned null/false for replace of an out-of-range key, where
     * ConcurrentSkipListMap's sub-maps (and CobTreeSubMap) throw IllegalArgumentException. Fixed
     * (range.check in both replace forms).
     */
    @Test
    void objectMapViewReplaceOutOfRangeThrows() {
        LongObjectTree<Long> t = LongObjectTree.builder().segmentSize(8).build();
        t.put(5, 1000L);
        NavigableMap<Long, Long> view = t.asMap().tailMap(10L, true);
        ConcurrentSkipListMap<Long, Long> ref = new ConcurrentSkipListMap<>();
        ref.put(5L, 1000L);
        assertThrows(IllegalArgumentException.class, () -> ref.tailMap(10L, true).replace(5L, 7L));
        assertThrows(IllegalArgumentException.class, () -> view.replace(5L, 7L));
        assertThrows(IllegalArgumentException.class, () -> view.replace(5L, 1000L, 7L));
        assertThrows(IllegalArgumentException.class, () -> view.descendingMap().descendingMap().replace(5L, 1000L, 7L));
        assertEquals(1000L, t.get(5));
    }

    /**
     * After close(), "every method throws IllegalStateException" (CobTreeMap's class comment), but a
     * bounded view answers a query for a key outside its range without touching the tree:
     * CobTreeSubMap.get/containsKey/remove/remove(k,v)/computeIfPresent short-circuit on
     * {@code range.contains(k)}, and KeyRange.ceiling/higher/floor/lower on tooHigh/tooLow, so they
     * return null/false on a closed tree; LongObjectTreeMap the same.
     */
    @Test
    // was disabled by the red-team pass until the views checked the closed state (fixed)
    void closedViewsThrowForOutOfRangeKeys() {
        CobTreeMap map = new CobTreeMap(CobTree.builder().segmentSize(8).build());
        map.put(5L, 1L);
        NavigableMap<Long, Long> view = map.tailMap(10L, true);
        LongObjectTree<Long> ot = LongObjectTree.builder().segmentSize(8).build();
        ot.put(5, 1L);
        NavigableMap<Long, Long> oview = ot.asMap().tailMap(10L, true);
        map.tree().close();
        ot.close();
        for (NavigableMap<Long, Long> v : List.of(view, oview)) {
            assertThrows(IllegalStateException.class, () -> v.get(5L));
            assertThrows(IllegalStateException.class, () -> v.containsKey(5L));
            assertThrows(IllegalStateException.class, () -> v.remove(5L));
            assertThrows(IllegalStateException.class, () -> v.remove(5L, 1L));
            assertThrows(IllegalStateException.class, () -> v.getOrDefault(5L, 2L));
            assertThrows(IllegalStateException.class, () -> v.descendingMap().higherKey(5L));
            assertThrows(IllegalStateException.class, () -> v.lowerKey(5L));
            assertThrows(IllegalStateException.class, () -> v.computeIfPresent(5L, (a, b) -> b));
        }
    }
}
