package dev.cobtree.core;

import java.util.SplittableRandom;

/**
 * Keys and values for the randomized model tests: most from a small window around zero whose
 * width changes by phase (so the index grows into the thousands, shrinks, and keys collide often),
 * the rest from a fixed pool of edge values (both ends of the long range, -1, 0, powers of two)
 * and random large longs, so that extremes take part in every kind of operation.
 */
final class ModelKeys {
    static final long[] EDGES = {
            Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE, Long.MAX_VALUE - 1, -1L, 0L, 1L,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32, -(1L << 32), 1L << 53, -(1L << 62)};
    private static final int[] WIDTHS = {8, 64, 512, 2048};

    private final SplittableRandom random;
    private final long[] pool;
    private int width = 64;

    ModelKeys(SplittableRandom random) {
        this.random = random;
        this.pool = new long[EDGES.length + 16];
        System.arraycopy(EDGES, 0, pool, 0, EDGES.length);
        for (int i = EDGES.length; i < pool.length; i++) {
            pool[i] = random.nextLong();
        }
    }

    /** Picks a new key window; returns its half-width. */
    int newPhase() {
        width = WIDTHS[random.nextInt(WIDTHS.length)];
        return width;
    }

    long key() {
        return random.nextInt(10) < 2 ? pool[random.nextInt(pool.length)] : random.nextLong(-width, width + 1L);
    }

    long value() {
        return switch (random.nextInt(4)) {
            case 0 -> EDGES[random.nextInt(EDGES.length)];
            case 1 -> random.nextLong();
            default -> random.nextInt(100);
        };
    }

    /** The seed for a test: {@code -Dcobtree.seed} to replay, else fresh. */
    static long seed() {
        Long given = Long.getLong("cobtree.seed");
        return given != null ? given : System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    }

    /** Operations per model test: {@code -Dcobtree.model.ops} (CI passes 10^6), else 200,000. */
    static long ops() {
        return Long.getLong("cobtree.model.ops", 200_000L);
    }
}
