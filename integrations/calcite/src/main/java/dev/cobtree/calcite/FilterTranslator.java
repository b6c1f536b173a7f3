package dev.cobtree.calcite;

import com.google.common.collect.BoundType;
import com.google.common.collect.Range;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUnknownAs;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.NlsString;
import org.apache.calcite.util.Sarg;
import org.apache.calcite.util.TimestampString;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a Calcite filter expression into a {@link Pred} on the table's columns, or answers
 * null where it cannot translate it exactly (the expression then stays with Calcite).
 *
 * <p>Translated: {@code =, <>, <, <=, >, >=} between a column (or a lossless widening CAST of
 * one) and a literal, in either order; {@code SEARCH} (Calcite's form of {@code BETWEEN},
 * {@code IN} and merged ranges) with its null handling; {@code IS [NOT] NULL}; a boolean column
 * on its own; and AND / OR / NOT of translated expressions.
 */
final class FilterTranslator {

    private final List<SqlColumn> columns;

    FilterTranslator(List<SqlColumn> columns) {
        this.columns = columns;
    }

    Pred translate(RexNode e) {
        return switch (e.getKind()) {
            case AND, OR -> {
                List<Pred> children = new ArrayList<>();
                for (RexNode o : ((RexCall) e).getOperands()) {
                    Pred p = translate(o);
                    if (p == null) yield null;
                    children.add(p);
                }
                yield e.getKind() == SqlKind.AND ? new Pred.And(children) : new Pred.Or(children);
            }
            case NOT -> {
                Pred p = translate(((RexCall) e).getOperands().get(0));
                yield p == null ? null : new Pred.Not(p);
            }
            case IS_NULL, IS_NOT_NULL -> {
                SqlColumn c = column(((RexCall) e).getOperands().get(0));
                if (c == null) yield null;
                yield e.getKind() == SqlKind.IS_NULL ? new Pred.IsNull(c) : new Pred.Not(new Pred.IsNull(c));
            }
            case INPUT_REF -> {
                SqlColumn c = column(e);
                yield c != null && c.kind == SqlColumn.Kind.BOOLEAN ? point(c, true) : null;
            }
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> comparison((RexCall) e);
            case SEARCH -> search((RexCall) e);
            default -> null;
        };
    }

    private Pred comparison(RexCall call) {
        RexNode a = call.getOperands().get(0);
        RexNode b = call.getOperands().get(1);
        SqlKind kind = call.getKind();
        SqlColumn c = column(a);
        RexNode lit = b;
        if (c == null) {
            c = column(b);
            lit = a;
            kind = kind.reverse();
        }
        if (c == null || !(lit instanceof RexLiteral literal)) return null;
        Object v = sqlValue(c, rawValue(literal), literal.getType());
        if (v == null) return null;
        return switch (kind) {
            case EQUALS -> leaf(c, v, true, v, true);
            case NOT_EQUALS -> {
                Pred eq = leaf(c, v, true, v, true);
                yield eq == null ? null : new Pred.Not(eq);
            }
            case LESS_THAN -> leaf(c, null, true, v, false);
            case LESS_THAN_OR_EQUAL -> leaf(c, null, true, v, true);
            case GREATER_THAN -> leaf(c, v, false, null, true);
            case GREATER_THAN_OR_EQUAL -> leaf(c, v, true, null, true);
            default -> null;
        };
    }

