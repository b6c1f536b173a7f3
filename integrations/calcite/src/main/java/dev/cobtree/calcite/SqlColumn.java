package dev.cobtree.calcite;

import dev.cobtree.query.Column;
import dev.cobtree.query.codec.KeyCodec;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * How one {@link Column} of a table index appears in SQL: its SQL type, its values in Calcite's
 * internal representation, and how a SQL bound on it (a literal, in the SQL domain) becomes a
 * bound on the stored Java values.
 *
 * <p>SQL domain values (what {@link FilterTranslator} passes in): {@link BigDecimal} for every
 * numeric type (an approximate literal already rounded to its own type), {@link Boolean},
 * {@link Integer} days for DATE, {@link Long} milliseconds for TIMESTAMP, {@link String} for
 * VARCHAR.
 */
final class SqlColumn {

    enum Kind { BOOLEAN, TINYINT, SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL, DATE, TIMESTAMP, TIMESTAMP_LOCAL, VARCHAR, ENUM, UUID }

    /** A bound on Java values; {@code value} null means unbounded. */
    record Bound(Object value, boolean inclusive) {
        static final Bound UNBOUNDED = new Bound(null, true);
    }

    /** A set of Java values [lo, hi] (each end inclusive or not). */
    record Interval(Bound lo, Bound hi) {
    }

    /** Marks an interval that no value satisfies. */
    static final Interval EMPTY = new Interval(new Bound(null, false), new Bound(null, false));

    /** The SQL scale of a decimal column whose codec rounds: its values keep their own digits. */
    static final int INEXACT_DECIMAL_SCALE = 6;

    final int index;
    final String name;
    final Column<?> column;
    final Kind kind;
    final int decimalScale; // DECIMAL only: -1 if the codec does not say
    final Object[] constants; // ENUM only
    final Comparator<Object> order;

    @SuppressWarnings({"unchecked", "rawtypes"})
    SqlColumn(int index, Column<?> column) {
        this.index = index;
        this.name = column.name();
        this.column = column;
        Class<?> t = column.type();
        this.kind = kindOf(column);
        this.decimalScale = kind == Kind.DECIMAL ? decimalScaleOf((KeyCodec<BigDecimal>) column.codec()) : -1;
        this.constants = kind == Kind.ENUM ? t.getEnumConstants() : null;
        this.order = switch (kind) {
            case DOUBLE -> (a, b) -> Double.compare((Double) a, (Double) b);
            case REAL -> (a, b) -> Float.compare((Float) a, (Float) b);
            default -> (a, b) -> ((Comparable) a).compareTo(b);
        };
    }

    private static Kind kindOf(Column<?> c) {
        Class<?> t = c.type();
        if (t == Boolean.class) return Kind.BOOLEAN;
        if (t == Byte.class) return Kind.TINYINT;
        if (t == Short.class) return Kind.SMALLINT;
        if (t == Integer.class) return Kind.INTEGER;
        if (t == Long.class) return Kind.BIGINT;
        if (t == Float.class) return Kind.REAL;
        if (t == Double.class) return Kind.DOUBLE;
        if (t == BigDecimal.class) return Kind.DECIMAL;
        if (t == LocalDate.class) return Kind.DATE;
        if (t == Instant.class) return Kind.TIMESTAMP;
        if (t == LocalDateTime.class) return Kind.TIMESTAMP_LOCAL;
        if (t == String.class) return Kind.VARCHAR;
        if (t.isEnum()) return Kind.ENUM;
        if (t == UUID.class) return Kind.UUID;
        throw new IllegalArgumentException("column '" + c.name() + "' has type " + t.getName()
                + ", which has no SQL type in the cobtree adapter (supported: Boolean, Byte, Short, Integer, Long, Float, "
                + "Double, BigDecimal, LocalDate, Instant, LocalDateTime, String, enums, UUID)");
    }

    /** The scale of a fixed-scale decimal codec: the key of 1 is 10^scale. -1 if it is not a power of ten. */
    private static int decimalScaleOf(KeyCodec<BigDecimal> codec) {
        long k;
        try {
            k = codec.encode(BigDecimal.ONE);
        } catch (IllegalArgumentException e) {
            return -1;
        }
        for (int s = 0, p = 1; s <= 9; s++, p *= 10) if (k == p) return s;
        return -1;
    }

