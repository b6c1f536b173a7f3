package dev.cobtree.calcite;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.tools.RelBuilderFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The planner rules a {@link CobtreeTableScan} registers: {@link #FILTER} moves every conjunct
 * of a filter that {@link FilterTranslator} translates into the scan (the rest stays in a
 * filter above it); {@link #COUNT} and {@link #COUNT_OVER_PROJECT} replace an aggregate of
 * nothing but {@code COUNT(*)} directly over a scan (so only when the whole filter was pushed)
 * with a scan that returns the count.
 */
final class CobtreeRules {

    private CobtreeRules() {
    }

    static final RelOptRule FILTER = new FilterRule(new RuleConfig("CobtreeFilterRule",
            b -> b.operand(Filter.class).oneInput(s -> s.operand(CobtreeTableScan.class)
                    .predicate(scan -> scan.countRowType == null).noInputs())));

    static final RelOptRule COUNT = new CountRule(new RuleConfig("CobtreeCountRule",
            b -> b.operand(Aggregate.class).predicate(CobtreeRules::onlyCountStar).oneInput(s -> s.operand(CobtreeTableScan.class)
                    .predicate(scan -> scan.countRowType == null).noInputs())));

    static final RelOptRule COUNT_OVER_PROJECT = new CountRule(new RuleConfig("CobtreeCountOverProjectRule",
            b -> b.operand(Aggregate.class).predicate(CobtreeRules::onlyCountStar).oneInput(p -> p.operand(Project.class)
                    .oneInput(s -> s.operand(CobtreeTableScan.class).predicate(scan -> scan.countRowType == null).noInputs()))));

    /** No GROUP BY, and every call a plain COUNT(*): the answer is one row of the input's row count. */
    static boolean onlyCountStar(Aggregate a) {
        if (a.getGroupCount() != 0 || a.getGroupType() != Aggregate.Group.SIMPLE || a.getAggCallList().isEmpty()) return false;
        for (AggregateCall c : a.getAggCallList()) {
            if (c.getAggregation().getKind() != SqlKind.COUNT || !c.getArgList().isEmpty() || c.isDistinct() || c.hasFilter()) return false;
        }
        return true;
    }

    static final class FilterRule extends RelRule<RuleConfig> {
        FilterRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(org.apache.calcite.plan.RelOptRuleCall call) {
            Filter filter = call.rel(0);
            CobtreeTableScan scan = call.rel(1);
            FilterTranslator translator = new FilterTranslator(scan.cobtreeTable.columns());
            List<Pred> pushed = new ArrayList<>();
            if (scan.filter != null) pushed.add(scan.filter);
            List<RexNode> rest = new ArrayList<>();
            int added = 0;
            for (RexNode c : RelOptUtil.conjunctions(filter.getCondition())) {
                Pred p = translator.translate(c);
                if (p == null) {
                    rest.add(c);
                } else {
                    pushed.add(p);
                    added++;
                }
            }
            if (added == 0) return;
            Pred all = pushed.size() == 1 ? pushed.get(0) : new Pred.And(pushed);
            CobtreeTableScan newScan = scan.withFilter(all);
            call.transformTo(rest.isEmpty() ? newScan : call.builder().push(newScan).filter(rest).build());
        }
    }

    static final class CountRule extends RelRule<RuleConfig> {
        CountRule(RuleConfig config) {
            super(config);
        }

        @Override
        public void onMatch(org.apache.calcite.plan.RelOptRuleCall call) {
            Aggregate aggregate = call.rel(0);
            CobtreeTableScan scan = call.rel(call.rels.length - 1);
            call.transformTo(scan.asCount(aggregate.getRowType()));
        }
    }

    /** A rule configuration without the Immutables-generated classes Calcite's own rules use. */
    record RuleConfig(String description, RelRule.OperandTransform operandSupplier, RelBuilderFactory relBuilderFactory) implements RelRule.Config {

        RuleConfig(String description, RelRule.OperandTransform operandSupplier) {
            this(description, operandSupplier, RelFactories.LOGICAL_BUILDER);
        }

        @Override
        public RelOptRule toRule() {
            throw new UnsupportedOperationException("the cobtree rules are built directly");
        }

        @Override
        public RuleConfig withRelBuilderFactory(RelBuilderFactory factory) {
            return new RuleConfig(description, operandSupplier, factory);
        }

        @Override
        public RuleConfig withDescription(String d) {
            return new RuleConfig(d, operandSupplier, relBuilderFactory);
        }

        @Override
        public RuleConfig withOperandSupplier(RelRule.OperandTransform transform) {
            return new RuleConfig(description, transform, relBuilderFactory);
        }
    }
}
