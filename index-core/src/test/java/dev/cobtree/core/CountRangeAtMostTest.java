package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link LongLongReads#countRangeAtMost}: on a tree (header walk) and a snapshot (the default's
 * cursor skip), {@code min(limit, keys in [lo, hi])} against a {@code TreeMap} for random ranges
 * and limits; under a writer that inserts and removes bursts of keys just left of a fixed set
 * (so rebalances push the fixed keys rightwards, from segments a count has passed into segments
 * it has still to read, and resizes rewrite them), the count of the fixed set's range is always
 * exactly {@code min(limit, size)}; under a writer that inserts a key in the range and then removes
 * another (300 or 301 keys at every instant), a count that does not stop at its limit is one of
 * those (the walk confirmed at its end), and a limit below both is always the answer; bad
 * arguments are refused with their values named.
 */
class CountRangeAtMostTest {

    @Test
    void matchesTheModelOnTreesAndSnapshots() {
        SplittableRandom r = new SplittableRandom(9);
        for (int segmentSize : new int[] {8, 128}) {
            try (CobTree t = CobTree.builder().segmentSize(segmentSize).build()) {
                TreeMap<Long, Long> m = new TreeMap<>();
                for (int i = 0; i < 30_000; i++) {
                    long k = r.nextLong(-50_000, 50_000);
                    t.put(k, k, 0);
                    m.put(k, k);
                }
                try (CobTreeSnapshot s = t.snapshot()) {
                    TreeMap<Long, Long> frozen = new TreeMap<>(m);
                    for (int i = 0; i < 5_000; i++) { // the live tree moves on
                        long k = r.nextLong(-50_000, 50_000);
                        t.remove(k, 0);
                        m.remove(k);
                    }
                    for (int q = 0; q < 2_000; q++) {
                        long lo = r.nextLong(-52_000, 52_000);
                        long hi = q % 50 == 0 ? Long.MAX_VALUE : lo + r.nextLong(0, q % 5 == 0 ? 100_000 : 3_000);
                        long limit = 1 + r.nextLong(q % 3 == 0 ? 20 : 5_000);
                        String where = "segment size " + segmentSize + ": [" + lo + ", " + hi + "] limit " + limit;
                        assertEquals(Math.min(limit, m.subMap(lo, true, hi, true).size()), t.countRangeAtMost(lo, hi, limit), where);
                        assertEquals(Math.min(limit, frozen.subMap(lo, true, hi, true).size()), s.countRangeAtMost(lo, hi, limit),
                                "snapshot, " + where);
                    }
                }
                assertThrows(IllegalArgumentException.class, () -> t.countRangeAtMost(5, 4, 10));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.countRangeAtMost(1, 4, 0));
                assertEquals("count limit 0 must be positive", e.getMessage());
            }
        }
    }

    @Test
    void aFixedSetIsCountedExactlyWhileWritersMoveItsKeys() throws Exception {
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            int fixed = 400; // keys 0, 1000, ..., 399000: never written again; nothing else in [0, 400000)
            for (int i = 0; i < fixed; i++) t.put(i * 1_000L, 1, 0);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(1);
                try {
                    while (!stop.get()) { // bursts just left of the fixed keys: rebalances push them right, resizes rewrite them
                        int burst = 1 + r.nextInt(3_000);
                        for (int j = 1; j <= burst && !stop.get(); j++) t.put(-j, 2, 0);
                        for (int j = 1; j <= burst && !stop.get(); j++) t.remove(-j, 0);
                    }
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            writer.start();
            int checks = 0;
            try {
                SplittableRandom r = new SplittableRandom(2);
                long until = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < until || checks < 2_000) {
                    int a = r.nextInt(4) == 0 ? r.nextInt(fixed) : r.nextInt(8); // mostly from the left end, where keys move
                    int b = a + r.nextInt(fixed - a);
                    long lo = Math.max(0, a * 1_000L - r.nextInt(1_000));
                    long hi = Math.min(399_999, b * 1_000L + r.nextInt(1_000));
                    long limit = 1 + r.nextInt(fixed + 10);
                    assertEquals(Math.min(limit, b - a + 1), t.countRangeAtMost(lo, hi, limit),
                            "[" + lo + ", " + hi + "] limit " + limit + " after " + checks + " checks");
                    checks++;
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertEquals(fixed, t.countRange(0, true, 399_999, true));
        }
    }

    @Test
    void aCountBelowTheLimitMatchesOneInstantWhileWritersInsertAndRemoveInTheRange() throws Exception {
        try (CobTree t = CobTree.builder().segmentSize(8).build()) {
            int slots = 600;
            int present = 300; // always 300 or 301 keys in [0, 600000): the writer inserts one, then removes another
            boolean[] in = new boolean[slots];
            for (int i = 0; i < slots; i += 2) {
                t.put(i * 1_000L, 1, 0);
                in[i] = true;
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                SplittableRandom r = new SplittableRandom(3);
                try {
                    while (!stop.get()) {
                        int x = r.nextInt(slots);
                        while (in[x]) x = r.nextInt(slots);
                        int y = r.nextInt(slots);
                        while (!in[y]) y = r.nextInt(slots);
                        t.put(x * 1_000L, 1, 0); // 301 keys
                        in[x] = true;
                        t.remove(y * 1_000L, 0); // 300 again
                        in[y] = false;
                    }
                } catch (Throwable x) {
                    failure.set(x);
                }
            });
            writer.start();
            int checks = 0;
            try {
                long until = System.nanoTime() + 2_000_000_000L;
                while (System.nanoTime() < until || checks < 2_000) {
                    // a limit the count cannot reach (a total that reached it would be returned unconfirmed)
                    long got = t.countRangeAtMost(-5, slots * 1_000L, Long.MAX_VALUE);
                    if (got != present && got != present + 1) {
                        throw new AssertionError("count " + got + " matches no instant (300 or 301 keys at every one), after "
                                + checks + " checks");
                    }
                    assertEquals(present - 50, t.countRangeAtMost(-5, slots * 1_000L, present - 50), "the limit reached");
                    checks++;
                }
            } finally {
                stop.set(true);
                writer.join();
            }
            if (failure.get() != null) throw new AssertionError(failure.get());
        }
    }
}