    RelDataType sqlType(RelDataTypeFactory f) {
        RelDataType t = switch (kind) {
            case BOOLEAN -> f.createSqlType(SqlTypeName.BOOLEAN);
            case TINYINT -> f.createSqlType(SqlTypeName.TINYINT);
            case SMALLINT -> f.createSqlType(SqlTypeName.SMALLINT);
            case INTEGER -> f.createSqlType(SqlTypeName.INTEGER);
            case BIGINT -> f.createSqlType(SqlTypeName.BIGINT);
            case REAL -> f.createSqlType(SqlTypeName.REAL);
            case DOUBLE -> f.createSqlType(SqlTypeName.DOUBLE);
            case DECIMAL -> f.createSqlType(SqlTypeName.DECIMAL, 19, column.codec().isExact() ? Math.max(decimalScale, 0) : INEXACT_DECIMAL_SCALE);
            case DATE -> f.createSqlType(SqlTypeName.DATE);
            case TIMESTAMP, TIMESTAMP_LOCAL -> f.createSqlType(SqlTypeName.TIMESTAMP, 3);
            case VARCHAR, ENUM -> f.createSqlType(SqlTypeName.VARCHAR);
            case UUID -> f.createSqlType(SqlTypeName.VARCHAR, 36);
        };
        return f.createTypeWithNullability(t, true);
    }

    /** A stored value in Calcite's internal representation. */
    Object toSql(Object v) {
        if (v == null) return null;
        return switch (kind) {
            case DATE -> (int) ((LocalDate) v).toEpochDay();
            case TIMESTAMP -> ((Instant) v).toEpochMilli(); // floor: nanos of second are never negative
            case TIMESTAMP_LOCAL -> localMillis((LocalDateTime) v);
            case ENUM -> ((Enum<?>) v).name();
            case UUID -> v.toString();
            default -> v;
        };
    }

