package dev.cobtree.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model test of snapshots: random writes (puts, removes, polls, forced grows and shrinks through
 * key windows that widen and narrow on 8-cell segments, occasional {@code clear()}) with snapshots
 * taken at random points, each paired with a {@link TreeMap} copied at that instant. While the
 * writes go on, random reads of random open snapshots (get, every navigation form, rank,
 * countRange, select, size, cursors both ways from random keys with skips, forEachInRange) must
 * equal their copy; each snapshot is checked in full before it closes. Over the heap, off-heap
 * and mapped stores (long values) and the heap with object values. The seed is printed; replay
 * with {@code -Dcobtree.seed=...}; {@code -Dcobtree.snapshot.ops} sets the writes per run.
 */
class SnapshotModelTest {

    private static final long OPS = Long.getLong("cobtree.snapshot.ops", 30_000L);

    /** What the checks need from a snapshot of either kind: values as longs (object values are boxed longs). */
    interface View extends AutoCloseable {
        Long get(long k);
        long[] ceiling(long k);
        long[] floor(long k);
        long[] higher(long k);
        long[] lower(long k);
        long size();
        long rank(long k);
        long countRange(long lo, boolean li, long hi, boolean hi2);
        long[] select(long i);
        /** Cursor from {@code from} (or the edge when null), direction, skipping {@code skip} first; entries as k,v pairs, at most max. */
        List<long[]> scan(Long from, boolean inclusive, boolean descending, long skip, int max);
        List<long[]> range(long lo, boolean li, long hi, boolean hi2);
        long firstKey();
        boolean isClosed();
        @Override
        void close();
    }

    interface Tree extends AutoCloseable {
        void put(long k, long v);
        void remove(long k);
        void pollFirst();
        void pollLast();
        void clear();
        View snapshot();
        CobTreeStatistics statistics();
        @Override
        void close();
    }

    @ParameterizedTest
    @EnumSource(StoreKinds.class)
    void longValuesOverEveryStore(StoreKinds kind, @TempDir Path dir) {
        CobTree t = CobTree.builder().segmentSize(8).storage(kind.factory(dir)).build();
        run("long " + kind, longTree(t));
    }

    @Test
    void objectValues() {
        LongObjectTree<Long> t = LongObjectTree.builder().segmentSize(8).build();
        run("object", objectTree(t));
    }

    @Test
    void defaultSegmentsLongValues() {
        run("default segments", longTree(new CobTree()));
    }

