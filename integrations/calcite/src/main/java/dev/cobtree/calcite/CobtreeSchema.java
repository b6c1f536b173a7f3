package dev.cobtree.calcite;

import dev.cobtree.query.TableIndex;

import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A Calcite schema of {@link TableIndex}es, one {@link CobtreeTable} each. Add it to a
 * connection's root schema ({@link CobtreeSql#connect} does), or name
 * {@link CobtreeSchemaFactory} in a model file.
 *
 * <h2>What is pushed into the index</h2>
 * Each conjunct of a {@code WHERE} clause on a table's columns is answered by the table index
 * when it is made of {@code =, <>, <, <=, >, >=, BETWEEN, IN, IS [NOT] NULL} between a column
 * and a literal, combined with AND, OR and NOT (SQL's three-valued logic is kept: the rows where
 * {@code NOT p} holds are those where {@code p} is false, not unknown). Conjuncts with anything
 * else (functions, arithmetic, two columns, a dynamic parameter, a literal the column cannot
 * hold exactly, a range on a UUID column, whose string order is not the index order) stay in a
 * Calcite filter above the scan. A {@code COUNT(*)} with no {@code GROUP BY} over a scan whose
 * whole filter was pushed is answered by {@link TableIndex#count}. {@code EXPLAIN PLAN FOR}
 * shows the pushed filter as the scan's {@code index} and the count as its {@code count}.
 */
public final class CobtreeSchema extends AbstractSchema {

    private final Map<String, Table> tables;

    /**
     * A schema of the given tables.
     *
     * @param tables table name to index, in the order to list them
     * @throws IllegalArgumentException naming a column of an unsupported type
     */
    public CobtreeSchema(Map<String, TableIndex> tables) {
        Map<String, Table> m = new LinkedHashMap<>();
        for (Map.Entry<String, TableIndex> e : tables.entrySet()) {
            m.put(Objects.requireNonNull(e.getKey(), "table name"), new CobtreeTable(e.getValue()));
        }
        this.tables = Map.copyOf(m);
    }

    @Override
    protected Map<String, Table> getTableMap() {
        return tables;
    }

    /**
     * A table of this schema.
     *
     * @param name the table's name
     * @return the table, or null if there is none of that name
     */
    public CobtreeTable table(String name) {
        return (CobtreeTable) tables.get(name);
    }
}
