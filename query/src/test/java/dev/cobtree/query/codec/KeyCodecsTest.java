package dev.cobtree.query.codec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.time.temporal.ChronoUnit;

import static dev.cobtree.query.codec.CodecProperties.check;
import static dev.cobtree.query.codec.CodecProperties.random;
import static dev.cobtree.query.codec.CodecProperties.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyCodecsTest {

    @AfterAll
    static void report() {
        System.out.println("KeyCodecsTest: " + CodecProperties.casesRun + " property cases checked");
    }

    @Test
    void integralsAndBooleans() {
        Random rnd = random("integralsAndBooleans");
        check(KeyCodecs.ints(), List.of(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE), Random::nextInt,
                Comparator.naturalOrder(), Objects::equals, rnd);
        check(KeyCodecs.longs(), List.of(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE), Random::nextLong,
                Comparator.naturalOrder(), Objects::equals, rnd);
        check(KeyCodecs.shorts(), List.of(Short.MIN_VALUE, (short) -1, (short) 0, Short.MAX_VALUE), r -> (short) r.nextInt(),
                Comparator.naturalOrder(), Objects::equals, rnd);
        check(KeyCodecs.bytes(), List.of(Byte.MIN_VALUE, (byte) 0, Byte.MAX_VALUE), r -> (byte) r.nextInt(),
                Comparator.naturalOrder(), Objects::equals, rnd);
        check(KeyCodecs.booleans(), List.of(false, true), Random::nextBoolean, Comparator.naturalOrder(), Objects::equals, rnd);
        assertThrows(IllegalArgumentException.class, () -> KeyCodecs.ints().decode(1L << 31));
        assertThrows(IllegalArgumentException.class, () -> KeyCodecs.booleans().decode(2));
        assertThrows(NullPointerException.class, () -> KeyCodecs.ints().encode(null));
    }

    private static final List<Double> DOUBLE_EDGES = List.of(Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1.0,
            -Double.MIN_NORMAL, -Double.MIN_VALUE, -0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1.0, Double.MAX_VALUE,
            Double.POSITIVE_INFINITY, Double.NaN, Double.longBitsToDouble(0x7ff0000000000001L),
            Double.longBitsToDouble(0xfff8000000000001L));

    @Test
    void doublesInTotalOrder() {
        Random rnd = random("doublesInTotalOrder");
        check(KeyCodecs.doubles(), DOUBLE_EDGES, r -> r.nextBoolean() ? Double.longBitsToDouble(r.nextLong()) : r.nextGaussian() * 1e3,
                Double::compare, Double::equals, rnd);
        KeyCodec<Double> c = KeyCodecs.doubles();
        assertTrue(c.encode(-0.0) < c.encode(0.0));
        assertEquals(c.maxKey(), c.encode(Double.NaN));
        assertEquals(c.encode(Double.NaN), c.encode(Double.longBitsToDouble(0xfff8000000000001L)), "all NaNs share one key");
        assertEquals(c.minKey(), c.encode(Double.NEGATIVE_INFINITY));
    }

    @Test
    void floatsInTotalOrder() {
        Random rnd = random("floatsInTotalOrder");
        List<Float> edges = List.of(Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -Float.MIN_NORMAL, -Float.MIN_VALUE, -0.0f, 0.0f,
                Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NaN,
                Float.intBitsToFloat(0xffc00001));
        check(KeyCodecs.floats(), edges, r -> r.nextBoolean() ? Float.intBitsToFloat(r.nextInt()) : (float) r.nextGaussian(),
                Float::compare, Float::equals, rnd);
        assertEquals(KeyCodecs.floats().maxKey(), KeyCodecs.floats().encode(Float.NaN));
    }

    @Test
    void instants() {
        Random rnd = random("instants");
        KeyCodec<Instant> micros = KeyCodecs.instantMicros();
        Instant minMicros = micros.decode(Long.MIN_VALUE);
        Instant maxMicros = micros.decode(Long.MAX_VALUE);
        assertEquals("-290308-12-21T19:59:05.224192Z", minMicros.toString());
        assertEquals("+294247-01-10T04:00:54.775807Z", maxMicros.toString());
        check(micros, List.of(minMicros, minMicros.plusNanos(1_000), Instant.EPOCH.minusNanos(1_000), Instant.EPOCH,
                        maxMicros.minusNanos(1_000), maxMicros),
                r -> Instant.ofEpochSecond(r.nextLong(-9_223_372_036_853L, 9_223_372_036_853L), r.nextInt(1_000_000) * 1_000L),
                Comparator.naturalOrder(), Instant::equals, rnd);
        refused(() -> micros.encode(minMicros.minusNanos(1_000)), minMicros.minusNanos(1_000).toString());
        refused(() -> micros.encode(maxMicros.plusNanos(1_000)), maxMicros.plusNanos(1_000).toString());
        refused(() -> micros.encode(Instant.MAX), Instant.MAX.toString());
        refused(() -> micros.encode(Instant.EPOCH.plusNanos(1)), "1970-01-01T00:00:00.000000001Z");

        KeyCodec<Instant> nanos = KeyCodecs.instantNanos();
        Instant minNanos = nanos.decode(Long.MIN_VALUE);
        Instant maxNanos = nanos.decode(Long.MAX_VALUE);
        assertEquals("1677-09-21T00:12:43.145224192Z", minNanos.toString());
        assertEquals("2262-04-11T23:47:16.854775807Z", maxNanos.toString());
        check(nanos, List.of(minNanos, Instant.EPOCH.minusNanos(1), Instant.EPOCH, maxNanos),
                r -> Instant.ofEpochSecond(r.nextLong(-9_223_372_035L, 9_223_372_035L), r.nextInt(1_000_000_000)),
                Comparator.naturalOrder(), Instant::equals, rnd);
        refused(() -> nanos.encode(minNanos.minusNanos(1)), minNanos.minusNanos(1).toString());
        refused(() -> nanos.encode(maxNanos.plusNanos(1)), maxNanos.plusNanos(1).toString());
        assertEquals(micros.encode(Instant.now().truncatedTo(ChronoUnit.MICROS)) / 1000,
                nanos.encode(Instant.now().truncatedTo(ChronoUnit.MICROS)) / 1_000_000, 1);
    }

    @Test
    void localDatesAndDateTimes() {
        Random rnd = random("localDatesAndDateTimes");
        check(KeyCodecs.localDates(), List.of(LocalDate.MIN, LocalDate.EPOCH, LocalDate.MAX),
                r -> LocalDate.ofEpochDay(r.nextLong(LocalDate.MIN.toEpochDay(), LocalDate.MAX.toEpochDay() + 1)),
                Comparator.naturalOrder(), LocalDate::equals, rnd);
        assertThrows(IllegalArgumentException.class, () -> KeyCodecs.localDates().decode(LocalDate.MAX.toEpochDay() + 1));

        KeyCodec<LocalDateTime> c = KeyCodecs.localDateTimeMicros();
        LocalDateTime min = c.decode(Long.MIN_VALUE);
        LocalDateTime max = c.decode(Long.MAX_VALUE);
        assertEquals("-290308-12-21T19:59:05.224192", min.toString());
        assertEquals("+294247-01-10T04:00:54.775807", max.toString());
        check(c, List.of(min, LocalDateTime.of(1970, 1, 1, 0, 0), max),
                r -> LocalDateTime.ofEpochSecond(r.nextLong(-9_223_372_036_853L, 9_223_372_036_853L), r.nextInt(1_000_000) * 1_000, ZoneOffset.UTC),
                Comparator.naturalOrder(), LocalDateTime::equals, rnd);
        refused(() -> c.encode(LocalDateTime.MAX), LocalDateTime.MAX.toString());
        refused(() -> c.encode(min.minusNanos(1_000)), min.minusNanos(1_000).toString());
        refused(() -> c.encode(LocalDateTime.of(2024, 1, 1, 0, 0, 0, 1)), "2024-01-01T00:00:00.000000001");
    }

    enum Status { SHIPPED, NEW, PAID, CANCELLED, ZULU, ALPHA }

    enum Single { ONLY }

    @Test
    void enums() {
        Random rnd = random("enums");
        Status[] all = Status.values();
        KeyCodec<Status> byOrdinal = KeyCodecs.enumByOrdinal(Status.class);
        check(byOrdinal, List.of(all[0], all[all.length - 1]), r -> all[r.nextInt(all.length)], Comparator.naturalOrder(), Objects::equals, rnd);
        KeyCodec<Status> byName = KeyCodecs.enumByName(Status.class);
        check(byName, List.of(Status.ALPHA, Status.ZULU), r -> all[r.nextInt(all.length)], Comparator.comparing(Enum::name), Objects::equals, rnd);
        assertEquals(0, byName.encode(Status.ALPHA));
        assertEquals(all.length - 1, byName.encode(Status.ZULU));
        assertEquals(all.length - 1, byName.maxKey());
        assertThrows(IllegalArgumentException.class, () -> byName.decode(all.length));
        assertThrows(IllegalArgumentException.class, () -> byName.decode(-1));
        assertEquals(0, KeyCodecs.enumByName(Single.class).encode(Single.ONLY));
        @SuppressWarnings({"unchecked", "rawtypes"})
        KeyCodec<Enum> raw = (KeyCodec) byOrdinal;
        refused(() -> raw.encode(Single.ONLY), "ONLY");
    }

    @Test
    void uuidsByHighBitsAreInexact() {
        Random rnd = random("uuidsByHighBitsAreInexact");
        KeyCodec<UUID> c = KeyCodecs.uuidHighBits();
        assertFalse(c.isExact());
        List<UUID> edges = List.of(new UUID(Long.MIN_VALUE, Long.MIN_VALUE), new UUID(Long.MIN_VALUE, Long.MAX_VALUE),
                new UUID(-1, 0), new UUID(0, 0), new UUID(0, -1), new UUID(Long.MAX_VALUE, Long.MAX_VALUE),
                UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"));
        check(c, edges, r -> r.nextInt(3) == 0 ? new UUID(r.nextInt(4) - 2, r.nextLong()) : new UUID(r.nextLong(), r.nextLong()),
                Comparator.naturalOrder(), Objects::equals, rnd);
        assertEquals(c.encode(new UUID(7, 1)), c.encode(new UUID(7, 2)), "same high bits, same key");
        assertTrue(c.encode(UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff")) < c.encode(new UUID(0, 0)),
                "signed, as UUID.compareTo");
        assertThrows(UnsupportedOperationException.class, () -> c.decode(0));
    }

    @Test
    void decimalsAtAFixedScale() {
        Random rnd = random("decimalsAtAFixedScale");
        KeyCodec<BigDecimal> c = KeyCodecs.decimal(2);
        BigDecimal min = BigDecimal.valueOf(Long.MIN_VALUE, 2);
        BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE, 2);
        List<BigDecimal> edges = List.of(min, min.add(new BigDecimal("0.01")), new BigDecimal("-0.01"), BigDecimal.ZERO,
                new BigDecimal("0.00"), new BigDecimal("0E+5"), new BigDecimal("0.1"), new BigDecimal("1E+3"),
                max.subtract(new BigDecimal("0.01")), max);
        check(c, edges, r -> r.nextBoolean() ? BigDecimal.valueOf(r.nextLong(), 2) : BigDecimal.valueOf(r.nextInt(), r.nextInt(3) - 1),
                Comparator.naturalOrder(), (a, b) -> a.compareTo(b) == 0, rnd);
        assertEquals(new BigDecimal("2.50"), c.decode(c.encode(new BigDecimal("2.5"))));
        refused(() -> c.encode(min.subtract(new BigDecimal("0.01"))), "-92233720368547758.09");
        refused(() -> c.encode(max.add(new BigDecimal("0.01"))), "92233720368547758.08");
        refused(() -> c.encode(new BigDecimal("0.001")), "0.001");
        refused(() -> c.encode(new BigDecimal("1E+1000000000")), "1E+1000000000");
        refused(() -> c.encode(new BigDecimal("1E-1000000000")), "1E-1000000000");
        refused(() -> c.encode(new BigDecimal(BigInteger.ONE.shiftLeft(200))), "1606938044258990275541962092341162602522202993782792835301376");

        KeyCodec<BigDecimal> rounding = KeyCodecs.decimal(2, RoundingMode.HALF_EVEN);
        assertFalse(rounding.isExact());
        check(rounding, edges, r -> BigDecimal.valueOf(r.nextLong(), r.nextInt(2, 6)), Comparator.naturalOrder(), (a, b) -> true, rnd);
        assertEquals(rounding.encode(new BigDecimal("0.02")), rounding.encode(new BigDecimal("0.015")), "HALF_EVEN: 0.015 -> 0.02");
        assertEquals(rounding.encode(new BigDecimal("0.00")), rounding.encode(new BigDecimal("0.005")), "HALF_EVEN: 0.005 -> 0.00");
        assertEquals(0, rounding.encode(new BigDecimal("1E-1000000000")));
        assertEquals(1, KeyCodecs.decimal(2, RoundingMode.UP).encode(new BigDecimal("1E-1000000000")));
        assertEquals(-1, KeyCodecs.decimal(2, RoundingMode.FLOOR).encode(new BigDecimal("-1E-1000000000")));
        refused(() -> rounding.encode(max.add(new BigDecimal("0.005"))), "92233720368547758.075");
        assertEquals(Long.MAX_VALUE, rounding.encode(max.add(new BigDecimal("0.004"))));
    }
}
