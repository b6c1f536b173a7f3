package dev.cobtree.calcite;

import dev.cobtree.query.Column;
import dev.cobtree.query.TableIndex;

import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link TableIndex} as a Calcite table: one SQL column per index column, every column
 * indexed. Filters on the columns are answered by the index (see {@link CobtreeSchema} for what
 * is pushed), the rest by Calcite.
 *
 * <h2>SQL types</h2>
 * {@code Boolean} BOOLEAN, {@code Byte} TINYINT, {@code Short} SMALLINT, {@code Integer}
 * INTEGER, {@code Long} BIGINT, {@code Float} REAL, {@code Double} DOUBLE, {@code BigDecimal}
 * DECIMAL(19, scale of the codec), {@code LocalDate} DATE, {@code Instant} TIMESTAMP(3) in UTC,
 * {@code LocalDateTime} TIMESTAMP(3), {@code String} VARCHAR, an enum VARCHAR (its constant's
 * name), {@code UUID} VARCHAR(36) (its {@code toString}); every column nullable. Timestamps
 * are seen by SQL at millisecond precision (floored); a predicate on them is translated with
 * that floor, so it selects exactly the rows whose SQL value satisfies it.
 *
 * <p>The table reads the index live: rows written to the {@code TableIndex} are seen by the
 * next query (see {@code docs/SQL.md} on what a query sees while writes run). SQL
 * {@code INSERT}, {@code UPDATE}, {@code DELETE} are not supported; write through the
 * {@code TableIndex}. Thread-safe.
 */
public final class CobtreeTable extends AbstractTable implements TranslatableTable {

    private final TableIndex index;
    private final List<SqlColumn> columns;
    private final LongAdder scans = new LongAdder();
    private final LongAdder rowsReturned = new LongAdder();
    private final LongAdder counts = new LongAdder();

    /**
     * A table over an index.
     *
     * @param index the table index (not closed by the table)
     * @throws IllegalArgumentException naming a column whose type has no SQL type here
     */
    public CobtreeTable(TableIndex index) {
        this.index = Objects.requireNonNull(index, "index");
        List<SqlColumn> cols = new ArrayList<>();
        List<Column<?>> indexColumns = index.columns();
        for (int i = 0; i < indexColumns.size(); i++) cols.add(new SqlColumn(i, indexColumns.get(i)));
        this.columns = List.copyOf(cols);
    }

    /** @return the table index */
    public TableIndex index() {
        return index;
    }

    List<SqlColumn> columns() {
        return columns;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
        RelDataTypeFactory.Builder b = typeFactory.builder();
        for (SqlColumn c : columns) b.add(c.name, c.sqlType(typeFactory));
        return b.build();
    }

    @Override
    public Statistic getStatistic() {
        return Statistics.of(index.size(), List.of());
    }

    @Override
    public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
        return new CobtreeTableScan(context.getCluster(), relOptTable, this, null, null);
    }

    Object[] toSql(Object[] values) {
        Object[] out = new Object[values.length];
        for (int i = 0; i < values.length; i++) out[i] = columns.get(i).toSql(values[i]);
        return out;
    }

    void recordScan(long rows) {
        scans.increment();
        rowsReturned.add(rows);
    }

    void recordCount() {
        counts.increment();
    }

    /**
     * What the table has done for queries so far.
     *
     * @param scans row scans run (each closes after returning its rows)
     * @param rowsReturned rows the scans returned to Calcite, after the index's filtering
     * @param counts {@code COUNT(*)} queries answered by the index without returning rows
     */
    public record Stats(long scans, long rowsReturned, long counts) {
    }

    /** @return the counters of the scans and counts run so far */
    public Stats stats() {
        return new Stats(scans.sum(), rowsReturned.sum(), counts.sum());
    }

    @Override
    public String toString() {
        return "CobtreeTable" + columns;
    }
}
