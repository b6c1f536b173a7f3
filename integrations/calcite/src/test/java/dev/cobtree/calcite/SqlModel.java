package dev.cobtree.calcite;

import dev.cobtree.query.Column;
import dev.cobtree.query.codec.KeyCodecs;
import dev.cobtree.query.codec.OrderedDictionary;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.util.DateString;
import org.apache.calcite.util.TimestampString;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The randomized SQL tests' model: a table with a column of every codec type, random rows, and
 * random WHERE clauses, each rendered as SQL text (the same text for Calcite and H2) and
 * evaluated by brute force with SQL's three-valued logic on the SQL values of the rows.
 */
final class SqlModel {

    enum Color { ZULU, ALPHA, MIKE, BRAVO, YANKEE }

    static final String[] STRINGS = {"", "a", "ab", "abc", "abcdefgh", "abcdefghi", "abcdefghij", "abcdefgz", "b", "ba",
        "zz", "Oslo", "Paris", "Par", "caf\u00e9", "\u00e9t\u00e9", "x\u0000", "x"};
    static final List<String> CITIES = List.of("Berlin", "Lima", "Oslo", "Paris", "Quito", "Rome", "Tokyo");
    static final UUID[] UUIDS = new UUID[10];

    static {
        Random r = new Random(7);
        for (int i = 0; i < UUIDS.length; i++) UUIDS[i] = new UUID(r.nextInt(3) - 1L, r.nextLong()); // shared high bits
    }

    static final long BASE_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    /** A column of the test table: its cobtree column, its H2 type, its values and literals. */
    record Col(String name, Column<?> column, String h2Type, boolean ordered) {
    }

    static final List<Col> COLS = List.of(
            new Col("id", Column.of("id", Integer.class, KeyCodecs.ints()), "INTEGER", true),
            new Col("i", Column.of("i", Integer.class, KeyCodecs.ints()), "INTEGER", true),
            new Col("l", Column.of("l", Long.class, KeyCodecs.longs()), "BIGINT", true),
            new Col("s", Column.of("s", Short.class, KeyCodecs.shorts()), "SMALLINT", true),
            new Col("b", Column.of("b", Byte.class, KeyCodecs.bytes()), "TINYINT", true),
            new Col("bo", Column.of("bo", Boolean.class, KeyCodecs.booleans()), "BOOLEAN", true),
            new Col("d", Column.of("d", Double.class, KeyCodecs.doubles()), "DOUBLE PRECISION", true),
            new Col("f", Column.of("f", Float.class, KeyCodecs.floats()), "REAL", true),
            new Col("ts", Column.of("ts", Instant.class, KeyCodecs.instantMicros()), "TIMESTAMP(3)", true),
            new Col("tn", Column.of("tn", Instant.class, KeyCodecs.instantNanos()), "TIMESTAMP(3)", true),
            new Col("lt", Column.of("lt", LocalDateTime.class, KeyCodecs.localDateTimeMicros()), "TIMESTAMP(3)", true),
            new Col("dt", Column.of("dt", LocalDate.class, KeyCodecs.localDates()), "DATE", true),
            new Col("eo", Column.of("eo", Color.class, KeyCodecs.enumByOrdinal(Color.class)), "VARCHAR(10)", true),
            new Col("en", Column.of("en", Color.class, KeyCodecs.enumByName(Color.class)), "VARCHAR(10)", true),
            new Col("u", Column.of("u", UUID.class, KeyCodecs.uuidHighBits()), "VARCHAR(36)", true),
            new Col("dm", Column.of("dm", BigDecimal.class, KeyCodecs.decimal(2)), "DECIMAL(19, 2)", true),
            new Col("dr", Column.of("dr", BigDecimal.class, KeyCodecs.decimal(1, RoundingMode.HALF_UP)), "DECIMAL(19, 6)", true),
            new Col("str", Column.of("str", String.class, KeyCodecs.stringPrefix()), "VARCHAR(20)", true),
            new Col("city", Column.of("city", String.class, OrderedDictionary.of(CITIES)), "VARCHAR(20)", true));

    static List<Column<?>> columns() {
        return COLS.stream().<Column<?>>map(Col::column).toList();
    }

