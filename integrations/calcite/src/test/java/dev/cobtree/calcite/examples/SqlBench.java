package dev.cobtree.calcite.examples;

import dev.cobtree.calcite.CobtreeSql;
import dev.cobtree.query.TableIndex;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * The benchmark harness of docs/SQL.md: the same dashboard queries, prepared once, on cobtree via
 * Calcite, H2 in-memory with a B-tree index on every column, and DuckDB in-process, over the
 * same {@link Events}, in one JVM, one engine after the other (each released before the next).
 * Per engine: load time (from the generated arrays to a queryable table, indexes included), heap
 * used after GC and process RSS growth, and per query the median and the quartiles of
 * {@code reps} timed executions after {@code warmup} untimed ones. Answers are compared across
 * engines (doubles at cents); a difference exits with status 1.
 *
 * <p>Run: {@code bin/sql-bench [events] [warmup] [reps]} (defaults 1,000,000, 20, 50). Needs
 * {@code --enable-native-access=ALL-UNNAMED}: DuckDB's JDBC driver loads its native library.
 */
public final class SqlBench {

    /**
     * A query: a template with {@code ?} marks and two sets of values, run alternately so that no
     * engine can answer from the previous execution's result (H2 reuses the last result of a
     * prepared statement whose parameters and tables did not change: {@code Query.lastResult}).
     * H2 gets the values as parameters; Calcite and DuckDB get them as literals in two prepared
     * statements (the adapter pushes literals, not dynamic parameters).
     */
    record Q(String name, String template, Object[] a, Object[] b) {
        String sql(Object[] values) {
            StringBuilder out = new StringBuilder();
            int k = 0;
            for (char ch : template.toCharArray()) {
                if (ch != '?') {
                    out.append(ch);
                    continue;
                }
                Object v = values[k++];
                out.append(switch (v) {
                    case LocalDateTime t -> "TIMESTAMP '" + t.toString().replace('T', ' ') + (t.getSecond() == 0 && t.toString().length() == 16 ? ":00" : "") + "'";
                    case String x -> "'" + x + "'";
                    default -> v.toString();
                });
            }
            return out.toString();
        }
    }

    static LocalDateTime at(String iso) {
        return LocalDateTime.parse(iso);
    }

    static final List<Q> QUERIES = List.of(
            new Q("count, 1 hour of ts", "SELECT COUNT(*) FROM events WHERE ts >= ? AND ts < ?",
                    new Object[]{at("2026-01-05T04:00:00"), at("2026-01-05T05:00:00")}, new Object[]{at("2026-01-12T17:00:00"), at("2026-01-12T18:00:00")}),
            new Q("count+sum, 1 hour and kind", "SELECT COUNT(*), SUM(amount) FROM events WHERE ts >= ? AND ts < ? AND kind = ?",
                    new Object[]{at("2026-01-05T04:00:00"), at("2026-01-05T05:00:00"), "PURCHASE"}, new Object[]{at("2026-01-12T17:00:00"), at("2026-01-12T18:00:00"), "CART"}),
            new Q("group by kind, 1 day of ts", "SELECT kind, COUNT(*) FROM events WHERE ts >= ? AND ts < ? GROUP BY kind ORDER BY kind",
                    new Object[]{at("2026-01-08T00:00:00"), at("2026-01-09T00:00:00")}, new Object[]{at("2026-01-21T00:00:00"), at("2026-01-22T00:00:00")}),
            new Q("rows of one user", "SELECT id, amount FROM events WHERE user_id = ? ORDER BY id", new Object[]{4242}, new Object[]{777}),
            new Q("count, user_id range (0.1%)", "SELECT COUNT(*) FROM events WHERE user_id BETWEEN ? AND ?", new Object[]{1000, 1099}, new Object[]{5000, 5099}),
            new Q("count, amount range (0.1%)", "SELECT COUNT(*) FROM events WHERE amount >= ? AND amount < ?", new Object[]{999.0, 1000.0}, new Object[]{500.0, 501.0}),
            new Q("count, 3 columns", "SELECT COUNT(*) FROM events WHERE amount >= ? AND kind = ? AND country IN (?, ?)",
                    new Object[]{990.0, "PURCHASE", "NO", "SE"}, new Object[]{980.0, "CART", "DE", "FR"}),
            new Q("group by kind, all rows", "SELECT kind, COUNT(*), SUM(amount) FROM events WHERE amount >= ? GROUP BY kind ORDER BY kind",
                    new Object[]{0.0}, new Object[]{-1.0}));

