package dev.cobtree.calcite;

import dev.cobtree.query.TableIndex;

import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.impl.AbstractTable;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized WHERE clauses over a column of every codec type, through Calcite's JDBC driver:
 * each answer is checked against a brute-force three-valued evaluation over the same rows and
 * against H2 given the same data; for predicates made only of pushable forms, the table must
 * have returned exactly the answer's rows (the whole filter was answered by the index). A
 * second table adds NaN, -0.0, infinities and extreme integers, where SQL engines differ, and
 * is checked against Calcite itself over the same rows without the adapter.
 * Replay with {@code -Dcobtree.seed=N}.
 */
class RandomSqlTest {

    static long seed(String test) {
        String fixed = System.getProperty("cobtree.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.trim()) : System.nanoTime() * 0x9E3779B97F4A7C15L;
        System.out.println(test + ": seed=" + seed + " (replay with -Dcobtree.seed=" + seed + ")");
        return seed;
    }

    static final int ROWS = 1200;
    static final int QUERIES = Integer.getInteger("cobtree.sql.queries", 10_000);

    @Test
    void randomPredicatesMatchBruteForceAndH2() throws Exception {
        long seed = seed("RandomSqlTest.bruteForceAndH2");
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) rows.add(SqlModel.row(r, i, 0.1, false));
        List<Object[]> sqlRows = rows.stream().map(row -> {
            Object[] s = new Object[row.length];
            for (int c = 0; c < row.length; c++) s[c] = SqlModel.sqlValue(row[c]);
            return s;
        }).toList();
        TableIndex index = TableIndex.fromRows(SqlModel.columns(), rows);
        int pushedChecked = 0;
        long t0 = System.nanoTime();
        long calciteNanos = 0;
        long h2Nanos = 0;
        int counts = 0;
        try (Connection calcite = CobtreeSql.connect(Map.of("t", index));
             Connection h2 = DriverManager.getConnection("jdbc:h2:mem:random" + seed + ";DB_CLOSE_DELAY=-1");
             Statement cs = calcite.createStatement();
             Statement hs = h2.createStatement()) {
            loadH2(h2, rows);
            CobtreeTable table = calcite.unwrap(CalciteConnection.class).getRootSchema().getSubSchema(CobtreeSql.SCHEMA)
                    .unwrap(CobtreeSchema.class).table("t");
            for (int q = 0; q < QUERIES; q++) {
                boolean pushable = r.nextInt(3) != 0;
                SqlModel.Expr where = SqlModel.predicate(r, 2, pushable);
                TreeSet<Integer> expected = new TreeSet<>();
                for (Object[] s : sqlRows) if (Boolean.TRUE.equals(where.eval(s))) expected.add(((java.math.BigDecimal) s[0]).intValue());
                String ctx = "seed " + seed + ", query " + q + ": WHERE " + where.sql();
                if (q % 10 == 9) {
                    String sql = "SELECT COUNT(*) FROM t WHERE " + where.sql();
                    long before = table.stats().rowsReturned();
                    assertEquals(expected.size(), single(cs, sql), ctx);
                    assertEquals(expected.size(), single(hs, sql), ctx + " (H2)");
                    if (pushable) assertEquals(before, table.stats().rowsReturned(), ctx + ": COUNT(*) returned rows");
                    counts++;
                    continue;
                }
                String sql = "SELECT id FROM t WHERE " + where.sql();
                CobtreeTable.Stats before = table.stats();
                long c0 = System.nanoTime();
                TreeSet<Integer> got = ids(cs, sql);
                long c1 = System.nanoTime();
                CobtreeTable.Stats after = table.stats();
                assertEquals(expected, got, ctx);
                assertEquals(expected, ids(hs, sql), ctx + " (H2)");
                calciteNanos += c1 - c0;
                h2Nanos += System.nanoTime() - c1;
                if (pushable) {
                    assertEquals(expected.size(), after.rowsReturned() - before.rowsReturned(), ctx + ": rows the table returned");
                    pushedChecked++;
                }
            }
        }
        System.out.println("RandomSqlTest: " + QUERIES + " queries (" + counts + " COUNT(*)), each against brute force and H2; "
                + pushedChecked + " checked to be wholly pushed; " + (System.nanoTime() - t0) / 1_000_000 + " ms (row queries: Calcite "
                + calciteNanos / 1_000_000 + " ms, H2 " + h2Nanos / 1_000_000 + " ms)");
        assertTrue(pushedChecked > QUERIES / 2);
    }

