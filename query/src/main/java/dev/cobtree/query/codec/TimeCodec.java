package dev.cobtree.query.codec;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The exact codecs of {@code java.time} values: a count of units since the epoch (instants), of
 * days ({@code LocalDate}), or of microseconds since {@code 1970-01-01T00:00} read on the local
 * fields ({@code LocalDateTime}, with no zone). Every {@code long} is a key of some value, so
 * {@code minKey}/{@code maxKey} are the {@code long} extremes, except for {@code LocalDate}, whose
 * keys are the epoch days of {@code LocalDate.MIN} and {@code MAX}.
 *
 * @param <T> the value type
 */
abstract class TimeCodec<T> implements KeyCodec<T> {

    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    static final TimeCodec<Instant> INSTANT_MICROS = new TimeCodec<>("Instant (microseconds)", Long.MIN_VALUE, Long.MAX_VALUE) {
        @Override
        long encodeNonNull(Instant value) {
            return units(value, value.getEpochSecond(), value.getNano(), 1_000, MICROS_PER_SECOND);
        }

        @Override
        Instant decodeChecked(long key) {
            return Instant.ofEpochSecond(Math.floorDiv(key, MICROS_PER_SECOND), Math.floorMod(key, MICROS_PER_SECOND) * 1_000);
        }
    };

    static final TimeCodec<Instant> INSTANT_NANOS = new TimeCodec<>("Instant (nanoseconds)", Long.MIN_VALUE, Long.MAX_VALUE) {
        @Override
        long encodeNonNull(Instant value) {
            return units(value, value.getEpochSecond(), value.getNano(), 1, NANOS_PER_SECOND);
        }

        @Override
        Instant decodeChecked(long key) {
            return Instant.ofEpochSecond(Math.floorDiv(key, NANOS_PER_SECOND), Math.floorMod(key, NANOS_PER_SECOND));
        }
    };

    static final TimeCodec<LocalDate> LOCAL_DATE = new TimeCodec<>("LocalDate",
            LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay()) {
        @Override
        long encodeNonNull(LocalDate value) {
            return value.toEpochDay();
        }

        @Override
        LocalDate decodeChecked(long key) {
            return LocalDate.ofEpochDay(key);
        }
    };

    static final TimeCodec<LocalDateTime> LOCAL_DATE_TIME_MICROS = new TimeCodec<>("LocalDateTime (microseconds)",
            Long.MIN_VALUE, Long.MAX_VALUE) {
        @Override
        long encodeNonNull(LocalDateTime value) {
            // UTC here is only arithmetic: the fields counted as if they were at offset zero.
            return units(value, value.toEpochSecond(ZoneOffset.UTC), value.getNano(), 1_000, MICROS_PER_SECOND);
        }

        @Override
        LocalDateTime decodeChecked(long key) {
            return LocalDateTime.ofEpochSecond(Math.floorDiv(key, MICROS_PER_SECOND),
                    (int) (Math.floorMod(key, MICROS_PER_SECOND) * 1_000), ZoneOffset.UTC);
        }
    };

    private final String name;
    private final long minKey;
    private final long maxKey;

    private TimeCodec(String name, long minKey, long maxKey) {
        this.name = name;
        this.minKey = minKey;
        this.maxKey = maxKey;
    }

    /**
     * {@code seconds * perSecond + nanos / nanosPerUnit}, refusing a value with a remainder below
     * the unit or whose count does not fit a long. For negative seconds the product is taken one
     * second closer to zero and the second added back through the fraction, so that the counts
     * just above {@code Long.MIN_VALUE} do not overflow in the intermediate product.
     */
    static long units(Object value, long seconds, int nanos, int nanosPerUnit, long perSecond) {
        if (nanos % nanosPerUnit != 0) {
            throw KeyCodecs.refused(value, "it has a non-zero part below the codec's precision of "
                    + (nanosPerUnit == 1 ? "1 ns" : "1 µs") + " (truncate it first)");
        }
        long fraction = nanos / nanosPerUnit;
        try {
            return seconds < 0
                    ? Math.addExact(Math.multiplyExact(seconds + 1, perSecond), fraction - perSecond)
                    : Math.addExact(Math.multiplyExact(seconds, perSecond), fraction);
        } catch (ArithmeticException e) {
            throw KeyCodecs.refused(value, "outside the codec's range (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    + (perSecond == MICROS_PER_SECOND ? " µs" : " ns") + " from the epoch)");
        }
    }

    abstract long encodeNonNull(T value);

    abstract T decodeChecked(long key);

    @Override
    public final long encode(T value) {
        return encodeNonNull(Objects.requireNonNull(value, "value"));
    }

    @Override
    public final T decode(long key) {
        if (key < minKey || key > maxKey) {
            throw KeyCodecs.noValue(key, name);
        }
        try {
            return decodeChecked(key);
        } catch (DateTimeException e) {
            throw KeyCodecs.noValue(key, name);
        }
    }

    @Override
    public final boolean isExact() {
        return true;
    }

    @Override
    public final long minKey() {
        return minKey;
    }

    @Override
    public final long maxKey() {
        return maxKey;
    }

    @Override
    public final String toString() {
        return "KeyCodec[" + name + "]";
    }
}