    private Pred search(RexCall call) {
        SqlColumn c = column(call.getOperands().get(0));
        if (c == null || !(call.getOperands().get(1) instanceof RexLiteral literal)) return null;
        Sarg<?> sarg = literal.getValueAs(Sarg.class);
        if (sarg == null) return null;
        if (c.kind == SqlColumn.Kind.UUID && sarg.isComplementedPoints()) {
            // NOT IN on a UUID column: points are translated, the ranges between them are not (string order)
            List<SqlColumn.Interval> points = new ArrayList<>();
            for (Range<?> r : sarg.rangeSet.complement().asRanges()) {
                Object v = sqlValue(c, r.lowerEndpoint(), literal.getType());
                List<SqlColumn.Interval> p = v == null ? null : intervals(c, v, true, v, true);
                if (p == null) return null;
                points.addAll(p);
            }
            return withNulls(sarg.nullAs, c, new Pred.Not(new Pred.Leaf(c, points)));
        }
        List<SqlColumn.Interval> intervals = new ArrayList<>();
        for (Range<?> r : sarg.rangeSet.asRanges()) {
            Object lo = null;
            Object hi = null;
            boolean loIn = true;
            boolean hiIn = true;
            if (r.hasLowerBound()) {
                lo = sqlValue(c, r.lowerEndpoint(), literal.getType());
                if (lo == null) return null;
                loIn = r.lowerBoundType() == BoundType.CLOSED;
            }
            if (r.hasUpperBound()) {
                hi = sqlValue(c, r.upperEndpoint(), literal.getType());
                if (hi == null) return null;
                hiIn = r.upperBoundType() == BoundType.CLOSED;
            }
            List<SqlColumn.Interval> part = intervals(c, lo, loIn, hi, hiIn);
            if (part == null) return null;
            intervals.addAll(part);
        }
        if ((c.kind == SqlColumn.Kind.DOUBLE || c.kind == SqlColumn.Kind.REAL) && (sarg.isComplementedPoints() || sarg.isAll())) {
            // Calcite evaluates these as "x <> a AND x <> b ..." and "x IS NOT NULL": true on NaN, unlike a range
            SqlColumn.Bound nan = new SqlColumn.Bound(c.kind == SqlColumn.Kind.DOUBLE ? (Object) Double.NaN : (Object) Float.NaN, true);
            intervals.add(new SqlColumn.Interval(nan, nan));
        }
        return withNulls(sarg.nullAs, c, new Pred.Leaf(c, intervals));
    }

    /** A Sarg's value on null: TRUE (or IS NULL), FALSE (and IS NOT NULL) or unknown. */
    private static Pred withNulls(RexUnknownAs nullAs, SqlColumn c, Pred p) {
        return switch (nullAs) {
            case TRUE -> new Pred.Or(List.of(new Pred.IsNull(c), p));
            case FALSE -> new Pred.And(List.of(new Pred.Not(new Pred.IsNull(c)), p));
            case UNKNOWN -> p;
        };
    }

    private Pred point(SqlColumn c, Object sqlValue) {
        return leaf(c, sqlValue, true, sqlValue, true);
    }

    private Pred leaf(SqlColumn c, Object lo, boolean loIn, Object hi, boolean hiIn) {
        List<SqlColumn.Interval> i = intervals(c, lo, loIn, hi, hiIn);
        return i == null ? null : new Pred.Leaf(c, i);
    }

    /** The Java intervals of a SQL interval (null bound: unbounded), or null if inexpressible. */
    private static List<SqlColumn.Interval> intervals(SqlColumn c, Object lo, boolean loIn, Object hi, boolean hiIn) {
        if (c.finiteDomain()) {
            List<SqlColumn.Interval> out = new ArrayList<>();
            for (Object v : c.domainIn(lo, loIn, hi, hiIn)) {
                SqlColumn.Bound b = new SqlColumn.Bound(v, true);
                out.add(new SqlColumn.Interval(b, b));
            }
            return out;
        }
        if (c.kind == SqlColumn.Kind.UUID) {
            if (lo == null || !lo.equals(hi) || !loIn || !hiIn) return null;
            Object u = c.uuidPoint((String) lo);
            if (u == null) return List.of(); // no stored UUID prints as this string
            SqlColumn.Bound b = new SqlColumn.Bound(u, true);
            return List.of(new SqlColumn.Interval(b, b));
        }
        SqlColumn.Interval i = c.interval(lo, loIn, hi, hiIn);
        return i == null ? null : List.of(i);
    }

