package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.List;

/**
 * What {@link TableIndex#explain} returns: the answer of a query and the plan that produced it,
 * one step per condition node in evaluation order, with the estimated row count (from the
 * indexes' O(log n) range counts) beside the real one.
 *
 * @param rows the rows that satisfy the condition
 * @param steps the plan, depth-first in evaluation order
 */
public record QueryPlan(RoaringBitmap rows, List<Step> steps) {

    /**
     * One node of a plan.
     *
     * @param depth nesting depth (0: the whole condition)
     * @param node the node, as text
     * @param method how it was evaluated: {@code bitmap} (a key-range scan), {@code verified}
     *               (a scan whose end keys' rows were checked against the stored values),
     *               {@code candidates, ...} (a scan whose verification is left to the AND's
     *               result), {@code intersected} (the AND's rows so far intersected with the
     *               leaf's rows, its bitmaps read in place; actual: the intersection;
     *               {@code intersected through a row bitset} when its rows held one by one are
     *               dense), {@code probe} (tested in the row store on a smaller set),
     *               {@code skipped} (an AND that was already empty), {@code rows collected} /
     *               {@code candidates collected} (a driving leaf's rows gathered into an array;
     *               actual: how many), or the combination for AND/OR/NOT ({@code drive: smallest
     *               leaf's rows probed} for an AND driven by one leaf). A leaf whose count stopped
     *               at its cap adds {@code estimate a lower bound: counted to N keys}
     * @param estimated the estimated rows
     * @param actual the rows found, or -1 if the node was not evaluated on its own
     */
    public record Step(int depth, String node, String method, long estimated, long actual) {
    }

    public QueryPlan {
        steps = List.copyOf(steps);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Step s : steps) {
            b.append("  ".repeat(s.depth())).append(s.node()).append("  [").append(s.method())
                    .append(", estimated ").append(s.estimated()).append(", actual ")
                    .append(s.actual() < 0 ? "-" : Long.toString(s.actual())).append("]\n");
        }
        return b.toString();
    }
}
