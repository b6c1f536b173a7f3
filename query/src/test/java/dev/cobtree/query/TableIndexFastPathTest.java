package dev.cobtree.query;

import dev.cobtree.query.codec.KeyCodecs;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planner's fast paths against a brute-force filter, on a table large enough to take them:
 * an AND driven by its smallest leaf (its rows gathered into an array and probed, including a
 * verified driver and an {@code isNull} driver), range leaves whose count stops at the cap set by
 * a point sibling or, in an AND of ranges only, by the narrowest range (counted in rounds),
 * intersection through a row bitset, and the null-free probe that skips null
 * bits (columns start without nulls; updates then write some). Queries take their range ends
 * from values present in the table, with random inclusive/exclusive ends, and run between
 * rounds of updates, deletes and inserts (new row ids beyond the initial pages). Each fast path
 * is asserted to have been taken (from the plans of {@code explain}).
 */
class TableIndexFastPathTest {

    enum Status { NEW, PAID, SHIPPED, RETURNED }

    static final List<Column<?>> COLUMNS = List.of(
            Column.of("a", Integer.class, KeyCodecs.ints()),           // 40 values: ~1,000 rows a key (bitmaps)
            Column.of("b", Integer.class, KeyCodecs.ints()),           // 4,000 values: ~10 rows a key (lists)
            Column.of("c", Long.class, KeyCodecs.longs()),             // mostly distinct (first slots)
            Column.of("d", Double.class, KeyCodecs.doubles()),         // 2,000 values with -0.0, 0.0, NaN, infinities
            Column.of("s", String.class, KeyCodecs.stringPrefix()),    // inexact: long strings share a prefix key
            Column.of("e", Status.class, KeyCodecs.enumByOrdinal(Status.class)));

    static final int N = 40_000;
    /** A third short (~13 rows each), two thirds sharing one prefix key (~27,000 rows under one verified key). */
    static final String[] STRINGS = new String[3_000];

    static {
        for (int i = 0; i < STRINGS.length; i++) STRINGS[i] = i % 3 == 0 ? "p" + i : "prefix_shared_" + (char) ('a' + i % 20) + i;
    }

    static Object value(Random rnd, int c) {
        return switch (c) {
            case 0 -> rnd.nextInt(40);
            case 1 -> rnd.nextInt(4_000);
            case 2 -> (long) rnd.nextInt(400_000) - 200_000L;
            case 3 -> switch (rnd.nextInt(50)) {
                case 0 -> -0.0;
                case 1 -> 0.0;
                case 2 -> Double.NaN;
                case 3 -> Double.POSITIVE_INFINITY;
                case 4 -> Double.NEGATIVE_INFINITY;
                default -> rnd.nextInt(2_000) / 4.0 - 100;
            };
            case 4 -> STRINGS[rnd.nextInt(STRINGS.length)];
            default -> Status.values()[rnd.nextInt(4)];
        };
    }

    static Object[] row(Random rnd, double nulls) {
        Object[] r = new Object[COLUMNS.size()];
        for (int c = 0; c < r.length; c++) r[c] = rnd.nextDouble() < nulls ? null : value(rnd, c);
        return r;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static int compare(Object x, Object y) {
        return ((Comparable) x).compareTo(y);
    }

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
        for (int c = 0; c < COLUMNS.size(); c++) if (COLUMNS.get(c).name().equals(name)) return c;
        throw new AssertionError(name);
    }

    /** A value of column c present in the table (a random row's, or a fresh one if that is null). */
    static Object present(Random rnd, int c, List<Object[]> live) {
        Object v = live.get(rnd.nextInt(live.size()))[c];
        return v != null ? v : value(rnd, c);
    }

    /** A range on column c between two present values (ordered), each end inclusive or not, sometimes open. */
    static Condition range(Random rnd, int c, List<Object[]> live) {
        Object x = present(rnd, c, live);
        Object y = rnd.nextInt(4) == 0 ? x : present(rnd, c, live); // sometimes a one-value range
        if (compare(x, y) > 0) {
            Object t = x;
            x = y;
            y = t;
        }
        if (rnd.nextInt(8) == 0) x = null;
        else if (rnd.nextInt(8) == 0) y = null;
        return Condition.range(COLUMNS.get(c).name(), x, rnd.nextBoolean(), y, rnd.nextBoolean());
    }

    static Condition point(Random rnd, int c, List<Object[]> live) {
        String name = COLUMNS.get(c).name();
        return switch (rnd.nextInt(5)) {
            case 0 -> Condition.in(name, present(rnd, c, live), present(rnd, c, live));
            case 1 -> Condition.isNull(name);
            default -> Condition.eq(name, present(rnd, c, live));
        };
    }

