package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Resolves a {@link Condition} against a {@link TableIndex} and evaluates it to a row bitmap.
 *
 * <h2>Plan</h2>
 * <ul>
 *   <li>A <b>leaf</b> (one column's predicate) becomes key ranges of the column's
 *       {@link SecondaryIndex}: <em>exact</em> ranges, whose rows all match, and, for a column
 *       whose index keys are shared by distinct values ({@link Column#isExact()} false), the one
 *       or two <em>verified</em> keys at the ends of the range, whose rows are checked against
 *       the stored values (the keys strictly between the ends can only hold matching values,
 *       by monotonicity). Its estimate is the sum of the ranges' {@code count}s: one O(log n)
 *       range count each, exact when nothing writes.</li>
 *   <li>An <b>AND</b> evaluates its children cheapest first (ascending estimate; a NOT child is
 *       estimated as the live rows minus its inner estimate, and applied as {@code andNot}).
 *       Once the intersection so far has at most 1/{@value #PROBE_FACTOR} of the next child's
 *       estimated rows, the remaining children are not built as bitmaps: each row of the
 *       intersection is looked up in the table's row store and tested against them
 *       ({@link Node#matches}). An empty intersection ends the AND.</li>
 *   <li>An <b>OR</b> unions its children's bitmaps; a top-level <b>NOT</b> subtracts its child
 *       from the live rows.</li>
 * </ul>
 * When a trace list is given, each node appends a {@link QueryPlan.Step}.
 */
final class QueryPlanner {

    /** Probe instead of building a bitmap when the rows so far are at most 1/PROBE_FACTOR of its estimate. */
    static final int PROBE_FACTOR = 8;

    private final TableIndex table;
    private final List<QueryPlan.Step> trace; // null: not traced

    QueryPlanner(TableIndex table, List<QueryPlan.Step> trace) {
        this.table = table;
        this.trace = trace;
    }

    /* ---- Nodes ---- */

    abstract static sealed class Node permits Leaf, AndNode, OrNode, NotNode {
        long estimate = -1; // memo

        /** Whether a row with these stored values satisfies the node. */
        abstract boolean matches(Object[] values);

        abstract String describe();
    }

    static final class Leaf extends Node {
        final Condition condition;
        final int column;
        final SecondaryIndex index;
        final List<Range> exact = new ArrayList<>();
        final List<Range> verify = new ArrayList<>();
        final Predicate<Object> test; // on non-null values; null for isNull

        Leaf(Condition condition, int column, SecondaryIndex index, Predicate<Object> test) {
            this.condition = condition;
            this.column = column;
            this.index = index;
            this.test = test;
        }

        @Override
        boolean matches(Object[] values) {
            Object v = values[column];
            return test == null ? v == null : v != null && test.test(v);
        }

        @Override
        String describe() {
            return condition.toString();
        }
    }

    static final class AndNode extends Node {
        final List<Node> children;

        AndNode(List<Node> children) {
            this.children = children;
        }

        @Override
        boolean matches(Object[] values) {
            for (Node c : children) if (!c.matches(values)) return false;
            return true;
        }

        @Override
        String describe() {
            return "AND";
        }
    }

    static final class OrNode extends Node {
        final List<Node> children;

        OrNode(List<Node> children) {
            this.children = children;
        }

        @Override
        boolean matches(Object[] values) {
            for (Node c : children) if (c.matches(values)) return true;
            return false;
        }

        @Override
        String describe() {
            return "OR";
        }
    }

    static final class NotNode extends Node {
        final Node child;

        NotNode(Node child) {
            this.child = child;
        }

        @Override
        boolean matches(Object[] values) {
            return !child.matches(values);
        }

        @Override
        String describe() {
            return "NOT";
        }
    }

    /* ---- Resolution: names, types, key ranges ---- */

    /** Resolves every column and value of the condition. @throws IllegalArgumentException naming a bad column or value */
    Node resolve(Condition c) {
        return switch (c) {
            case Condition.And a -> new AndNode(a.conditions().stream().map(this::resolve).toList());
            case Condition.Or o -> new OrNode(o.conditions().stream().map(this::resolve).toList());
            case Condition.Not n -> new NotNode(resolve(n.condition()));
            case Condition.IsNull n -> {
                Leaf leaf = new Leaf(c, table.columnIndex(n.column()), table.index(n.column()), null);
                leaf.exact.add(Range.singleton(Column.NULL_KEY));
                yield leaf;
            }
            case Condition.Eq e -> pointLeaf(c, e.column(), List.of(e.value()));
            case Condition.In in -> pointLeaf(c, in.column(), in.values());
            case Condition.Between b -> rangeLeaf(b);
        };
    }

    private Leaf pointLeaf(Condition c, String name, List<Object> values) {
        int col = table.columnIndex(name);
        Column<?> column = table.columns().get(col);
        long[] keys = new long[values.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = column.indexKey(values.get(i)); // checks the type
        Leaf leaf = new Leaf(c, col, table.index(name), v -> {
            for (Object x : values) if (column.compare(v, x) == 0) return true;
            return false;
        });
        List<Range> target = column.isExact() ? leaf.exact : leaf.verify;
        long[] distinct = java.util.Arrays.stream(keys).sorted().distinct().toArray();
        for (long k : distinct) target.add(Range.singleton(k));
        return leaf;
    }

    private Leaf rangeLeaf(Condition.Between b) {
        int col = table.columnIndex(b.column());
        Column<?> column = table.columns().get(col);
        Object from = b.from();
        Object to = b.to();
        long lo = from == null ? Column.NULL_KEY + 1 : column.indexKey(from);
        long hi = to == null ? Column.MAX_KEY : column.indexKey(to);
        if (from != null && to != null && column.compare(from, to) > 0) {
            throw new IllegalArgumentException("range on column '" + b.column() + "': from " + from + " is greater than to " + to);
        }
        boolean fromIn = b.fromInclusive();
        boolean toIn = b.toInclusive();
        Leaf leaf = new Leaf(b, col, table.index(b.column()), v -> {
            if (from != null) {
                int c = column.compare(v, from);
                if (c < 0 || (c == 0 && !fromIn)) return false;
            }
            if (to != null) {
                int c = column.compare(v, to);
                return c < 0 || (c == 0 && toIn);
            }
            return true;
        });
        if (column.isExact()) {
            leaf.exact.add(Range.of(lo, from == null || fromIn, hi, to == null || toIn));
        } else {
            // Keys strictly inside (lo, hi) hold only values strictly inside (from, to); an unbounded end is exact.
            leaf.exact.add(Range.of(lo, from == null, hi, to == null));
            if (from != null) leaf.verify.add(Range.singleton(lo));
            if (to != null && (from == null || hi != lo)) leaf.verify.add(Range.singleton(hi));
        }
        return leaf;
    }

    /* ---- Estimates ---- */

    long estimate(Node n) {
        if (n.estimate >= 0) return n.estimate;
        long live = table.size();
        long e = switch (n) {
            case Leaf l -> {
                long s = 0;
                for (Range r : l.exact) s += l.index.count(r);
                for (Range r : l.verify) s += l.index.count(r);
                yield s;
            }
            case AndNode a -> {
                long m = live;
                for (Node c : a.children) m = Math.min(m, estimate(c));
                yield m;
            }
            case OrNode o -> {
                long s = 0;
                for (Node c : o.children) s += estimate(c);
                yield Math.min(live, s);
            }
            case NotNode x -> Math.max(0, live - estimate(x.child));
        };
        n.estimate = e;
        return e;
    }

    /* ---- Evaluation ---- */

    RoaringBitmap evaluate(Node n, int depth) {
        return switch (n) {
            case Leaf l -> leaf(l, depth);
            case AndNode a -> and(a, depth);
            case OrNode o -> {
                int step = open(o, depth, "union");
                RoaringBitmap out = new RoaringBitmap();
                for (Node c : o.children) out.or(evaluate(c, depth + 1));
                close(step, out);
                yield out;
            }
            case NotNode x -> {
                int step = open(x, depth, "live rows minus");
                RoaringBitmap out = table.liveRows();
                out.andNot(evaluate(x.child, depth + 1));
                close(step, out);
                yield out;
            }
        };
    }

    private RoaringBitmap leaf(Leaf l, int depth) {
        int step = open(l, depth, l.verify.isEmpty() ? "bitmap" : "verified");
        RoaringBitmap out = new RoaringBitmap();
        for (Range r : l.exact) out.or(l.index.rowIds(r));
        for (Range r : l.verify) {
            l.index.rowIds(r).forEach((int row) -> {
                Object[] values = table.storedRow(row);
                if (values != null && l.matches(values)) out.add(row);
            });
        }
        close(step, out);
        return out;
    }

    private RoaringBitmap and(AndNode a, int depth) {
        int step = open(a, depth, "intersect, cheapest first");
        List<Node> order = new ArrayList<>(a.children);
        order.sort(Comparator.comparingLong(this::estimate));
        RoaringBitmap acc = null;
        for (int i = 0; i < order.size(); i++) {
            Node c = order.get(i);
            if (acc != null && acc.isEmpty()) {
                for (Node rest : order.subList(i, order.size())) note(rest, depth + 1, "skipped");
                break;
            }
            if (acc != null && (long) acc.getCardinality() * PROBE_FACTOR <= estimate(c)) {
                List<Node> rest = order.subList(i, order.size());
                RoaringBitmap kept = new RoaringBitmap();
                acc.forEach((int row) -> {
                    Object[] values = table.storedRow(row);
                    if (values == null) return;
                    for (Node r : rest) if (!r.matches(values)) return;
                    kept.add(row);
                });
                for (Node r : rest) note(r, depth + 1, "probe on " + acc.getCardinality() + " rows");
                acc = kept;
                break;
            }
            if (acc != null && c instanceof NotNode x) {
                int s = open(x, depth + 1, "and-not");
                acc.andNot(evaluate(x.child, depth + 2));
                close(s, acc);
            } else {
                RoaringBitmap b = evaluate(c, depth + 1);
                acc = acc == null ? b : RoaringBitmap.and(acc, b);
            }
        }
        if (acc == null) acc = table.liveRows(); // AND of nothing
        close(step, acc);
        return acc;
    }

    /* ---- Trace ---- */

    private int open(Node n, int depth, String method) {
        if (trace == null) return -1;
        trace.add(new QueryPlan.Step(depth, n.describe(), method, estimate(n), -1));
        return trace.size() - 1;
    }

    private void close(int step, RoaringBitmap rows) {
        if (step < 0) return;
        QueryPlan.Step s = trace.get(step);
        trace.set(step, new QueryPlan.Step(s.depth(), s.node(), s.method(), s.estimated(), rows.getLongCardinality()));
    }

    /** A node not evaluated on its own (probed or skipped), and its subtree. */
    private void note(Node n, int depth, String method) {
        if (trace == null) return;
        trace.add(new QueryPlan.Step(depth, n.describe(), method, estimate(n), -1));
        if (n instanceof AndNode a) for (Node c : a.children) note(c, depth + 1, method);
        if (n instanceof OrNode o) for (Node c : o.children) note(c, depth + 1, method);
        if (n instanceof NotNode x) note(x.child, depth + 1, method);
    }
}
