package dev.cobtree.storage;

import java.util.concurrent.ThreadLocalRandom;

/** Seeds and sizes of the randomized tests: short by default, longer by system property. */
final class TestSettings {

    private TestSettings() {
    }

    /** A seed for {@code test}: {@code -Dcobtree.seed=N} replays one; otherwise a fresh one, printed. */
    static long seed(String test) {
        String fixed = System.getProperty("cobtree.seed");
        long seed = fixed != null && !fixed.isBlank() ? Long.parseLong(fixed.trim()) : ThreadLocalRandom.current().nextLong();
        System.out.println("[" + test + "] seed=" + seed + " (replay with -Dcobtree.seed=" + seed + ")");
        return seed;
    }

    static long longProperty(String name, long ciDefault) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? ciDefault : Long.parseLong(v.trim());
    }

    /** Milliseconds a stress test runs: {@code cobtree.stress.millis} (3000 in CI), capped to {@code max} when not set explicitly. */
    static long stressMillis(long ciDefault) {
        return longProperty("cobtree.stress.millis", ciDefault);
    }
}
