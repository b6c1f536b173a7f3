package dev.cobtree.calcite;

import dev.cobtree.query.Condition;
import dev.cobtree.query.TableIndex;

import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.roaringbitmap.IntIterator;
import org.roaringbitmap.RoaringBitmap;

import java.util.Arrays;

/**
 * The run-time side of a {@link CobtreeTableScan}: the code Calcite generates for a query calls
 * {@link #enumerable()} on it. Public only for that generated code; not an API.
 *
 * <p>Each enumeration asks the table index once ({@link TableIndex#query} for rows,
 * {@link TableIndex#count} for a count), then reads the rows of the answer one by one from the
 * row store and checks each against the pushed filter before returning it: a row written after
 * the index answered is returned only if its values read then still satisfy the filter.
 */
public final class CobtreeScan {

    private final CobtreeTable table;
    private final Pred filter;
    private final Condition condition;
    private final int countColumns; // -1: rows

    CobtreeScan(CobtreeTable table, Pred filter, int countColumns) {
        this.table = table;
        this.filter = filter;
        this.condition = filter == null ? null : filter.whereTrue();
        this.countColumns = countColumns;
    }

    /** Called by generated code. @return the rows (one {@code Object[]} each) or the single row of counts */
    public Enumerable<Object[]> enumerable() {
        return new AbstractEnumerable<>() {
            @Override
            public Enumerator<Object[]> enumerator() {
                TableIndex index = table.index();
                if (countColumns >= 0) {
                    long n = condition == null ? index.size() : index.count(condition);
                    table.recordCount();
                    Object[] row = new Object[countColumns];
                    Arrays.fill(row, n);
                    return Linq4j.singletonEnumerator(row);
                }
                RoaringBitmap rows = condition == null ? index.liveRows() : index.query(condition);
                return new RowEnumerator(rows);
            }
        };
    }

    private final class RowEnumerator implements Enumerator<Object[]> {
        private final RoaringBitmap rows;
        private IntIterator it;
        private Object[] current;
        private long returned;

        RowEnumerator(RoaringBitmap rows) {
            this.rows = rows;
            this.it = rows.getIntIterator();
        }

        @Override
        public Object[] current() {
            return current;
        }

        @Override
        public boolean moveNext() {
            TableIndex index = table.index();
            while (it.hasNext()) {
                Object[] values = index.row(it.next());
                if (values == null) continue; // deleted since the index answered
                if (filter != null && !Boolean.TRUE.equals(filter.eval(values))) continue; // changed since
                current = table.toSql(values);
                returned++;
                return true;
            }
            return false;
        }

        @Override
        public void reset() {
            it = rows.getIntIterator();
            current = null;
        }

        @Override
        public void close() {
            table.recordScan(returned);
            returned = 0;
        }
    }
}
