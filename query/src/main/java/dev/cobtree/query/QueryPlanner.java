package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Resolves a {@link Condition} against a {@link TableIndex} and evaluates it to a row bitmap.
 *
 * <h2>Plan</h2>
 * <ul>
 *   <li>A <b>leaf</b> (one column's predicate) becomes key ranges of the column's
 *       {@link WideKeyIndex}: <em>exact</em> ranges, whose rows all match, and, for a column
 *       whose codec is inexact (distinct values may share a key), the one or two
 *       <em>verified</em> keys at the ends of the range, whose rows are checked against the
 *       stored values (the keys strictly between the ends can only hold matching values, by
 *       monotonicity). Its estimate is the sum of {@link WideKeyIndex#estimate}s of those ranges
 *       (O(log n) each).</li>
 *   <li>An <b>AND</b> evaluates its children cheapest first (ascending estimate; a NOT child is
 *       estimated as the live rows minus its inner estimate, and applied as {@code andNot}). A
 *       leaf with verified keys contributes its unverified <em>candidates</em>; it is verified on
 *       the AND's result, which is usually far smaller. Once the intersection so far has at most
 *       1/{@value #PROBE_FACTOR} of the next child's estimated rows, the remaining children are
 *       not built as bitmaps: each row of the intersection is tested against them in the row
 *       store ({@link Node#matches}: a key read from a primitive array and compared, the value
 *       itself only for verified keys). An empty intersection ends the AND.</li>
 *   <li>An <b>OR</b> unions its children's bitmaps; a <b>NOT</b> outside an AND subtracts its
 *       child from the live rows (built from the row store's live bits, one container per
 *       65,536 rows).</li>
 * </ul>
 * When a trace list is given, each node appends a {@link QueryPlan.Step}.
 */
final class QueryPlanner {

    /** Probe instead of building a bitmap when the rows so far are at most 1/PROBE_FACTOR of its estimate. */
    static final int PROBE_FACTOR = 8;

    private final TableIndex table;
    private final RowStore store;
    private final List<QueryPlan.Step> trace; // null: not traced

    QueryPlanner(TableIndex table, List<QueryPlan.Step> trace) {
        this.table = table;
        this.store = table.store();
        this.trace = trace;
    }

    /* ---- Nodes ---- */

    abstract static sealed class Node permits Leaf, AndNode, OrNode, NotNode {
        long estimate = -1; // memo

        /** Whether the row (from an index, so its page exists) satisfies the node. */
        abstract boolean matches(RowStore s, int row);

        abstract String describe();
    }

    static final class Leaf extends Node {
        final Condition condition;
        final int column;
        final boolean isNull;
        final WideKeyIndex index; // the column's, or the nulls index for isNull
        long[] lo = new long[0]; // exact key ranges [lo[i], hi[i]]
        long[] hi = new long[0];
        long[] verify = new long[0]; // keys whose rows are checked with test
        final Predicate<Object> test; // on non-null values; null for isNull

        Leaf(Condition condition, int column, boolean isNull, WideKeyIndex index, Predicate<Object> test) {
            this.condition = condition;
            this.column = column;
            this.isNull = isNull;
            this.index = index;
            this.test = test;
        }

        void addExact(Range r) {
            if (r.isEmpty()) return;
            lo = Arrays.copyOf(lo, lo.length + 1);
            hi = Arrays.copyOf(hi, hi.length + 1);
            lo[lo.length - 1] = r.first();
            hi[hi.length - 1] = r.last();
        }

        void addVerified(long key) {
            verify = Arrays.copyOf(verify, verify.length + 1);
            verify[verify.length - 1] = key;
        }

        @Override
        boolean matches(RowStore s, int row) {
            if (s.isNull(row, column)) return isNull;
            if (isNull) return false;
            long k = s.key(row, column);
            for (int i = 0; i < lo.length; i++) if (k >= lo[i] && k <= hi[i]) return true;
            for (long v : verify) if (k == v) return verify(s, row);
            return false;
        }

        /** The row's value passes the test (false if a concurrent write has just nulled it). */
        boolean verify(RowStore s, int row) {
            Object v = s.value(row, column);
            return v != null && test.test(v);
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
        boolean matches(RowStore s, int row) {
            for (Node c : children) if (!c.matches(s, row)) return false;
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
        boolean matches(RowStore s, int row) {
            for (Node c : children) if (c.matches(s, row)) return true;
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
        boolean matches(RowStore s, int row) {
            return !child.matches(s, row);
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
                int col = table.columnIndex(n.column());
                Leaf leaf = new Leaf(c, col, true, table.nulls(), null);
                leaf.addExact(Range.singleton(col));
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
        Leaf leaf = new Leaf(c, col, false, table.index(col), v -> {
            for (Object x : values) if (column.compare(v, x) == 0) return true;
            return false;
        });
        for (long k : Arrays.stream(keys).sorted().distinct().toArray()) {
            if (column.isExact()) leaf.addExact(Range.singleton(k));
            else leaf.addVerified(k);
        }
        return leaf;
    }

    private Leaf rangeLeaf(Condition.Between b) {
        int col = table.columnIndex(b.column());
        Column<?> column = table.columns().get(col);
        Object from = b.from();
        Object to = b.to();
        long lo = from == null ? Long.MIN_VALUE : column.indexKey(from);
        long hi = to == null ? Long.MAX_VALUE : column.indexKey(to);
        if (from != null && to != null && column.compare(from, to) > 0) {
            throw new IllegalArgumentException("range on column '" + b.column() + "': from " + from + " is greater than to " + to);
        }
        boolean fromIn = b.fromInclusive();
        boolean toIn = b.toInclusive();
        Leaf leaf = new Leaf(b, col, false, table.index(col), v -> {
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
            leaf.addExact(Range.of(lo, from == null || fromIn, hi, to == null || toIn));
        } else {
            // Keys strictly inside (lo, hi) hold only values strictly inside (from, to); an unbounded end is exact.
            leaf.addExact(Range.of(lo, from == null, hi, to == null));
            if (from != null) leaf.addVerified(lo);
            if (to != null && (from == null || hi != lo)) leaf.addVerified(hi);
        }
        return leaf;
    }

    /* ---- Estimates ---- */

    long estimate(Node n) {
        if (n.estimate >= 0) return n.estimate;
        long live = store.size();
        long e = switch (n) {
            case Leaf l -> {
                long s = 0;
                for (int i = 0; i < l.lo.length; i++) s += l.index.estimate(l.lo[i], l.hi[i]);
                for (long k : l.verify) s += l.index.estimate(k, k);
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
            case Leaf l -> leaf(l, depth, true);
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

    /** A leaf's rows; with {@code verified} false, the rows of its verified keys are not checked (candidates). */
    private RoaringBitmap leaf(Leaf l, int depth, boolean verified) {
        int step = open(l, depth, l.verify.length == 0 ? "bitmap" : verified ? "verified" : "candidates, verified on the AND's result");
        RowIdCollector collector = new RowIdCollector();
        List<RoaringBitmap> parts = new ArrayList<>();
        for (int i = 0; i < l.lo.length; i++) l.index.collect(l.lo[i], l.hi[i], collector, parts);
        if (!verified) {
            for (long k : l.verify) l.index.collect(k, k, collector, parts);
        }
        RoaringBitmap out = collector.finish();
        if (!parts.isEmpty()) {
            parts.add(out);
            out = RoaringBitmap.or(parts.iterator()); // never modifies the published bitmaps
        }
        if (verified && l.verify.length > 0) {
            RoaringBitmap candidates = new RoaringBitmap();
            for (long k : l.verify) candidates.or(l.index.rowIds(k));
            RoaringBitmap kept = out;
            candidates.forEach((int row) -> {
                if (l.verify(store, row)) kept.add(row);
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
        List<Leaf> unverified = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Node c = order.get(i);
            if (acc != null && acc.isEmpty()) {
                for (Node rest : order.subList(i, order.size())) note(rest, depth + 1, "skipped");
                break;
            }
            if (acc != null && (long) acc.getCardinality() * PROBE_FACTOR <= estimate(c)) {
                List<Node> rest = new ArrayList<>(order.subList(i, order.size()));
                for (Node r : rest) note(r, depth + 1, "probe on " + acc.getCardinality() + " rows");
                rest.addAll(unverified);
                unverified.clear();
                acc = probe(acc, rest);
                break;
            }
            if (acc != null && c instanceof NotNode x) {
                int s = open(x, depth + 1, "and-not");
                acc.andNot(evaluate(x.child, depth + 2));
                close(s, acc);
                continue;
            }
            RoaringBitmap b;
            if (c instanceof Leaf l && l.verify.length > 0) {
                b = leaf(l, depth + 1, false);
                unverified.add(l);
            } else {
                b = evaluate(c, depth + 1);
            }
            if (acc == null) acc = b;
            else acc.and(b);
        }
        if (acc == null) acc = table.liveRows(); // AND of nothing
        if (!unverified.isEmpty()) acc = probe(acc, new ArrayList<>(unverified));
        close(step, acc);
        return acc;
    }

    /** The rows of {@code rows} that satisfy every node, tested in the row store. */
    private RoaringBitmap probe(RoaringBitmap rows, List<Node> nodes) {
        Node[] ns = nodes.toArray(new Node[0]);
        RoaringBitmap kept = new RoaringBitmap();
        rows.forEach((int row) -> {
            for (Node r : ns) if (!r.matches(store, row)) return;
            kept.add(row);
        });
        return kept;
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
