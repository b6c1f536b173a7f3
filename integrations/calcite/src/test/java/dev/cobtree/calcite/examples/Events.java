package dev.cobtree.calcite.examples;

import dev.cobtree.query.Column;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.codec.KeyCodecs;
import dev.cobtree.query.codec.OrderedDictionary;

import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The events of the SQL example and benchmark: {@code n} events over 30 days in time order, a
 * user (about 10 events each), a kind (70% VIEW, 20% CLICK, 7% CART, 3% PURCHASE), an amount in
 * [0, 1000) with cents and one of 20 countries. Deterministic for a given {@code n}.
 */
public final class Events {

    /** The kinds of event, indexed by name order (SQL compares them as strings). */
    public enum Kind { VIEW, CLICK, CART, PURCHASE }

    public static final List<String> COUNTRIES = List.of("AR", "AU", "BR", "CA", "CN", "DE", "ES", "FR", "GB", "IN",
            "IT", "JP", "KR", "MX", "NL", "NO", "PL", "SE", "US", "ZA");

    /** 2026-01-01T00:00:00Z in microseconds. */
    public static final long START_MICROS = 1_767_225_600_000_000L;
    public static final long SPAN_MICROS = 30L * 24 * 3600 * 1_000_000;

    public final int n;
    public final int[] id;
    public final long[] tsMicros;
    public final int[] userId;
    public final Kind[] kind;
    public final double[] amount;
    public final String[] country;

    public Events(int n) {
        this.n = n;
        id = new int[n];
        tsMicros = new long[n];
        userId = new int[n];
        kind = new Kind[n];
        amount = new double[n];
        country = new String[n];
        SplittableRandom r = new SplittableRandom(42);
        int users = Math.max(1, n / 10);
        for (int i = 0; i < n; i++) {
            id[i] = i;
            tsMicros[i] = START_MICROS + (long) ((double) i / n * SPAN_MICROS) + r.nextInt(1000);
            userId[i] = r.nextInt(users);
            int k = r.nextInt(100);
            kind[i] = k < 70 ? Kind.VIEW : k < 90 ? Kind.CLICK : k < 97 ? Kind.CART : Kind.PURCHASE;
            amount[i] = r.nextInt(100_000) / 100.0;
            country[i] = COUNTRIES.get(r.nextInt(COUNTRIES.size()));
        }
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    }

    /** The columns of the events table index. */
    public static List<Column<?>> columns() {
        return List.of(
                Column.of("id", Integer.class, KeyCodecs.ints()),
                Column.of("ts", Instant.class, KeyCodecs.instantMicros()),
                Column.of("user_id", Integer.class, KeyCodecs.ints()),
                Column.of("kind", Kind.class, KeyCodecs.enumByName(Kind.class)),
                Column.of("amount", Double.class, KeyCodecs.doubles()),
                Column.of("country", String.class, OrderedDictionary.of(COUNTRIES)));
    }

    /** A table index over the events, every column indexed. */
    public TableIndex tableIndex() {
        Instant[] ts = new Instant[n];
        for (int i = 0; i < n; i++) ts[i] = instant(tsMicros[i]);
        return TableIndex.fromColumns(columns(), id, ts, userId, kind, amount, country);
    }
}
