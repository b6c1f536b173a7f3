package dev.cobtree.query;

import dev.cobtree.query.CompositeReads.Prefix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The live rows of one {@link CompositeIndex} of a {@link TableIndex}: one {@link WideKeyIndex}
 * per prefix (the codec keys of a row's leading columns), keyed by the last column's codec key,
 * holding the ids of the rows with that prefix and no null in the index's columns.
 *
 * <p>Writes come from the table, each under its row's stripe, in the table's order (a new
 * key in before the old one out, see {@link TableIndex}); a prefix's index is created, under this
 * object's monitor, before the write changes anything ({@link #ensure}), so a write refused for
 * the bound on prefixes changes nothing. Prefix indexes are never removed (a query may be reading
 * one), so the map only grows, up to the bound. Readers never lock: the map is a
 * {@link ConcurrentHashMap} and each prefix index is read as any {@link WideKeyIndex}.
 */
final class CompositeKeys implements AutoCloseable {

    final CompositeIndex definition;
    /** Column numbers: the leading columns, then the last. */
    final int[] columns;
    private final List<Column<?>> tableColumns;
    private final ConcurrentHashMap<Prefix, WideKeyIndex> prefixes = new ConcurrentHashMap<>();

    private CompositeKeys(CompositeIndex definition, int[] columns, List<Column<?>> tableColumns) {
        this.definition = definition;
        this.columns = columns;
        this.tableColumns = tableColumns;
    }

    /** An empty composite index over a table's columns. @throws IllegalArgumentException naming an unknown column */
    static CompositeKeys create(CompositeIndex definition, List<Column<?>> tableColumns, Map<String, Integer> byName) {
        List<String> names = definition.columns();
        int[] cols = new int[names.size()];
        for (int i = 0; i < cols.length; i++) {
            Integer c = byName.get(names.get(i));
            if (c == null) {
                throw new IllegalArgumentException("composite index " + definition + ": unknown column '" + names.get(i)
                        + "'; columns are " + byName.keySet());
            }
            cols[i] = c;
        }
        return new CompositeKeys(definition, cols, tableColumns);
    }

    /**
     * Loads the rows of a table being built: row {@code r}'s codec key of column {@code c} is
     * {@code keys[c][r]} (unsorted, row order), {@code isNull.apply(r)[c]} tells its nulls.
     *
     * @throws IllegalArgumentException if the rows have more prefixes than the bound (naming it)
     */
    void load(int n, long[][] keys, IntFunction<boolean[]> isNull) {
        int last = columns[columns.length - 1];
        Map<Prefix, Group> groups = new HashMap<>();
        Group[] of = new Group[n];
        for (int r = 0; r < n; r++) {
            if (!holds(isNull.apply(r))) continue;
            long[] p = new long[columns.length - 1];
            for (int i = 0; i < p.length; i++) p[i] = keys[columns[i]][r];
            Prefix key = new Prefix(p);
            Group g = groups.get(key);
            if (g == null) {
                if (groups.size() == definition.maxPrefixes()) throw tooMany(key);
                groups.put(key, g = new Group());
            }
            g.size++;
            of[r] = g;
        }
        groups.values().forEach(g -> {
            g.keys = new long[g.size];
            g.rows = new int[g.size];
        });
        for (int r = 0; r < n; r++) {
            Group g = of[r];
            if (g == null) continue;
            g.keys[g.filled] = keys[last][r];
            g.rows[g.filled++] = r;
        }
        try {
            groups.forEach((p, g) -> prefixes.put(p, WideKeyIndex.load(true, g.keys, g.rows, g.size)));
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The rows of one prefix, gathered for {@link #load}. */
    private static final class Group {
        int size;
        int filled;
        long[] keys;
        int[] rows;
    }

    /** Whether a row with these nulls (one flag per table column) is in the index: no null in its columns. */
    boolean holds(boolean[] isNull) {
        for (int c : columns) if (isNull[c]) return false;
        return true;
    }

    /** Whether a row with these values (one per table column, null: a null) is in the index. */
    boolean holds(Object[] values) {
        for (int c : columns) if (values[c] == null) return false;
        return true;
    }

    /** The prefix of a row's codec keys (one per table column). */
    Prefix prefix(long[] keys) {
        long[] p = new long[columns.length - 1];
        for (int i = 0; i < p.length; i++) p[i] = keys[columns[i]];
        return new Prefix(p);
    }

    /** Whether two rows' keys (one per table column, both held) are under one prefix and last key. */
    boolean sameEntry(long[] a, long[] b) {
        for (int c : columns) if (a[c] != b[c]) return false;
        return true;
    }

    /**
     * Creates the prefix's index if the table has none yet, before a write that needs it changes anything.
     *
     * @throws IllegalArgumentException if that would exceed {@link CompositeIndex#maxPrefixes()}, naming the index and the prefix
     */
    void ensure(long[] keys) {
        Prefix p = prefix(keys);
        if (prefixes.containsKey(p)) return;
        synchronized (this) { // one creator at a time, so that the bound is exact
            if (prefixes.containsKey(p)) return;
            if (prefixes.size() >= definition.maxPrefixes()) throw tooMany(p);
            prefixes.put(p, new WideKeyIndex());
        }
    }

    private IllegalArgumentException tooMany(Prefix p) {
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < p.keys().length; i++) {
            Column<?> c = tableColumns.get(columns[i]);
            if (i > 0) values.append(", ");
            values.append(c.name()).append('=').append(c.codec().decode(p.keys()[i]));
        }
        return new IllegalArgumentException("composite index " + definition + " already holds " + definition.maxPrefixes()
                + " distinct prefixes (its maxPrefixes); a row with " + values + " would add another");
    }

    /** Adds a row (its codec keys, one per table column; held, its prefix {@link #ensure}d). */
    void insert(long[] keys, int row) {
        prefixes.get(prefix(keys)).insert(keys[columns[columns.length - 1]], row);
    }

    /** Removes a row (its codec keys, one per table column; held). */
    void delete(long[] keys, int row) {
        WideKeyIndex w = prefixes.get(prefix(keys));
        if (w != null) w.delete(keys[columns[columns.length - 1]], row);
    }

    /** The live reads. */
    CompositeReads reads() {
        return new CompositeReads(definition, columns, p -> {
            WideKeyIndex w = prefixes.get(p);
            return w == null ? null : w.reads();
        });
    }

    /** Reads over a snapshot of every prefix index, the table's writers excluded; the snapshots are added to {@code taken}. */
    CompositeReads snapshotExcluded(List<WideKeyIndexSnapshot> taken) {
        Map<Prefix, WideKeyReads> frozen = new HashMap<>();
        for (Map.Entry<Prefix, WideKeyIndex> e : prefixes.entrySet()) {
            WideKeyIndexSnapshot s = e.getValue().snapshotExcluded();
            taken.add(s);
            frozen.put(e.getKey(), s.reads());
        }
        return new CompositeReads(definition, columns, frozen::get);
    }

    /** Bytes held by the prefix indexes. */
    long memoryBytes() {
        long b = 0;
        for (WideKeyIndex w : prefixes.values()) b += w.memoryBytes();
        return b;
    }

    @Override
    public void close() {
        for (WideKeyIndex w : new ArrayList<>(prefixes.values())) w.close();
    }

    @Override
    public String toString() {
        return "composite index " + definition + " (" + prefixes.size() + " prefixes; columns " + Arrays.toString(columns) + ")";
    }
}
