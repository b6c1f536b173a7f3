package dev.cobtree.examples;

/** Wall-clock time of one demo step (a rough single run: the JMH numbers live in bench/). */
final class Stopwatch {

    private final long start = System.nanoTime();

    static Stopwatch start() {
        return new Stopwatch();
    }

    double millis() {
        return (System.nanoTime() - start) / 1e6;
    }

    static String format(double ms) {
        if (ms < 1) return String.format("%.3f ms", ms);
        if (ms < 100) return String.format("%.1f ms", ms);
        if (ms < 10_000) return String.format("%,.0f ms", ms);
        return String.format("%.1f s", ms / 1000);
    }
}
