package dev.cobtree.query;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A composite index of a {@link TableIndex}: its <em>leading</em> columns (all but the last) and
 * its <em>last</em> column, as in {@code CREATE INDEX ... ON orders (status, city, time)}. The
 * table keeps, for every combination of leading values that a row holds (its <em>prefix</em>),
 * an index of those rows by the last column, so that a conjunction of {@code eq}/{@code in} on
 * every leading column and any predicate on the last column ({@code eq}, {@code in}, a range) is
 * answered from exactly the rows that satisfy all of it: no row of another prefix is read, no row
 * store probe is needed. "Shipped orders in Oslo in the last hour" reads the last hour of the
 * (SHIPPED, Oslo) index rather than intersecting or probing three single-column answers.
 *
 * <p>The planner uses a composite index wherever an AND has those predicates (the other
 * predicates of the AND are combined with its answer as usual; {@code explain()} names it); it
 * never changes an answer, only how it is found. Rows with a null in any of its columns are not in
 * it (no {@code eq}, {@code in} or range matches a null, so no answer needs them).
 *
 * <p>Leading columns should have few distinct values (statuses, categories, cities, flags): each
 * prefix holds its own index, so the number of distinct prefixes is bounded by
 * {@link #maxPrefixes()}; a write that would add a prefix beyond it is refused with an
 * {@link IllegalArgumentException} naming the index and the values, and changes nothing. A
 * prefix keeps its (empty) index after its last row goes.
 *
 * @param columns the column names, leading columns first, the last column last (at least two, distinct)
 * @param maxPrefixes the most distinct prefixes (combinations of leading values) the index may hold
 */
public record CompositeIndex(List<String> columns, int maxPrefixes) {

    /** The default bound on distinct prefixes. */
    public static final int DEFAULT_MAX_PREFIXES = 1024;
    /** The most prefixes one query reads (the product of its {@code in} lists on the leading columns); beyond, the index is not used. */
    static final int MAX_QUERY_PREFIXES = 256;

    /**
     * @throws IllegalArgumentException with fewer than two columns, a repeated column, or {@code maxPrefixes < 1}
     */
    public CompositeIndex {
        columns = List.copyOf(columns);
        if (columns.size() < 2) {
            throw new IllegalArgumentException("a composite index needs at least two columns, got " + columns);
        }
        if (new HashSet<>(columns).size() != columns.size()) {
            throw new IllegalArgumentException("a composite index names a column twice: " + columns);
        }
        if (maxPrefixes < 1) throw new IllegalArgumentException("maxPrefixes " + maxPrefixes + " is not positive");
    }

    /**
     * A composite index on these columns, leading columns first, with the default bound on prefixes.
     *
     * @param columns the column names
     * @return the index definition
     * @throws IllegalArgumentException as the constructor
     */
    public static CompositeIndex on(String... columns) {
        Objects.requireNonNull(columns, "columns");
        return new CompositeIndex(List.of(columns), DEFAULT_MAX_PREFIXES);
    }

    /**
     * This index with another bound on distinct prefixes.
     *
     * @param max the bound
     * @return the index definition
     * @throws IllegalArgumentException if {@code max < 1}
     */
    public CompositeIndex withMaxPrefixes(int max) {
        return new CompositeIndex(columns, max);
    }

    /** @return the leading columns' names */
    public List<String> leading() {
        return columns.subList(0, columns.size() - 1);
    }

    /** @return the last column's name */
    public String last() {
        return columns.get(columns.size() - 1);
    }

    @Override
    public String toString() {
        return "(" + String.join(", ", columns) + ")";
    }
}
