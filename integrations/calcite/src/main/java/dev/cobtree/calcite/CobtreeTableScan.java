package dev.cobtree.calcite;

import com.google.common.collect.ImmutableList;

import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;

import java.util.List;

/**
 * A scan of a {@link CobtreeTable} in Calcite's enumerable convention, carrying what the
 * adapter's rules pushed into it: a filter (answered by the table index) and, for an aggregate
 * of nothing but {@code COUNT(*)}, the count itself. {@code EXPLAIN PLAN} prints both:
 * {@code CobtreeTableScan(table=[[s, events]], index=[(ts in [...) and kind = 3)], count=[range counts])}.
 */
public final class CobtreeTableScan extends TableScan implements EnumerableRel {

    final CobtreeTable cobtreeTable;
    final Pred filter; // null: every live row
    final RelDataType countRowType; // null: rows; else one row of counts, of this type
    /**
     * A count scan's method as its plan names it (null for a row scan): decided once here, since
     * Calcite calls {@link #explainTerms} for every digest and the decision resolves the filter
     * against the index ({@link dev.cobtree.query.TableIndex#countsByRanges}).
     */
    private final String countMethod;

    CobtreeTableScan(RelOptCluster cluster, RelOptTable table, CobtreeTable cobtreeTable, Pred filter, RelDataType countRowType) {
        super(cluster, cluster.traitSetOf(EnumerableConvention.INSTANCE), ImmutableList.of(), table);
        this.cobtreeTable = cobtreeTable;
        this.filter = filter;
        this.countRowType = countRowType;
        this.countMethod = countRowType == null ? null
                : filter == null || cobtreeTable.index().countsByRanges(filter.whereTrue()) ? "range counts" : "bitmap cardinality";
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
        return this;
    }

    CobtreeTableScan withFilter(Pred f) {
        return new CobtreeTableScan(getCluster(), table, cobtreeTable, f, null);
    }

    CobtreeTableScan asCount(RelDataType rowType) {
        return new CobtreeTableScan(getCluster(), table, cobtreeTable, filter, rowType);
    }

    @Override
    public RelDataType deriveRowType() {
        return countRowType != null ? countRowType : super.deriveRowType();
    }

    @Override
    public void register(RelOptPlanner planner) {
        planner.addRule(CobtreeRules.FILTER);
        planner.addRule(CobtreeRules.COUNT);
        planner.addRule(CobtreeRules.COUNT_OVER_PROJECT);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
        return super.explainTerms(pw)
                .itemIf("index", filter == null ? "" : filter.whereTrue().toString(), filter != null)
                .itemIf("count", countMethod, countMethod != null);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
        if (countRowType != null) return 1;
        double rows = cobtreeTable.index().size();
        return filter == null ? rows : Math.max(1, rows * 0.05);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
        double rows = estimateRowCount(mq);
        if (countRowType != null) return planner.getCostFactory().makeCost(1, 1, 0);
        // A pushed filter costs the index's work (about the rows it returns), not a pass over the table.
        return planner.getCostFactory().makeCost(rows, rows, 0);
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
        PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), JavaRowFormat.ARRAY, false);
        CobtreeScan runtime = new CobtreeScan(cobtreeTable, filter, countRowType == null ? -1 : countRowType.getFieldCount());
        Expression scan = implementor.stash(runtime, CobtreeScan.class);
        return implementor.result(physType, Blocks.toBlock(Expressions.call(scan, "enumerable")));
    }
}
