package dev.cobtree.query;

import dev.cobtree.query.codec.KeyCodecs;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TableIndex against a brute-force filter over the same rows: seeded random tables of mixed
 * column types (exact 32- and 64-bit codecs, whose extreme and nearly equal values must stay
 * apart, and inexact codecs), duplicates, nulls, with inserts, updates and deletes interleaved
 * with the queries.
 */
class TableIndexTest {

    enum Status { NEW, PAID, SHIPPED, RETURNED }

    static final List<Column<?>> COLUMNS = List.of(
            Column.of("qty", Integer.class, KeyCodecs.ints()),             // exact
            Column.of("amount", Long.class, KeyCodecs.longs()),            // exact, all 64 bits
            Column.of("price", Double.class, KeyCodecs.doubles()),         // exact, all 64 bits
            Column.of("city", String.class, KeyCodecs.stringPrefix()),     // inexact: verified
            Column.of("status", Status.class, KeyCodecs.enumByOrdinal(Status.class)),
            Column.of("day", LocalDate.class, KeyCodecs.localDates()),
            Column.of("uuid", UUID.class, KeyCodecs.uuidHighBits()));      // inexact: verified

    static final Object[][] POOLS = {
            {-5, -1, 0, 1, 2, 3, 7, Integer.MIN_VALUE, Integer.MAX_VALUE},
            {0L, 1L, 2L, 1L << 40, (1L << 40) + 1, -3L, Long.MIN_VALUE, Long.MAX_VALUE, Long.MAX_VALUE - 1},
            {-0.0, 0.0, 1.5, -1.5, 2.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, Math.nextUp(1.5)},
            {"", "a", "prefix__", "prefix__a", "prefix__b", "prefix__aa", "zz", "\u0000", "prefix_"},
            Status.values(),
            {LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 2), LocalDate.of(1970, 1, 1), LocalDate.of(-5, 3, 3)},
            {new UUID(5, 1), new UUID(5, 2), new UUID(5, 3), new UUID(-7, 0), new UUID(Long.MAX_VALUE, -1), new UUID(0, 0)},
    };

    static Object randomValue(Random rnd, int c) {
        return POOLS[c][rnd.nextInt(POOLS[c].length)];
    }

    static Object[] randomRow(Random rnd, double nulls) {
        Object[] row = new Object[COLUMNS.size()];
        for (int c = 0; c < row.length; c++) row[c] = rnd.nextDouble() < nulls ? null : randomValue(rnd, c);
        return row;
    }

    static String name(int c) {
        return COLUMNS.get(c).name();
    }

    static Condition randomCondition(Random rnd, int depth) {
        int kind = depth <= 0 ? rnd.nextInt(4) : rnd.nextInt(7);
        int c = rnd.nextInt(COLUMNS.size());
        switch (kind) {
            case 0:
                return Condition.eq(name(c), randomValue(rnd, c));
            case 1: {
                Object[] vs = new Object[1 + rnd.nextInt(3)];
                for (int i = 0; i < vs.length; i++) vs[i] = randomValue(rnd, c);
                return Condition.in(name(c), vs);
            }
            case 2:
                return randomRange(rnd, c);
            case 3:
                return Condition.isNull(name(c));
            case 4:
            case 5: {
                Condition[] parts = new Condition[2 + rnd.nextInt(2)];
                for (int i = 0; i < parts.length; i++) parts[i] = randomCondition(rnd, depth - 1);
                return kind == 4 ? Condition.and(parts) : Condition.or(parts);
            }
            default:
                return Condition.not(randomCondition(rnd, depth - 1));
        }
    }

    /** A random range on column c: each end a random value or unbounded (one in five), inclusive or not. */
    static Condition randomRange(Random rnd, int c) {
        Object a = rnd.nextInt(5) == 0 ? null : randomValue(rnd, c);
        Object b = rnd.nextInt(5) == 0 ? null : randomValue(rnd, c);
        if (a != null && b != null && compare(a, b) > 0) {
            Object t = a;
            a = b;
            b = t;
        }
        return Condition.range(name(c), a, rnd.nextBoolean(), b, rnd.nextBoolean());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object a, Object b) {
        return ((Comparable) a).compareTo(b); // the natural order each codec above follows
    }

    /** The reference semantics: two-valued, null fails every value predicate. */
    static boolean brute(Condition cond, Object[] row) {
        return switch (cond) {
            case Condition.Eq e -> row[col(e.column())] != null && compare(row[col(e.column())], e.value()) == 0;
            case Condition.In in -> {
                Object v = row[col(in.column())];
                if (v == null) yield false;
                for (Object x : in.values()) if (compare(v, x) == 0) yield true;
                yield false;
            }
            case Condition.Between b -> {
                Object v = row[col(b.column())];
                if (v == null) yield false;
                boolean ok = b.from() == null || compare(v, b.from()) > 0 || (b.fromInclusive() && compare(v, b.from()) == 0);
                yield ok && (b.to() == null || compare(v, b.to()) < 0 || (b.toInclusive() && compare(v, b.to()) == 0));
            }
            case Condition.IsNull n -> row[col(n.column())] == null;
            case Condition.And a -> a.conditions().stream().allMatch(x -> brute(x, row));
            case Condition.Or o -> o.conditions().stream().anyMatch(x -> brute(x, row));
            case Condition.Not n -> !brute(n.condition(), row);
        };
    }

    static int col(String name) {
        for (int c = 0; c < COLUMNS.size(); c++) if (name(c).equals(name)) return c;
        throw new AssertionError(name);
    }

    static RoaringBitmap brute(Condition cond, Map<Integer, Object[]> model) {
        RoaringBitmap b = new RoaringBitmap();
        model.forEach((r, row) -> {
            if (brute(cond, row)) b.add(r);
        });
        return b;
    }

    /** {@code n} random rows (nulls with probability {@code nulls}). */
    static List<Object[]> randomRows(Random rnd, int n, double nulls) {
        List<Object[]> rows = new ArrayList<>();
        for (int r = 0; r < n; r++) rows.add(randomRow(rnd, nulls));
        return rows;
    }

    /** The rows as column arrays: {@code [column][row]}. */
    static Object[][] columnsOf(List<Object[]> rows) {
        Object[][] arrays = new Object[COLUMNS.size()][rows.size()];
        for (int r = 0; r < rows.size(); r++) for (int c = 0; c < COLUMNS.size(); c++) arrays[c][r] = rows.get(r)[c];
        return arrays;
    }

    /** The rows by row id (row i has id i), a mutable model. */
    static Map<Integer, Object[]> rowIds(List<Object[]> rows) {
        Map<Integer, Object[]> model = new HashMap<>();
        for (int r = 0; r < rows.size(); r++) model.put(r, rows.get(r));
        return model;
    }

    /**
     * {@code writes} random writes to rows [0, 450), mirrored in the model: an insert of a new random
     * row (nulls with probability {@code nulls}), an update to {@code update} of the old row, or a delete.
     */
    static void randomWrites(Random rnd, TableIndex t, Map<Integer, Object[]> model, int writes, double nulls,
                             java.util.function.UnaryOperator<Object[]> update) {
        for (int w = 0; w < writes; w++) {
            int r = rnd.nextInt(450);
            int op = rnd.nextInt(3);
            if (op == 0 && !model.containsKey(r)) {
                Object[] row = randomRow(rnd, nulls);
                t.insert(r, row);
                model.put(r, row);
            } else if (op == 1 && model.containsKey(r)) {
                Object[] row = update.apply(model.get(r));
                t.update(r, row);
                model.put(r, row);
            } else if (op == 2) {
                assertEquals(model.remove(r) != null, t.delete(r));
            }
        }
    }

    @Test
    void everyQueryTypeMatchesBruteForceUnderInterleavedWrites() {
        long seed = TestSeed.seed("TableIndexTest.bruteForce");
        Random rnd = new Random(seed);
        List<Object[]> initial = randomRows(rnd, 300, 0.15);
        Map<Integer, Object[]> model = rowIds(initial);
        int queries = 0;
        int probed = 0;
        int verified = 0;
        try (TableIndex t = TableIndex.fromRows(COLUMNS, initial)) {
            for (int round = 0; round < 60; round++) {
                randomWrites(rnd, t, model, 40, 0.15, old -> randomRow(rnd, 0.15));
                assertEquals(model.size(), t.size());
                for (int q = 0; q < 1700; q++, queries++) {
                    Condition cond = randomCondition(rnd, 3);
                    RoaringBitmap expected = brute(cond, model);
                    if (q % 10 == 0) {
                        QueryPlan plan = t.explain(cond);
                        assertEquals(expected, plan.rows(), () -> "seed " + seed + ": " + cond + "\n" + plan);
                        for (QueryPlan.Step s : plan.steps()) {
                            if (s.method().equals("bitmap") || s.method().startsWith("candidates, ")) {
                                assertEquals(s.estimated(), s.actual(), () -> "seed " + seed + ": " + plan); // few keys: counted exactly
                            }
                            if (s.method().equals("verified")) {
                                verified++;
                                assertTrue(s.estimated() >= s.actual(), () -> "seed " + seed + ": " + plan);
                            }
                            if (s.method().startsWith("probe")) probed++;
                        }
                    } else if (q % 10 == 1) {
                        assertEquals(expected.getLongCardinality(), t.count(cond), () -> "seed " + seed + ": count " + cond);
                    } else {
                        assertEquals(expected, t.query(cond), () -> "seed " + seed + ": " + cond);
                    }
                }
            }
        }
        System.out.println("TableIndexTest: " + queries + " queries checked; " + verified + " verified and " + probed + " probed steps");
        assertTrue(queries >= 100_000);
        assertTrue(probed > 0, "row probing never exercised");
        assertTrue(verified > 0, "verification never exercised");
    }

    @Test
    void fromColumnsEqualsFromRows() {
        Random rnd = TestSeed.random("TableIndexTest.fromColumns");
        int n = 500;
        List<Object[]> rows = randomRows(rnd, n, 0.1);
        Object[][] arrays = columnsOf(rows);
        int[] qty = new int[n]; // a primitive array for column 0: no nulls
        for (int r = 0; r < n; r++) {
            qty[r] = rnd.nextInt(10);
            rows.get(r)[0] = qty[r];
        }
        Object[] columnArrays = new Object[COLUMNS.size()];
        columnArrays[0] = qty;
        for (int c = 1; c < COLUMNS.size(); c++) columnArrays[c] = arrays[c];
        try (TableIndex a = TableIndex.fromRows(COLUMNS, rows); TableIndex b = TableIndex.fromColumns(COLUMNS, columnArrays)) {
            for (int q = 0; q < 2000; q++) {
                Condition cond = randomCondition(rnd, 2);
                assertEquals(a.query(cond), b.query(cond), cond::toString);
            }
        }
    }

    @Test
    void badInputIsRefusedNamingItAndChangesNothing() {
        Object[] row = {1, 2L, 1.5, "x", Status.NEW, LocalDate.of(2024, 1, 1), new UUID(1, 1)};
        try (TableIndex t = new TableIndex(COLUMNS)) {
            t.insert(0, row);
            Object[] wrong = row.clone();
            wrong[2] = 1.5f;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.insert(1, wrong));
            assertTrue(e.getMessage().contains("1.5") && e.getMessage().contains("price"), e.getMessage());
            assertNull(t.row(1));
            assertEquals(RoaringBitmap.bitmapOf(0), t.query(Condition.eq("qty", 1)));
            e = assertThrows(IllegalArgumentException.class, () -> t.update(0, wrong));
            assertTrue(e.getMessage().contains("price"), e.getMessage());
            assertEquals(1.5, t.row(0)[2]);
            assertEquals(RoaringBitmap.bitmapOf(0), t.query(Condition.eq("price", 1.5)));
            e = assertThrows(IllegalArgumentException.class, () -> t.query(Condition.eq("nope", 1)));
            assertTrue(e.getMessage().contains("nope"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.query(Condition.between("qty", 5, 3)));
            assertTrue(e.getMessage().contains("5") && e.getMessage().contains("3"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.query(Condition.eq("qty", "1")));
            assertTrue(e.getMessage().contains("qty") && e.getMessage().contains("String"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> t.insert(0, row));
            assertTrue(e.getMessage().contains("row 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> t.insert(2, 1, 2L));
            assertThrows(IllegalArgumentException.class, () -> t.update(9, row));
            assertThrows(IllegalArgumentException.class,
                    () -> new TableIndex(List.of(COLUMNS.get(0), Column.of("qty", Long.class, KeyCodecs.longs()))));
            assertEquals(1, t.size());
        }
    }

    @Test
    void planOrdersAndedPredicatesByEstimateAndProbesSmallSides() {
        int n = 20_000;
        int[] hour = new int[n];
        double[] price = new double[n];
        String[] city = new String[n];
        Random rnd = new Random(7);
        for (int r = 0; r < n; r++) {
            hour[r] = r % 24;
            price[r] = rnd.nextInt(10_000) / 100.0;
            city[r] = rnd.nextInt(100) == 0 ? "Oslo" : "Paris";
        }
        List<Column<?>> cols = List.of(Column.of("hour", Integer.class, KeyCodecs.ints()),
                Column.of("price", Double.class, KeyCodecs.doubles()), Column.of("city", String.class, KeyCodecs.stringPrefix()));
        try (TableIndex t = TableIndex.fromColumns(cols, hour, price, city)) {
            Condition cond = Condition.and(Condition.atLeast("price", 1.0), Condition.eq("hour", 3), Condition.eq("city", "Oslo"));
            QueryPlan plan = t.explain(cond);
            System.out.println(plan);
            List<QueryPlan.Step> s = plan.steps();
            assertEquals("AND", s.get(0).node());
            assertEquals("city = Oslo", s.get(1).node());     // the smallest estimate first
            assertEquals("intersected", s.get(2).method(), plan::toString);   // ~190 rows looked up in hour 3's bitmap
            assertTrue(s.get(3).method().startsWith("probe"), plan::toString); // ~13 rows vs ~19,800: probed
            RoaringBitmap expected = new RoaringBitmap();
            for (int r = 0; r < n; r++) if (price[r] >= 1.0 && hour[r] == 3 && city[r].equals("Oslo")) expected.add(r);
            assertEquals(expected, plan.rows());
        }
    }

    /** Long, double and Instant keys are all 64 bits of the codec: no verification, neighbours apart. */
    @Test
    void sixtyFourBitColumnsAreExactWithoutVerification() {
        List<Column<?>> cols = List.of(Column.of("amount", Long.class, KeyCodecs.longs()),
                Column.of("price", Double.class, KeyCodecs.doubles()),
                Column.of("at", java.time.Instant.class, KeyCodecs.instantNanos()));
        for (Column<?> c : cols) assertTrue(c.isExact(), c.toString());
        java.time.Instant t0 = java.time.Instant.parse("2025-06-01T12:00:00Z");
        List<Object[]> rows = List.of(
                new Object[] {1L << 40, 1.5, t0},
                new Object[] {(1L << 40) + 1, Math.nextUp(1.5), t0.plusNanos(1)},
                new Object[] {Long.MAX_VALUE, Double.MAX_VALUE, t0.plusNanos(2)},
                new Object[] {Long.MIN_VALUE, -Double.MAX_VALUE, t0.minusNanos(1)});
        try (TableIndex t = TableIndex.fromRows(cols, rows)) {
            for (Condition c : List.of(Condition.eq("amount", 1L << 40), Condition.eq("price", 1.5), Condition.eq("at", t0),
                    Condition.range("amount", Long.MIN_VALUE + 1, true, (1L << 40) + 1, false),
                    Condition.range("price", -1.0, true, Math.nextUp(1.5), false),
                    Condition.range("at", t0.minusNanos(1), false, t0.plusNanos(1), false))) {
                QueryPlan plan = t.explain(c);
                assertEquals(RoaringBitmap.bitmapOf(0), plan.rows(), () -> c + "\n" + plan);
                for (QueryPlan.Step s : plan.steps()) assertEquals("bitmap", s.method(), plan::toString);
            }
            assertEquals(RoaringBitmap.bitmapOf(2), t.query(Condition.atLeast("amount", Long.MAX_VALUE)));
            assertEquals(RoaringBitmap.bitmapOf(3), t.query(Condition.atMost("price", -Double.MAX_VALUE)));
            assertEquals(Long.MAX_VALUE, t.row(2)[0]);
            assertEquals(t0.plusNanos(1), t.row(1)[2]);
        }
    }

    /**
     * A larger table (30,000 rows, values with 1 to ~300 rows each: first slots, lists, bitmaps,
     * and ranges over more than 64 multi-row keys, where estimates are extrapolated) against the
     * brute force, with writes interleaved.
     */
    @Test
    void largerTableWithEveryKeyFormMatchesBruteForce() {
        long seed = TestSeed.seed("TableIndexTest.larger");
        Random rnd = new Random(seed);
        List<Column<?>> cols = List.of(Column.of("id", Long.class, KeyCodecs.longs()),
                Column.of("price", Double.class, KeyCodecs.doubles()),
                Column.of("group", Integer.class, KeyCodecs.ints()),
                Column.of("name", String.class, KeyCodecs.stringPrefix()));
        int n = 30_000;
        Object[][] model = new Object[n + 2_000][]; // null: no such row
        List<Object[]> initial = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            model[r] = largerRow(rnd);
            initial.add(model[r]);
        }
        int queries = 0;
        try (TableIndex t = TableIndex.fromRows(cols, initial)) {
            for (int round = 0; round < 12; round++) {
                for (int w = 0; w < 500; w++) {
                    int r = rnd.nextInt(model.length);
                    if (model[r] != null && rnd.nextBoolean()) {
                        model[r] = largerRow(rnd);
                        t.update(r, model[r]);
                    } else if (model[r] != null) {
                        assertTrue(t.delete(r));
                        model[r] = null;
                    } else {
                        model[r] = largerRow(rnd);
                        t.insert(r, model[r]);
                    }
                }
                for (int q = 0; q < 50; q++, queries++) {
                    Condition cond = largerCondition(rnd, 2);
                    RoaringBitmap expected = new RoaringBitmap();
                    for (int r = 0; r < model.length; r++) if (model[r] != null && largerBrute(cond, model[r])) expected.add(r);
                    assertEquals(expected, t.query(cond), () -> "seed " + seed + ": " + cond);
                }
            }
        }
        System.out.println("TableIndexTest.larger: " + queries + " queries on ~" + n + " rows checked");
    }

    private static Object[] largerRow(Random rnd) {
        return new Object[] {
                rnd.nextInt(10) == 0 ? null : rnd.nextLong() >> rnd.nextInt(40),       // mostly distinct
                rnd.nextInt(10) == 0 ? null : rnd.nextInt(3_000) / 4.0,                // ~10 rows each
                rnd.nextInt(10) == 0 ? null : rnd.nextInt(100),                        // ~300 rows each
                rnd.nextInt(10) == 0 ? null : "name-" + rnd.nextInt(400)};             // prefixes shared
    }

    private static final String[] LARGER = {"id", "price", "group", "name"};

    private static Object largerValue(Random rnd, int c) {
        Object v = largerRow(rnd)[c];
        return v != null ? v : switch (c) {
            case 0 -> 0L;
            case 1 -> 1.0;
            case 2 -> 5;
            default -> "name-7";
        };
    }

    private static Condition largerCondition(Random rnd, int depth) {
        int c = rnd.nextInt(4);
        switch (depth <= 0 ? rnd.nextInt(3) : rnd.nextInt(6)) {
            case 0:
                return Condition.in(LARGER[c], largerValue(rnd, c), largerValue(rnd, c));
            case 1: {
                Object a = largerValue(rnd, c);
                Object b = largerValue(rnd, c);
                if (compare(a, b) > 0) {
                    Object x = a;
                    a = b;
                    b = x;
                }
                return Condition.range(LARGER[c], rnd.nextInt(6) == 0 ? null : a, rnd.nextBoolean(), b, rnd.nextBoolean());
            }
            case 2:
                return rnd.nextInt(4) == 0 ? Condition.isNull(LARGER[c]) : Condition.eq(LARGER[c], largerValue(rnd, c));
            case 3:
                return Condition.or(largerCondition(rnd, depth - 1), largerCondition(rnd, depth - 1));
            case 4:
                return Condition.not(largerCondition(rnd, depth - 1));
            default:
                return Condition.and(largerCondition(rnd, depth - 1), largerCondition(rnd, depth - 1), largerCondition(rnd, depth - 1));
        }
    }

    private static boolean largerBrute(Condition cond, Object[] row) {
        return switch (cond) {
            case Condition.Eq e -> row[larger(e.column())] != null && compare(row[larger(e.column())], e.value()) == 0;
            case Condition.In in -> {
                Object v = row[larger(in.column())];
                if (v == null) yield false;
                for (Object x : in.values()) if (compare(v, x) == 0) yield true;
                yield false;
            }
            case Condition.Between b -> {
                Object v = row[larger(b.column())];
                if (v == null) yield false;
                boolean ok = b.from() == null || compare(v, b.from()) > 0 || (b.fromInclusive() && compare(v, b.from()) == 0);
                yield ok && (b.to() == null || compare(v, b.to()) < 0 || (b.toInclusive() && compare(v, b.to()) == 0));
            }
            case Condition.IsNull x -> row[larger(x.column())] == null;
            case Condition.And a -> {
                for (Condition x : a.conditions()) if (!largerBrute(x, row)) yield false;
                yield true;
            }
            case Condition.Or o -> {
                for (Condition x : o.conditions()) if (largerBrute(x, row)) yield true;
                yield false;
            }
            case Condition.Not x -> !largerBrute(x.condition(), row);
        };
    }

    private static int larger(String name) {
        for (int c = 0; c < LARGER.length; c++) if (LARGER[c].equals(name)) return c;
        throw new AssertionError(name);
    }
}
