package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static dev.cobtree.query.TableIndexTest.COLUMNS;
import static dev.cobtree.query.TableIndexTest.brute;
import static dev.cobtree.query.TableIndexTest.col;
import static dev.cobtree.query.TableIndexTest.randomCondition;
import static dev.cobtree.query.TableIndexTest.randomRow;
import static dev.cobtree.query.TableIndexTest.randomValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Composite indexes of a {@link TableIndex} against a brute-force filter: the columns of
 * {@link TableIndexTest} (exact and inexact codecs, nulls, duplicates) with composite indexes over
 * an enum and an inexact string leading a double, an int leading a date, a string leading an
 * inexact UUID, an enum leading a 64-bit long; conditions built to use them (eq/in on every
 * leading column, any predicate on the last, other predicates beside, inside OR and NOT) mixed with
 * random ones; inserts, updates and deletes interleaved; snapshots; refused writes.
 */
class CompositeIndexTest {

    static final List<CompositeIndex> COMPOSITES = List.of(
            CompositeIndex.on("status", "city", "price"),
            CompositeIndex.on("qty", "day"),
            CompositeIndex.on("city", "uuid"),
            CompositeIndex.on("status", "amount"));

    /** A condition a composite index can answer, often with more beside it. */
    static Condition compositeCondition(Random rnd) {
        CompositeIndex k = COMPOSITES.get(rnd.nextInt(COMPOSITES.size()));
        List<Condition> parts = new ArrayList<>();
        for (String name : k.leading()) {
            int c = col(name);
            if (rnd.nextBoolean()) {
                parts.add(Condition.eq(name, randomValue(rnd, c)));
            } else {
                Object[] vs = new Object[1 + rnd.nextInt(3)];
                for (int i = 0; i < vs.length; i++) vs[i] = randomValue(rnd, c);
                parts.add(Condition.in(name, vs));
            }
        }
        String last = k.last();
        int c = col(last);
        switch (rnd.nextInt(3)) {
            case 0 -> parts.add(Condition.eq(last, randomValue(rnd, c)));
            case 1 -> parts.add(Condition.in(last, randomValue(rnd, c), randomValue(rnd, c)));
            default -> parts.add(TableIndexTest.randomRange(rnd, c));
        }
        if (rnd.nextBoolean()) parts.add(randomCondition(rnd, 1));
        Collections.shuffle(parts, rnd);
        Condition and = Condition.and(parts.toArray(Condition[]::new));
        return switch (rnd.nextInt(6)) {
            case 0 -> Condition.or(and, randomCondition(rnd, 1));
            case 1 -> Condition.not(and);
            default -> and;
        };
    }

    @Test
    void compositeQueriesMatchBruteForceUnderInterleavedWritesAndSnapshots() {
        long seed = TestSeed.seed("CompositeIndexTest.bruteForce");
        Random rnd = new Random(seed);
        List<Object[]> initial = TableIndexTest.randomRows(rnd, 300, 0.1);
        Map<Integer, Object[]> model = TableIndexTest.rowIds(initial);
        int queries = 0;
        int usedComposite = 0;
        try (TableIndex t = TableIndex.fromRows(COLUMNS, COMPOSITES, initial)) {
            for (int round = 0; round < 40; round++) {
                Map<Integer, Object[]> before = new HashMap<>(model);
                try (TableIndexSnapshot snap = t.snapshot()) {
                    TableIndexTest.randomWrites(rnd, t, model, 40, 0.1, old -> rnd.nextBoolean() ? randomRow(rnd, 0.1) : nudge(rnd, old));
                    for (int q = 0; q < 200; q++, queries++) { // the snapshot still answers for its instant
                        Condition cond = compositeCondition(rnd);
                        assertEquals(brute(cond, before), snap.query(cond), () -> "seed " + seed + ": snapshot " + cond);
                    }
                }
                assertEquals(model.size(), t.size());
                for (int q = 0; q < 700; q++, queries++) {
                    Condition cond = q % 4 == 3 ? randomCondition(rnd, 3) : compositeCondition(rnd);
                    RoaringBitmap expected = brute(cond, model);
                    if (q % 5 == 0) {
                        QueryPlan plan = t.explain(cond);
                        assertEquals(expected, plan.rows(), () -> "seed " + seed + ": " + cond + "\n" + plan);
                        if (plan.toString().contains("composite index")) usedComposite++;
                    } else if (q % 5 == 1) {
                        assertEquals(expected.getLongCardinality(), t.count(cond), () -> "seed " + seed + ": count " + cond);
                    } else {
                        assertEquals(expected, t.query(cond), () -> "seed " + seed + ": " + cond);
                    }
                }
            }
        }
        System.out.println("CompositeIndexTest: " + queries + " queries checked; " + usedComposite + " explained plans used a composite index");
        assertTrue(queries >= 30_000);
        assertTrue(usedComposite > 1000, "composite indexes used in only " + usedComposite + " plans");
    }

