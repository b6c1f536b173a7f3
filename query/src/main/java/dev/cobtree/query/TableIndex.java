package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An index over several typed columns of one table: each {@link Column} is kept in its own
 * {@link SecondaryIndex} through its {@link dev.cobtree.query.codec.KeyCodec}, and the rows'
 * values are kept in a row store, so that a {@link Condition} (per-column {@code eq}, {@code in},
 * ranges, {@code isNull}, combined with AND/OR/NOT) is answered as a row-id
 * {@link RoaringBitmap} by {@link #query}, with its plan by {@link #explain}.
 *
 * <h2>Storage</h2>
 * Row ids are ints in [0, 2^31 - 1] ({@link #ROW_ID_BITS} = 31 bits, so index keys have 33 bits;
 * {@link Column} says how codec keys are fitted into them and when values share keys). A null
 * value is stored under the reserved key {@link Column#NULL_KEY}, below every value. The row
 * store maps each live row id to its values (one {@code Object[]} per row, never modified once
 * published); queries read it to verify rows of inexact keys and to probe small candidate sets
 * (see {@link QueryPlanner} for the plan).
 *
 * <h2>Writes</h2>
 * {@link #insert}, {@link #update} and {@link #delete} of one row are serialized by a lock
 * striped by row id; writes to different rows run in parallel, and readers never lock. Every
 * value is checked (type, codec range) before anything changes, so a refused write changes
 * nothing. The order of a write's steps:
 * <ul>
 *   <li>insert: publish the values in the row store, then add the row to each column index;</li>
 *   <li>update: add the row under each changed column's new key, publish the new values, then
 *       remove it from the old keys. At every instant the row is in the index under its old key
 *       or its new key (or, in between, both), never neither; a query that reads the row while
 *       it changes may report it under either value or both, and a query reading two keys at
 *       different instants (two leaves, or a range scan passing both keys) is exact only for rows
 *       that did not change while it ran;</li>
 *   <li>delete: remove the row from each column index, then from the row store.</li>
 * </ul>
 * A query's answer is exact for every row that no write touched while the query ran.
 */
public final class TableIndex implements AutoCloseable {

    /** Bits of a row id in each column's {@link SecondaryIndex}. */
    public static final int ROW_ID_BITS = 31;

    private static final int STRIPES = 64;

    private final List<Column<?>> columns;
    private final Map<String, Integer> byName = new HashMap<>();
    private final SecondaryIndex[] indexes;
    private final ConcurrentHashMap<Integer, Object[]> rows = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[STRIPES];

    /**
     * An empty table index.
     *
     * @param columns the columns, with distinct names
     * @throws IllegalArgumentException if two columns share a name or there are none
     */
    public TableIndex(List<Column<?>> columns) {
        this(columns, null);
    }

    private TableIndex(List<Column<?>> columns, SecondaryIndex[] built) {
        this.columns = List.copyOf(columns);
        if (this.columns.isEmpty()) throw new IllegalArgumentException("a table index needs at least one column");
        for (int i = 0; i < this.columns.size(); i++) {
            if (byName.put(this.columns.get(i).name(), i) != null) {
                throw new IllegalArgumentException("two columns are named '" + this.columns.get(i).name() + "'");
            }
        }
        this.indexes = new SecondaryIndex[this.columns.size()];
        for (int i = 0; i < indexes.length; i++) indexes[i] = built != null ? built[i] : new SecondaryIndex(ROW_ID_BITS);
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
    }

    /**
     * A table index over {@code rows}, row {@code i} having row id {@code i}; bulk-loads each column.
     *
     * @param columns the columns
     * @param rows each row's values, one per column in column order (null: a null value)
     * @return the index
     * @throws IllegalArgumentException naming the row, column and value that does not fit
     */
    public static TableIndex fromRows(List<Column<?>> columns, List<Object[]> rows) {
        List<Column<?>> cols = List.copyOf(columns);
        Object[][] table = new Object[rows.size()][];
        for (int r = 0; r < table.length; r++) table[r] = rows.get(r).clone();
        return build(cols, table);
    }

    /**
     * A table index from column arrays: {@code columnArrays[c][i]} is row {@code i}'s value of
     * column {@code c}. Arrays may be primitive ({@code double[]}) or of objects ({@code String[]},
     * nulls allowed), all of one length.
     *
     * @param columns the columns
     * @param columnArrays one array per column
     * @return the index
     * @throws IllegalArgumentException if the arrays are not one per column of one length, or a value does not fit
     */
    public static TableIndex fromColumns(List<Column<?>> columns, Object... columnArrays) {
        List<Column<?>> cols = List.copyOf(columns);
        if (columnArrays.length != cols.size()) {
            throw new IllegalArgumentException(columnArrays.length + " column arrays for " + cols.size() + " columns");
        }
        int n = Array.getLength(columnArrays[0]);
        for (int c = 0; c < cols.size(); c++) {
            if (Array.getLength(columnArrays[c]) != n) {
                throw new IllegalArgumentException("column '" + cols.get(c).name() + "' has " + Array.getLength(columnArrays[c])
                        + " values, column '" + cols.get(0).name() + "' " + n);
            }
        }
        Object[][] table = new Object[n][cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            for (int r = 0; r < n; r++) table[r][c] = Array.get(columnArrays[c], r); // boxes primitives
        }
        return build(cols, table);
    }

    private static TableIndex build(List<Column<?>> cols, Object[][] table) {
        int n = table.length;
        long[][] keys = new long[cols.size()][n];
        long[] rowIds = new long[n];
        for (int r = 0; r < n; r++) {
            rowIds[r] = r;
            try {
                long[] k = encodeRow(cols, table[r]);
                for (int c = 0; c < k.length; c++) keys[c][r] = k[c];
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("row " + r + ": " + e.getMessage(), e);
            }
        }
        SecondaryIndex[] built = new SecondaryIndex[cols.size()];
        for (int c = 0; c < built.length; c++) built[c] = SecondaryIndex.bulkLoad(ROW_ID_BITS, keys[c], rowIds, n);
        TableIndex t = new TableIndex(cols, built);
        for (int r = 0; r < n; r++) t.rows.put(r, table[r]);
        return t;
    }

    /* ---- Writes ---- */

    /**
     * Adds a row.
     *
     * @param row the row id, in [0, 2^31 - 1]
     * @param values one per column (null: a null value)
     * @throws IllegalArgumentException if the row exists, or a value is of the wrong type or not encodable (naming it); nothing is changed
     */
    public void insert(int row, Object... values) {
        Object[] v = values.clone();
        long[] keys = encodeRow(columns, v);
        checkRowId(row);
        synchronized (stripe(row)) {
            if (rows.putIfAbsent(row, v) != null) throw new IllegalArgumentException("row " + row + " already exists");
            for (int c = 0; c < keys.length; c++) indexes[c].insert(keys[c], row);
        }
    }

    /**
     * Replaces a row's values: new keys in, new values published, old keys out (see the class comment).
     *
     * @param row the row id
     * @param values the new values, one per column
     * @throws IllegalArgumentException if the row does not exist, or a value is of the wrong type or not encodable; nothing is changed
     */
    public void update(int row, Object... values) {
        Object[] v = values.clone();
        long[] keys = encodeRow(columns, v);
        checkRowId(row);
        synchronized (stripe(row)) {
            Object[] old = rows.get(row);
            if (old == null) throw new IllegalArgumentException("row " + row + " does not exist");
            long[] oldKeys = encodeRow(columns, old);
            for (int c = 0; c < keys.length; c++) if (keys[c] != oldKeys[c]) indexes[c].insert(keys[c], row);
            rows.put(row, v);
            for (int c = 0; c < keys.length; c++) if (keys[c] != oldKeys[c]) indexes[c].delete(oldKeys[c], row);
        }
    }

    /**
     * Removes a row.
     *
     * @param row the row id
     * @return true if the row existed
     */
    public boolean delete(int row) {
        if (row < 0) return false;
        synchronized (stripe(row)) {
            Object[] old = rows.get(row);
            if (old == null) return false;
            long[] oldKeys = encodeRow(columns, old);
            for (int c = 0; c < oldKeys.length; c++) indexes[c].delete(oldKeys[c], row);
            rows.remove(row);
            return true;
        }
    }

    private static long[] encodeRow(List<Column<?>> cols, Object[] values) {
        if (values.length != cols.size()) {
            throw new IllegalArgumentException(values.length + " values for " + cols.size() + " columns");
        }
        long[] keys = new long[values.length];
        for (int c = 0; c < keys.length; c++) keys[c] = cols.get(c).indexKey(values[c]);
        return keys;
    }

    private static void checkRowId(int row) {
        if (row < 0) throw new IllegalArgumentException("row id " + row + " is negative");
    }

    private Object stripe(int row) {
        return stripes[row & (STRIPES - 1)];
    }

    /* ---- Reads ---- */

    /**
     * The rows satisfying a condition.
     *
     * @param condition the condition
     * @return a new bitmap of row ids
     * @throws IllegalArgumentException on an unknown column, a value of the wrong type, or a range with from &gt; to (naming it)
     */
    public RoaringBitmap query(Condition condition) {
        QueryPlanner p = new QueryPlanner(this, null);
        return p.evaluate(p.resolve(Objects.requireNonNull(condition, "condition")), 0);
    }

    /**
     * The number of rows satisfying a condition. A predicate on one exact column (its whole
     * answer a union of key ranges: {@code eq}, {@code in}, a range, {@code isNull}) is counted
     * with the index's O(log n) range counts, without building the row bitmap; any other
     * condition is counted as the cardinality of {@link #query}'s answer. Under concurrent writes
     * it is exact for the rows no write touched while it ran, as {@link #query}.
     *
     * @param condition the condition
     * @return the number of rows
     * @throws IllegalArgumentException as {@link #query}
     */
    public long count(Condition condition) {
        QueryPlanner p = new QueryPlanner(this, null);
        QueryPlanner.Node n = p.resolve(Objects.requireNonNull(condition, "condition"));
        if (n instanceof QueryPlanner.Leaf l && l.verify.isEmpty()) return p.estimate(l);
        return p.evaluate(n, 0).getLongCardinality();
    }

    /**
     * Runs a query and returns its plan: each node's method, estimated and actual row count.
     *
     * @param condition the condition
     * @return the answer and its plan
     * @throws IllegalArgumentException as {@link #query}
     */
    public QueryPlan explain(Condition condition) {
        List<QueryPlan.Step> steps = new ArrayList<>();
        QueryPlanner p = new QueryPlanner(this, steps);
        RoaringBitmap rowsFound = p.evaluate(p.resolve(Objects.requireNonNull(condition, "condition")), 0);
        return new QueryPlan(rowsFound, steps);
    }

    /**
     * A row's values.
     *
     * @param row the row id
     * @return a copy of its values, or null if there is no such row
     */
    public Object[] row(int row) {
        Object[] v = rows.get(row);
        return v == null ? null : v.clone();
    }

    /** @return the number of rows */
    public int size() {
        return rows.size();
    }

    /** @return the columns, in order */
    public List<Column<?>> columns() {
        return columns;
    }

    /** @return the ids of the live rows, as a new bitmap */
    public RoaringBitmap liveRows() {
        RoaringBitmap b = new RoaringBitmap();
        for (Integer r : rows.keySet()) b.add(r);
        return b;
    }

    /** The stored values of a row (not copied: never modified once published), or null. */
    Object[] storedRow(int row) {
        return rows.get(row);
    }

    int columnIndex(String name) {
        Integer c = byName.get(Objects.requireNonNull(name, "column"));
        if (c == null) throw new IllegalArgumentException("unknown column '" + name + "'; columns are " + byName.keySet());
        return c;
    }

    SecondaryIndex index(String name) {
        return indexes[columnIndex(name)];
    }

    @Override
    public void close() {
        for (SecondaryIndex i : indexes) i.close();
    }
}
