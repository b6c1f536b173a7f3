package dev.cobtree.query;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A condition on the rows of a {@link TableIndex}: predicates on one column each ({@code eq},
 * {@code in}, a range with inclusive or exclusive ends, {@code isNull}) combined with
 * {@code and}, {@code or} and {@code not}. A condition names its columns; the table checks the
 * names and the value types when it is queried.
 *
 * <h2>Nulls</h2>
 * Two-valued logic: {@code eq}, {@code in} and ranges are false on a null value, {@code isNull}
 * true, and {@code not(c)} holds exactly where {@code c} does not, so {@code not(eq("a", 1))}
 * includes the rows whose {@code a} is null (unlike SQL's three-valued {@code NOT}).
 */
public sealed interface Condition {

    /** The column equals {@code value}. */
    record Eq(String column, Object value) implements Condition {
        public Eq {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(value, () -> "eq(" + column + ", null): use isNull");
        }

        @Override
        public String toString() {
            return column + " = " + value;
        }
    }

    /** The column equals one of {@code values}. */
    record In(String column, List<Object> values) implements Condition {
        public In {
            Objects.requireNonNull(column, "column");
            for (Object v : values) Objects.requireNonNull(v, () -> "in(" + column + ", ..null..): use isNull");
            values = List.copyOf(values);
        }

        @Override
        public String toString() {
            return column + " in " + values;
        }
    }

    /** The column lies between {@code from} and {@code to}; a null bound is unbounded. */
    record Between(String column, Object from, boolean fromInclusive, Object to, boolean toInclusive) implements Condition {
        public Between {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public String toString() {
            return column + " in " + (from == null ? "(-inf" : (fromInclusive ? "[" : "(") + from) + ", "
                    + (to == null ? "+inf)" : to + (toInclusive ? "]" : ")"));
        }
    }

    /** The column is null. */
    record IsNull(String column) implements Condition {
        public IsNull {
            Objects.requireNonNull(column, "column");
        }

        @Override
        public String toString() {
            return column + " is null";
        }
    }

    /** Every condition holds (true if there are none). */
    record And(List<Condition> conditions) implements Condition {
        public And {
            conditions = List.copyOf(conditions);
        }

        @Override
        public String toString() {
            return conditions.stream().map(Object::toString).collect(Collectors.joining(" and ", "(", ")"));
        }
    }

    /** Some condition holds (false if there are none). */
    record Or(List<Condition> conditions) implements Condition {
        public Or {
            conditions = List.copyOf(conditions);
        }

        @Override
        public String toString() {
            return conditions.stream().map(Object::toString).collect(Collectors.joining(" or ", "(", ")"));
        }
    }

    /** The condition does not hold. */
    record Not(Condition condition) implements Condition {
        public Not {
            Objects.requireNonNull(condition, "condition");
        }

        @Override
        public String toString() {
            return "not " + condition;
        }
    }

    static Condition eq(String column, Object value) {
        return new Eq(column, value);
    }

    static Condition in(String column, Object... values) {
        return new In(column, List.of(values));
    }

    /** A range; a null bound is unbounded on its side. The table refuses {@code from > to}. */
    static Condition range(String column, Object from, boolean fromInclusive, Object to, boolean toInclusive) {
        return new Between(column, from, fromInclusive, to, toInclusive);
    }

    /** {@code from <= value <= to}. */
    static Condition between(String column, Object from, Object to) {
        return new Between(column, Objects.requireNonNull(from, "from"), true, Objects.requireNonNull(to, "to"), true);
    }

    static Condition atLeast(String column, Object from) {
        return new Between(column, Objects.requireNonNull(from, "from"), true, null, false);
    }

    static Condition greaterThan(String column, Object from) {
        return new Between(column, Objects.requireNonNull(from, "from"), false, null, false);
    }

    static Condition atMost(String column, Object to) {
        return new Between(column, null, false, Objects.requireNonNull(to, "to"), true);
    }

    static Condition lessThan(String column, Object to) {
        return new Between(column, null, false, Objects.requireNonNull(to, "to"), false);
    }

    static Condition isNull(String column) {
        return new IsNull(column);
    }

    static Condition and(Condition... conditions) {
        return new And(List.of(conditions));
    }

    static Condition or(Condition... conditions) {
        return new Or(List.of(conditions));
    }

    static Condition not(Condition condition) {
        return new Not(condition);
    }
}
