package dev.cobtree.calcite;

import dev.cobtree.query.Column;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.codec.KeyCodecs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pushdown as the plan shows it and as the rows the table returned show it; errors; the model factory; writes during queries. */
class CobtreeSqlTest {

    static final List<Column<?>> COLUMNS = List.of(
            Column.of("id", Integer.class, KeyCodecs.ints()),
            Column.of("ts", Instant.class, KeyCodecs.instantMicros()),
            Column.of("price", Double.class, KeyCodecs.doubles()),
            Column.of("city", String.class, KeyCodecs.stringPrefix()));
    static final int N = 10_000;
    static final long T0 = 1_767_225_600L;

    static TableIndex index;
    static Connection connection;
    static CobtreeTable table;

    @BeforeAll
    static void load() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(new Object[]{i, Instant.ofEpochSecond(T0 + i), (i % 1000) * 0.5, "city" + (i % 10)});
        index = TableIndex.fromRows(COLUMNS, rows);
        connection = CobtreeSql.connect(Map.of("events", index));
        table = connection.unwrap(org.apache.calcite.jdbc.CalciteConnection.class).getRootSchema()
                .getSubSchema(CobtreeSql.SCHEMA).unwrap(CobtreeSchema.class).table("events");
    }

    @AfterAll
    static void close() throws SQLException {
        connection.close();
        index.close();
    }

    static String explain(String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
            while (rs.next()) b.append(rs.getString(1));
        }
        return b.toString();
    }

    static long count(String sql) throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            long n = 0;
            while (rs.next()) n++;
            return n;
        }
    }

    @Test
    void rangeFilterIsAnsweredByTheIndexAndShownInThePlan() throws SQLException {
        String sql = "SELECT id, price FROM events WHERE ts >= TIMESTAMP '2026-01-01 00:01:40' AND ts < TIMESTAMP '2026-01-01 00:03:20' AND price BETWEEN 100 AND 120";
        String plan = explain(sql);
        assertTrue(plan.contains("CobtreeTableScan(table=[[cobtree, events]], index=[(ts in [2026-01-01T00:01:40Z, 2026-01-01T00:03:20Z) and price in [100.0, 120.0])]"), plan);
        assertFalse(plan.contains("$condition"), "no filter left to Calcite: " + plan);
        CobtreeTable.Stats before = table.stats();
        long rows = count(sql); // ids 100..199 with price in [100, 120]: i in 200..240 -> none; i % 1000 in [200, 240] -> none in 100..199
        CobtreeTable.Stats after = table.stats();
        assertEquals(0, rows);
        assertEquals(rows, after.rowsReturned() - before.rowsReturned());
        String sql2 = "SELECT id FROM events WHERE id BETWEEN 1000 AND 1999 AND price <= 10";
        before = table.stats();
        assertEquals(21, count(sql2)); // i % 1000 in [0, 20]
        assertEquals(21, table.stats().rowsReturned() - before.rowsReturned(), "the table returned only the answer's rows");
    }

    @Test
    void unsupportedPredicatesStayWithCalciteAndStillAnswer() throws SQLException {
        String sql = "SELECT id FROM events WHERE id < 100 AND UPPER(city) = 'CITY3'";
        String plan = explain(sql);
        assertTrue(plan.contains("index=[id in (-inf, 99]]"), plan);
        assertTrue(plan.contains("UPPER"), "UPPER stays in Calcite's filter: " + plan);
        CobtreeTable.Stats before = table.stats();
        assertEquals(10, count(sql));
        assertEquals(100, table.stats().rowsReturned() - before.rowsReturned(), "the index returned id < 100; Calcite filtered UPPER");
        // an OR with an unsupported branch is not pushed at all
        String or = "SELECT id FROM events WHERE id < 5 OR MOD(id, 1000) = 7";
        assertFalse(explain(or).contains("index="), explain(or));
        assertEquals(15, count(or));
    }

    @Test
    void countStarIsAnsweredByRangeCountsWithoutRows() throws SQLException {
        // id (int codec) and ts (Instant, full 64-bit keys since WideKeyIndex) are exact columns: range counts
        String onTs = "SELECT COUNT(*) FROM events WHERE ts >= TIMESTAMP '2026-01-01 01:00:00'";
        assertTrue(explain(onTs).startsWith("CobtreeTableScan(table=[[cobtree, events]], index=[ts in [2026-01-01T01:00:00Z, +inf)], count=[range counts])"), explain(onTs));
        assertEquals(1, count(onTs));
        String sql = "SELECT COUNT(*) FROM events WHERE id >= 3600";
        String plan = explain(sql);
        assertTrue(plan.startsWith("CobtreeTableScan(table=[[cobtree, events]], index=[id in [3600, +inf)], count=[range counts])"), plan);
        CobtreeTable.Stats before = table.stats();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            assertEquals(N - 3600, rs.getLong(1));
        }
        CobtreeTable.Stats after = table.stats();
        assertEquals(before.rowsReturned(), after.rowsReturned(), "no row was returned to Calcite");
        assertEquals(before.counts() + 1, after.counts());
        // a filter not wholly pushed: Calcite counts the rows
        String partial = "SELECT COUNT(*) FROM events WHERE id < 50 AND UPPER(city) = 'CITY1'";
        assertFalse(explain(partial).contains("count="), explain(partial));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(partial)) {
            assertTrue(rs.next());
            assertEquals(5, rs.getLong(1));
        }
        // an OR over two columns: counted as the answer bitmap's cardinality
        String or = "SELECT COUNT(*) FROM events WHERE id < 10 OR city = 'city3'";
        assertTrue(explain(or).contains("count=[bitmap cardinality]"), explain(or));
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(or)) {
            assertTrue(rs.next());
            assertEquals(10 + 1000 - 1, rs.getLong(1));
        }
    }

    @Test
    void sqlErrorsAreSqlExceptionsWithCalcitesMessage() {
        SQLException unknown = assertThrows(SQLException.class, () -> count("SELECT nope FROM events"));
        assertTrue(unknown.getMessage().contains("Column 'nope' not found"), unknown.getMessage());
        SQLException syntax = assertThrows(SQLException.class, () -> count("SELEC id FROM events"));
        assertTrue(syntax.getMessage().contains("SELEC"), syntax.getMessage());
        SQLException type = assertThrows(SQLException.class, () -> count("SELECT id FROM events WHERE ts > 5"));
        assertTrue(type.getMessage().contains("Cannot apply '>'"), type.getMessage());
        SQLException write = assertThrows(SQLException.class, () -> {
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("INSERT INTO events (id) VALUES (1)");
            }
        });
        assertTrue(write.getMessage().contains("events"), write.getMessage());
    }

    @Test
    void anUnsupportedColumnTypeIsRefusedNamingIt() {
        TableIndex t = new TableIndex(List.of(Column.of("when", java.time.LocalTime.class, new dev.cobtree.query.codec.KeyCodec<>() {
            @Override public long encode(java.time.LocalTime v) { return v.toNanoOfDay(); }
            @Override public java.time.LocalTime decode(long k) { return java.time.LocalTime.ofNanoOfDay(k); }
            @Override public boolean isExact() { return true; }
            @Override public long minKey() { return 0; }
            @Override public long maxKey() { return 86_400_000_000_000L; }
        })));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CobtreeTable(t));
        assertTrue(e.getMessage().contains("'when'") && e.getMessage().contains("java.time.LocalTime"), e.getMessage());
    }

    /** The provider the model file names. */
    public static final class Provider implements CobtreeSchemaFactory.TableProvider {
        @Override
        public Map<String, TableIndex> tables(String schemaName, Map<String, Object> operand) {
            return Map.of("events", index);
        }
    }

    @Test
    void aModelFileOpensTheSameTables() throws SQLException {
        String model = "inline:{version: '1.0', defaultSchema: 'app', schemas: [{name: 'app', type: 'custom', "
                + "factory: '" + CobtreeSchemaFactory.class.getName() + "', operand: {provider: '" + Provider.class.getName() + "'}}]}";
        Properties p = new Properties();
        p.setProperty("model", model);
        p.setProperty("caseSensitive", "false");
        p.setProperty("unquotedCasing", "UNCHANGED");
        try (Connection c = DriverManager.getConnection("jdbc:calcite:", p); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM app.events WHERE city = 'city4'")) {
            assertTrue(rs.next());
            assertEquals(1000, rs.getLong(1));
        }
        Properties bad = new Properties();
        bad.setProperty("model", model.replace(Provider.class.getName(), "no.such.Provider"));
        // Calcite reads the model when it connects and reports a bad one as a RuntimeException whose causes name it
        Exception e = assertThrows(Exception.class, () -> DriverManager.getConnection("jdbc:calcite:", bad).close());
        StringBuilder chain = new StringBuilder();
        for (Throwable x = e; x != null; x = x.getCause()) chain.append(x).append('\n');
        assertTrue(chain.toString().contains("cannot create the table provider 'no.such.Provider'"), chain.toString());
    }

    /**
     * Writers move the odd rows' prices while SQL queries run: every row a query returns satisfies
     * its filter with the values returned, and the even rows (never written) are answered exactly.
     */
    @Test
    void aCompositeIndexCountsItsConjunctionByRangeCounts() throws SQLException {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) rows.add(new Object[]{i, Instant.ofEpochSecond(T0 + i), (i % 100) * 0.5, "city" + (i % 10)});
        try (TableIndex t = TableIndex.fromRows(COLUMNS, List.of(dev.cobtree.query.CompositeIndex.on("price", "ts")), rows);
             Connection c = CobtreeSql.connect(Map.of("t", t)); Statement s = c.createStatement()) {
            String sql = "SELECT COUNT(*) FROM t WHERE price = 2.5 AND ts >= TIMESTAMP '2026-01-01 01:00:00'";
            String plan;
            try (ResultSet rs = s.executeQuery("EXPLAIN PLAN FOR " + sql)) {
                assertTrue(rs.next());
                plan = rs.getString(1);
            }
            assertTrue(plan.contains("count=[range counts]"), plan);
            try (ResultSet rs = s.executeQuery(sql)) {
                assertTrue(rs.next());
                long expected = 0;
                for (int i = 3600; i < N; i++) if (i % 100 == 5) expected++;
                assertEquals(expected, rs.getLong(1));
            }
        }
    }

    @Test
    void queriesDuringWritesReturnOnlyMatchingRowsAndExactUntouchedRows() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 4000; i++) rows.add(new Object[]{i, Instant.ofEpochSecond(T0 + i), (double) (i % 100), "c"});
        try (TableIndex t = TableIndex.fromRows(COLUMNS, rows); Connection c = CobtreeSql.connect(Map.of("t", t))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                Random r = new Random(1);
                while (!stop.get()) {
                    int row = 2 * r.nextInt(2000) + 1;
                    t.update(row, row, Instant.ofEpochSecond(T0 + row), (double) r.nextInt(100), "c");
                }
            });
            writer.start();
            int queries = 0;
            try (Statement s = c.createStatement()) {
                long end = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < end) {
                    int lo = queries % 90;
                    try (ResultSet rs = s.executeQuery("SELECT id, price FROM t WHERE price >= " + lo + " AND price < " + (lo + 10))) {
                        int even = 0;
                        while (rs.next()) {
                            double p = rs.getDouble(2);
                            assertTrue(p >= lo && p < lo + 10, "a returned row satisfies the filter: " + p);
                            if (rs.getInt(1) % 2 == 0) even++;
                        }
                        assertEquals(10 * 40 / 2, even, "even rows with price in [" + lo + ", " + (lo + 10) + ")");
                    }
                    queries++;
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                stop.set(true);
                writer.join();
            }
            assertNull(failure.get(), () -> String.valueOf(failure.get()));
            assertTrue(queries > 5, "queries run: " + queries);
        }
    }
}