    record Result(String engine, long loadMs, long heapMb, long rssMb, String ownMemory, Map<String, long[]> latencyNanos, Map<String, String> answers) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        Events e = new Events(n);
        System.out.printf("SqlBench: %,d events, %d warm-up + %d timed executions per query, JDK %s, %d CPUs%n", n, warmup, reps,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        results.add(cobtree(e, warmup, reps));
        results.add(h2(e, warmup, reps));
        results.add(duckdb(e, warmup, reps));
        boolean same = true;
        for (Q q : QUERIES) {
            String a = results.get(0).answers().get(q.name());
            for (Result r : results) {
                if (!r.answers().get(q.name()).equals(a)) {
                    System.out.println("ANSWERS DIFFER on " + q.name() + ": " + results.get(0).engine() + " " + a + " vs " + r.engine() + " " + r.answers().get(q.name()));
                    same = false;
                }
            }
        }
        System.out.printf("%n| engine | load (s) | Java heap growth after GC (MB) | process RSS growth (MB) | engine's own figure |%n|---|---|---|---|---|%n");
        for (Result r : results) System.out.printf("| %s | %.1f | %,d | %,d | %s |%n", r.engine(), r.loadMs() / 1000.0, r.heapMb(), r.rssMb(), r.ownMemory());
        System.out.printf("%n| query | rows | cobtree via Calcite | H2 | DuckDB | H2 / cobtree | DuckDB / cobtree |%n|---|---|---|---|---|---|---|%n");
        for (Q q : QUERIES) {
            long[] c = results.get(0).latencyNanos().get(q.name());
            long[] h = results.get(1).latencyNanos().get(q.name());
            long[] d = results.get(2).latencyNanos().get(q.name());
            String ans = results.get(0).answers().get(q.name()).split(" \\| ")[0];
            System.out.printf("| %s | %s | %s | %s | %s | %.2f | %.2f |%n", q.name(), ans.length() > 30 ? ans.split(";").length + " rows" : ans,
                    fmt(c), fmt(h), fmt(d), (double) h[1] / c[1], (double) d[1] / c[1]);
        }
        System.out.println("\nlatency: median [first quartile, third quartile] of the timed executions (8 for a query slower than 200 ms);"
                + " ratio: the peer's median over cobtree's, > 1: cobtree faster");
        if (!same) System.exit(1);
    }

    static String fmt(long[] q) {
        return String.format(Locale.ROOT, "%s [%s, %s]", us(q[1]), us(q[0]), us(q[2]));
    }

    static String us(long nanos) {
        return nanos >= 10_000_000 ? String.format(Locale.ROOT, "%,d ms", nanos / 1_000_000) : String.format(Locale.ROOT, "%,d µs", nanos / 1000);
    }

    static Result cobtree(Events e, int warmup, int reps) throws SQLException {
        long[] m0 = memory();
        long t0 = System.nanoTime();
        TableIndex index = e.tableIndex();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;
        long[] m1 = memory();
        try (Connection c = CobtreeSql.connect(Map.of("events", index))) {
            return run("cobtree via Calcite", c, loadMs, m0, m1, warmup, reps);
        } finally {
            index.close();
        }
    }

