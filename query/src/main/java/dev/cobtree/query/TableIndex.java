package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An index over several typed columns of one table: each {@link Column} is kept in its own
 * {@link WideKeyIndex} under its {@link dev.cobtree.query.codec.KeyCodec}'s 64-bit keys, and the
 * rows' keys (and the values of inexact columns) are kept in a columnar row store, so that a
 * {@link Condition} (per-column {@code eq}, {@code in}, ranges, {@code isNull}, combined with
 * AND/OR/NOT) is answered as a row-id {@link RoaringBitmap} by {@link #query}, with its plan by
 * {@link #explain}.
 *
 * <h2>Storage</h2>
 * Row ids are ints in [0, 2^31 - 1] ({@link #ROW_ID_BITS} = 31 bits). Index keys are the codec
 * keys, all 64 bits (no key range is lost: {@code long}, {@code double} and {@code Instant}
 * columns are exact); nulls are kept in one more {@link WideKeyIndex} keyed by column number.
 * The row store (a package-private columnar store) holds, per column and row, the codec key as a {@code long} in
 * pages of primitive arrays, a null bit, and for inexact columns the value; queries read it to
 * verify rows of shared keys and to probe small candidate sets (see {@link QueryPlanner}).
 *
 * <h2>Writes</h2>
 * {@link #insert}, {@link #update} and {@link #delete} of one row are serialized by a lock
 * striped by row id; writes to different rows run in parallel, and readers never lock. Every
 * value is checked (type, codec range) before anything changes, so a refused write changes
 * nothing. The order of a write's steps:
 * <ul>
 *   <li>insert: write the values in the row store and mark the row live, then add the row to
 *       each column index;</li>
 *   <li>update: add the row under each changed column's new key, write the new values, then
 *       remove it from the old keys. At every instant the row is in the index under its old key
 *       or its new key (or, in between, both), never neither; a query that reads the row while
 *       it changes may report it under either value or both, and a query reading two keys at
 *       different instants (two leaves, or a range scan passing both keys) is exact only for rows
 *       that did not change while it ran;</li>
 *   <li>delete: remove the row from each column index, then mark it dead in the row store.</li>
 * </ul>
 * A query's answer is exact for every row that no write touched while the query ran.
 *
 * <h2>Composite indexes</h2>
 * A table may also keep {@link CompositeIndex}es (given to the constructor or the factories): per
 * combination of the leading columns' values, the rows by the last column's key, maintained by
 * the same writes in the same order (the new entry in before the old one out) and answering an
 * AND of {@code eq}/{@code in} on the leading columns and a predicate on the last as one index
 * read (see {@link QueryPlanner}).
 *
 * <h2>Snapshots</h2>
 * {@link #snapshot()} gives a {@link TableIndexSnapshot}: every column index, the nulls index and
 * the row store at one instant (taken with all row stripes held), on which queries, counts,
 * plans and rows are exact for that instant and agree with each other while writers go on.
 */
public final class TableIndex implements AutoCloseable {

    /** Bits of a row id: row ids are non-negative ints. */
    public static final int ROW_ID_BITS = 31;

    private static final int STRIPES = 64;

    private final List<Column<?>> columns;
    private final Map<String, Integer> byName = new HashMap<>();
    private final WideKeyIndex[] indexes;
    private final WideKeyIndex nulls; // key: column number
    private final CompositeKeys[] composites;
    private final RowStore store;
    private final Object[] stripes = new Object[STRIPES];
    private final TableReads reads; // over the live indexes and store

    /**
     * An empty table index.
     *
     * @param columns the columns, with distinct names
     * @throws IllegalArgumentException if two columns share a name or there are none
     */
    public TableIndex(List<Column<?>> columns) {
        this(columns, List.of());
    }

    /**
     * An empty table index with composite indexes (see {@link CompositeIndex}).
     *
     * @param columns the columns, with distinct names
     * @param composites the composite indexes, over those columns
     * @throws IllegalArgumentException if two columns share a name, there are none, or a composite index names an unknown column
     */
    public TableIndex(List<Column<?>> columns, List<CompositeIndex> composites) {
        this(columns, createComposites(List.copyOf(columns), composites), null, null, null);
    }

    private TableIndex(List<Column<?>> columns, CompositeKeys[] composites, WideKeyIndex[] built, WideKeyIndex builtNulls, RowStore builtStore) {
        this.columns = List.copyOf(columns);
        this.byName.putAll(names(this.columns));
        this.composites = composites;
        this.indexes = new WideKeyIndex[this.columns.size()];
        for (int i = 0; i < indexes.length; i++) indexes[i] = built != null ? built[i] : new WideKeyIndex();
        this.nulls = builtNulls != null ? builtNulls : new WideKeyIndex();
        this.store = builtStore != null ? builtStore : new RowStore(this.columns.size(), keepValues(this.columns));
        for (int i = 0; i < STRIPES; i++) stripes[i] = new Object();
        WideKeyReads[] columnReads = new WideKeyReads[indexes.length];
        for (int i = 0; i < indexes.length; i++) columnReads[i] = indexes[i].reads();
        CompositeReads[] compositeReads = new CompositeReads[composites.length];
        for (int i = 0; i < composites.length; i++) compositeReads[i] = composites[i].reads();
        this.reads = new TableReads(this.columns, byName, columnReads, nulls.reads(), compositeReads, store);
    }

    /** Column numbers by name. @throws IllegalArgumentException if two columns share a name or there are none */
    private static Map<String, Integer> names(List<Column<?>> cols) {
        if (cols.isEmpty()) throw new IllegalArgumentException("a table index needs at least one column");
        Map<String, Integer> byName = new HashMap<>();
        for (int i = 0; i < cols.size(); i++) {
            if (byName.put(cols.get(i).name(), i) != null) {
                throw new IllegalArgumentException("two columns are named '" + cols.get(i).name() + "'");
            }
        }
        return byName;
    }

    /** Empty composite indexes. @throws IllegalArgumentException as {@link CompositeKeys#create} */
    private static CompositeKeys[] createComposites(List<Column<?>> cols, List<CompositeIndex> definitions) {
        Map<String, Integer> byName = names(cols);
        CompositeKeys[] out = new CompositeKeys[definitions.size()];
        for (int i = 0; i < out.length; i++) out[i] = CompositeKeys.create(definitions.get(i), cols, byName);
        return out;
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
        return fromRows(columns, List.of(), rows);
    }

    /**
     * {@link #fromRows(List, List)} with composite indexes (see {@link CompositeIndex}), each loaded with the rows.
     *
     * @param columns the columns
     * @param composites the composite indexes
     * @param rows each row's values, one per column in column order (null: a null value)
     * @return the index
     * @throws IllegalArgumentException naming the row, column and value that does not fit, an unknown
     *         column of a composite index, or a composite index whose rows have more prefixes than its bound
     */
    public static TableIndex fromRows(List<Column<?>> columns, List<CompositeIndex> composites, List<Object[]> rows) {
        List<Column<?>> cols = List.copyOf(columns);
        Object[][] table = new Object[rows.size()][];
        for (int r = 0; r < table.length; r++) {
            table[r] = rows.get(r).clone();
            if (table[r].length != cols.size()) {
                throw new IllegalArgumentException("row " + r + ": " + table[r].length + " values for " + cols.size() + " columns");
            }
        }
        return build(cols, composites, table.length, (c, r) -> table[r][c]);
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
        return fromColumns(columns, List.of(), columnArrays);
    }

    /**
     * {@link #fromColumns(List, Object...)} with composite indexes (see {@link CompositeIndex}), each loaded with the rows.
     *
     * @param columns the columns
     * @param composites the composite indexes
     * @param columnArrays one array per column
     * @return the index
     * @throws IllegalArgumentException as {@link #fromColumns(List, Object...)}, or for a composite
     *         index naming an unknown column or whose rows have more prefixes than its bound
     */
    public static TableIndex fromColumns(List<Column<?>> columns, List<CompositeIndex> composites, Object... columnArrays) {
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
        return build(cols, composites, n, (c, r) -> switch (columnArrays[c]) {
            case Object[] a -> a[r];
            case int[] a -> a[r];
            case long[] a -> a[r];
            case double[] a -> a[r];
            default -> Array.get(columnArrays[c], r); // boxes the other primitives
        });
    }

    /** Row r's value of column c. */
    interface Cells {
        Object get(int column, int row);
    }

    private static TableIndex build(List<Column<?>> cols, List<CompositeIndex> compositeDefinitions, int n, Cells cells) {
        CompositeKeys[] composites = createComposites(cols, compositeDefinitions);
        int nc = cols.size();
        long[][] keys = new long[nc][];
        RowStore store = new RowStore(nc, keepValues(cols));
        LongArray nullPairs = new LongArray();
        for (int c = 0; c < nc; c++) {
            Column<?> col = cols.get(c);
            long[] k = keys[c] = new long[n];
            for (int r = 0; r < n; r++) {
                Object v = cells.get(c, r);
                if (v == null) {
                    nullPairs.add(((long) c << 32) | r);
                    continue;
                }
                try {
                    k[r] = col.indexKey(v);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("row " + r + ": " + e.getMessage(), e);
                }
            }
        }
        store.load(n, keys, (c, r) -> cells.get(c, r), nullPairs.values, nullPairs.size);
        int[] nullCount = new int[nc];
        for (int i = 0; i < nullPairs.size; i++) nullCount[(int) (nullPairs.values[i] >>> 32)]++;
        WideKeyIndex[] built = new WideKeyIndex[nc];
        TableIndex t = null;
        try {
            boolean[] rowNulls = new boolean[nc];
            for (CompositeKeys k : composites) { // before the column loads below sort their keys
                k.load(n, keys, r -> {
                    for (int c = 0; c < nc; c++) rowNulls[c] = store.isNull(r, c);
                    return rowNulls;
                });
            }
            for (int c = 0; c < nc; c++) {
                if (nullCount[c] == 0) {
                    built[c] = WideKeyIndex.loadRowOrder(keys[c], n, true); // sorts keys[c]: the store has its copy
                } else {
                    long[] k = new long[n - nullCount[c]];
                    int[] rows = new int[k.length];
                    int m = 0;
                    for (int r = 0; r < n; r++) {
                        if (store.isNull(r, c)) continue;
                        k[m] = keys[c][r];
                        rows[m++] = r;
                    }
                    built[c] = WideKeyIndex.load(true, k, rows, m);
                }
                keys[c] = null;
            }
            long[] nk = new long[nullPairs.size];
            int[] nr = new int[nullPairs.size];
            for (int i = 0; i < nk.length; i++) {
                nk[i] = nullPairs.values[i] >>> 32;
                nr[i] = (int) nullPairs.values[i];
            }
            t = new TableIndex(cols, composites, built, WideKeyIndex.load(true, nk, nr, nk.length), store);
        } finally {
            if (t == null) {
                for (WideKeyIndex w : built) if (w != null) w.close();
                for (CompositeKeys k : composites) k.close();
            }
        }
        return t;
    }

    private static boolean[] keepValues(List<Column<?>> cols) {
        boolean[] keep = new boolean[cols.size()];
        for (int i = 0; i < keep.length; i++) keep[i] = !cols.get(i).isExact();
        return keep;
    }

    /** A growable long array. */
    private static final class LongArray {
        long[] values = new long[16];
        int size;

        void add(long v) {
            if (size == values.length) values = java.util.Arrays.copyOf(values, 2 * size);
            values[size++] = v;
        }
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
            if (store.isLive(row)) throw new IllegalArgumentException("row " + row + " already exists");
            for (CompositeKeys k : composites) if (k.holds(v)) k.ensure(keys); // may refuse: nothing changed yet
            store.write(row, keys, v);
            store.setLive(row, true);
            for (int c = 0; c < keys.length; c++) add(c, v[c] == null, keys[c], row);
            for (CompositeKeys k : composites) if (k.holds(v)) k.insert(keys, row);
        }
    }

    /**
     * Replaces a row's values: new keys in, new values written, old keys out (see the class comment).
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
            if (!store.isLive(row)) throw new IllegalArgumentException("row " + row + " does not exist");
            int nc = keys.length;
            boolean[] wasNull = new boolean[nc];
            long[] oldKeys = new long[nc];
            boolean[] changed = new boolean[nc];
            for (int c = 0; c < nc; c++) {
                wasNull[c] = store.isNull(row, c);
                oldKeys[c] = wasNull[c] ? 0 : store.key(row, c);
                boolean isNull = v[c] == null;
                changed[c] = wasNull[c] != isNull || (!isNull && keys[c] != oldKeys[c]);
            }
            // per composite index: 1 the row leaves its entry, 2 enters a new one, 3 both (moves)
            int[] moves = new int[composites.length];
            for (int i = 0; i < composites.length; i++) {
                CompositeKeys k = composites[i];
                boolean was = k.holds(wasNull);
                boolean is = k.holds(v);
                if (was && is && k.sameEntry(oldKeys, keys)) continue;
                moves[i] = (was ? 1 : 0) | (is ? 2 : 0);
                if (is) k.ensure(keys); // may refuse: nothing changed yet
            }
            for (int c = 0; c < nc; c++) if (changed[c]) add(c, v[c] == null, keys[c], row);
            for (int i = 0; i < composites.length; i++) if ((moves[i] & 2) != 0) composites[i].insert(keys, row);
            store.write(row, keys, v);
            for (int c = 0; c < nc; c++) if (changed[c]) remove(c, wasNull[c], oldKeys[c], row);
            for (int i = 0; i < composites.length; i++) if ((moves[i] & 1) != 0) composites[i].delete(oldKeys, row);
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
            if (!store.isLive(row)) return false;
            boolean[] wasNull = new boolean[indexes.length];
            long[] oldKeys = new long[indexes.length];
            for (int c = 0; c < indexes.length; c++) {
                wasNull[c] = store.isNull(row, c);
                oldKeys[c] = wasNull[c] ? 0 : store.key(row, c);
                remove(c, wasNull[c], oldKeys[c], row);
            }
            for (CompositeKeys k : composites) if (k.holds(wasNull)) k.delete(oldKeys, row);
            store.setLive(row, false);
            return true;
        }
    }

    private void add(int column, boolean isNull, long key, int row) {
        if (isNull) nulls.insert(column, row);
        else indexes[column].insert(key, row);
    }

    private void remove(int column, boolean isNull, long key, int row) {
        if (isNull) nulls.delete(column, row);
        else indexes[column].delete(key, row);
    }

    /** The codec keys of a row's values (0 for a null), checking every value. */
    private static long[] encodeRow(List<Column<?>> cols, Object[] values) {
        if (values.length != cols.size()) {
            throw new IllegalArgumentException(values.length + " values for " + cols.size() + " columns");
        }
        long[] keys = new long[values.length];
        for (int c = 0; c < keys.length; c++) if (values[c] != null) keys[c] = cols.get(c).indexKey(values[c]);
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
        return reads.query(condition);
    }

    /**
     * The number of rows satisfying a condition. A predicate on one exact column (its whole
     * answer a union of key ranges: {@code eq}, {@code in}, a range, {@code isNull}), or a
     * conjunction one composite index answers ({@link CompositeIndex}), is counted
     * with the column index's counts ({@link WideKeyIndex#count}: an O(log n) range count of the
     * keys with one row, plus the sizes of the lists and bitmaps of keys with several), without
     * building the row bitmap; any other condition is counted as the cardinality of
     * {@link #query}'s answer. Under concurrent writes
     * it is exact for the rows no write touched while it ran, as {@link #query}.
     *
     * @param condition the condition
     * @return the number of rows
     * @throws IllegalArgumentException as {@link #query}
     */
    public long count(Condition condition) {
        return reads.count(condition);
    }

    /**
     * Whether {@link #count} answers a condition from range counts alone, with no row bitmap: a
     * predicate on one exact column, or a conjunction answered by one composite index
     * ({@link CompositeIndex}); O(log n) per key range.
     *
     * @param condition the condition
     * @return true if counted by range counts
     * @throws IllegalArgumentException as {@link #query}
     */
    public boolean countsByRanges(Condition condition) {
        return reads.countsByRanges(condition);
    }

    /**
     * Runs a query and returns its plan: each node's method, estimated and actual row count.
     *
     * @param condition the condition
     * @return the answer and its plan
     * @throws IllegalArgumentException as {@link #query}
     */
    public QueryPlan explain(Condition condition) {
        return reads.explain(condition);
    }

    /**
     * A row's values.
     *
     * @param row the row id
     * @return its values (a new array), or null if there is no such row; a value of an exact column
     *         is its codec's {@code decode} of the key ({@code compareTo}-equal to the value written:
     *         a {@code decimal(2)} column returns {@code 2.5} as {@code 2.50})
     */
    public Object[] row(int row) {
        return reads.row(row);
    }

    /** @return the number of rows */
    public int size() {
        return reads.size();
    }

    /** @return the columns, in order */
    public List<Column<?>> columns() {
        return columns;
    }

    /** @return the composite indexes, in the order given */
    public List<CompositeIndex> compositeIndexes() {
        List<CompositeIndex> out = new ArrayList<>(composites.length);
        for (CompositeKeys k : composites) out.add(k.definition);
        return List.copyOf(out);
    }

    /** @return the ids of the live rows, as a new bitmap */
    public RoaringBitmap liveRows() {
        return reads.liveRows();
    }

    /**
     * A read-only view of the whole table at one instant: every column index, the nulls index and
     * the row store, all as they were at that instant, so that {@link TableIndexSnapshot#query},
     * {@link TableIndexSnapshot#count}, {@link TableIndexSnapshot#explain},
     * {@link TableIndexSnapshot#row} and the rest are exact for it and agree with each other,
     * while writers go on.
     *
     * <p>How one instant is had across several trees and the row store: every table write (insert,
     * update, delete) runs entirely under its row's stripe monitor, and nothing else writes the
     * table's indexes or store. The snapshot holds all 64 stripes (taken in order,
     * so snapshots never deadlock with each other, and a writer holds one stripe only) while it
     * takes the snapshot of each index's trees and of the row store ({@link RowStore#snapshot}).
     * While it holds them no write is in progress, every earlier write is complete and visible
     * (monitor hand-off), and none can start, so all those snapshots show the same state: the
     * table after exactly the writes that released their stripe before the snapshot took it. The
     * instant is that of the last stripe acquired. Writers wait for the taking only (about
     * {@code 2 * (columns + 1)} tree snapshots and a copy of the row store's page directory, one
     * reference per 4,096 rows), never for the snapshot's life. Cost while it is open: pre-images
     * of the tree segments written (see {@link dev.cobtree.core.CobTreeSnapshot}) and a copy of
     * each row store page first written after it (see {@link RowStore}). Close it when done.
     *
     * @return the snapshot
     * @throws IllegalStateException if the table is closed
     */
    public TableIndexSnapshot snapshot() {
        return Stripes.holdingAll(stripes, () -> {
            List<WideKeyIndexSnapshot> taken = new ArrayList<>();
            RowStore.Frozen rows = null;
            try {
                WideKeyReads[] cols = new WideKeyReads[indexes.length];
                for (int c = 0; c < indexes.length; c++) {
                    WideKeyIndexSnapshot s = indexes[c].snapshotExcluded(); // the table's stripes exclude its writers
                    taken.add(s);
                    cols[c] = s.reads();
                }
                WideKeyIndexSnapshot n = nulls.snapshotExcluded();
                taken.add(n);
                CompositeReads[] comps = new CompositeReads[composites.length];
                for (int i = 0; i < comps.length; i++) comps[i] = composites[i].snapshotExcluded(taken);
                rows = store.snapshot();
                return new TableIndexSnapshot(new TableReads(columns, byName, cols, n.reads(), comps, rows), taken, rows);
            } catch (RuntimeException e) {
                for (WideKeyIndexSnapshot s : taken) s.close();
                if (rows != null) rows.close();
                throw e;
            }
        });
    }

    /**
     * Bytes held by the column indexes and composite indexes (their {@link WideKeyIndex#memoryBytes()}),
     * not counting the row store.
     *
     * @return the bytes
     */
    public long indexBytes() {
        long b = nulls.memoryBytes();
        for (WideKeyIndex i : indexes) b += i.memoryBytes();
        for (CompositeKeys k : composites) b += k.memoryBytes();
        return b;
    }

    /**
     * Bytes held: the column indexes ({@link #indexBytes()}) plus the row store's pages (8 bytes
     * per row and column for the keys, bitsets, and a reference per row for each inexact column;
     * the referenced values themselves not counted).
     *
     * @return the bytes
     */
    public long memoryBytes() {
        return indexBytes() + store.memoryBytes();
    }

    RowStore store() {
        return store;
    }

    @Override
    public void close() {
        for (WideKeyIndex i : indexes) i.close();
        nulls.close();
        for (CompositeKeys k : composites) k.close();
    }
}
