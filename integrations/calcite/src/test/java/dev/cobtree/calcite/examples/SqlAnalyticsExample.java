package dev.cobtree.calcite.examples;

import dev.cobtree.calcite.CobtreeSql;
import dev.cobtree.query.TableIndex;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dashboard queries in plain SQL over a cobtree table index, through Calcite's JDBC driver:
 * 10,000,000 events by default ({@code java ... SqlAnalyticsExample [events]}, or
 * {@code -Dcobtree.example.events=N}), six indexed columns, counts and aggregates over time and
 * value ranges, each with its {@code EXPLAIN PLAN} (what went to the index) and answer. Each
 * answer is checked against a loop over the generated arrays; a mismatch exits with status 1.
 */
public final class SqlAnalyticsExample {

    /** One dashboard query and its expected answer, from the raw arrays. */
    record Query(String title, String sql, String expected) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : Integer.getInteger("cobtree.example.events", 10_000_000);
        List<String> mismatches = run(n, true);
        if (!mismatches.isEmpty()) {
            System.err.println("MISMATCH: " + mismatches);
            System.exit(1);
        }
    }

    /** Runs the example; returns the titles of the queries whose answer differed from the arrays'. */
    public static List<String> run(int n, boolean print) throws SQLException {
        long t0 = System.nanoTime();
        Events e = new Events(n);
        TableIndex events = e.tableIndex();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        if (print) System.out.printf("%,d events generated and indexed (6 columns) in %,d ms%n%n", n, loadMs);
        long hour = 3_600_000_000L;
        long h0 = Events.START_MICROS + 100 * hour; // an hour on day 5
        long d0 = Events.START_MICROS + 7 * 24 * hour; // day 8
        String hourFrom = "TIMESTAMP '2026-01-05 04:00:00'";
        String hourTo = "TIMESTAMP '2026-01-05 05:00:00'";
        String dayFrom = "TIMESTAMP '2026-01-08 00:00:00'";
        String dayTo = "TIMESTAMP '2026-01-09 00:00:00'";
        int u = 4242 % Math.max(1, n / 10);
        List<Query> queries = List.of(
                new Query("events in one hour", "SELECT COUNT(*) FROM events WHERE ts >= " + hourFrom + " AND ts < " + hourTo,
                        Long.toString(count(e, i -> e.tsMicros[i] >= h0 && e.tsMicros[i] < h0 + hour))),
                new Query("purchases and revenue in one hour",
                        "SELECT COUNT(*), SUM(amount) FROM events WHERE ts >= " + hourFrom + " AND ts < " + hourTo + " AND kind = 'PURCHASE'",
                        count(e, i -> e.tsMicros[i] >= h0 && e.tsMicros[i] < h0 + hour && e.kind[i] == Events.Kind.PURCHASE) + ", "
                                + cents(sum(e, i -> e.tsMicros[i] >= h0 && e.tsMicros[i] < h0 + hour && e.kind[i] == Events.Kind.PURCHASE))),
                new Query("events by kind on one day",
                        "SELECT kind, COUNT(*) FROM events WHERE ts >= " + dayFrom + " AND ts < " + dayTo + " GROUP BY kind ORDER BY kind",
                        byKind(e, d0, d0 + 24 * hour)),
                new Query("big purchases (amount >= 990) from the Nordics",
                        "SELECT COUNT(*) FROM events WHERE amount >= 990 AND kind = 'PURCHASE' AND country IN ('NO', 'SE')",
                        Long.toString(count(e, i -> e.amount[i] >= 990 && e.kind[i] == Events.Kind.PURCHASE
                                && (e.country[i].equals("NO") || e.country[i].equals("SE"))))),
                new Query("one user's events", "SELECT COUNT(*), MIN(ts) IS NOT NULL FROM events WHERE user_id = " + u,
                        count(e, i -> e.userId[i] == u) + ", " + (count(e, i -> e.userId[i] == u) > 0)),
                new Query("users 1000-1099: events", "SELECT COUNT(*) FROM events WHERE user_id BETWEEN 1000 AND 1099",
                        Long.toString(count(e, i -> e.userId[i] >= 1000 && e.userId[i] <= 1099))));
        List<String> mismatches = new ArrayList<>();
        try (Connection c = CobtreeSql.connect(Map.of("events", events)); Statement s = c.createStatement()) {
            for (Query q : queries) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + q.sql())) {
                    while (rs.next()) plan.append(rs.getString(1));
                }
                long q0 = System.nanoTime();
                String answer = answer(s, q.sql());
                long us = (System.nanoTime() - q0) / 1000;
                boolean ok = answer.equals(q.expected());
                if (!ok) mismatches.add(q.title() + ": " + answer + " != " + q.expected());
                if (print) {
                    System.out.printf("-- %s%n%s%n%s-> %s   (%,d us, first run incl. planning; %s)%n%n", q.title(), q.sql(), plan,
                            answer, us, ok ? "matches a loop over the arrays" : "MISMATCH, expected " + q.expected());
                }
            }
        }
        events.close();
        return mismatches;
    }

    private static String answer(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData m = rs.getMetaData();
            while (rs.next()) {
                List<String> cells = new ArrayList<>();
                for (int k = 1; k <= m.getColumnCount(); k++) {
                    Object v = rs.getObject(k);
                    cells.add(v instanceof Double d ? cents(d) : String.valueOf(v));
                }
                rows.add(String.join(", ", cells));
            }
        }
        return String.join("; ", rows);
    }

    private static String cents(double d) {
        return String.format(java.util.Locale.ROOT, "%.2f", d);
    }

    private static long count(Events e, java.util.function.IntPredicate p) {
        long c = 0;
        for (int i = 0; i < e.n; i++) if (p.test(i)) c++;
        return c;
    }

    private static double sum(Events e, java.util.function.IntPredicate p) {
        double s = 0;
        for (int i = 0; i < e.n; i++) if (p.test(i)) s += e.amount[i];
        return s;
    }

    private static String byKind(Events e, long from, long to) {
        long[] c = new long[Events.Kind.values().length];
        for (int i = 0; i < e.n; i++) if (e.tsMicros[i] >= from && e.tsMicros[i] < to) c[e.kind[i].ordinal()]++;
        List<String> rows = new ArrayList<>();
        List<Events.Kind> byName = new ArrayList<>(List.of(Events.Kind.values()));
        byName.sort(java.util.Comparator.comparing(Enum::name));
        for (Events.Kind k : byName) if (c[k.ordinal()] > 0) rows.add(k.name() + ", " + c[k.ordinal()]);
        return String.join("; ", rows);
    }

    private SqlAnalyticsExample() {
    }
}
