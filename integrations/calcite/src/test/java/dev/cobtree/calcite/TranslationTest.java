package dev.cobtree.calcite;

import dev.cobtree.query.Condition;
import dev.cobtree.query.TableIndex;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.RelOptPredicateList;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexSimplify;
import org.apache.calcite.rex.RexUtil;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The translation at the heart of the adapter, without Calcite's planner (whose ~100 ms a query
 * limits the SQL tests to hundreds of queries in CI): 10,000 random predicates of pushable forms
 * over a column of every codec type, built as Calcite expressions, simplified as Calcite's
 * planner simplifies a filter (into SEARCH / Sarg forms), translated by {@link FilterTranslator},
 * and answered by the table index alone; each answer must equal a brute-force three-valued
 * evaluation, its {@code TableIndex.count} the answer's size, and the translated predicate's own
 * evaluation (the scan's recheck) must agree on every row (every fifth predicate). Replay with {@code -Dcobtree.seed=N}.
 */
class TranslationTest {

    @Test
    void pushablePredicatesAreAnsweredExactlyByTheIndex() {
        long seed = RandomSqlTest.seed("TranslationTest");
        Random r = new Random(seed);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) rows.add(SqlModel.row(r, i, 0.1, false));
        List<Object[]> sqlRows = rows.stream().map(row -> {
            Object[] s = new Object[row.length];
            for (int c = 0; c < row.length; c++) s[c] = SqlModel.sqlValue(row[c]);
            return s;
        }).toList();
        TableIndex index = TableIndex.fromRows(SqlModel.columns(), rows);
        CobtreeTable table = new CobtreeTable(index);
        JavaTypeFactoryImpl types = new JavaTypeFactoryImpl();
        RelDataType rowType = table.getRowType(types);
        RexBuilder b = new RexBuilder(types);
        RexSimplify simplify = new RexSimplify(b, RelOptPredicateList.EMPTY, RexUtil.EXECUTOR);
        FilterTranslator translator = new FilterTranslator(table.columns());
        int n = Integer.getInteger("cobtree.translation.queries", 10_000);
        int translated = 0;
        int constant = 0;
        int searches = 0;
        for (int q = 0; q < n; q++) {
            SqlModel.Expr where = SqlModel.predicate(r, 3, true);
            RoaringBitmap expected = new RoaringBitmap();
            for (Object[] s : sqlRows) if (Boolean.TRUE.equals(where.eval(s))) expected.add(((BigDecimal) s[0]).intValue());
            RexNode e = simplify.simplifyUnknownAsFalse(where.rex(b, rowType));
            String ctx = "seed " + seed + ", predicate " + q + ": " + where.sql() + "  ->  " + e;
            if (e instanceof RexLiteral lit) { // simplified to TRUE or FALSE
                constant++;
                assertEquals(Boolean.TRUE.equals(lit.getValueAs(Boolean.class)) ? index.liveRows() : new RoaringBitmap(), expected, ctx);
                continue;
            }
            if (e.toString().contains("SEARCH")) searches++;
            List<Pred> conjuncts = new ArrayList<>();
            for (RexNode c : RelOptUtil.conjunctions(e)) {
                Pred p = translator.translate(c);
                assertNotNull(p, () -> ctx + ": not translated: " + c);
                conjuncts.add(p);
            }
            Pred pred = conjuncts.size() == 1 ? conjuncts.get(0) : new Pred.And(conjuncts);
            Condition cond = pred.whereTrue();
            RoaringBitmap got = index.query(cond);
            assertEquals(expected, got, () -> ctx + "\n  condition " + cond);
            if (q % 5 == 0) assertEquals(expected.getLongCardinality(), index.count(cond), () -> ctx + ": count");
            for (int row = 0; q % 5 == 1 && row < rows.size(); row++) {
                boolean want = expected.contains(row);
                int k = row;
                assertEquals(want, Boolean.TRUE.equals(pred.eval(rows.get(row))), () -> ctx + ": recheck of row " + k);
            }
            translated++;
        }
        System.out.println("TranslationTest: " + n + " predicates (" + searches + " with SEARCH), " + translated
                + " translated and answered by the index, " + constant + " simplified to a constant");
        assertTrue(translated > n * 9 / 10);
        assertTrue(searches > n / 10);
    }
}