    static long localMillis(LocalDateTime t) {
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1000L), t.getNano() / 1_000_000);
    }

    /** Whether this column's predicates are translated as point sets over a finite domain. */
    boolean finiteDomain() {
        return kind == Kind.ENUM || kind == Kind.BOOLEAN;
    }

    /** The whole finite domain, as Java values. */
    List<Object> domain() {
        if (kind == Kind.BOOLEAN) return List.of(false, true);
        return List.of(constants);
    }

    /** The SQL domain value of a Java value of a finite domain (compared with the literals). */
    @SuppressWarnings("unchecked")
    Comparable<Object> sqlKey(Object javaValue) {
        return (Comparable<Object>) (kind == Kind.ENUM ? ((Enum<?>) javaValue).name() : javaValue);
    }

    /**
     * The Java interval of the values whose SQL value lies in [lo, hi] (SQL domain; null is
     * unbounded), {@link #EMPTY} if none, or null if it cannot be expressed exactly.
     */
    Interval interval(Object lo, boolean loIn, Object hi, boolean hiIn) {
        Bound l = lo == null ? Bound.UNBOUNDED : lower(lo, loIn);
        Bound h = hi == null ? Bound.UNBOUNDED : upper(hi, hiIn);
        if (l == null || h == null) return null;
        if (l == EMPTY_BOUND || h == EMPTY_BOUND) return EMPTY;
        if ((kind == Kind.DOUBLE || kind == Kind.REAL) && h.value() == null) {
            h = new Bound(kind == Kind.DOUBLE ? (Object) Double.POSITIVE_INFINITY : (Object) Float.POSITIVE_INFINITY, true); // NaN matches no comparison
        }
        if (l.value() != null && h.value() != null) {
            int c = order.compare(l.value(), h.value());
            if (c > 0 || (c == 0 && !(l.inclusive() && h.inclusive()))) return EMPTY;
        }
        return new Interval(l, h);
    }

    /** Whether a non-null Java value lies in the interval. */
    boolean contains(Interval i, Object v) {
        if (i.lo().value() != null) {
            int c = order.compare(v, i.lo().value());
            if (c < 0 || (c == 0 && !i.lo().inclusive())) return false;
        }
        if (i.hi().value() != null) {
            int c = order.compare(v, i.hi().value());
            return c < 0 || (c == 0 && i.hi().inclusive());
        }
        return true;
    }

    private static final Bound EMPTY_BOUND = new Bound(null, false);

    private Bound lower(Object sql, boolean in) {
        return bound(sql, in, true);
    }

    private Bound upper(Object sql, boolean in) {
        return bound(sql, in, false);
    }

    /** A SQL bound as a Java bound; EMPTY_BOUND if no value can satisfy it, UNBOUNDED if every value does, null if inexpressible. */
    private Bound bound(Object sql, boolean in, boolean isLower) {
        switch (kind) {
            case TINYINT, SMALLINT, INTEGER, BIGINT -> {
                BigDecimal b = (BigDecimal) sql;
                // x >= b: x >= ceil(b); x > b: x >= floor(b) + 1; x <= b: x <= floor(b); x < b: x <= ceil(b) - 1
                BigInteger v = isLower
                        ? (in ? ceil(b) : floor(b).add(BigInteger.ONE))
                        : (in ? floor(b) : ceil(b).subtract(BigInteger.ONE));
                long min = switch (kind) { case TINYINT -> Byte.MIN_VALUE; case SMALLINT -> Short.MIN_VALUE; case INTEGER -> Integer.MIN_VALUE; default -> Long.MIN_VALUE; };
                long max = switch (kind) { case TINYINT -> Byte.MAX_VALUE; case SMALLINT -> Short.MAX_VALUE; case INTEGER -> Integer.MAX_VALUE; default -> Long.MAX_VALUE; };
                if (v.compareTo(BigInteger.valueOf(min)) < 0) return isLower ? Bound.UNBOUNDED : EMPTY_BOUND;
                if (v.compareTo(BigInteger.valueOf(max)) > 0) return isLower ? EMPTY_BOUND : Bound.UNBOUNDED;
                long x = v.longValue();
                Object value = switch (kind) { case TINYINT -> (byte) x; case SMALLINT -> (short) x; case INTEGER -> (int) x; default -> x; };
                return new Bound(value, true);
            }
            case DOUBLE -> {
                double d = ((BigDecimal) sql).doubleValue();
                return doubleBound(d, in, isLower);
            }
            case REAL -> {
                // sql is the exact value of the literal; a float x compares as (double) x with it
                BigDecimal b = (BigDecimal) sql;
                double d = b.doubleValue();
                if (new BigDecimal(d).compareTo(b) != 0) return null; // not a double: leave it to Calcite
                if (d == 0) {
                    Bound z = doubleBound(0.0, in, isLower);
                    return new Bound((float) (double) (Double) z.value(), z.inclusive());
                }
                float f = (float) d;
                if (isLower) {
                    if (in ? (double) f < d : (double) f <= d) f = Math.nextUp(f);
                } else {
                    if (in ? (double) f > d : (double) f >= d) f = Math.nextDown(f);
                }
                if (Float.isInfinite(f) && Double.isFinite(d)) return isLower ? EMPTY_BOUND : Bound.UNBOUNDED;
                return new Bound(f, true);
            }
            case DECIMAL -> {
                BigDecimal b = (BigDecimal) sql;
                if (decimalScale >= 0 && column.codec().isExact() && b.stripTrailingZeros().scale() > decimalScale) {
                    // not a storable value: x >= b and x > b are x >= ceil(b) at the scale (and so on)
                    b = b.setScale(decimalScale, isLower ? RoundingMode.CEILING : RoundingMode.FLOOR);
                    in = true;
                }
                return encodable(b) ? new Bound(b, in) : null;
            }
            case DATE -> {
                return new Bound(LocalDate.ofEpochDay((Integer) sql), in);
            }
            case TIMESTAMP, TIMESTAMP_LOCAL -> {
                // the SQL value is the stored value floored to milliseconds
                long m = (Long) sql;
                long edge = isLower ? (in ? m : m + 1) : (in ? m + 1 : m);
                Object v = kind == Kind.TIMESTAMP ? Instant.ofEpochMilli(edge)
                        : LocalDateTime.ofEpochSecond(Math.floorDiv(edge, 1000L), (int) Math.floorMod(edge, 1000L) * 1_000_000, ZoneOffset.UTC);
                if (!encodable(v)) return null;
                return new Bound(v, isLower); // lower: [edge, upper: edge)
            }
            case VARCHAR -> {
                return encodable(sql) ? new Bound(sql, in) : null;
            }
            case UUID -> {
                return null; // string order of UUIDs is not their index order: only points are translated
            }
            default -> throw new IllegalStateException(kind + " is a finite domain");
        }
    }

    private static Bound doubleBound(double d, boolean in, boolean isLower) {
        if (Double.isNaN(d)) return null;
        if (d == 0) {
            // -0.0 and +0.0 are equal in SQL but two keys in the index
            if (isLower) return in ? new Bound(-0.0, true) : new Bound(0.0, false);
            return in ? new Bound(0.0, true) : new Bound(-0.0, false);
        }
        return new Bound(d, in);
    }

    /** The Java value of a SQL point, for UUID columns: null if no stored value has this SQL value. */
    Object uuidPoint(String sql) {
        try {
            UUID u = UUID.fromString(sql);
            return u.toString().equals(sql) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean encodable(Object v) {
        try {
            ((KeyCodec) column.codec()).encode(v);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static BigInteger floor(BigDecimal b) {
        return b.setScale(0, RoundingMode.FLOOR).toBigIntegerExact();
    }

    private static BigInteger ceil(BigDecimal b) {
        return b.setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /** The finite-domain values in a SQL interval, as a point list. */
    List<Object> domainIn(Object lo, boolean loIn, Object hi, boolean hiIn) {
        List<Object> out = new ArrayList<>();
        for (Object v : domain()) {
            Comparable<Object> k = sqlKey(v);
            if (lo != null) {
                int c = k.compareTo(lo);
                if (c < 0 || (c == 0 && !loIn)) continue;
            }
            if (hi != null) {
                int c = k.compareTo(hi);
                if (c > 0 || (c == 0 && !hiIn)) continue;
            }
            out.add(v);
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + kind;
    }
}
