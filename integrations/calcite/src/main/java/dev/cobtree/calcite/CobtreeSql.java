package dev.cobtree.calcite;

import dev.cobtree.query.TableIndex;

import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.schema.SchemaPlus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens a JDBC connection through Calcite's driver ({@code jdbc:calcite:}) with table indexes as
 * the default schema.
 *
 * <pre>{@code
 * try (Connection c = CobtreeSql.connect(Map.of("events", events));
 *      ResultSet rs = c.createStatement().executeQuery(
 *          "SELECT COUNT(*) FROM events WHERE ts >= TIMESTAMP '2026-01-01 00:00:00' AND kind = 'CLICK'")) { ... }
 * }</pre>
 *
 * Identifiers are matched case-insensitively and unquoted ones are left as written
 * ({@code caseSensitive=false}, {@code unquotedCasing=UNCHANGED}), so {@code SELECT ts FROM events}
 * finds the column {@code ts}; {@code info} may override that and set any other Calcite
 * connection property.
 */
public final class CobtreeSql {

    /** The name of the schema {@link #connect} adds. */
    public static final String SCHEMA = "cobtree";

    private CobtreeSql() {
    }

    /**
     * A connection whose default schema {@value #SCHEMA} holds the given tables.
     *
     * @param tables table name to index
     * @return a new connection
     * @throws SQLException if Calcite's driver cannot open it
     */
    public static Connection connect(Map<String, TableIndex> tables) throws SQLException {
        return connect(tables, new Properties());
    }

    /**
     * A connection whose default schema {@value #SCHEMA} holds the given tables.
     *
     * @param tables table name to index
     * @param info Calcite connection properties, over the defaults above
     * @return a new connection
     * @throws SQLException if Calcite's driver cannot open it
     */
    public static Connection connect(Map<String, TableIndex> tables, Properties info) throws SQLException {
        Properties p = new Properties();
        p.setProperty("caseSensitive", "false");
        p.setProperty("unquotedCasing", "UNCHANGED");
        p.putAll(info);
        Connection c = DriverManager.getConnection("jdbc:calcite:", p);
        try {
            CalciteConnection calcite = c.unwrap(CalciteConnection.class);
            SchemaPlus root = calcite.getRootSchema();
            root.add(SCHEMA, new CobtreeSchema(tables));
            calcite.setSchema(SCHEMA);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }
}
