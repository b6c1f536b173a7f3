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

    /** A result and the least CPU time, in milliseconds, that one run producing it took. */
    record Best<T>(double millis, T result) {
    }

    /**
     * Runs {@code work} untimed for {@code warmupMillis} (so that the JIT has compiled its path:
     * compilation runs in the background, so a time, not a count, of warm-up runs), then
     * {@code runs} times timed by the CPU time of this thread, and returns the least time with the
     * last result. CPU time, not wall time, so that other load on a shared machine does not count;
     * the least of several runs, so that a collection or a descheduling in one does not.
     */
    static <T> Best<T> bestCpu(long warmupMillis, int runs, java.util.function.Supplier<T> work) {
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() < warmEnd) work.get();
        double best = Double.MAX_VALUE;
        T result = null;
        for (int i = 0; i < runs; i++) {
            long t0 = cpuNanos();
            result = work.get();
            best = Math.min(best, (cpuNanos() - t0) / 1e6);
        }
        return new Best<>(best, result);
    }

    /** CPU time of this thread (wall time where the JVM cannot measure it). */
    static long cpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static String format(double ms) {
        if (ms < 1) return String.format("%.3f ms", ms);
        if (ms < 100) return String.format("%.1f ms", ms);
        if (ms < 10_000) return String.format("%,.0f ms", ms);
        return String.format("%.1f s", ms / 1000);
    }
}