    static int col(String name) {
        for (int i = 0; i < COLS.size(); i++) if (COLS.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException(name);
    }

    /* ---------------- Rows ---------------- */

    /** A random row with id {@code id}; {@code edge}: also NaN, -0.0, infinities and extreme integers. */
    static Object[] row(Random r, int id, double nulls, boolean edge) {
        Object[] v = new Object[COLS.size()];
        v[0] = id;
        for (int c = 1; c < v.length; c++) v[c] = r.nextDouble() < nulls ? null : value(r, COLS.get(c).name(), edge);
        return v;
    }

    static Object value(Random r, String col, boolean edge) {
        return switch (col) {
            case "i" -> edge && r.nextInt(10) == 0 ? (r.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE) : r.nextInt(41) - 20;
            case "l" -> edge && r.nextInt(10) == 0 ? (r.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE)
                    : (r.nextBoolean() ? r.nextInt(41) - 20L : (r.nextInt(5) - 2) * (1L << 40) + r.nextInt(3));
            case "s" -> (short) (r.nextInt(41) - 20);
            case "b" -> (byte) (edge && r.nextInt(10) == 0 ? (r.nextBoolean() ? Byte.MIN_VALUE : Byte.MAX_VALUE) : r.nextInt(21) - 10);
            case "bo" -> r.nextBoolean();
            case "d" -> {
                if (edge && r.nextInt(6) == 0) {
                    double[] e = {Double.NaN, -0.0, 0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MAX_VALUE};
                    yield e[r.nextInt(e.length)];
                }
                yield (r.nextInt(161) - 80) * 0.25;
            }
            case "f" -> {
                if (edge && r.nextInt(6) == 0) {
                    float[] e = {Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
                    yield e[r.nextInt(e.length)];
                }
                yield (r.nextInt(81) - 40) * 0.5f;
            }
            case "ts", "tn" -> Instant.ofEpochMilli(BASE_MILLIS + r.nextInt(40)).plusNanos(r.nextInt(3) * 400_000L);
            case "lt" -> LocalDateTime.ofEpochSecond(BASE_MILLIS / 1000 + r.nextInt(4), r.nextInt(3) * 300_000_000 + r.nextInt(2) * 500_000, ZoneOffset.UTC);
            case "dt" -> LocalDate.of(2026, 1, 1).plusDays(r.nextInt(30) - 10);
            case "eo", "en" -> Color.values()[r.nextInt(Color.values().length)];
            case "u" -> UUIDS[r.nextInt(UUIDS.length)];
            case "dm" -> BigDecimal.valueOf(r.nextInt(401) - 200, 2);
            case "dr" -> BigDecimal.valueOf(r.nextInt(401) - 200, r.nextInt(3) + 1);
            case "str" -> STRINGS[r.nextInt(STRINGS.length)];
            case "city" -> CITIES.get(r.nextInt(CITIES.size()));
            default -> throw new IllegalArgumentException(col);
        };
    }

    /** The value SQL sees (what the brute force compares): as the adapter documents. */
    static Object sqlValue(Object v) {
        return switch (v) {
            case null -> null;
            case Integer x -> BigDecimal.valueOf(x);
            case Long x -> BigDecimal.valueOf(x);
            case Short x -> BigDecimal.valueOf(x);
            case Byte x -> BigDecimal.valueOf(x);
            case Float x -> (double) x;
            case Instant x -> x.toEpochMilli();
            case LocalDateTime x -> SqlColumn.localMillis(x);
            case Enum<?> x -> x.name();
            case UUID x -> x.toString();
            default -> v;
        };
    }

    /** The value to store in H2 for a cobtree value (timestamps floored to milliseconds, as SQL sees them). */
    static Object h2Value(Object v) {
        return switch (v) {
            case null -> null;
            case Instant x -> LocalDateTime.ofEpochSecond(Math.floorDiv(x.toEpochMilli(), 1000), (int) Math.floorMod(x.toEpochMilli(), 1000) * 1_000_000, ZoneOffset.UTC);
            case LocalDateTime x -> x.withNano(x.getNano() / 1_000_000 * 1_000_000);
            case Enum<?> x -> x.name();
            case UUID x -> x.toString();
            default -> v;
        };
    }

    /* ---------------- Literals ---------------- */

    /** A literal: its SQL text and its value in the brute force's domain. */
    record Lit(String sql, Object value) {
    }

    static Lit literal(Random r, String col) {
        switch (col) {
            case "id", "i", "s", "b", "l" -> {
                if (!col.equals("l") && r.nextInt(6) == 0) { // not an integer (BIGINT: Calcite casts it to a DECIMAL that can overflow)
                    BigDecimal v = BigDecimal.valueOf(r.nextInt(41) * 10 - 205, 1);
                    return new Lit(v.toPlainString(), v);
                }
                long v = col.equals("l") && r.nextBoolean() ? (r.nextInt(5) - 2) * (1L << 40) + r.nextInt(3) : r.nextInt(45) - 22;
                if (col.equals("id")) v = r.nextInt(1100) - 50;
                return new Lit(Long.toString(v), BigDecimal.valueOf(v));
            }
            case "bo" -> {
                boolean v = r.nextBoolean();
                return new Lit(Boolean.toString(v).toUpperCase(Locale.ROOT), v);
            }
            case "d", "f" -> {
                double v = (r.nextInt(91) - 45) * 0.5 + (r.nextInt(4) == 0 ? 0.25 : 0);
                return new Lit(BigDecimal.valueOf(v).toPlainString(), v);
            }
            case "ts", "tn", "lt" -> {
                long ms = col.equals("lt") ? BASE_MILLIS + r.nextInt(5) * 1000L - 500 + r.nextInt(3) * 300 : BASE_MILLIS + r.nextInt(44) - 2;
                return new Lit("TIMESTAMP '" + TS.format(LocalDateTime.ofEpochSecond(Math.floorDiv(ms, 1000), (int) Math.floorMod(ms, 1000) * 1_000_000, ZoneOffset.UTC)) + "'", ms);
            }
            case "dt" -> {
                LocalDate d = LocalDate.of(2026, 1, 1).plusDays(r.nextInt(34) - 12);
                return new Lit("DATE '" + d + "'", d);
            }
            case "eo", "en" -> {
                String v = r.nextInt(8) == 0 ? "NOPE" : r.nextInt(8) == 0 ? "B" : Color.values()[r.nextInt(Color.values().length)].name();
                return str(v);
            }
            case "u" -> {
                String v = UUIDS[r.nextInt(UUIDS.length)].toString();
                if (r.nextInt(8) == 0) v = v.toUpperCase(Locale.ROOT);
                if (r.nextInt(10) == 0) v = new UUID(r.nextLong(), r.nextLong()).toString();
                return str(v);
            }
            case "dm", "dr" -> {
                BigDecimal v = BigDecimal.valueOf(r.nextInt(441) - 220, 2);
                // more digits than dm's scale 2 only for dr: Calcite rounds a literal to the column's scale
                if (col.equals("dr") && r.nextInt(5) == 0) v = BigDecimal.valueOf(r.nextInt(4401) - 2200, 3);
                return new Lit(v.toPlainString(), v);
            }
            case "str" -> {
                String v = STRINGS[r.nextInt(STRINGS.length)];
                if (v.indexOf('\u0000') >= 0) v = "x"; // no NUL in SQL text
                if (r.nextInt(4) == 0 && !v.isEmpty()) v = v.substring(0, r.nextInt(v.length()));
                return str(v);
            }
            case "city" -> {
                String v = r.nextInt(5) == 0 ? new String[]{"A", "Oz", "Pa", "Zurich", "Lima"}[r.nextInt(5)] : CITIES.get(r.nextInt(CITIES.size()));
                return str(v);
            }
            default -> throw new IllegalArgumentException(col);
        }
    }

    private static Lit str(String v) {
        return new Lit("'" + v.replace("'", "''") + "'", v);
    }

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    /* ---------------- Predicates ---------------- */

    /** A WHERE clause: SQL text and its three-valued value on a row's SQL values. */
    interface Expr {
        String sql();

        Boolean eval(Object[] sqlRow);

        /** The same predicate as a Calcite expression over the table's row type (null: not built for this form). */
        RexNode rex(RexBuilder b, RelDataType rowType);
    }

    static RexNode ref(RexBuilder b, RelDataType rowType, int c) {
        return b.makeInputRef(rowType.getFieldList().get(c).getType(), c);
    }

    /** A literal of column {@code col} as Calcite's expression. */
    static RexNode rexLiteral(RexBuilder b, String col, Object v) {
        return switch (col) {
            case "bo" -> b.makeLiteral((Boolean) v);
            case "d", "f" -> b.makeApproxLiteral(BigDecimal.valueOf((Double) v));
            case "ts", "tn", "lt" -> b.makeTimestampLiteral(TimestampString.fromMillisSinceEpoch((Long) v), 3);
            case "dt" -> b.makeDateLiteral(DateString.fromDaysSinceEpoch((int) ((LocalDate) v).toEpochDay()));
            case "eo", "en", "u", "str", "city" -> b.makeLiteral((String) v);
            default -> b.makeExactLiteral((BigDecimal) v);
        };
    }

    static SqlOperator op(String op) {
        return switch (op) {
            case "=" -> SqlStdOperatorTable.EQUALS;
            case "<>" -> SqlStdOperatorTable.NOT_EQUALS;
            case "<" -> SqlStdOperatorTable.LESS_THAN;
            case "<=" -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
            case ">" -> SqlStdOperatorTable.GREATER_THAN;
            default -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
        };
    }

    static int compare(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) return x.compareTo(y);
        if (a instanceof Double x && b instanceof Double y) return x < y ? -1 : x > y ? 1 : x.doubleValue() == y.doubleValue() ? 0 : 2; // 2: NaN
        @SuppressWarnings("unchecked") int c = ((Comparable<Object>) a).compareTo(b);
        return Integer.signum(c);
    }

    static Boolean cmp(Object v, String op, Object lit) {
        if (v == null) return null;
        if (v instanceof Double && lit instanceof BigDecimal bd) lit = bd.doubleValue();
        if (v instanceof BigDecimal && lit instanceof Double dd) lit = BigDecimal.valueOf(dd);
        int c = compare(v, lit);
        if (c == 2) return op.equals("<>"); // NaN: only <> holds
        return switch (op) {
            case "=" -> c == 0;
            case "<>" -> c != 0;
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            default -> throw new IllegalArgumentException(op);
        };
    }

    static Boolean and(Boolean a, Boolean b) {
        if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) return false;
        return a == null || b == null ? null : true;
    }

