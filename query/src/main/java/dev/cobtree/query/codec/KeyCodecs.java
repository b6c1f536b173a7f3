package dev.cobtree.query.codec;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.UUID;

/**
 * The key codecs: factories for every column type this package encodes. Each codec's order,
 * exactness, range and errors are in its factory's comment and in docs/QUERY.md ("Key codecs").
 * All returned codecs are immutable and thread-safe.
 */
public final class KeyCodecs {

    private KeyCodecs() {
    }

    /* ---------------- Integral types and boolean ---------------- */

    /**
     * {@code int} as its value: exact, keys in {@code [Integer.MIN_VALUE, Integer.MAX_VALUE]}.
     *
     * @return the codec
     */
    public static KeyCodec<Integer> ints() {
        return PrimitiveCodec.INT;
    }

    /**
     * {@code long} as itself: exact, every key.
     *
     * @return the codec
     */
    public static KeyCodec<Long> longs() {
        return PrimitiveCodec.LONG;
    }

    /**
     * {@code short} as its value: exact, keys in {@code [Short.MIN_VALUE, Short.MAX_VALUE]}.
     *
     * @return the codec
     */
    public static KeyCodec<Short> shorts() {
        return PrimitiveCodec.SHORT;
    }

    /**
     * {@code byte} as its value: exact, keys in {@code [Byte.MIN_VALUE, Byte.MAX_VALUE]}.
     *
     * @return the codec
     */
    public static KeyCodec<Byte> bytes() {
        return PrimitiveCodec.BYTE;
    }

    /**
     * {@code boolean}: {@code false} is 0, {@code true} is 1 ({@link Boolean#compare} order); exact.
     *
     * @return the codec
     */
    public static KeyCodec<Boolean> booleans() {
        return PrimitiveCodec.BOOLEAN;
    }

    /* ---------------- Floating point ---------------- */

    /**
     * {@code double} in the total order of {@link Double#compare}:
     * {@code -Infinity < ... < -0.0 < +0.0 < ... < +Infinity < NaN}. Every NaN is encoded as the
     * canonical NaN ({@link Double#doubleToLongBits}), so all NaNs have one key, the largest.
     * Exact up to NaN payloads: {@code decode(encode(x))} equals {@code x} by
     * {@link Double#equals}. Keys: {@code [encode(-Infinity), encode(NaN)]}.
     *
     * @return the codec
     */
    public static KeyCodec<Double> doubles() {
        return PrimitiveCodec.DOUBLE;
    }

    /**
     * {@code float} in the total order of {@link Float#compare}, as {@link #doubles()} but on the
     * 32-bit pattern (all NaNs canonical, the largest key); exact up to NaN payloads.
     *
     * @return the codec
     */
    public static KeyCodec<Float> floats() {
        return PrimitiveCodec.FLOAT;
    }

    /* ---------------- Time ---------------- */

    /**
     * {@link Instant} as microseconds since the epoch: exact, every key, covering
     * {@code -290308-12-21T19:59:05.224192Z} to {@code +294247-01-10T04:00:54.775807Z}. An
     * instant outside that range, or with a non-zero sub-microsecond part, is refused (truncate
     * first with {@code instant.truncatedTo(ChronoUnit.MICROS)} to index at microseconds).
     *
     * @return the codec
     */
    public static KeyCodec<Instant> instantMicros() {
        return TimeCodec.INSTANT_MICROS;
    }

    /**
     * {@link Instant} as nanoseconds since the epoch: exact, every key, covering
     * {@code 1677-09-21T00:12:43.145224192Z} to {@code 2262-04-11T23:47:16.854775807Z}; an instant
     * outside that range is refused.
     *
     * @return the codec
     */
    public static KeyCodec<Instant> instantNanos() {
        return TimeCodec.INSTANT_NANOS;
    }

    /**
     * {@link LocalDate} as its epoch day: exact over the whole of
     * {@code [LocalDate.MIN, LocalDate.MAX]}.
     *
     * @return the codec
     */
    public static KeyCodec<LocalDate> localDates() {
        return TimeCodec.LOCAL_DATE;
    }