    /** Conditions shaped for the fast paths: a narrow point leaf beside wide ranges, heavy keys beside list ranges, ... */
    static Condition condition(Random rnd, List<Object[]> live) {
        int shape = rnd.nextInt(9);
        if (shape == 8) { // ranges only, one narrow: counted in rounds, the wide one up to twice the narrow one's count
            long x = (Long) present(rnd, 2, live);
            return Condition.and(Condition.range("c", x, rnd.nextBoolean(), x + rnd.nextInt(3_000), rnd.nextBoolean()),
                    range(rnd, rnd.nextBoolean() ? 1 : 3, live));
        }
        return switch (shape) {
            case 0 -> Condition.and(point(rnd, rnd.nextInt(2) == 0 ? 0 : 1, live), range(rnd, 2, live));           // drive, capped range
            case 1 -> Condition.and(point(rnd, 1, live), range(rnd, 3, live), Condition.not(point(rnd, 5, live))); // drive, NOT probed
            case 2 -> Condition.and(Condition.eq("e", present(rnd, 5, live)), range(rnd, 1, live));               // bitmap, then list range intersected
            case 3 -> Condition.and(point(rnd, 4, live), point(rnd, 0, live));                                    // verified driver
            case 4 -> Condition.and(range(rnd, 4, live), point(rnd, 1, live), range(rnd, 2, live));               // verified range probed
            case 5 -> Condition.and(point(rnd, rnd.nextInt(6), live), range(rnd, rnd.nextInt(6), live),
                    Condition.or(point(rnd, 5, live), range(rnd, 3, live)));                                       // OR probed
            case 6 -> Condition.and(Condition.isNull(COLUMNS.get(rnd.nextInt(6)).name()), range(rnd, rnd.nextInt(6), live));
            default -> Condition.and(range(rnd, rnd.nextInt(6), live), range(rnd, rnd.nextInt(6), live), point(rnd, rnd.nextInt(6), live));
        };
    }

    @Test
    void fastPathsMatchBruteForceUnderInterleavedWrites() {
        long seed = TestSeed.seed("TableIndexFastPathTest");
        Random rnd = new Random(seed);
        List<Object[]> initial = new ArrayList<>(N);
        Map<Integer, Object[]> model = new HashMap<>();
        for (int r = 0; r < N; r++) {
            Object[] v = row(rnd, 0); // no nulls at first: the null-free probe
            initial.add(v);
            model.put(r, v);
        }
        Map<String, Integer> paths = new HashMap<>();
        int queries = 0;
        try (TableIndex t = TableIndex.fromRows(COLUMNS, initial)) {
            for (int round = 0; round < 8; round++) {
                if (round > 0) {
                    double nulls = round < 2 ? 0 : 0.05;
                    for (int w = 0; w < 600; w++) {
                        int r = rnd.nextInt(N + 6_000); // beyond N: new pages
                        Object[] v = row(rnd, nulls);
                        if (model.containsKey(r)) {
                            if (rnd.nextInt(4) == 0) {
                                assertTrue(t.delete(r));
                                model.remove(r);
                            } else {
                                t.update(r, v);
                                model.put(r, v);
                            }
                        } else {
                            t.insert(r, v);
                            model.put(r, v);
                        }
                    }
                }
                List<Object[]> live = new ArrayList<>(model.values());
                for (int q = 0; q < 250; q++, queries++) {
                    Condition cond = condition(rnd, live);
                    RoaringBitmap expected = new RoaringBitmap();
                    model.forEach((r, v) -> {
                        if (brute(cond, v)) expected.add(r);
                    });
                    String where = "seed " + seed + ", round " + round + ": " + cond;
                    if (q % 3 == 0) {
                        QueryPlan plan = t.explain(cond);
                        assertEquals(expected, plan.rows(), () -> where + "\n" + plan);
                        for (QueryPlan.Step s : plan.steps()) {
                            if (s.method().startsWith("drive")) paths.merge("drive", 1, Integer::sum);
                            if (s.method().startsWith("candidates collected")) paths.merge("verified driver", 1, Integer::sum);
                            if (s.method().contains("lower bound")) paths.merge("capped", 1, Integer::sum);
                            if (s.method().contains("lower bound") && cond instanceof Condition.And a
                                    && a.conditions().stream().allMatch(x -> x instanceof Condition.Between)) {
                                paths.merge("raced ranges", 1, Integer::sum);
                            }
                            if (s.method().startsWith("intersected through a row bitset")) paths.merge("bitset", 1, Integer::sum);
                            if (s.method().startsWith("rows collected") && s.node().endsWith("is null")) paths.merge("null driver", 1, Integer::sum);
                            if (s.method().startsWith("rows collected") || s.method().startsWith("candidates collected")) {
                                assertTrue(s.actual() >= 0, () -> where + "\n" + plan);
                            }
                        }
                    } else if (q % 3 == 1) {
                        assertEquals(expected.getLongCardinality(), t.count(cond), () -> where);
                    } else {
                        assertEquals(expected, t.query(cond), () -> where);
                    }
                }
            }
        }
        System.out.println("TableIndexFastPathTest: " + queries + " queries checked; plan steps seen: " + paths);
        for (String p : List.of("drive", "verified driver", "capped", "raced ranges", "bitset", "null driver")) {
            assertTrue(paths.getOrDefault(p, 0) > 0, () -> "fast path '" + p + "' never taken (seed " + seed + "): " + paths);
        }
    }
}