    private static void run(String name, Tree tree) {
        long seed = StoreKinds.seed("SnapshotModelTest " + name);
        SplittableRandom r = new SplittableRandom(seed);
        List<View> views = new ArrayList<>();
        List<TreeMap<Long, Long>> copies = new ArrayList<>();
        TreeMap<Long, Long> model = new TreeMap<>();
        int width = 64;
        long checks = 0;
        try (tree) {
            for (long op = 0; op < OPS; op++) {
                if (op % 4000 == 0) {
                    width = new int[] {8, 64, 700, 3000}[r.nextInt(4)]; // grows and shrinks the array
                }
                int what = r.nextInt(1000);
                long k = r.nextInt(10) == 0 ? ModelKeys.EDGES[r.nextInt(ModelKeys.EDGES.length)] : r.nextLong(-width, width + 1L);
                if (what < 500) {
                    long v = r.nextLong();
                    tree.put(k, v);
                    model.put(k, v);
                } else if (what < 900) {
                    tree.remove(k);
                    model.remove(k);
                } else if (what < 915) {
                    tree.pollFirst();
                    model.pollFirstEntry();
                } else if (what < 930) {
                    tree.pollLast();
                    model.pollLastEntry();
                } else if (what < 931) {
                    tree.clear();
                    model.clear();
                } else if (what < 945 && views.size() < 6) {
                    views.add(tree.snapshot());
                    copies.add(new TreeMap<>(model));
                } else if (what < 955 && !views.isEmpty()) {
                    int i = r.nextInt(views.size());
                    checkAll(views.get(i), copies.get(i), r);
                    views.remove(i).close();
                    copies.remove(i);
                } else if (!views.isEmpty()) {
                    int i = r.nextInt(views.size());
                    checkSome(views.get(i), copies.get(i), r, width);
                    checks++;
                }
            }
            for (int i = 0; i < views.size(); i++) {
                checkAll(views.get(i), copies.get(i), r);
            }
            // the tree's close closes the snapshots still open
        }
        for (View v : views) {
            assertTrue(v.isClosed(), "the tree's close closes its snapshots");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.get(0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        assertTrue(checks > 0 || OPS < 1000, "random checks ran");
    }

    /** A few random reads of every kind. */
    private static void checkSome(View v, TreeMap<Long, Long> m, SplittableRandom r, int width) {
        long k = r.nextInt(8) == 0 ? ModelKeys.EDGES[r.nextInt(ModelKeys.EDGES.length)] : r.nextLong(-width - 2, width + 3L);
        String at = " at key " + k + " (snapshot " + v + ")";
        assertEquals(m.get(k), v.get(k), "get" + at);
        assertEquals(pair(m.ceilingEntry(k)), str(v.ceiling(k)), "ceiling" + at);
        assertEquals(pair(m.floorEntry(k)), str(v.floor(k)), "floor" + at);
        assertEquals(pair(m.higherEntry(k)), str(v.higher(k)), "higher" + at);
        assertEquals(pair(m.lowerEntry(k)), str(v.lower(k)), "lower" + at);
        assertEquals(m.headMap(k, false).size(), v.rank(k), "rank" + at);
        long span = r.nextInt(2 * width + 2);
        long k2 = k > Long.MAX_VALUE - span ? Long.MAX_VALUE : k + span;
        boolean li = r.nextBoolean();
        boolean hi = r.nextBoolean();
        assertEquals(m.subMap(k, li, k2, hi).size(), v.countRange(k, li, k2, hi), "countRange " + k + ".." + k2 + at);
        assertEquals(list(m.subMap(k, li, k2, hi)), strs(v.range(k, li, k2, hi)), "forEachInRange " + k + ".." + k2 + at);
        assertEquals(m.size(), v.size(), "size" + at);
        if (!m.isEmpty()) {
            long i = r.nextLong(m.size() + 2);
            assertEquals(i < m.size() ? pair(nth(m, (int) i)) : "none", str(v.select(i)), "select " + i + at);
        }
        boolean desc = r.nextBoolean();
        boolean incl = r.nextBoolean();
        long skip = r.nextInt(4) == 0 ? r.nextInt(3 * width + 3) : 0;
        int max = 1 + r.nextInt(40);
        NavigableMap<Long, Long> tail = desc ? m.headMap(k, incl).descendingMap() : m.tailMap(k, incl);
        assertEquals(expectScan(tail, skip, max), strs(v.scan(k, incl, desc, skip, max)),
                (desc ? "descending" : "ascending") + " cursor skip " + skip + at);
    }

    /** Everything: both full scans, every key and gap, every position. */
    private static void checkAll(View v, TreeMap<Long, Long> m, SplittableRandom r) {
        assertEquals(list(m), strs(v.scan(null, true, false, 0, Integer.MAX_VALUE)), "full ascending scan");
        assertEquals(list(m.descendingMap()), strs(v.scan(null, true, true, 0, Integer.MAX_VALUE)), "full descending scan");
        assertEquals(m.size(), v.size(), "size");
        long i = 0;
        for (Map.Entry<Long, Long> e : m.entrySet()) {
            long k = e.getKey();
            assertEquals(e.getValue(), v.get(k), "get " + k);
            assertEquals(i, v.rank(k), "rank " + k);
            assertEquals(pair(e), str(v.select(i)), "select " + i);
            if (k != Long.MAX_VALUE) {
                assertEquals(pair(m.higherEntry(k)), str(v.higher(k)), "higher " + k);
                assertEquals(m.containsKey(k + 1) ? m.get(k + 1) : null, v.get(k + 1), "get " + (k + 1));
            }
            i++;
        }
        assertEquals("none", str(v.select(i)), "select past the end");
        if (m.isEmpty()) {
            assertThrows(NoSuchElementException.class, v::firstKey);
        } else {
            assertEquals(m.firstKey(), v.firstKey());
            long skip = r.nextInt(m.size() + 2);
            assertEquals(expectScan(m, skip, 5), strs(v.scan(null, true, false, skip, 5)), "skip " + skip);
            assertEquals(expectScan(m.descendingMap(), skip, 5), strs(v.scan(null, true, true, skip, 5)), "descending skip " + skip);
        }
    }

    private static Map.Entry<Long, Long> nth(TreeMap<Long, Long> m, int i) {
        return m.entrySet().stream().skip(i).findFirst().orElseThrow();
    }

    /** What a cursor over {@code m} (already in its direction) returns after skipping {@code skip}: at most max entries. */
    private static List<String> expectScan(NavigableMap<Long, Long> m, long skip, int max) {
        List<String> out = new ArrayList<>();
        long seen = 0;
        for (Map.Entry<Long, Long> e : m.entrySet()) {
            if (seen++ < skip) {
                continue;
            }
            if (out.size() == max) {
                break;
            }
            out.add(pair(e));
        }
        return out;
    }

    private static List<String> list(Map<Long, Long> m) {
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    private static String pair(Map.Entry<Long, Long> e) {
        return e == null ? "none" : e.getKey() + "=" + e.getValue();
    }

    private static String str(long[] kv) {
        return kv == null ? "none" : kv[0] + "=" + kv[1];
    }

    private static List<String> strs(List<long[]> kvs) {
        List<String> out = new ArrayList<>();
        for (long[] kv : kvs) {
            out.add(str(kv));
        }
        return out;
    }

    // ---- adapters -------------------------------------------------------------------------------

    static Tree longTree(CobTree t) {
        return new Tree() {
            public void put(long k, long v) { t.put(k, v, 0); }
            public void remove(long k) { t.remove(k, 0); }
            public void pollFirst() { t.pollFirst(new KeyValue()); }
            public void pollLast() { t.pollLast(new KeyValue()); }
            public void clear() { t.clear(); }
            public View snapshot() { return longView(t.snapshot()); }
            public CobTreeStatistics statistics() { return t.statistics(); }
            public void close() { t.close(); }
        };
    }

    static View longView(CobTreeSnapshot s) {
        return new View() {
            private long[] kv(boolean found, KeyValue out) {
                return found ? new long[] {out.key, out.value} : null;
            }
            public Long get(long k) { KeyValue o = new KeyValue(); return s.get(k, o) ? o.value : null; }
            public long[] ceiling(long k) { KeyValue o = new KeyValue(); return kv(s.ceiling(k, o), o); }
            public long[] floor(long k) { KeyValue o = new KeyValue(); return kv(s.floor(k, o), o); }
            public long[] higher(long k) { KeyValue o = new KeyValue(); return kv(s.higher(k, o), o); }
            public long[] lower(long k) { KeyValue o = new KeyValue(); return kv(s.lower(k, o), o); }
            public long size() { return s.size(); }
            public long rank(long k) { return s.rank(k); }
            public long countRange(long lo, boolean li, long hi, boolean h2) { return s.countRange(lo, li, hi, h2); }
            public long[] select(long i) { KeyValue o = new KeyValue(); return kv(s.select(i, o), o); }
            public List<long[]> scan(Long from, boolean incl, boolean desc, long skip, int max) {
                CobTreeSnapshot.Cursor c = from == null ? (desc ? s.descendingCursor() : s.cursor())
                        : desc ? s.descendingCursor(from, incl) : s.cursor(from, incl);
                List<long[]> out = new ArrayList<>();
                if (skip > 0 && c.skip(skip) == skip) {
                    // the last skipped entry is current: nothing to emit for it
                }
                while (out.size() < max && c.next()) {
                    out.add(new long[] {c.key(), c.value()});
                }
                return out;
            }
            public List<long[]> range(long lo, boolean li, long hi, boolean h2) {
                List<long[]> out = new ArrayList<>();
                s.forEachInRange(lo, li, hi, h2, (k, v) -> out.add(new long[] {k, v}));
                return out;
            }
            public long firstKey() { return s.firstKey(); }
            public boolean isClosed() { return s.isClosed(); }
            public void close() { s.close(); }
            public String toString() { return "generation " + s.generation(); }
        };
    }

    static Tree objectTree(LongObjectTree<Long> t) {
        return new Tree() {
            public void put(long k, long v) { t.put(k, v); }
            public void remove(long k) { t.remove(k); }
            public void pollFirst() { t.pollFirstEntry(); }
            public void pollLast() { t.pollLastEntry(); }
            public void clear() { t.clear(); }
            public View snapshot() { return objectView(t.snapshot()); }
            public CobTreeStatistics statistics() { return t.statistics(); }
            public void close() { t.close(); }
        };
    }

    static View objectView(LongObjectTreeSnapshot<Long> s) {
        return new View() {
            private long[] kv(LongObjectEntry<Long> e) {
                return e == null ? null : new long[] {e.key(), e.value()};
            }
            public Long get(long k) { return s.get(k); }
            public long[] ceiling(long k) { return kv(s.ceilingEntry(k)); }
            public long[] floor(long k) { return kv(s.floorEntry(k)); }
            public long[] higher(long k) { return kv(s.higherEntry(k)); }
            public long[] lower(long k) { return kv(s.lowerEntry(k)); }
            public long size() { return s.size(); }
            public long rank(long k) { return s.rank(k); }
            public long countRange(long lo, boolean li, long hi, boolean h2) { return s.countRange(lo, li, hi, h2); }
            public long[] select(long i) { return kv(s.select(i)); }
            public List<long[]> scan(Long from, boolean incl, boolean desc, long skip, int max) {
                LongObjectTreeSnapshot.Cursor<Long> c = from == null ? (desc ? s.descendingCursor() : s.cursor())
                        : desc ? s.descendingCursor(from, incl) : s.cursor(from, incl);
                List<long[]> out = new ArrayList<>();
                if (skip > 0) {
                    c.skip(skip);
                }
                while (out.size() < max && c.next()) {
                    out.add(new long[] {c.key(), c.value()});
                }
                return out;
            }
            public List<long[]> range(long lo, boolean li, long hi, boolean h2) {
                List<long[]> out = new ArrayList<>();
                s.forEachInRange(lo, li, hi, h2, (k, v) -> out.add(new long[] {k, v}));
                return out;
            }
            public long firstKey() { return s.firstKey(); }
            public boolean isClosed() { return s.isClosed(); }
            public void close() { s.close(); }
            public String toString() { return "generation " + s.generation(); }
        };
    }
}
