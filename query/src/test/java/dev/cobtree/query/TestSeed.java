package dev.cobtree.query;

import java.util.Random;

/** The seed of a randomized test: {@code -Dcobtree.seed=N} replays a run, otherwise a fresh one, printed. */
final class TestSeed {

    private TestSeed() {
    }

    static long seed(String test) {
        String fixed = System.getProperty("cobtree.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.decode(fixed.trim()) : System.nanoTime() * 0x9E3779B97F4A7C15L;
        System.out.println(test + ": seed=" + seed + " (replay with -Dcobtree.seed=" + seed + ")");
        return seed;
    }

    static Random random(String test) {
        return new Random(seed(test));
    }

    /** Milliseconds a concurrent test runs: the build's stress setting, kept short in CI. */
    static long stressMillis() {
        return Math.max(200, Math.min(Long.getLong("cobtree.stress.millis", 1500), Long.getLong("cobtree.query.stress.millis", 1500)));
    }
}