    static Result h2(Events e, int warmup, int reps) throws SQLException {
        long[] m0 = memory();
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=0")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE events (id INTEGER, ts TIMESTAMP(6), user_id INTEGER, kind VARCHAR(10), amount DOUBLE PRECISION, country VARCHAR(2))");
            }
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < e.n; i++) {
                    p.setInt(1, e.id[i]);
                    p.setObject(2, java.time.LocalDateTime.ofInstant(Events.instant(e.tsMicros[i]), java.time.ZoneOffset.UTC));
                    p.setInt(3, e.userId[i]);
                    p.setString(4, e.kind[i].name());
                    p.setDouble(5, e.amount[i]);
                    p.setString(6, e.country[i]);
                    p.addBatch();
                    if (i % 10_000 == 9_999) p.executeBatch();
                }
                p.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                for (String col : List.of("id", "ts", "user_id", "kind", "amount", "country")) s.execute("CREATE INDEX events_" + col + " ON events(" + col + ")");
                s.execute("ANALYZE");
            }
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            long[] m1 = memory();
            return run("H2 (B-tree indexes)", c, loadMs, m0, m1, warmup, reps);
        }
    }

    static Result duckdb(Events e, int warmup, int reps) throws SQLException {
        long[] m0 = memory();
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE events (id INTEGER, ts TIMESTAMP, user_id INTEGER, kind VARCHAR, amount DOUBLE, country VARCHAR)");
            }
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "events")) {
                for (int i = 0; i < e.n; i++) {
                    a.beginRow();
                    a.append(e.id[i]);
                    a.appendEpochMicros(e.tsMicros[i]);
                    a.append(e.userId[i]);
                    a.append(e.kind[i].name());
                    a.append(e.amount[i]);
                    a.append(e.country[i]);
                    a.endRow();
                }
            }
            long loadMs = (System.nanoTime() - t0) / 1_000_000;
            long[] m1 = memory();
            String own;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT memory_usage FROM pragma_database_size()")) {
                own = rs.next() ? rs.getString(1) : "?";
            } catch (SQLException ex) {
                own = "n/a (" + ex.getMessage() + ")";
            }
            Result r = run("DuckDB", c, loadMs, m0, m1, warmup, reps);
            return new Result(r.engine(), r.loadMs(), r.heapMb(), r.rssMb(), own, r.latencyNanos(), r.answers());
        }
    }

    static Result run(String engine, Connection c, long loadMs, long[] m0, long[] m1, int warmup, int reps) throws SQLException {
        boolean params = engine.startsWith("H2");
        Map<String, long[]> lat = new LinkedHashMap<>();
        Map<String, String> answers = new LinkedHashMap<>();
        for (Q q : QUERIES) {
            try (PreparedStatement pa = c.prepareStatement(params ? q.template() : q.sql(q.a()));
                 PreparedStatement pb = params ? null : c.prepareStatement(q.sql(q.b()))) {
                String[] answer = new String[2];
                // a query slower than 200 ms (a full scan) runs 2 + 8 times, not warmup + reps
                if (params) for (int k = 0; k < q.a().length; k++) pa.setObject(k + 1, q.a()[k]);
                long firstStart = System.nanoTime();
                answer(pa);
                boolean slow = System.nanoTime() - firstStart > 200_000_000L;
                int w = slow ? Math.min(warmup, 2) : warmup;
                int n = slow ? Math.min(reps, 8) : reps;
                long[] t = new long[n];
                for (int i = 0; i < w + n; i++) {
                    boolean first = i % 2 == 0;
                    PreparedStatement p = params ? pa : first ? pa : pb;
                    if (params) {
                        Object[] v = first ? q.a() : q.b();
                        for (int k = 0; k < v.length; k++) p.setObject(k + 1, v[k]);
                    }
                    long s = System.nanoTime();
                    String ans = answer(p);
                    long d = System.nanoTime() - s;
                    if (i >= w) t[i - w] = d;
                    answer[first ? 0 : 1] = ans;
                }
                Arrays.sort(t);
                lat.put(q.name(), new long[]{t[n / 4], t[n / 2], t[(3 * n) / 4]});
                answers.put(q.name(), answer[0] + " | " + answer[1]);
            }
        }
        System.out.printf("%s: loaded in %,d ms%n", engine, loadMs);
        return new Result(engine, loadMs, (m1[0] - m0[0]) >> 20, (m1[1] - m0[1]) >> 20, "-", lat, answers);
    }

    static String answer(PreparedStatement p) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (ResultSet rs = p.executeQuery()) {
            ResultSetMetaData m = rs.getMetaData();
            while (rs.next()) {
                if (!b.isEmpty()) b.append("; ");
                for (int k = 1; k <= m.getColumnCount(); k++) {
                    Object v = rs.getObject(k);
                    if (k > 1) b.append(", ");
                    b.append(v instanceof Double || v instanceof Float || v instanceof java.math.BigDecimal
                            ? String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue())
                            : v instanceof Number x ? Long.toString(x.longValue()) : String.valueOf(v));
                }
            }
        }
        return b.toString();
    }

    /** Heap used after GC and the process's resident set, in bytes. */
    static long[] memory() {
        for (int i = 0; i < 3; i++) System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long rss = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        } catch (java.io.IOException ex) {
            rss = -1;
        }
        return new long[]{heap, rss};
    }


    private SqlBench() {
    }
}
