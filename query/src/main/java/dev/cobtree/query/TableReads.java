package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reads of a {@link TableIndex}, written once over its sources: one {@link WideKeyReads} per
 * column, one for the nulls, the {@link CompositeReads} of each composite index, and the row
 * store's {@link RowReads}. A live {@link TableIndex} reads
 * its live indexes and store through one; a {@link TableIndexSnapshot} reads the snapshots of all
 * of them, taken at one instant, through another; the planner ({@link QueryPlanner}) sees only
 * this class.
 */
final class TableReads {

    private final List<Column<?>> columns;
    private final Map<String, Integer> byName;
    private final WideKeyReads[] indexes;
    private final WideKeyReads nulls; // key: column number
    private final CompositeReads[] composites;
    private final RowReads store;

    TableReads(List<Column<?>> columns, Map<String, Integer> byName, WideKeyReads[] indexes, WideKeyReads nulls,
               CompositeReads[] composites, RowReads store) {
        this.columns = columns;
        this.byName = byName;
        this.indexes = indexes;
        this.nulls = nulls;
        this.composites = composites;
        this.store = store;
    }

    RoaringBitmap query(Condition condition) {
        QueryPlanner p = new QueryPlanner(this, null);
        return p.evaluate(p.resolve(Objects.requireNonNull(condition, "condition")), 0);
    }

    long count(Condition condition) {
        QueryPlanner p = new QueryPlanner(this, null);
        QueryPlanner.Node n = p.resolve(Objects.requireNonNull(condition, "condition"));
        if (countedByRanges(n)) {
            QueryPlanner.Leaf l = (QueryPlanner.Leaf) n;
            long total = 0;
            for (int i = 0; i < l.lo.length; i++) total += l.rangeIndex[i].count(Range.closed(l.lo[i], l.hi[i]));
            return total;
        }
        return p.evaluate(n, 0).getLongCardinality();
    }

    /** Whether {@link #count} answers the condition by range counts alone (see {@link TableIndex#countsByRanges}). */
    boolean countsByRanges(Condition condition) {
        return countedByRanges(new QueryPlanner(this, null).resolve(Objects.requireNonNull(condition, "condition")));
    }

    /** A leaf without verified keys (a column's, or a composite index's) is counted from its ranges. */
    private static boolean countedByRanges(QueryPlanner.Node n) {
        return n instanceof QueryPlanner.Leaf l && l.verify.length == 0;
    }

    QueryPlan explain(Condition condition) {
        List<QueryPlan.Step> steps = new ArrayList<>();
        QueryPlanner p = new QueryPlanner(this, steps);
        RoaringBitmap rowsFound = p.evaluate(p.resolve(Objects.requireNonNull(condition, "condition")), 0);
        return new QueryPlan(rowsFound, steps);
    }

    Object[] row(int row) {
        if (row < 0 || !store.isLive(row)) return null;
        Object[] v = new Object[columns.size()];
        for (int c = 0; c < v.length; c++) {
            if (store.isNull(row, c)) continue;
            v[c] = store.keepsValue(c) ? store.value(row, c) : columns.get(c).codec().decode(store.key(row, c));
        }
        return v;
    }

    int size() {
        return store.size();
    }

    List<Column<?>> columns() {
        return columns;
    }

    RoaringBitmap liveRows() {
        return store.liveRows();
    }

    RowReads store() {
        return store;
    }

    WideKeyReads nulls() {
        return nulls;
    }

    int columnIndex(String name) {
        Integer c = byName.get(Objects.requireNonNull(name, "column"));
        if (c == null) throw new IllegalArgumentException("unknown column '" + name + "'; columns are " + byName.keySet());
        return c;
    }

    WideKeyReads index(int column) {
        return indexes[column];
    }

    /** The composite indexes, in the order the table was given them. */
    CompositeReads[] composites() {
        return composites;
    }
}
