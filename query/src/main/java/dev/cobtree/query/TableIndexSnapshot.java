package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.List;

/**
 * A read-only view of a {@link TableIndex} at one instant, taken by {@link TableIndex#snapshot()}:
 * the snapshots of every column index, of the nulls index and of the row store, all taken while
 * the table's writers were excluded, so they show one state of the table. On it
 * {@link #query}, {@link #count}, {@link #explain}, {@link #row}, {@link #size} and
 * {@link #liveRows} run the live table's code (the same planner, over {@link TableReads}) and are
 * <b>exact</b> for that instant: several conditions evaluated on one snapshot agree with each
 * other and with the rows read from it, whatever writers do meanwhile (on the live table a query
 * is exact only for the rows no write touched while it ran).
 *
 * <p>Writers never wait for it once taken. While it is open, the first write to each tree segment
 * keeps a pre-image of it and the first write to each row store page copies the page (about
 * 33 KB per column per 4,096 rows); both are released when it closes. Close it promptly
 * ({@code try}-with-resources).
 *
 * <p>Thread-safe: several threads may query one snapshot. {@link #close()} is idempotent;
 * closing the table closes its snapshots. Any read after close throws
 * {@link IllegalStateException}; closing it while a query on it runs makes that query's answer
 * unspecified (it may throw).
 */
public final class TableIndexSnapshot implements AutoCloseable {

    private final TableReads reads;
    private final List<WideKeyIndexSnapshot> indexes;
    private final RowStore.Frozen rows;
    private volatile boolean closed;

    TableIndexSnapshot(TableReads reads, List<WideKeyIndexSnapshot> indexes, RowStore.Frozen rows) {
        this.reads = reads;
        this.indexes = List.copyOf(indexes);
        this.rows = rows;
    }

    /**
     * The rows satisfying a condition at the snapshot's instant.
     *
     * @param condition the condition
     * @return a new bitmap of row ids
     * @throws IllegalArgumentException as {@link TableIndex#query}
     */
    public RoaringBitmap query(Condition condition) {
        checkOpen();
        return reads.query(condition);
    }

    /**
     * The number of rows satisfying a condition at the snapshot's instant (the live table's
     * counting, see {@link TableIndex#count}); equal to {@code query(condition).getCardinality()}.
     *
     * @param condition the condition
     * @return the number of rows
     */
    public long count(Condition condition) {
        checkOpen();
        return reads.count(condition);
    }

    /**
     * Runs a query on the snapshot and returns its plan with estimated and actual row counts.
     *
     * @param condition the condition
     * @return the answer and its plan
     */
    public QueryPlan explain(Condition condition) {
        checkOpen();
        return reads.explain(condition);
    }

    /**
     * A row's values at the snapshot's instant, as {@link TableIndex#row}.
     *
     * @param row the row id
     * @return its values (a new array), or null if there was no such row
     */
    public Object[] row(int row) {
        checkOpen();
        return reads.row(row);
    }

    /** @return the number of rows at the snapshot's instant */
    public int size() {
        checkOpen();
        return reads.size();
    }

    /** @return the ids of the rows live at the snapshot's instant, as a new bitmap */
    public RoaringBitmap liveRows() {
        checkOpen();
        return reads.liveRows();
    }

    /** @return the columns, in order */
    public List<Column<?>> columns() {
        return reads.columns();
    }

    /** Heap bytes of the pre-images the index snapshots hold (the row store's page copies not included). */
    public long preImageBytes() {
        long b = 0;
        for (WideKeyIndexSnapshot s : indexes) b += s.preImageBytes();
        return b;
    }

    public boolean isClosed() {
        if (closed) return true;
        for (WideKeyIndexSnapshot s : indexes) if (s.isClosed()) return true; // the table was closed
        return false;
    }

    /** Releases every snapshot it holds; idempotent. Later reads throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        for (WideKeyIndexSnapshot s : indexes) s.close();
        rows.close();
    }

    private void checkOpen() {
        if (isClosed()) throw new IllegalStateException("TableIndexSnapshot is closed");
    }
}
