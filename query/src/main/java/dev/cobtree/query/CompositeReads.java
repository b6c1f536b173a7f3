package dev.cobtree.query;

import java.util.Arrays;
import java.util.function.Function;

/**
 * The reads of one {@link CompositeIndex} of a table, as the planner sees them: the column
 * numbers (leading columns, then the last) and, for a prefix (the leading columns' codec keys),
 * the {@link WideKeyReads} of that prefix's index by the last column, or null if the table has no
 * such prefix. A live table's are its live indexes ({@link CompositeKeys#reads}); a snapshot's are
 * the snapshots of all of them, taken at the table's instant.
 */
final class CompositeReads {

    /** A prefix: the codec keys of a row's leading columns, compared by value. */
    record Prefix(long[] keys) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Prefix p && Arrays.equals(keys, p.keys);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(keys);
        }

        @Override
        public String toString() {
            return Arrays.toString(keys);
        }
    }

    final CompositeIndex definition;
    /** Column numbers: the leading columns in order, then the last column. */
    final int[] columns;
    private final Function<Prefix, WideKeyReads> lookup;

    CompositeReads(CompositeIndex definition, int[] columns, Function<Prefix, WideKeyReads> lookup) {
        this.definition = definition;
        this.columns = columns;
        this.lookup = lookup;
    }

    /** The index of rows with these leading keys, by the last column; null if no row ever had them. */
    WideKeyReads sub(long[] prefix) {
        return lookup.apply(new Prefix(prefix));
    }
}