    /** The column a node reads, directly or through a CAST that keeps every value and its order; else null. */
    private SqlColumn column(RexNode e) {
        if (e instanceof RexInputRef ref) return ref.getIndex() < columns.size() ? columns.get(ref.getIndex()) : null;
        if (e.getKind() == SqlKind.CAST && ((RexCall) e).getOperands().get(0) instanceof RexInputRef ref
                && ref.getIndex() < columns.size()) {
            SqlColumn c = columns.get(ref.getIndex());
            RelDataType to = e.getType();
            SqlTypeName t = to.getSqlTypeName();
            boolean widening = switch (c.kind) {
                case TINYINT -> t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER || t == SqlTypeName.BIGINT || t == SqlTypeName.DOUBLE
                        || (t == SqlTypeName.DECIMAL && to.getPrecision() - to.getScale() >= 3);
                case SMALLINT -> t == SqlTypeName.INTEGER || t == SqlTypeName.BIGINT || t == SqlTypeName.DOUBLE
                        || (t == SqlTypeName.DECIMAL && to.getPrecision() - to.getScale() >= 5);
                case INTEGER -> t == SqlTypeName.BIGINT || t == SqlTypeName.DOUBLE
                        || (t == SqlTypeName.DECIMAL && to.getPrecision() - to.getScale() >= 10);
                case BIGINT -> t == SqlTypeName.DECIMAL && to.getPrecision() - to.getScale() >= 19;
                case REAL -> t == SqlTypeName.DOUBLE;
                default -> false;
            };
            return widening ? c : null;
        }
        return null;
    }

    /** A literal's value as a Sarg holds it ({@code RexLiteral.getValue} gives dates and timestamps as Calendars). */
    private static Object rawValue(RexLiteral literal) {
        return switch (literal.getType().getSqlTypeName()) {
            case DATE -> literal.getValueAs(DateString.class);
            case TIMESTAMP -> literal.getValueAs(TimestampString.class);
            case CHAR, VARCHAR -> literal.getValueAs(NlsString.class);
            default -> literal.getValue();
        };
    }

    /**
     * A literal value in the SQL domain of column {@code c} (see {@link SqlColumn}), or null if
     * it is null or not comparable with the column's values here.
     */
    static Object sqlValue(SqlColumn c, Object v, RelDataType literalType) {
        if (v == null) return null;
        SqlTypeName lt = literalType.getSqlTypeName();
        return switch (c.kind) {
            case TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> {
                BigDecimal b;
                if (v instanceof BigDecimal d) b = d;
                else if (v instanceof Double d) b = Double.isFinite(d) ? new BigDecimal(d) : null;
                else if (v instanceof Float f) b = Float.isFinite(f) ? new BigDecimal(f) : null;
                else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) b = BigDecimal.valueOf(((Number) v).longValue());
                else b = null;
                if (b == null) yield null;
                boolean approximate = lt == SqlTypeName.DOUBLE || lt == SqlTypeName.FLOAT || lt == SqlTypeName.REAL;
                if (approximate) {
                    // the literal's own value: rounded to its type
                    if (c.kind == SqlColumn.Kind.BIGINT || c.kind == SqlColumn.Kind.DECIMAL) yield null; // compared as doubles, not exactly
                    double d = lt == SqlTypeName.REAL ? b.floatValue() : b.doubleValue();
                    if (!Double.isFinite(d)) yield null;
                    b = new BigDecimal(d);
                } else if (!SqlTypeName.NUMERIC_TYPES.contains(lt)) {
                    yield null;
                }
                yield b;
            }
            case BOOLEAN -> v instanceof Boolean ? v : null;
            case DATE -> v instanceof DateString d && lt == SqlTypeName.DATE ? (Object) d.getDaysSinceEpoch() : null;
            case TIMESTAMP, TIMESTAMP_LOCAL -> {
                if (!(v instanceof TimestampString t) || lt != SqlTypeName.TIMESTAMP) yield null;
                if (!t.round(3).equals(t)) yield null; // finer than the column's milliseconds
                yield t.getMillisSinceEpoch();
            }
            case VARCHAR, ENUM, UUID -> {
                if (!(v instanceof NlsString s)) yield null;
                if (lt == SqlTypeName.CHAR && s.getValue().endsWith(" ")) yield null; // padded: leave the CHAR semantics to Calcite
                yield s.getValue();
            }
        };
    }
}