    /**
     * {@link LocalDateTime} as microseconds since {@code 1970-01-01T00:00}, counted on the
     * date-time's own fields: no zone or offset is applied (a local date-time has none), so the
     * order is {@link LocalDateTime#compareTo}. Exact, every key, covering
     * {@code -290308-12-21T19:59:05.224192} to {@code +294247-01-10T04:00:54.775807}; values
     * outside it, or with a non-zero sub-microsecond part, are refused.
     *
     * @return the codec
     */
    public static KeyCodec<LocalDateTime> localDateTimeMicros() {
        return TimeCodec.LOCAL_DATE_TIME_MICROS;
    }

    /* ---------------- Enums, UUIDs, decimals, strings ---------------- */

    /**
     * An enum by declaration order ({@link Enum#compareTo}): the key is the ordinal; exact.
     *
     * @param type the enum class
     * @param <E> the enum type
     * @return the codec
     */
    public static <E extends Enum<E>> KeyCodec<E> enumByOrdinal(Class<E> type) {
        return EnumCodec.byOrdinal(type);
    }

    /**
     * An enum by name order ({@link String#compareTo} of {@link Enum#name()}): the key is the
     * constant's rank among the names sorted; exact.
     *
     * @param type the enum class
     * @param <E> the enum type
     * @return the codec
     */
    public static <E extends Enum<E>> KeyCodec<E> enumByName(Class<E> type) {
        return EnumCodec.byName(type);
    }

    /**
     * {@link UUID} by its most significant 64 bits, as a signed long: <b>not exact</b>. The order
     * is the first half of {@link UUID#compareTo} (which compares the most, then the least
     * significant bits as signed longs), so {@code a.compareTo(b) < 0} implies
     * {@code encode(a) <= encode(b)}; UUIDs that share their high bits share a key, and a query
     * must verify every candidate row against the full UUID.
     *
     * @return the codec
     */
    public static KeyCodec<UUID> uuidHighBits() {
        return UuidHighBitsCodec.INSTANCE;
    }

    /**
     * {@link BigDecimal} at a fixed scale: the key is the unscaled value at {@code scale}, so the
     * range is {@code [Long.MIN_VALUE, Long.MAX_VALUE] * 10^-scale}; order is
     * {@link BigDecimal#compareTo}. Exact: a value that would need rounding at that scale, or lies
     * outside the range, is refused; {@code decode} returns the value at {@code scale} (equal by
     * {@code compareTo}, e.g. {@code 2.5} comes back as {@code 2.50} at scale 2).
     *
     * @param scale digits after the decimal point (may be negative)
     * @return the codec
     */
    public static KeyCodec<BigDecimal> decimal(int scale) {
        return new DecimalCodec(scale, RoundingMode.UNNECESSARY);
    }

    /**
     * {@link BigDecimal} at a fixed scale, rounding with {@code mode} where the value has more
     * digits: <b>not exact</b> unless {@code mode} is {@link RoundingMode#UNNECESSARY} (then it
     * is {@link #decimal(int)}); every rounding mode is monotone, so the order contract holds.
     * Values whose rounded unscaled value is outside the {@code long} range are refused.
     *
     * @param scale digits after the decimal point (may be negative)
     * @param mode how to round
     * @return the codec
     */
    public static KeyCodec<BigDecimal> decimal(int scale, RoundingMode mode) {
        return new DecimalCodec(scale, mode);
    }

    /**
     * {@link String} by an 8-byte prefix in {@link String#compareTo} order (UTF-16 code units):
     * <b>not exact</b>. See {@link StringPrefixCodec}.
     *
     * @return the codec
     */
    public static KeyCodec<String> stringPrefix() {
        return StringPrefixCodec.INSTANCE;
    }

    static IllegalArgumentException refused(Object value, String why) {
        return new IllegalArgumentException("cannot encode " + value + ": " + why);
    }

    static IllegalArgumentException noValue(long key, String codec) {
        return new IllegalArgumentException("key " + key + " is not the key of any value of the " + codec + " codec");
    }
}
