package dev.cobtree.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Range counts in a structure of {@code size} entries built by random inserts: the number of keys
 * in {@code [lo, hi)} for ranges holding {@code width} entries at random positions (width 0 = the
 * whole key space). cobtree counts from its per-segment counts, confirmed at one instant
 * (linearizable); ConcurrentSkipListMap's {@code subMap(lo, hi).size()} walks the range.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class CountBench {

    @Param({"1000000"})
    public int size;

    /** Entries per counted range; 0 counts the whole key space. */
    @Param({"100", "10000", "0"})
    public int width;

    @Param({"cobtree", "cslmFresh", "cslmCompacted"})
    public String impl;

    private static final int RANGES = 1 << 12;
    private long[] los;
    private long[] his;
    private long[] expected;
    private Prebuilt<Candidate> prebuilt;
    private Candidate c;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        Keys keys = Keys.random(size, Keys.SEED);
        long[] sorted = keys.sorted();
        los = new long[RANGES];
        his = new long[RANGES];
        expected = new long[RANGES];
        SplittableRandom rnd = new SplittableRandom(13);
        for (int i = 0; i < RANGES; i++) {
            if (width == 0) {
                los[i] = Long.MIN_VALUE;
                his[i] = Long.MAX_VALUE;
                expected[i] = sorted.length - (sorted[sorted.length - 1] == Long.MAX_VALUE ? 1 : 0);
            } else {
                int from = rnd.nextInt(sorted.length - width);
                los[i] = sorted[from];
                his[i] = sorted[from + width];
                expected[i] = width;
            }
        }
        prebuilt = Prebuilt.of(impl, keys.insertionOrder(), size);
        Candidate check = prebuilt.current();
        for (int i = 0; i < RANGES; i += 97) {
            long got = check.countRange(los[i], his[i]);
            if (got != expected[i]) {
                throw new IllegalStateException(impl + ": countRange [" + los[i] + ", " + his[i] + ") = " + got + ", expected " + expected[i]);
            }
        }
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt.current();
    }

    @Benchmark
    public long countRange() {
        int i = next++ & (RANGES - 1);
        return c.countRange(los[i], his[i]);
    }
}
