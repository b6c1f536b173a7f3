package dev.cobtree.calcite;

import dev.cobtree.query.Condition;

import java.util.ArrayList;
import java.util.List;

/**
 * A pushed SQL predicate over the columns of a table index, with SQL's three-valued logic: it is
 * turned into the {@link Condition} of the rows where it is TRUE ({@link #whereTrue}) and,
 * for NOT, of the rows where it is FALSE ({@link #whereFalse}); a Condition itself is two-valued
 * (its {@code not} includes the nulls), so the FALSE set of a comparison excludes its column's
 * nulls explicitly. {@link #eval} evaluates it on one row's stored values, so that the rows the
 * index returns are checked against the values actually read.
 */
sealed interface Pred {

    /** The column's value lies in one of the intervals (unknown on null). */
    record Leaf(SqlColumn column, List<SqlColumn.Interval> intervals) implements Pred {
        public Leaf {
            intervals = intervals.stream().filter(i -> i != SqlColumn.EMPTY).toList();
        }
    }

    /** The column is null (never unknown). */
    record IsNull(SqlColumn column) implements Pred {
    }

    record And(List<Pred> children) implements Pred {
    }

    record Or(List<Pred> children) implements Pred {
    }

    record Not(Pred child) implements Pred {
    }

    /** TRUE, FALSE or null (unknown) for a row's stored values. */
    default Boolean eval(Object[] row) {
        return switch (this) {
            case Leaf l -> {
                Object v = row[l.column().index];
                if (v == null) yield null;
                for (SqlColumn.Interval i : l.intervals()) if (l.column().contains(i, v)) yield true;
                yield false;
            }
            case IsNull n -> row[n.column().index] == null;
            case And a -> {
                Boolean r = true;
                for (Pred c : a.children()) {
                    Boolean x = c.eval(row);
                    if (Boolean.FALSE.equals(x)) yield false;
                    if (x == null) r = null;
                }
                yield r;
            }
            case Or o -> {
                Boolean r = false;
                for (Pred c : o.children()) {
                    Boolean x = c.eval(row);
                    if (Boolean.TRUE.equals(x)) yield true;
                    if (x == null) r = null;
                }
                yield r;
            }
            case Not n -> {
                Boolean x = n.child().eval(row);
                yield x == null ? null : !x;
            }
        };
    }

    /** The rows where this predicate is TRUE. */
    default Condition whereTrue() {
        return switch (this) {
            case Leaf l -> leafCondition(l);
            case IsNull n -> Condition.isNull(n.column().name);
            case And a -> a.children().size() == 1 ? a.children().get(0).whereTrue()
                    : Condition.and(a.children().stream().map(Pred::whereTrue).toArray(Condition[]::new));
            case Or o -> o.children().size() == 1 ? o.children().get(0).whereTrue()
                    : Condition.or(o.children().stream().map(Pred::whereTrue).toArray(Condition[]::new));
            case Not n -> n.child().whereFalse();
        };
    }

    /** The rows where this predicate is FALSE (not unknown). */
    default Condition whereFalse() {
        return switch (this) {
            case Leaf l -> Condition.and(Condition.not(leafCondition(l)), Condition.not(Condition.isNull(l.column().name)));
            case IsNull n -> Condition.not(Condition.isNull(n.column().name));
            case And a -> a.children().size() == 1 ? a.children().get(0).whereFalse()
                    : Condition.or(a.children().stream().map(Pred::whereFalse).toArray(Condition[]::new));
            case Or o -> o.children().size() == 1 ? o.children().get(0).whereFalse()
                    : Condition.and(o.children().stream().map(Pred::whereFalse).toArray(Condition[]::new));
            case Not n -> n.child().whereTrue();
        };
    }

    private static Condition leafCondition(Leaf l) {
        String name = l.column().name;
        List<Object> points = new ArrayList<>();
        List<Condition> ranges = new ArrayList<>();
        for (SqlColumn.Interval i : l.intervals()) {
            Object lo = i.lo().value();
            Object hi = i.hi().value();
            if (lo != null && hi != null && i.lo().inclusive() && i.hi().inclusive() && l.column().order.compare(lo, hi) == 0) {
                points.add(lo);
            } else {
                ranges.add(Condition.range(name, lo, i.lo().inclusive(), hi, i.hi().inclusive()));
            }
        }
        if (points.size() == 1) ranges.add(Condition.eq(name, points.get(0)));
        if (points.size() > 1) ranges.add(Condition.in(name, points.toArray()));
        return ranges.size() == 1 ? ranges.get(0) : Condition.or(ranges.toArray(Condition[]::new));
    }
}
