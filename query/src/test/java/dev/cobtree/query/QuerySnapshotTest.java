package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.KeyValue;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.cobtree.query.TableIndexTest.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model tests of the query layer's snapshots: writes and snapshots interleaved in one thread, so
 * the copy of the model taken with each snapshot is exactly the index's state at the snapshot's
 * instant; every read on a snapshot, made after many more writes, must equal the brute-force
 * answer over that copy.
 */
class QuerySnapshotTest {

    /** An open snapshot and the model rows copied when it was taken. */
    record Taken<S, M>(S snapshot, M model, int at) {
    }

    @Test
    void tableSnapshotsAnswerForTheirInstant() {
        long seed = TestSeed.seed("QuerySnapshotTest.table");
        Random rnd = new Random(seed);
        int rowSpace = 3 * RowReads.PAGE_ROWS; // several row store pages
        List<Object[]> initial = new ArrayList<>();
        Map<Integer, Object[]> model = new HashMap<>();
        for (int r = 0; r < 400; r++) {
            Object[] row = TableIndexTest.randomRow(rnd, 0.15);
            initial.add(row);
            model.put(r, row);
        }
        int checked = 0;
        int taken = 0;
        try (TableIndex t = TableIndex.fromRows(COLUMNS, initial)) {
            List<Taken<TableIndexSnapshot, Map<Integer, Object[]>>> open = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                int r = rnd.nextInt(rowSpace);
                switch (rnd.nextInt(4)) {
                    case 0, 1 -> {
                        Object[] row = TableIndexTest.randomRow(rnd, 0.15);
                        if (model.containsKey(r)) t.update(r, row);
                        else t.insert(r, row);
                        model.put(r, row);
                    }
                    case 2 -> assertEquals(model.remove(r) != null, t.delete(r));
                    default -> {
                        int near = rnd.nextInt(450); // rows of the first page: updated again and again
                        Object[] row = TableIndexTest.randomRow(rnd, 0.15);
                        if (model.containsKey(near)) t.update(near, row);
                        else t.insert(near, row);
                        model.put(near, row);
                    }
                }
                if (rnd.nextInt(60) == 0 && open.size() < 5) {
                    open.add(new Taken<>(t.snapshot(), new HashMap<>(model), step));
                    taken++;
                }
                if (rnd.nextInt(25) == 0 && !open.isEmpty()) {
                    Taken<TableIndexSnapshot, Map<Integer, Object[]>> s = open.get(rnd.nextInt(open.size()));
                    checked += checkTable(seed, rnd, s, rowSpace);
                    if (rnd.nextInt(4) == 0) {
                        open.remove(s);
                        s.snapshot().close();
                        assertClosed(s.snapshot());
                    }
                }
            }
            for (Taken<TableIndexSnapshot, Map<Integer, Object[]>> s : open) {
                checked += checkTable(seed, rnd, s, rowSpace);
                s.snapshot().close();
            }
            assertEquals(0, t.store().openSnapshots(), "a closed snapshot is still registered");
            long copies = t.store().pageCopies();
            Object[] last = TableIndexTest.randomRow(rnd, 0.15); // no snapshot open: written in place
            if (model.containsKey(0)) t.update(0, last); // (row 0 may have been deleted last: then it is inserted)
            else t.insert(0, last);
            model.put(0, last);
            assertEquals(copies, t.store().pageCopies(), "a page was copied with no snapshot open");
            assertTrue(copies > 0, "no row store page was ever copied for a snapshot");
        }
        System.out.println("QuerySnapshotTest.table: " + taken + " snapshots, " + checked + " reads checked");
        assertTrue(taken >= 10 && checked >= 5_000, taken + " snapshots, " + checked + " reads");
    }

    private static int checkTable(long seed, Random rnd, Taken<TableIndexSnapshot, Map<Integer, Object[]>> s, int rowSpace) {
        TableIndexSnapshot snap = s.snapshot();
        Map<Integer, Object[]> model = s.model();
        String where = "seed " + seed + ", snapshot of step " + s.at();
        assertEquals(model.size(), snap.size(), where);
        RoaringBitmap live = new RoaringBitmap();
        model.keySet().forEach(live::add);
        assertEquals(live, snap.liveRows(), where);
        int n = 0;
        for (int q = 0; q < 150; q++, n++) {
            Condition cond = TableIndexTest.randomCondition(rnd, 3);
            RoaringBitmap expected = TableIndexTest.brute(cond, model);
            switch (q % 4) {
                case 0 -> assertEquals(expected, snap.query(cond), () -> where + ": " + cond);
                case 1 -> assertEquals(expected.getLongCardinality(), snap.count(cond), () -> where + ": count " + cond);
                case 2 -> {
                    QueryPlan plan = snap.explain(cond);
                    assertEquals(expected, plan.rows(), () -> where + ": " + cond + "\n" + plan);
                }
                default -> {
                    int r = rnd.nextInt(rowSpace);
                    Object[] want = model.get(r);
                    Object[] got = snap.row(r);
                    if (want == null) {
                        assertNull(got, where + ": row " + r);
                    } else {
                        for (int c = 0; c < want.length; c++) {
                            if (want[c] == null) assertNull(got[c], where + ": row " + r + " column " + c);
                            else assertEquals(0, TableIndexTest.compare(want[c], got[c]), where + ": row " + r + " column " + c);
                        }
                    }
                }
            }
        }
        return n;
    }

    private static void assertClosed(TableIndexSnapshot snap) {
        assertTrue(snap.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> snap.query(Condition.isNull("qty")));
        assertEquals("TableIndexSnapshot is closed", e.getMessage());
        assertThrows(IllegalStateException.class, () -> snap.count(Condition.isNull("qty")));
        assertThrows(IllegalStateException.class, () -> snap.explain(Condition.isNull("qty")));
        assertThrows(IllegalStateException.class, () -> snap.row(0));
        assertThrows(IllegalStateException.class, snap::size);
        assertThrows(IllegalStateException.class, snap::liveRows);
        snap.close(); // idempotent
    }

    @Test
    void closingTheTableClosesItsSnapshots() {
        TableIndex t = new TableIndex(COLUMNS);
        t.insert(1, TableIndexTest.randomRow(new Random(1), 0));
        TableIndexSnapshot snap = t.snapshot();
        assertEquals(1, snap.size());
        t.close();
        assertClosed(snap);
        assertThrows(IllegalStateException.class, t::snapshot);
    }

    @Test
    void aCopiedPageIsFreedWhenItsSnapshotClosesEvenIfTheSnapshotIsStillHeld() throws Exception {
        Random rnd = new Random(7);
        try (TableIndex t = new TableIndex(COLUMNS)) {
            for (int r = 0; r < 100; r++) t.insert(r, TableIndexTest.randomRow(rnd, 0.1));
            java.lang.ref.WeakReference<RowReads.Page> before = new java.lang.ref.WeakReference<>(t.store().pages()[0]);
            TableIndexSnapshot snap = t.snapshot();
            long copies = t.store().pageCopies();
            t.update(5, TableIndexTest.randomRow(rnd, 0.1)); // copies page 0: the old one is the snapshot's alone
            t.update(6, TableIndexTest.randomRow(rnd, 0.1)); // the same page again: no second copy
            assertEquals(copies + 1, t.store().pageCopies());
            assertTrue(before.get() != t.store().pages()[0], "the page was written in place under an open snapshot");
            assertEquals(100, snap.size());
            snap.close(); // still referenced below: its directory must not keep the page alive
            for (int i = 0; i < 50 && before.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(before.get(), "a closed snapshot still holds its copied page");
            assertTrue(snap.isClosed());
            t.update(7, TableIndexTest.randomRow(rnd, 0.1)); // no snapshot open: in place
            assertEquals(copies + 1, t.store().pageCopies());
        }
    }

    /* ---- SecondaryIndex (pairs only, adaptive) and WideKeyIndex ---- */

    /** The reads both index snapshots share, over one interface for the test. */
    interface PairReads extends AutoCloseable {
        RoaringBitmap rowIds(Range keys);

        long count(Range keys);

        long size();

        boolean contains(long key, long row);

        @Override
        void close();
    }

    @Test
    void secondaryIndexSnapshotsAnswerForTheirInstant() {
        for (int promoteAt : new int[] {0, 4, 16}) {
            long seed = TestSeed.seed("QuerySnapshotTest.secondary(promoteAt=" + promoteAt + ")");
            try (SecondaryIndex index = promoteAt == 0 ? new SecondaryIndex() : SecondaryIndex.adaptive(promoteAt)) {
                pairModel(seed, index::insert, index::delete, () -> {
                    SecondaryIndexSnapshot s = index.snapshot();
                    return new PairReads() {
                        public RoaringBitmap rowIds(Range keys) { return s.rowIds(keys); }
                        public long count(Range keys) { return s.count(keys); }
                        public long size() { return s.size(); }
                        public boolean contains(long key, long row) { return s.contains(key, row); }
                        public void close() {
                            s.close();
                            assertTrue(s.isClosed());
                            assertEquals("SecondaryIndexSnapshot is closed",
                                    assertThrows(IllegalStateException.class, () -> s.rowIds(Range.all())).getMessage());
                            assertThrows(IllegalStateException.class, () -> s.count(Range.all()));
                            assertThrows(IllegalStateException.class, () -> s.forEach(Range.all(), (k, v) -> { }));
                        }
                    };
                });
                if (promoteAt > 0) assertTrue(index.formMoves() > 0, "no form move happened: seed " + seed);
            }
        }
    }

    @Test
    void secondaryIndexSnapshotForEachAndRowIds64() {
        long seed = TestSeed.seed("QuerySnapshotTest.secondaryForEach");
        Random rnd = new Random(seed);
        try (SecondaryIndex index = SecondaryIndex.adaptive(8)) {
            TreeSet<Long> pairs = new TreeSet<>(); // key << 32 | row
            for (int round = 0; round < 40; round++) {
                for (int i = 0; i < 200; i++) {
                    long key = rnd.nextInt(20) - 10;
                    long row = rnd.nextInt(100);
                    if (rnd.nextInt(3) > 0) {
                        if (index.insert(key, row)) pairs.add((key << 32) | row);
                    } else if (index.delete(key, row)) {
                        pairs.remove((key << 32) | row);
                    }
                }
                TreeSet<Long> copy = new TreeSet<>(pairs);
                try (SecondaryIndexSnapshot s = index.snapshot()) {
                    for (int i = 0; i < 300; i++) { // writes after the snapshot
                        long key = rnd.nextInt(20) - 10;
                        long row = rnd.nextInt(100);
                        if (rnd.nextBoolean()) {
                            if (index.insert(key, row)) pairs.add((key << 32) | row);
                        } else if (index.delete(key, row)) {
                            pairs.remove((key << 32) | row);
                        }
                    }
                    long lo = rnd.nextInt(24) - 12;
                    long hi = lo + rnd.nextInt(10);
                    List<Long> want = new ArrayList<>();
                    Roaring64NavigableMap want64 = new Roaring64NavigableMap();
                    for (long p : copy) {
                        long k = p >> 32;
                        if (k >= lo && k <= hi) {
                            want.add(p);
                            want64.addLong(p & 0xFFFF_FFFFL);
                        }
                    }
                    List<Long> got = new ArrayList<>();
                    long n = s.forEach(Range.closed(lo, hi), (k, r) -> got.add((k << 32) | r));
                    assertEquals(want, got, "seed " + seed + " [" + lo + ", " + hi + "]");
                    assertEquals(want.size(), n);
                    assertEquals(want64, s.rowIds64(Range.closed(lo, hi)), "seed " + seed);
                }
            }
        }
    }

    @Test
    void wideKeyIndexSnapshotsAnswerForTheirInstant() {
        for (boolean bitmapsOnly : new boolean[] {false, true}) {
            long seed = TestSeed.seed("QuerySnapshotTest.wide(bitmapsOnly=" + bitmapsOnly + ")");
            try (WideKeyIndex index = bitmapsOnly ? WideKeyIndex.bitmapsOnly() : new WideKeyIndex()) {
                pairModel(seed, index::insert, index::delete, () -> {
                    WideKeyIndexSnapshot s = index.snapshot();
                    return new PairReads() {
                        public RoaringBitmap rowIds(Range keys) { return s.rowIds(keys); }
                        public long count(Range keys) { return s.count(keys); }
                        public long size() { return s.size(); }
                        public boolean contains(long key, long row) { return s.contains(key, row); }
                        public void close() {
                            s.close();
                            assertEquals("WideKeyIndexSnapshot is closed",
                                    assertThrows(IllegalStateException.class, () -> s.count(Range.all())).getMessage());
                        }
                    };
                });
            }
        }
    }

    interface PairWrite {
        boolean apply(long key, long row);
    }

    /** Random pair writes (keys of a small domain, so lists become bitmaps and back), snapshots, checks. */
    private static void pairModel(long seed, PairWrite insert, PairWrite delete, java.util.function.Supplier<PairReads> snapshot) {
        Random rnd = new Random(seed);
        TreeSet<Long> pairs = new TreeSet<>(); // (key + 64) << 32 | row: keys in [-64, 64)
        List<Taken<PairReads, TreeSet<Long>>> open = new ArrayList<>();
        int checked = 0;
        for (int step = 0; step < 20_000; step++) {
            long key = rnd.nextInt(rnd.nextInt(8) == 0 ? 128 : 6) - 64;
            long row = rnd.nextInt(rnd.nextBoolean() ? 200 : 100_000);
            long p = ((key + 64) << 32) | row;
            if (rnd.nextInt(5) < 3) assertEquals(pairs.add(p), insert.apply(key, row), "seed " + seed);
            else assertEquals(pairs.remove(p), delete.apply(key, row), "seed " + seed);
            if (rnd.nextInt(400) == 0 && open.size() < 4) open.add(new Taken<>(snapshot.get(), new TreeSet<>(pairs), step));
            if (rnd.nextInt(150) == 0 && !open.isEmpty()) {
                Taken<PairReads, TreeSet<Long>> s = open.get(rnd.nextInt(open.size()));
                checked += checkPairs(seed, rnd, s);
                if (rnd.nextInt(3) == 0) {
                    open.remove(s);
                    s.snapshot().close();
                }
            }
        }
        for (Taken<PairReads, TreeSet<Long>> s : open) {
            checked += checkPairs(seed, rnd, s);
            s.snapshot().close();
        }
        assertTrue(checked >= 1000, "only " + checked + " reads checked: seed " + seed);
    }

    private static int checkPairs(long seed, Random rnd, Taken<PairReads, TreeSet<Long>> s) {
        String where = "seed " + seed + ", snapshot of step " + s.at();
        assertEquals(s.model().size(), s.snapshot().size(), where);
        int n = 0;
        for (int q = 0; q < 60; q++, n++) {
            long lo = rnd.nextInt(140) - 70;
            long hi = lo + (rnd.nextBoolean() ? 0 : rnd.nextInt(20));
            RoaringBitmap want = new RoaringBitmap();
            long count = 0;
            for (long p : s.model().subSet((lo + 64) << 32, true, ((hi + 64) << 32) | 0xFFFF_FFFFL, true)) {
                want.add((int) p);
                count++;
            }
            assertEquals(want, s.snapshot().rowIds(Range.closed(lo, hi)), where + " [" + lo + ", " + hi + "]");
            assertEquals(count, s.snapshot().count(Range.closed(lo, hi)), where + " count [" + lo + ", " + hi + "]");
            long key = rnd.nextInt(10) - 66;
            long row = rnd.nextInt(200);
            assertEquals(s.model().contains(((key + 64) << 32) | row), s.snapshot().contains(key, row), where);
        }
        return n;
    }

    /* ---- Scans, lookups and positions over a CobTree snapshot ---- */

    @Test
    void scansLookupsAndHistogramsOverATreeSnapshot() {
        long seed = TestSeed.seed("QuerySnapshotTest.scans");
        Random rnd = new Random(seed);
        try (CobTree tree = CobTree.builder().segmentSize(8).build()) {
            TreeMap<Long, Long> map = new TreeMap<>();
            for (int round = 0; round < 30; round++) {
                for (int i = 0; i < 500; i++) write(rnd, tree, map);
                TreeMap<Long, Long> copy = new TreeMap<>(map);
                try (CobTreeSnapshot snap = tree.snapshot()) {
                    for (int i = 0; i < 800; i++) write(rnd, tree, map); // after the instant
                    long lo = rnd.nextInt(3000) - 200;
                    long hi = lo + rnd.nextInt(2000);
                    Range range = Range.closed(lo, hi);
                    NavigableMap<Long, Long> sub = copy.subMap(lo, true, hi, true);
                    String where = "seed " + seed + " round " + round + " " + range;

                    RangeScan scan = new RangeScan(snap);
                    List<Long> got = new ArrayList<>();
                    assertEquals(sub.size(), scan.forEach(range, (k, v) -> {
                        assertEquals(copy.get(k), v);
                        got.add(k);
                    }), where);
                    assertEquals(new ArrayList<>(sub.keySet()), got, where);
                    long[] down = scan.keys(range, Order.DESCENDING, 37);
                    assertArrayEquals(sub.descendingKeySet().stream().limit(37).mapToLong(Long::longValue).toArray(), down, where);
                    long[] keys = new long[sub.size() + 3];
                    long[] values = new long[sub.size() + 3];
                    RangeReader reader = scan.reader(range, Order.ASCENDING);
                    int n = 0;
                    for (int m; (m = reader.read(keys, values, n, Math.min(7, keys.length - n))) > 0; ) n += m;
                    assertEquals(sub.size(), n, where);
                    int j = 0;
                    for (Map.Entry<Long, Long> e : sub.entrySet()) {
                        assertEquals(e.getKey(), keys[j], where);
                        assertEquals(e.getValue(), values[j++], where);
                    }

                    long stride = 1 + rnd.nextInt(9);
                    List<Long> strided = new ArrayList<>();
                    new StridedScan(snap).forEach(range, stride, Order.ASCENDING, (k, v) -> strided.add(k));
                    List<Long> wantStrided = new ArrayList<>();
                    int idx = 0;
                    for (long k : sub.keySet()) if (idx++ % stride == 0) wantStrided.add(k);
                    assertEquals(wantStrided, strided, where + " stride " + stride);

                    long[] probes = new long[64];
                    for (int i = 0; i < probes.length; i++) probes[i] = rnd.nextInt(3000) - 200;
                    if (rnd.nextBoolean()) java.util.Arrays.sort(probes);
                    long[] found = new long[probes.length];
                    int hits = new PointLookup(snap).getAll(probes, found, -1);
                    int wantHits = 0;
                    for (int i = 0; i < probes.length; i++) {
                        Long v = copy.get(probes[i]);
                        if (v != null) wantHits++;
                        assertEquals(v == null ? -1 : v, found[i], where + " probe " + probes[i]);
                    }
                    assertEquals(wantHits, hits, where);

                    // Positions on the snapshot equal Positions on a quiet tree holding the copy.
                    try (CobTree quiet = CobTree.builder().build()) {
                        copy.forEach((k, v) -> quiet.put(k, v, 0));
                        Positions p = new Positions(snap);
                        Positions q = new Positions(quiet);
                        assertEquals(q.count(range), p.count(range), where);
                        assertEquals(q.rank(lo), p.rank(lo), where);
                        assertArrayEquals(q.quantiles(range, 7), p.quantiles(range, 7), where);
                        Histogram hp = p.equiDepth(range, 5);
                        Histogram hq = q.equiDepth(range, 5);
                        assertArrayEquals(hq.lowerBounds(), hp.lowerBounds(), where);
                        assertArrayEquals(hq.counts(), hp.counts(), where);
                        KeyValue a = new KeyValue();
                        KeyValue b = new KeyValue();
                        long pos = copy.isEmpty() ? 0 : rnd.nextInt(copy.size());
                        assertEquals(q.select(pos, a), p.select(pos, b), where);
                        assertEquals(a.key, b.key, where);
                    }
                }
            }
            CobTreeSnapshot closed = tree.snapshot();
            closed.close();
            assertThrows(IllegalStateException.class, () -> new RangeScan(closed).forEach(Range.all(), (k, v) -> { }));
            assertThrows(IllegalStateException.class, () -> new RangeScan(closed).forEach(Range.halfOpen(3, 3), (k, v) -> { }));
            assertThrows(IllegalStateException.class, () -> new Positions(closed).count(Range.all()));
        }
    }

    private static void write(Random rnd, CobTree tree, TreeMap<Long, Long> map) {
        long k = rnd.nextInt(3000) - 200;
        if (rnd.nextInt(3) > 0) {
            long v = rnd.nextLong();
            tree.put(k, v, 0);
            map.put(k, v);
        } else {
            tree.remove(k, 0);
            map.remove(k);
        }
    }
}