    /** A row with one or two values of a composite index's columns changed (moves between prefixes, or within one). */
    private static Object[] nudge(Random rnd, Object[] row) {
        Object[] out = row.clone();
        String[] names = {"status", "city", "price", "qty", "day", "uuid", "amount"};
        for (int i = 0; i < 1 + rnd.nextInt(2); i++) {
            int c = col(names[rnd.nextInt(names.length)]);
            out[c] = rnd.nextInt(8) == 0 ? null : randomValue(rnd, c);
        }
        return out;
    }

    @Test
    void theCompositeLeafIsExactAndCountedByRangeCounts() {
        Random rnd = TestSeed.random("CompositeIndexTest.exact");
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 2000; r++) rows.add(randomRow(rnd, 0.05));
        try (TableIndex t = TableIndex.fromRows(COLUMNS, COMPOSITES, rows)) {
            Map<Integer, Object[]> model = new HashMap<>();
            for (int r = 0; r < rows.size(); r++) model.put(r, rows.get(r));
            Condition cond = Condition.and(Condition.range("amount", -3L, true, 1L << 40, false),
                    Condition.in("status", TableIndexTest.Status.PAID, TableIndexTest.Status.NEW));
            QueryPlan plan = t.explain(cond);
            assertEquals(brute(cond, model), plan.rows());
            assertEquals(1, plan.steps().size(), plan::toString); // one leaf: no AND, no probe
            QueryPlan.Step s = plan.steps().get(0);
            assertTrue(s.node().startsWith("composite index (status, amount)"), plan::toString);
            assertEquals(s.estimated(), s.actual(), plan::toString);
            assertEquals(brute(cond, model).getLongCardinality(), t.count(cond));
            assertTrue(t.countsByRanges(cond));
            assertTrue(!t.countsByRanges(Condition.and(cond, Condition.atLeast("qty", 0))));
            // the same with the composite index's leaves beside another predicate: driven by it
            Condition more = Condition.and(cond, Condition.atLeast("qty", 0));
            QueryPlan p2 = t.explain(more);
            assertEquals(brute(more, model), p2.rows());
            assertTrue(p2.toString().contains("composite index (status, amount)"), p2::toString);
            // an inexact leading column with shared keys ("prefix__a", "prefix__b"): its leaf stays in the AND
            Condition shared = Condition.and(Condition.eq("city", "prefix__a"), Condition.atLeast("uuid", new UUID(5, 2)));
            QueryPlan p3 = t.explain(shared);
            assertEquals(brute(shared, model), p3.rows(), p3::toString);
            assertTrue(p3.toString().contains("composite index (city, uuid)"), p3::toString);
        }
    }

    @Test
    void ofSeveralCompositeIndexesTheNarrowestIsUsed() {
        Random rnd = TestSeed.random("CompositeIndexTest.choice");
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < 3000; r++) rows.add(randomRow(rnd, 0.0));
        Map<Integer, Object[]> model = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) model.put(r, rows.get(r));
        List<CompositeIndex> both = List.of(CompositeIndex.on("status", "qty"), CompositeIndex.on("status", "amount"));
        try (TableIndex t = TableIndex.fromRows(COLUMNS, both, rows)) {
            Condition wideQty = Condition.and(Condition.eq("status", TableIndexTest.Status.PAID),
                    Condition.atLeast("qty", Integer.MIN_VALUE), Condition.eq("amount", 2L));
            QueryPlan p = t.explain(wideQty);
            assertEquals(brute(wideQty, model), p.rows());
            assertTrue(p.toString().contains("composite index (status, amount)") && !p.toString().contains("(status, qty)"), p::toString);
            Condition wideAmount = Condition.and(Condition.eq("status", TableIndexTest.Status.PAID),
                    Condition.eq("qty", 3), Condition.atLeast("amount", Long.MIN_VALUE));
            p = t.explain(wideAmount);
            assertEquals(brute(wideAmount, model), p.rows());
            assertTrue(p.toString().contains("composite index (status, qty)") && !p.toString().contains("(status, amount)"), p::toString);
        }
    }

    @Test
    void fromColumnsAndInsertsBuildTheSameCompositeIndexes() {
        Random rnd = TestSeed.random("CompositeIndexTest.fromColumns");
        int n = 600;
        List<Object[]> rows = TableIndexTest.randomRows(rnd, n, 0.1);
        Object[][] arrays = TableIndexTest.columnsOf(rows);
        try (TableIndex a = TableIndex.fromColumns(COLUMNS, COMPOSITES, (Object[]) arrays);
             TableIndex b = new TableIndex(COLUMNS, COMPOSITES)) {
            for (int r = 0; r < n; r++) b.insert(r, rows.get(r));
            Map<Integer, Object[]> model = new HashMap<>();
            for (int r = 0; r < n; r++) model.put(r, rows.get(r));
            for (int q = 0; q < 3000; q++) {
                Condition cond = compositeCondition(rnd);
                RoaringBitmap expected = brute(cond, model);
                assertEquals(expected, a.query(cond), cond::toString);
                assertEquals(expected, b.query(cond), cond::toString);
            }
            assertEquals(COMPOSITES, a.compositeIndexes());
            assertTrue(a.indexBytes() > 0 && b.indexBytes() > 0);
        }
    }

    @Test
    void badDefinitionsAndWritesBeyondTheBoundAreRefusedNamingThemAndChangeNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CompositeIndex.on("status"));
        assertTrue(e.getMessage().contains("status"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompositeIndex.on("status", "status"));
        assertTrue(e.getMessage().contains("twice"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CompositeIndex.on("status", "price").withMaxPrefixes(0));
        assertTrue(e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TableIndex(COLUMNS, List.of(CompositeIndex.on("status", "nope"))));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("(status, nope)"), e.getMessage());

        Object[] row = {1, 2L, 1.5, "x", TableIndexTest.Status.NEW, LocalDate.of(2024, 1, 1), new UUID(1, 1)};
        CompositeIndex two = CompositeIndex.on("status", "price").withMaxPrefixes(2);
        try (TableIndex t = new TableIndex(COLUMNS, List.of(two))) {
            t.insert(0, row);
            Object[] paid = row.clone();
            paid[4] = TableIndexTest.Status.PAID;
            t.insert(1, paid);
            Object[] shipped = row.clone();
            shipped[4] = TableIndexTest.Status.SHIPPED;
            e = assertThrows(IllegalArgumentException.class, () -> t.insert(2, shipped));
            assertTrue(e.getMessage().contains("(status, price)") && e.getMessage().contains("status=SHIPPED")
                    && e.getMessage().contains("2"), e.getMessage());
            assertNull(t.row(2));
            assertEquals(2, t.size());
            assertEquals(RoaringBitmap.bitmapOf(0, 1), t.query(Condition.eq("price", 1.5)));
            e = assertThrows(IllegalArgumentException.class, () -> t.update(1, shipped));
            assertTrue(e.getMessage().contains("status=SHIPPED"), e.getMessage());
            assertEquals(TableIndexTest.Status.PAID, t.row(1)[4]);
            assertEquals(RoaringBitmap.bitmapOf(1),
                    t.query(Condition.and(Condition.eq("status", TableIndexTest.Status.PAID), Condition.eq("price", 1.5))));
            assertEquals(RoaringBitmap.bitmapOf(), t.query(Condition.eq("status", TableIndexTest.Status.SHIPPED)));
            Object[] noStatus = row.clone();
            noStatus[4] = null; // not in the composite index: no prefix needed
            t.insert(3, noStatus);
            assertEquals(RoaringBitmap.bitmapOf(0, 1, 3), t.query(Condition.eq("price", 1.5)));
        }
        List<Object[]> three = new ArrayList<>();
        for (TableIndexTest.Status s : new TableIndexTest.Status[] {TableIndexTest.Status.NEW, TableIndexTest.Status.PAID, TableIndexTest.Status.SHIPPED}) {
            Object[] r = row.clone();
            r[4] = s;
            three.add(r);
        }
        e = assertThrows(IllegalArgumentException.class, () -> TableIndex.fromRows(COLUMNS, List.of(two), three));
        assertTrue(e.getMessage().contains("(status, price)"), e.getMessage());
    }
}