    @Test
    void edgeValuesMatchCalciteWithoutTheAdapter() throws Exception {
        long seed = seed("RandomSqlTest.edgeValues");
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) rows.add(SqlModel.row(r, i, 0.15, true));
        TableIndex index = TableIndex.fromRows(SqlModel.columns(), rows);
        CobtreeTable table = new CobtreeTable(index);
        try (Connection c = CobtreeSql.connect(Map.of("t", index))) {
            CalciteConnection calcite = c.unwrap(CalciteConnection.class);
            calcite.getRootSchema().add("plain", new AbstractSchema() {
                @Override
                protected Map<String, org.apache.calcite.schema.Table> getTableMap() {
                    return Map.of("t", new PlainTable(table, rows));
                }
            });
            int n = Integer.getInteger("cobtree.sql.edgeQueries", 100);
            int refused = 0;
            try (Statement s = c.createStatement()) {
                for (int q = 0; q < n; q++) {
                    SqlModel.Expr where = SqlModel.predicate(r, 2, r.nextBoolean());
                    String ctx = "seed " + seed + ", query " + q + ": WHERE " + where.sql();
                    TreeSet<Integer> plain;
                    try {
                        plain = ids(s, "SELECT id FROM plain.t WHERE " + where.sql());
                    } catch (SQLException e) { // Calcite's own error (a cast overflowing on an extreme value)
                        refused++;
                        continue;
                    }
                    assertEquals(plain, ids(s, "SELECT id FROM t WHERE " + where.sql()), ctx);
                }
            }
            System.out.println("RandomSqlTest: " + n + " queries on NaN, -0.0, infinities, extreme integers against Calcite without the adapter ("
                    + refused + " refused by Calcite itself)");
            assertTrue(refused < n / 10);
        }
    }

    /** The same rows as a plain scannable table: Calcite evaluates every filter itself. */
    static final class PlainTable extends AbstractTable implements ScannableTable {
        private final CobtreeTable shape;
        private final List<Object[]> rows;

        PlainTable(CobtreeTable shape, List<Object[]> rows) {
            this.shape = shape;
            this.rows = rows;
        }

        @Override
        public RelDataType getRowType(RelDataTypeFactory typeFactory) {
            return shape.getRowType(typeFactory);
        }

        @Override
        public Enumerable<Object[]> scan(DataContext root) {
            return Linq4j.asEnumerable(rows.stream().map(shape::toSql).toList());
        }
    }

    static void loadH2(Connection h2, List<Object[]> rows) throws SQLException {
        try (Statement s = h2.createStatement()) {
            s.execute("CREATE TABLE t (" + SqlModel.COLS.stream().map(c -> c.name() + " " + c.h2Type()).collect(Collectors.joining(", ")) + ")");
            for (SqlModel.Col c : SqlModel.COLS) s.execute("CREATE INDEX t_" + c.name() + " ON t(" + c.name() + ")");
        }
        String marks = SqlModel.COLS.stream().map(c -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement p = h2.prepareStatement("INSERT INTO t VALUES (" + marks + ")")) {
            for (Object[] row : rows) {
                for (int c = 0; c < row.length; c++) p.setObject(c + 1, SqlModel.h2Value(row[c]));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    static TreeSet<Integer> ids(Statement s, String sql) throws SQLException {
        TreeSet<Integer> out = new TreeSet<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    static long single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }
}