    static Boolean or(Boolean a, Boolean b) {
        if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) return true;
        return a == null || b == null ? null : false;
    }

    static Boolean not(Boolean a) {
        return a == null ? null : !a;
    }

    private static final String[] OPS = {"=", "<>", "<", "<=", ">", ">="};

    /** A random predicate; {@code pushable}: only forms the adapter translates. */
    static Expr predicate(Random r, int depth, boolean pushable) {
        int k = r.nextInt(depth > 0 ? 10 : 6);
        if (k >= 6) {
            Expr a = predicate(r, depth - 1, pushable);
            Expr b = predicate(r, depth - 1, pushable);
            return switch (k) {
                case 6, 7 -> expr("(" + a.sql() + " AND " + b.sql() + ")", row -> and(a.eval(row), b.eval(row)),
                        (x, t) -> both(a, b, x, t, SqlStdOperatorTable.AND));
                case 8 -> expr("(" + a.sql() + " OR " + b.sql() + ")", row -> or(a.eval(row), b.eval(row)),
                        (x, t) -> both(a, b, x, t, SqlStdOperatorTable.OR));
                default -> expr("(NOT " + a.sql() + ")", row -> not(a.eval(row)), (x, t) -> {
                    RexNode e = a.rex(x, t);
                    return e == null ? null : x.makeCall(SqlStdOperatorTable.NOT, e);
                });
            };
        }
        int c = 1 + r.nextInt(COLS.size() - 1);
        if (r.nextInt(4) == 0) c = 0;
        String name = COLS.get(c).name();
        int ci = c;
        if (!pushable && r.nextInt(5) == 0) return unpushable(r, ci);
        boolean ranged = !name.equals("u") || !pushable;
        switch (ranged ? k : (k % 2 == 0 ? 0 : 3)) {
            case 0, 1 -> {
                String op = ranged ? OPS[r.nextInt(OPS.length)] : (r.nextBoolean() ? "=" : "<>");
                Lit lit = literal(r, name);
                if (name.equals("bo") && r.nextInt(3) == 0) return expr(name, row -> (Boolean) row[ci], (x, t) -> ref(x, t, ci)); // a boolean column alone
                return r.nextInt(5) == 0
                        ? expr(lit.sql() + " " + flip(op) + " " + name, row -> cmp(row[ci], op, lit.value()),
                                (x, t) -> x.makeCall(op(flip(op)), rexLiteral(x, name, lit.value()), ref(x, t, ci)))
                        : expr(name + " " + op + " " + lit.sql(), row -> cmp(row[ci], op, lit.value()),
                                (x, t) -> x.makeCall(op(op), ref(x, t, ci), rexLiteral(x, name, lit.value())));
            }
            case 2 -> {
                Lit lo = literal(r, name);
                Lit hi = literal(r, name);
                boolean neg = r.nextInt(4) == 0;
                return expr(name + (neg ? " NOT" : "") + " BETWEEN " + lo.sql() + " AND " + hi.sql(), row -> {
                    Boolean in = and(cmp(row[ci], ">=", lo.value()), cmp(row[ci], "<=", hi.value()));
                    return neg ? not(in) : in;
                }, (x, t) -> {
                    RexNode in = x.makeCall(SqlStdOperatorTable.AND,
                            x.makeCall(SqlStdOperatorTable.GREATER_THAN_OR_EQUAL, ref(x, t, ci), rexLiteral(x, name, lo.value())),
                            x.makeCall(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, ref(x, t, ci), rexLiteral(x, name, hi.value())));
                    return neg ? x.makeCall(SqlStdOperatorTable.NOT, in) : in;
                });
            }
            case 3 -> {
                int n = 1 + r.nextInt(4);
                List<Lit> lits = new ArrayList<>();
                for (int i = 0; i < n; i++) lits.add(literal(r, name));
                boolean neg = r.nextInt(4) == 0;
                return expr(name + (neg ? " NOT" : "") + " IN (" + lits.stream().map(Lit::sql).collect(Collectors.joining(", ")) + ")", row -> {
                    Boolean in = false;
                    for (Lit l : lits) in = or(in, cmp(row[ci], "=", l.value()));
                    return neg ? not(in) : in;
                }, (x, t) -> {
                    List<RexNode> eqs = new ArrayList<>();
                    for (Lit l : lits) eqs.add(x.makeCall(SqlStdOperatorTable.EQUALS, ref(x, t, ci), rexLiteral(x, name, l.value())));
                    RexNode in = eqs.size() == 1 ? eqs.get(0) : x.makeCall(SqlStdOperatorTable.OR, eqs);
                    return neg ? x.makeCall(SqlStdOperatorTable.NOT, in) : in;
                });
            }
            default -> {
                boolean neg = r.nextBoolean();
                return expr(name + (neg ? " IS NOT NULL" : " IS NULL"), row -> neg ? row[ci] != null : row[ci] == null,
                        (x, t) -> x.makeCall(neg ? SqlStdOperatorTable.IS_NOT_NULL : SqlStdOperatorTable.IS_NULL, ref(x, t, ci)));
            }
        }
    }

    /** A predicate the adapter leaves to Calcite: arithmetic, functions, two columns. */
    private static Expr unpushable(Random r, int ci) {
        int i = col("i");
        int s = col("s");
        int str = col("str");
        return switch (r.nextInt(3)) {
            case 0 -> {
                int add = r.nextInt(5);
                long lit = r.nextInt(41) - 20;
                yield expr("i + " + add + " > " + lit, row -> row[i] == null ? null : ((BigDecimal) row[i]).longValue() + add > lit, (x, t) -> null);
            }
            case 1 -> expr("i = s", row -> row[i] == null || row[s] == null ? null : ((BigDecimal) row[i]).compareTo((BigDecimal) row[s]) == 0, (x, t) -> null);
            default -> {
                String v = STRINGS[r.nextInt(4)].toUpperCase(Locale.ROOT);
                yield expr("UPPER(str) = '" + v + "'", row -> row[str] == null ? null : ((String) row[str]).toUpperCase(Locale.ROOT).equals(v), (x, t) -> null);
            }
        };
    }

    private static String flip(String op) {
        return switch (op) {
            case "<" -> ">";
            case "<=" -> ">=";
            case ">" -> "<";
            case ">=" -> "<=";
            default -> op;
        };
    }

    private static RexNode both(Expr a, Expr b, RexBuilder x, RelDataType t, SqlOperator op) {
        RexNode l = a.rex(x, t);
        RexNode r = b.rex(x, t);
        return l == null || r == null ? null : x.makeCall(op, l, r);
    }

    private static Expr expr(String sql, java.util.function.Function<Object[], Boolean> eval,
                             java.util.function.BiFunction<RexBuilder, RelDataType, RexNode> rex) {
        return new Expr() {
            @Override
            public String sql() {
                return sql;
            }

            @Override
            public Boolean eval(Object[] row) {
                return eval.apply(row);
            }

            @Override
            public RexNode rex(RexBuilder b, RelDataType rowType) {
                return rex.apply(b, rowType);
            }

            @Override
            public String toString() {
                return sql;
            }
        };
    }

    private SqlModel() {
    }
}
