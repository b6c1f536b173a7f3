package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Resolves a {@link Condition} against a table's reads ({@link TableReads}: a live {@link TableIndex}
 * or a {@link TableIndexSnapshot}) and evaluates it to a row bitmap.
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
 *   <li>An <b>AND</b> is greedy on estimated costs ({@link #cost}: rows a leaf's index holds one
 *       by one count 1, rows held in bitmaps {@value #BITMAP_ROW_COST}, testing a row in the row
 *       store {@value #PROBE_COST}): it builds the cheapest child first, then, while children
 *       remain, either builds and intersects the cheapest remaining one (a NOT child as
 *       {@code andNot}) or, once testing the rows so far costs no more than that, <em>probes</em>:
 *       the rows so far are tested against all remaining children in the row store, column at a
 *       time ({@link RowReads#filter}: a key read from a primitive array and compared, the value
 *       itself only for verified keys). A leaf with verified keys contributes its unverified
 *       <em>candidates</em>; it is verified on the AND's result, which is usually far smaller.
 *       An empty intersection ends the AND.</li>
 *   <li>A <b>composite leaf</b> stands for an AND's point leaves on the leading columns of a
 *       {@link CompositeIndex} and its leaf on the last column ({@link #useComposites}): the last
 *       leaf's ranges read from the index of each prefix the point leaves name, so its rows are
 *       exactly the rows satisfying all of them; it is planned as a leaf.</li>
 *   <li>An <b>OR</b> unions its children's bitmaps; a <b>NOT</b> outside an AND subtracts its
 *       child from the live rows (built from the row store's live bits, one container per
 *       65,536 rows).</li>
 * </ul>
 * When a trace list is given, each node appends a {@link QueryPlan.Step}.
 */
final class QueryPlanner {

    /** Cost of testing one row against the remaining nodes in the row store, in units of one row read from an index one by one. */
    static final double PROBE_COST = 1.0;
    /** Cost of one row of a bitmap value (taken a container at a time), in the same units. */
    static final double BITMAP_ROW_COST = 1.0 / 64;
    /** Cost of looking up one row in a bitmap (intersecting a smaller bitmap with it), in the same units. */
    static final double BITMAP_LOOKUP_COST = 1.0 / 16;

    /**
     * Cost of appending one row of a leaf to a driving row array ({@link #drive}): read in key
     * order from a first slot, a list or a bitmap, no bitmap built; in the units above.
     */
    static final double DRIVE_ROW_COST = 0.5;
    /**
     * Rows held one by one per 65,536-row block below which a leaf's rows are gathered into an
     * array, sorted and appended to a bitmap ({@link RowBuffer}) rather than set in 8 KiB bit
     * pages ({@link RowIdCollector}): a page costs about as much as sorting this many rows.
     */
    static final int SORTED_COLLECT_PER_BLOCK = 512;

    /** The least count bound of a range leaf in an AND with a point leaf ({@link #capRanges}). */
    static final long CAP_MIN = 1024;
    /** No cap above this: skipping this many keys costs about what counting a range of them does. */
    static final long CAP_MAX = 1 << 16;
    /** A range leaf in an AND is counted up to this many times the smallest point leaf's estimate. */
    static final long CAP_FACTOR = 2;

    private final TableReads table;
    private final RowReads store;
    private final List<QueryPlan.Step> trace; // null: not traced

    QueryPlanner(TableReads table, List<QueryPlan.Step> trace) {
        this.table = table;
        this.store = table.store();
        this.trace = trace;
    }

    /* ---- Nodes ---- */

    abstract static sealed class Node permits Leaf, AndNode, OrNode, NotNode {
        long estimate = -1; // memo
        double cost = -1;   // memo

        /** Whether the row (from an index, so its page exists) satisfies the node. */
        abstract boolean matches(RowReads s, int row);

        abstract String describe();
    }

    static final class Leaf extends Node {
        final Condition condition;
        final int column;
        final boolean isNull;
        final WideKeyReads index; // the column's, or the nulls index for isNull; null for a composite leaf
        long[] lo = new long[0]; // exact key ranges [lo[i], hi[i]]
        long[] hi = new long[0];
        WideKeyReads[] rangeIndex = new WideKeyReads[0]; // the index range i is read from
        long[] verify = new long[0]; // keys whose rows are checked with test
        WideKeyReads[] verifyIndex = new WideKeyReads[0]; // the index verified key j is read from
        /**
         * A composite leaf's checks (see {@link #useComposites}): the leaves a row must satisfy,
         * the leading columns' and the last column's, whose conjunction this leaf is; null for a
         * plain leaf.
         */
        Leaf[] checks;
        CompositeReads composite; // a composite leaf's index
        /**
         * A leading leaf with verified keys kept beside its composite leaf (see {@link #replace}):
         * nearly every row it is tested on passes (they come from its prefix), so it is tested last,
         * and only as the AND's child, not again among its composite leaf's checks.
         */
        boolean testLast;
        long[] forms; // memo: estimated rows held one by one, rows held in bitmaps
        WideKeyIndex.KeyRows[] rangeRows; // memo with forms: the rows of a one-key range, else null
        WideKeyIndex.KeyRows[] verifyRows; // memo with forms: the rows of each verified key
        long cap; // > 0: count a multi-key range only up to this many first-slot keys (see capRanges)
        boolean capped; // its estimate is cap, a lower bound: the count stopped there
        final Predicate<Object> test; // on non-null values; null for isNull

        Leaf(Condition condition, int column, boolean isNull, WideKeyReads index, Predicate<Object> test) {
            this.condition = condition;
            this.column = column;
            this.isNull = isNull;
            this.index = index;
            this.test = test;
        }

        void addExact(Range r) {
            addExact(r, index);
        }

        void addExact(Range r, WideKeyReads in) {
            if (r.isEmpty()) return;
            lo = Arrays.copyOf(lo, lo.length + 1);
            hi = Arrays.copyOf(hi, hi.length + 1);
            rangeIndex = Arrays.copyOf(rangeIndex, rangeIndex.length + 1);
            lo[lo.length - 1] = r.first();
            hi[hi.length - 1] = r.last();
            rangeIndex[rangeIndex.length - 1] = in;
        }

        void addVerified(long key) {
            addVerified(key, index);
        }

        void addVerified(long key, WideKeyReads in) {
            verify = Arrays.copyOf(verify, verify.length + 1);
            verifyIndex = Arrays.copyOf(verifyIndex, verifyIndex.length + 1);
            verify[verify.length - 1] = key;
            verifyIndex[verifyIndex.length - 1] = in;
        }

        /** Whether every range is one key (eq, in, isNull; verified keys aside). */
        boolean isPoint() {
            for (int i = 0; i < lo.length; i++) if (lo[i] != hi[i]) return false;
            return true;
        }

        @Override
        boolean matches(RowReads s, int row) {
            if (checks != null) {
                for (Leaf c : checks) if (!c.testLast && !c.matches(s, row)) return false; // testLast: its AND tests it
                return true;
            }
            if (s.isNull(row, column)) return isNull;
            if (isNull) return false;
            long k = s.key(row, column);
            for (int i = 0; i < lo.length; i++) if (k >= lo[i] && k <= hi[i]) return true;
            for (long v : verify) if (k == v) return verify(s, row);
            return false;
        }

        /** The row's value passes the test (false if a concurrent write has just nulled it). */
        boolean verify(RowReads s, int row) {
            Object v = s.value(row, column);
            return v != null && test.test(v);
        }

        @Override
        String describe() {
            if (composite == null) return condition.toString();
            StringBuilder label = new StringBuilder("composite index ").append(composite.definition).append(": ");
            for (int i = 0; i < checks.length; i++) label.append(i == 0 ? "" : " AND ").append(checks[i].describe());
            return label.toString();
        }
    }

    static final class AndNode extends Node {
        final List<Node> children;

        AndNode(List<Node> children) {
            this.children = children;
        }

        @Override
        boolean matches(RowReads s, int row) {
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
        boolean matches(RowReads s, int row) {
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
        boolean matches(RowReads s, int row) {
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
            case Condition.And a -> {
                List<Node> children = useComposites(resolveAll(a.conditions()));
                yield children.size() == 1 ? children.get(0) : capRanges(new AndNode(children));
            }
            case Condition.Or o -> new OrNode(resolveAll(o.conditions()));
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

    /** {@link #resolve} of each condition, in order. */
    private List<Node> resolveAll(List<Condition> conditions) {
        List<Node> nodes = new ArrayList<>(conditions.size());
        for (Condition c : conditions) nodes.add(resolve(c));
        return nodes;
    }

    /**
     * An AND's children with the table's composite indexes used: where the AND has a point leaf
     * ({@code eq}, {@code in}) on every leading column of a composite index and a leaf on its last
     * column, those leaves become one <em>composite leaf</em> over the last column whose ranges
     * (and verified keys) are read from the index of each prefix the point leaves name (every
     * combination of their keys, at most {@value CompositeIndex#MAX_QUERY_PREFIXES}; a prefix
     * no row has is skipped). Its rows are exactly the rows satisfying those leaves, so it is
     * costed, driven, intersected and counted as any leaf, and checked in the row store
     * ({@link Leaf#matches}, {@link #filter}) against all of them. A leading leaf on an inexact
     * column (its keys verified: distinct values may share a key, so a prefix may hold rows of
     * another value) also stays in the AND, which checks it. Where several composite indexes
     * apply, the one whose leaf has the smallest estimate is taken first (each counted up to
     * {@value #CAP_MAX} first-slot keys; ties: the one using more leaves, then the first given),
     * then the others on the leaves left.
     */
    private List<Node> useComposites(List<Node> children) {
        CompositeReads[] composites = table.composites();
        if (composites.length == 0 || children.size() < 2) return children;
        boolean[] used = new boolean[composites.length];
        List<Node> out = children;
        while (true) {
            int best = -1;
            Leaf bestLeaf = null;
            int candidates = 0;
            Leaf[] found = new Leaf[composites.length];
            for (int i = 0; i < composites.length; i++) {
                Leaf[] m = used[i] ? null : match(composites[i], out);
                if (m != null) {
                    found[i] = compose(composites[i], m);
                    candidates++;
                }
            }
            for (int i = 0; i < composites.length; i++) {
                Leaf c = found[i];
                if (c == null) continue;
                if (candidates > 1) c.cap = CAP_MAX;
                if (bestLeaf == null || estimate(c) < estimate(bestLeaf)
                        || (estimate(c) == estimate(bestLeaf) && c.checks.length > bestLeaf.checks.length)) {
                    best = i;
                    bestLeaf = c;
                }
            }
            if (best < 0) return out;
            if (candidates > 1) recount(bestLeaf, 0); // counted again as the plan needs (capRanges)
            used[best] = true;
            out = replace(out, bestLeaf);
        }
    }

    /** The leaves of an AND a composite index uses, one per column (leading, then last), or null if it cannot be used. */
    private static Leaf[] match(CompositeReads k, List<Node> children) {
        int[] cols = k.columns;
        Leaf[] m = new Leaf[cols.length];
        long prefixes = 1;
        for (int i = 0; i < cols.length; i++) {
            boolean leading = i < cols.length - 1;
            for (Node c : children) {
                if (!(c instanceof Leaf l) || l.checks != null || l.isNull || l.column != cols[i] || (leading && !l.isPoint())) continue;
                if (m[i] == null || keyCount(l) < keyCount(m[i])) m[i] = l;
            }
            if (m[i] == null) return null;
            if (leading && (prefixes *= keyCount(m[i])) > CompositeIndex.MAX_QUERY_PREFIXES) return null; // stops before overflow
        }
        return m;
    }

    private static int keyCount(Leaf l) {
        return l.lo.length + l.verify.length;
    }

    /** The composite leaf of the leaves {@code m} (leading, then last) through composite index {@code k}. */
    private static Leaf compose(CompositeReads k, Leaf[] m) {
        Leaf last = m[m.length - 1];
        Leaf c = new Leaf(last.condition, last.column, false, null, last.test);
        c.checks = m;
        c.composite = k;
        addPrefixes(k, m, 0, new long[m.length - 1], c);
        return c;
    }

    /** The AND's children with composite leaf {@code c} in place of the leaves it uses (see {@link #useComposites}). */
    private static List<Node> replace(List<Node> children, Leaf c) {
        Leaf last = c.checks[c.checks.length - 1];
        List<Node> out = new ArrayList<>(children.size());
        for (Node n : children) {
            if (n == last) {
                out.add(c);
            } else if (!Arrays.asList(c.checks).contains(n)) {
                out.add(n);
            } else if (((Leaf) n).verify.length > 0) {
                ((Leaf) n).testLast = true;
                out.add(n); // a leading leaf with verified keys: checked by the AND too
            }
        }
        return out;
    }

    /** Adds to {@code c} the last leaf's ranges and verified keys in the index of every prefix from leading leaf {@code i} on. */
    private static void addPrefixes(CompositeReads k, Leaf[] m, int i, long[] prefix, Leaf c) {
        Leaf last = m[m.length - 1];
        if (i == m.length - 1) {
            WideKeyReads sub = k.sub(prefix.clone());
            if (sub == null) return; // no row has this prefix
            for (int r = 0; r < last.lo.length; r++) c.addExact(Range.closed(last.lo[r], last.hi[r]), sub);
            for (long v : last.verify) c.addVerified(v, sub);
            return;
        }
        for (long key : m[i].lo) { // a point leaf: lo[r] == hi[r]
            prefix[i] = key;
            addPrefixes(k, m, i + 1, prefix, c);
        }
        for (long key : m[i].verify) {
            prefix[i] = key;
            addPrefixes(k, m, i + 1, prefix, c);
        }
    }

    /**
     * Bounds the counting of an AND's range leaves by its point leaves: with {@code m} the
     * smallest estimate of a point child (one-key ranges and verified keys, read once), a range
     * child is counted only up to {@code max(}{@value #CAP_MIN}{@code , }{@value #CAP_FACTOR}
     * {@code  x m)} first-slot keys ({@link WideKeyReads#estimateFormsBounded}; no cap when
     * {@code 2m > }{@value #CAP_MAX}: a range below a large cap is walked twice); a range that
     * reaches that is estimated at the cap, a lower bound, at which it is never the AND's
     * first child nor its driver (a point child is smaller and cheaper), so it is probed or
     * intersected as its real size would have it. Counting a wide range walks its segments
     * (O(keys / segment size)); bounded, the plan costs O(cap / segment size) per range.
     */
    private AndNode capRanges(AndNode a) {
        long m = -1;
        for (Node c : a.children) if (c instanceof Leaf l && l.isPoint()) m = m < 0 ? estimate(l) : Math.min(m, estimate(l));
        if (m < 0) {
            raceRanges(a);
            return a;
        }
        if (CAP_FACTOR * m > CAP_MAX) return a; // a large cap would cost about what it saves
        long cap = Math.max(CAP_MIN, CAP_FACTOR * m);
        for (Node c : a.children) if (c instanceof Leaf l && !l.isPoint() && l.forms == null) l.cap = cap;
        return a;
    }

    /**
     * {@link #capRanges} for an AND with range children and no point child: the ranges are
     * counted in rounds, each to a cap ({@value #CAP_MIN} first-slot keys, then four times the
     * last), until one of them ends below the cap; with {@code m} the least such count, the others
     * are bounded as beside a point child ({@code max(}{@value #CAP_MIN}{@code , }
     * {@value #CAP_FACTOR}{@code  x m)}, counted again only if that exceeds the round's cap; above
     * {@value #CAP_MAX}, counted in full). So "this hour and this price range" counts the hour
     * and about twice the hour's keys of the prices, not the whole price range; the rounds cost at
     * most 4/3 of the last. A capped range keeps its cap as a lower bound (see above); if no range
     * ends below {@value #CAP_MAX}, all are counted in full.
     */
    private void raceRanges(AndNode a) {
        List<Leaf> ranges = new ArrayList<>();
        for (Node c : a.children) if (c instanceof Leaf l && l.forms == null) ranges.add(l); // none is a point (capRanges)
        if (ranges.size() < 2) return;
        for (long cap = CAP_MIN; ; cap *= 4) {
            long m = -1;
            for (Leaf l : ranges) {
                recount(l, cap);
                long e = estimate(l);
                if (!l.capped) m = m < 0 ? e : Math.min(m, e);
            }
            if (m >= 0) {
                long bound = Math.max(CAP_MIN, CAP_FACTOR * m);
                if (bound > cap) for (Leaf l : ranges) if (l.capped) recount(l, bound > CAP_MAX ? 0 : bound);
                return;
            }
            if (cap * 4 > CAP_MAX) {
                for (Leaf l : ranges) recount(l, 0);
                return;
            }
        }
    }

    /** Forgets a leaf's count (and what depends on it), to be counted again up to {@code cap} first-slot keys (0: no cap). */
    private static void recount(Leaf l, long cap) {
        l.cap = cap;
        l.capped = false;
        l.forms = null;
        l.rangeRows = null;
        l.verifyRows = null;
        l.estimate = -1;
        l.cost = -1;
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
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) continue; // a value listed twice
            if (column.isExact()) leaf.addExact(Range.singleton(keys[i]));
            else leaf.addVerified(keys[i]);
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
                long[] f = forms(l);
                yield f[0] + f[1];
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

    /**
     * The estimated cost of building a node's bitmap: for a leaf, its rows held one by one (first
     * slots, lists) plus {@value #BITMAP_ROW_COST} per row held in bitmaps; for a NOT, its child's
     * cost; otherwise its estimate.
     */
    double cost(Node n) {
        if (n.cost >= 0) return n.cost;
        double c;
        if (n instanceof Leaf l) {
            long[] f = forms(l);
            c = f[0] + f[1] * BITMAP_ROW_COST;
        } else if (n instanceof NotNode x) {
            c = cost(x.child);
        } else {
            c = estimate(n);
        }
        n.cost = c;
        return c;
    }

    /**
     * The cost of intersecting rows so far ({@code size} of them) with a node: for a leaf, its
     * rows held one by one plus, for its rows in bitmaps, the cheaper of reading them
     * ({@value #BITMAP_ROW_COST} a row) and looking up each row so far in them
     * ({@value #BITMAP_LOOKUP_COST} a row: the published bitmaps are intersected in place, never
     * copied); otherwise {@link #cost}.
     */
    double costWith(Node n, int size) {
        if (!(n instanceof Leaf l)) return cost(n);
        long[] f = forms(l);
        return f[0] + (f[1] == 0 ? 0 : Math.min(f[1] * BITMAP_ROW_COST, size * BITMAP_LOOKUP_COST));
    }

    /**
     * {@code acc} and a leaf's rows (its candidates, if it has verified keys): the rows the index
     * holds one by one are collected, the bitmaps are only read ({@code RoaringBitmap.and} builds
     * a new bitmap from the containers both sides share), so a large bitmap key costs in
     * proportion to {@code acc}, not to its own rows.
     */
    private RoaringBitmap intersect(RoaringBitmap acc, Leaf l, int depth) {
        int step = open(l, depth, l.verify.length == 0 ? "intersected" : "candidates intersected, verified on the AND's result");
        List<RoaringBitmap> parts = new ArrayList<>();
        RoaringBitmap out;
        if (sparse(forms(l)[0])) {
            out = collect(l, true, parts);
            out.and(acc);
        } else {
            if (step >= 0) rename(step, "intersected through a row bitset" + (l.verify.length == 0 ? "" : ", verified on the AND's result") + capNote(l));
            out = intersectDense(acc, l, parts);
        }
        for (RoaringBitmap part : parts) out.or(RoaringBitmap.and(acc, part));
        close(step, out);
        return out;
    }

    /**
     * {@code acc} and the rows a leaf holds one by one (its bitmaps to {@code parts}) when those
     * are dense: they are set in one flat bitset over the row ids (a bit each, no container
     * built), then each row of {@code acc} is tested against it; the survivors, ascending, are
     * appended to a new bitmap.
     */
    private RoaringBitmap intersectDense(RoaringBitmap acc, Leaf l, List<RoaringBitmap> parts) {
        long[] bits = new long[(store.rowCapacity() + 63) >>> 6];
        RowBuffer own = new RowBuffer(forms(l)[0]);
        gather(l, true, own, parts);
        int[] r = own.rows;
        long limit = (long) bits.length << 6;
        for (int i = 0, n = own.size; i < n; i++) {
            int row = r[i];
            if (row < limit) bits[row >>> 6] |= 1L << row; // beyond: a row inserted during the query
        }
        RoaringBitmap out = new RoaringBitmap();
        int[] batch = new int[256];
        org.roaringbitmap.BatchIterator it = acc.getBatchIterator(); // acc's rows in ascending batches, no array of them all
        while (it.hasNext()) {
            int k = it.nextBatch(batch);
            int m = 0;
            for (int i = 0; i < k; i++) {
                int row = batch[i];
                if (row < limit && (bits[row >>> 6] & (1L << row)) != 0) batch[m++] = row;
            }
            if (m > 0) out.addN(batch, 0, m); // ascending: appended
        }
        return out;
    }

    /** Whether {@code rows} held one by one are few enough per 65,536-row block to be gathered sorted (see {@link #SORTED_COLLECT_PER_BLOCK}). */
    private boolean sparse(long rows) {
        long blocks = Math.max(1, (store.rowCapacity() + 65_535L) >>> 16);
        return rows < SORTED_COLLECT_PER_BLOCK * blocks;
    }

    /**
     * The rows a leaf's index holds one by one, for keys [lo[i], hi[i]] and (if
     * {@code withVerify}) its verified keys, as a new bitmap, the published bitmaps added to
     * {@code parts}: sparse rows (fewer than {@value #SORTED_COLLECT_PER_BLOCK} expected per
     * 65,536-row block) through a sorted array, dense ones through bit pages.
     */
    private RoaringBitmap collect(Leaf l, boolean withVerify, List<RoaringBitmap> parts) {
        long expected = forms(l)[0];
        if (sparse(expected)) {
            RowBuffer own = new RowBuffer(expected);
            gather(l, withVerify, own, parts);
            own.sortDistinct();
            return own.toBitmap(own.size);
        }
        RowIdCollector collector = new RowIdCollector(expected);
        gather(l, withVerify, collector, parts);
        return collector.finish();
    }

    /**
     * A leaf's {@link WideKeyReads#estimateForms}, summed over its ranges and verified keys
     * (memoized); a one-key range or verified key is read once ({@link WideKeyReads#keyRows}),
     * and that read is also what the leaf's rows are gathered from ({@link #gather}).
     */
    private static long[] forms(Leaf l) {
        if (l.forms != null) return l.forms;
        long[] f = new long[2];
        l.rangeRows = new WideKeyIndex.KeyRows[l.lo.length];
        l.verifyRows = new WideKeyIndex.KeyRows[l.verify.length];
        for (int i = 0; i < l.lo.length; i++) {
            if (l.lo[i] == l.hi[i]) {
                l.rangeRows[i] = l.rangeIndex[i].keyRows(l.lo[i]);
                add(f, l.rangeRows[i].forms());
            }
        }
        for (int j = 0; j < l.verify.length; j++) {
            l.verifyRows[j] = l.verifyIndex[j].keyRows(l.verify[j]);
            add(f, l.verifyRows[j].forms());
        }
        for (int i = 0; i < l.lo.length; i++) {
            if (l.lo[i] == l.hi[i]) continue;
            WideKeyReads in = l.rangeIndex[i];
            long[] r = l.cap > 0 ? in.estimateFormsBounded(l.lo[i], l.hi[i], l.cap) : in.estimateForms(l.lo[i], l.hi[i]);
            if (r == null) {
                l.capped = true;
                l.forms = new long[] {l.cap, 0};
                return l.forms;
            }
            add(f, r);
        }
        l.forms = f;
        return f;
    }

    /**
     * A leaf's rows (with {@code withVerify}, its verified keys' rows too, unchecked) appended to
     * {@code own}; bitmaps to {@code parts}, or, if {@code parts} is null, their rows to {@code own}.
     */
    private static void gather(Leaf l, boolean withVerify, RowBuffer own, List<RoaringBitmap> parts) {
        forms(l);
        for (int i = 0; i < l.lo.length; i++) {
            if (l.rangeRows[i] != null) l.rangeRows[i].addTo(own, parts);
            else if (parts == null) l.rangeIndex[i].collectRows(l.lo[i], l.hi[i], own);
            else l.rangeIndex[i].collect(l.lo[i], l.hi[i], own, parts);
        }
        if (withVerify) for (WideKeyIndex.KeyRows k : l.verifyRows) k.addTo(own, parts);
    }

    /** As {@link #gather}, into a bit-page collector. */
    private static void gather(Leaf l, boolean withVerify, RowIdCollector own, List<RoaringBitmap> parts) {
        forms(l);
        for (int i = 0; i < l.lo.length; i++) {
            if (l.rangeRows[i] != null) l.rangeRows[i].addTo(own, parts);
            else l.rangeIndex[i].collect(l.lo[i], l.hi[i], own, parts);
        }
        if (withVerify) for (WideKeyIndex.KeyRows k : l.verifyRows) k.addTo(own, parts);
    }

    private static void add(long[] sum, long[] f) {
        sum[0] += f[0];
        sum[1] += f[1];
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
        List<RoaringBitmap> parts = new ArrayList<>();
        RoaringBitmap out = WideKeyIndex.union(collect(l, !verified, parts), parts);
        if (verified && l.verify.length > 0) {
            RoaringBitmap candidates = new RoaringBitmap();
            for (int j = 0; j < l.verify.length; j++) candidates.or(l.verifyIndex[j].rowIds(l.verify[j]));
            RoaringBitmap kept = out;
            candidates.forEach((int row) -> {
                if (l.verify(store, row)) kept.add(row);
            });
        }
        close(step, out);
        return out;
    }

    /**
     * An AND, greedily: start with the child cheapest to build (ties: smallest estimate); then,
     * while children remain, either probe all of them on the rows so far (when that costs
     * {@value #PROBE_COST} per row, no more than building the cheapest remaining child) or build
     * that child and intersect (a NOT child: subtract its child). An empty intersection ends it.
     */
    private RoaringBitmap and(AndNode a, int depth) {
        Leaf driver = driver(a);
        if (driver != null) return drive(a, driver, depth);
        int step = open(a, depth, "intersect, cheapest first");
        List<Node> rest = new ArrayList<>(a.children);
        Comparator<Node> cheapest = Comparator.comparingDouble((Node x) -> cost(x)).thenComparingLong(this::estimate);
        RoaringBitmap acc = null;
        List<Leaf> unverified = new ArrayList<>();
        while (!rest.isEmpty()) {
            if (acc != null && acc.isEmpty()) {
                for (Node r : rest) note(r, depth + 1, "skipped");
                break;
            }
            Node c;
            if (acc == null) {
                c = rest.stream().filter(x -> !(x instanceof NotNode)).min(cheapest).orElse(rest.stream().min(cheapest).get());
            } else {
                int size = acc.getCardinality();
                c = rest.stream().min(Comparator.comparingDouble((Node x) -> costWith(x, size)).thenComparingLong(this::estimate)).get();
            }
            if (acc != null && acc.getCardinality() * PROBE_COST <= costWith(c, acc.getCardinality())) {
                if (trace != null) for (Node r : rest) note(r, depth + 1, "probe on " + acc.getCardinality() + " rows");
                List<Node> probed = new ArrayList<>(rest);
                probed.addAll(unverified);
                unverified.clear();
                acc = probe(acc, probed);
                break;
            }
            rest.remove(c);
            if (acc != null && c instanceof NotNode x) {
                int s = open(x, depth + 1, "and-not");
                acc.andNot(evaluate(x.child, depth + 2));
                close(s, acc);
                continue;
            }
            if (acc != null && c instanceof Leaf l) {
                if (l.verify.length > 0) unverified.add(l);
                acc = intersect(acc, l, depth + 1);
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

    /**
     * The leaf an AND is driven by ({@link #drive}), or null to intersect greedily: the leaf
     * child of the smallest estimate, when the greedy plan would probe right after its first
     * child (the same work without building that child's bitmap) or when collecting that leaf's
     * rows and probing them ({@value #DRIVE_ROW_COST} + {@value #PROBE_COST} a row) costs no more
     * than the greedy plan's estimate ({@link #greedyCost}).
     */
    private Leaf driver(AndNode a) {
        if (a.children.size() < 2) return null;
        Leaf best = null;
        for (Node c : a.children) {
            if (c instanceof Leaf l && (best == null || estimate(l) < estimate(best)
                    || (estimate(l) == estimate(best) && cost(l) < cost(best)))) {
                best = l;
            }
        }
        if (best == null) return null;
        double[] g = greedyCost(a.children);
        return g[1] != 0 || estimate(best) * (DRIVE_ROW_COST + PROBE_COST) <= g[0] ? best : null;
    }

    /**
     * The estimated cost of the greedy AND ({@link #and}) on the estimates, the rows left after
     * each intersection taken as independent ({@code size * estimate / live rows}):
     * {@code [0]} the cost, {@code [1]} 1 if it probes right after its first child.
     */
    private double[] greedyCost(List<Node> children) {
        Comparator<Node> cheapest = Comparator.comparingDouble((Node x) -> cost(x)).thenComparingLong(this::estimate);
        List<Node> rest = new ArrayList<>(children);
        Node c0 = rest.stream().filter(x -> !(x instanceof NotNode)).min(cheapest).orElse(rest.stream().min(cheapest).get());
        rest.remove(c0);
        double total = cost(c0);
        double size = estimate(c0);
        double live = Math.max(1, store.size());
        boolean first = true;
        while (!rest.isEmpty()) {
            int sz = (int) Math.min(Integer.MAX_VALUE, Math.round(size));
            Node c = rest.stream().min(Comparator.comparingDouble((Node x) -> costWith(x, sz)).thenComparingLong(this::estimate)).get();
            double with = costWith(c, sz);
            if (sz * PROBE_COST <= with) {
                total += sz * PROBE_COST;
                return new double[] {total, first ? 1 : 0};
            }
            total += with;
            size = size * estimate(c) / live;
            rest.remove(c);
            first = false;
        }
        return new double[] {total, 0};
    }

    /**
     * An AND driven by one leaf: its rows (candidates, if it has verified keys) gathered from its
     * index into an array in key order, sorted and made distinct, then tested against every other
     * child (and the leaf's own verified keys) in the row store, column at a time
     * ({@link #filter}); the survivors, ascending, appended to the answer. No bitmap is built for
     * any child.
     */
    private RoaringBitmap drive(AndNode a, Leaf d, int depth) {
        int step = open(a, depth, "drive: smallest leaf's rows probed");
        int s = open(d, depth + 1, d.verify.length == 0 ? "rows collected" : "candidates collected, verified on the AND's result");
        RowBuffer buf = new RowBuffer(estimate(d));
        gather(d, true, buf, null);
        // Sorted before the probe only where that buys locality: rows sharing the row store's cache
        // lines (8 keys a line), so more than one row in 8 of the table; sparser, each probed row is
        // a line of its own in any order, and only the survivors are sorted (often a small part).
        boolean sortFirst = buf.size > (store.rowCapacity() >>> 3);
        if (sortFirst) buf.sortDistinct();
        close(s, buf.size);
        List<Node> rest = new ArrayList<>(a.children.size());
        for (Node c : a.children) if (c != d) rest.add(c);
        if (trace != null) for (Node r : rest) note(r, depth + 1, "probe on " + buf.size + " rows");
        if (d.verify.length > 0) rest.add(d);
        int n = filter(buf.rows, buf.size, rest);
        if (!sortFirst) n = buf.sortDistinct(n);
        RoaringBitmap out = buf.toBitmap(n);
        close(step, out);
        return out;
    }

    /**
     * The rows of {@code rows} that satisfy every node, tested in the row store: the leaves column
     * at a time over an array of the candidate rows (compacted in place, most selective first, a leading leaf kept beside its composite leaf last),
     * the other nodes row by row.
     */
    private RoaringBitmap probe(RoaringBitmap rows, List<Node> nodes) {
        int[] ids = rows.toArray();
        int n = filter(ids, ids.length, nodes);
        return RowBuffer.toBitmap(ids, n); // ascending (toArray's order; non-negative ids)
    }

    /** Compacts {@code ids[0, n)} in place to the rows that satisfy every node (see {@link #probe}); returns how many. */
    private int filter(int[] ids, int n, List<Node> nodes) {
        List<Node> ordered = new ArrayList<>(nodes);
        ordered.sort(Comparator.comparingInt((Node x) -> x instanceof Leaf l ? (l.testLast ? 1 : 0) : 2).thenComparingLong(this::estimate));
        for (Node x : ordered) {
            if (n == 0) break;
            if (x instanceof Leaf l) {
                if (l.checks == null) n = store.filter(l.column, ids, n, l.isNull, l.lo, l.hi, l.verify, l.test);
                else for (Leaf c : l.checks) if (!c.testLast) n = store.filter(c.column, ids, n, c.isNull, c.lo, c.hi, c.verify, c.test);
            } else {
                int m = 0;
                for (int i = 0; i < n; i++) if (x.matches(store, ids[i])) ids[m++] = ids[i];
                n = m;
            }
        }
        return n;
    }

    /* ---- Trace ---- */

    private int open(Node n, int depth, String method) {
        if (trace == null) return -1;
        trace.add(new QueryPlan.Step(depth, n.describe(), method + capNote(n), estimate(n), -1));
        return trace.size() - 1;
    }

    /** For a leaf whose count stopped at its cap ({@link #capRanges}): says the estimate is a lower bound. */
    private String capNote(Node n) {
        return n instanceof Leaf l && l.capped ? "; estimate a lower bound: counted to " + l.cap + " keys" : "";
    }

    private void close(int step, RoaringBitmap rows) {
        if (step >= 0) close(step, rows.getLongCardinality());
    }

    private void rename(int step, String method) {
        QueryPlan.Step s = trace.get(step);
        trace.set(step, new QueryPlan.Step(s.depth(), s.node(), method, s.estimated(), s.actual()));
    }

    private void close(int step, long rows) {
        if (step < 0) return;
        QueryPlan.Step s = trace.get(step);
        trace.set(step, new QueryPlan.Step(s.depth(), s.node(), s.method(), s.estimated(), rows));
    }

    /** A node not evaluated on its own (probed or skipped), and its subtree. */
    private void note(Node n, int depth, String method) {
        if (trace == null) return;
        trace.add(new QueryPlan.Step(depth, n.describe(), method + capNote(n), estimate(n), -1));
        if (n instanceof AndNode a) for (Node c : a.children) note(c, depth + 1, method);
        if (n instanceof OrNode o) for (Node c : o.children) note(c, depth + 1, method);
        if (n instanceof NotNode x) note(x.child, depth + 1, method);
    }
}
