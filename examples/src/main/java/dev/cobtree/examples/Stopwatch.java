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

    /** CPU time, in milliseconds, a timed round runs at least: short runs are timed several to a round. */
    static final double ROUND_MILLIS = 1.0;

    /**
     * Runs {@code work} untimed for {@code warmupMillis} (so that the JIT has compiled its path:
     * compilation runs in the background, so a time, not a count, of warm-up runs), then timed
     * rounds by the CPU time of this thread, at least {@code minRounds} and for at least
     * {@code measureMillis}, and returns the least mean time of one run in a round, with the last
     * result. A round is one run, or as many runs as take {@link #ROUND_MILLIS} where one run is
     * shorter (a run of some microseconds would otherwise be measured mostly by the clock's own
     * cost and granularity: reading a thread's CPU time costs about a microsecond). CPU time, not
     * wall time, so that other load on a shared machine does not count; the least of several
     * rounds, so that a collection, a descheduling or a compilation still running in one does not.
     */
    static <T> Best<T> bestCpu(long warmupMillis, long measureMillis, int minRounds, java.util.function.Supplier<T> work) {
        long warmEnd = System.nanoTime() + warmupMillis * 1_000_000L;
        while (System.nanoTime() < warmEnd) work.get();
        long t0 = cpuNanos();
        T result = work.get();
        double first = (cpuNanos() - t0) / 1e6;
        int perRound = (int) Math.min(100_000, Math.max(1, Math.ceil(ROUND_MILLIS / Math.max(first, 1e-6))));
        double best = perRound == 1 ? first : Double.MAX_VALUE; // the sizing run counts only as a round of one
        long measureEnd = System.nanoTime() + measureMillis * 1_000_000L;
        for (int i = 0; i < minRounds || System.nanoTime() < measureEnd; i++) {
            long r0 = cpuNanos();
            for (int k = 0; k < perRound; k++) result = work.get();
            best = Math.min(best, (cpuNanos() - r0) / 1e6 / perRound);
        }
        return new Best<>(best, result);
    }

    /** One run, timed alone by the CPU time of this thread (a cold run: its first). */
    static <T> Best<T> onceCpu(java.util.function.Supplier<T> work) {
        long t0 = cpuNanos();
        T result = work.get();
        return new Best<>((cpuNanos() - t0) / 1e6, result);
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
