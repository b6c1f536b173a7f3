package dev.cobtree.query.codec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded property checks of a {@link KeyCodec}: over random values mixed with edge values,
 * every pair's key order agrees with the value order (strictly for an exact codec, weakly for an
 * inexact one), every key lies in {@code [minKey, maxKey]}, and an exact codec decodes every key
 * back to an equal value. The seed is printed ({@code -Dcobtree.seed=N} replays it).
 */
final class CodecProperties {

    /** Random pairs checked per codec, besides every pair of edge values. */
    static final int PAIRS = 20_000;

    static long casesRun;

    private CodecProperties() {
    }

    static Random random(String name) {
        String fixed = System.getProperty("cobtree.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.trim()) : System.nanoTime() * 0x9E3779B97F4A7C15L;
        System.out.println(name + ": seed=" + seed + " (replay with -Dcobtree.seed=" + seed + ")");
        return new Random(seed);
    }

    static <T> void check(KeyCodec<T> codec, List<T> edges, Function<Random, T> generator, Comparator<? super T> order,
                          BiPredicate<T, T> roundTripEquals, Random rnd) {
        List<T> values = new ArrayList<>(edges);
        for (int i = 0; i < 2_000; i++) {
            values.add(generator.apply(rnd));
        }
        for (T v : values) {
            checkOne(codec, v, roundTripEquals);
        }
        for (T a : edges) {
            for (T b : edges) {
                checkPair(codec, a, b, order);
            }
        }
        for (int i = 0; i < PAIRS; i++) {
            T a = rnd.nextInt(4) == 0 ? edges.get(rnd.nextInt(edges.size())) : generator.apply(rnd);
            T b = rnd.nextInt(8) == 0 ? a : rnd.nextInt(4) == 0 ? edges.get(rnd.nextInt(edges.size())) : generator.apply(rnd);
            checkOne(codec, a, roundTripEquals);
            checkPair(codec, a, b, order);
        }
    }

    static <T> void checkOne(KeyCodec<T> codec, T v, BiPredicate<T, T> roundTripEquals) {
        long k = codec.encode(v);
        if (k < codec.minKey() || k > codec.maxKey()) {
            fail(codec + ": key " + k + " of " + v + " outside [" + codec.minKey() + ", " + codec.maxKey() + "]");
        }
        if (codec.isExact()) {
            T back = codec.decode(k);
            if (!roundTripEquals.test(v, back)) {
                fail(codec + ": decode(encode(" + v + ")) = " + back);
            }
        } else {
            assertThrows(UnsupportedOperationException.class, () -> codec.decode(k));
        }
        casesRun++;
    }

    static <T> void checkPair(KeyCodec<T> codec, T a, T b, Comparator<? super T> order) {
        int byValue = Integer.signum(order.compare(a, b));
        int byKey = Long.signum(Long.compare(codec.encode(a), codec.encode(b)));
        boolean ok = codec.isExact() ? byKey == byValue : byValue == 0 ? byKey == 0 : byKey == 0 || byKey == byValue;
        if (!ok) {
            fail(codec + ": " + a + " vs " + b + ": value order " + byValue + ", key order " + byKey
                    + " (keys " + codec.encode(a) + ", " + codec.encode(b) + ")");
        }
        casesRun++;
    }

    static void refused(Runnable encode, String valueText) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, encode::run);
        assertTrue(e.getMessage().contains(valueText), () -> "message does not name " + valueText + ": " + e.getMessage());
    }

    static void assertKeyOrder(long a, long b) {
        assertEquals(-1, Long.signum(Long.compare(a, b)));
    }
}
