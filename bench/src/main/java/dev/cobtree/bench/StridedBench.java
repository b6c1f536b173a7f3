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

import java.util.concurrent.TimeUnit;

/**
 * Strided access: every {@code k}-th entry of the whole key range, from the first (sampling,
 * equi-depth histograms). cobtree moves with {@code Cursor.skip(k)}; the maps iterate and drop
 * k-1 entries between visits; {@code sortedArray} steps its index by k (the limit). The score is
 * per pass; the report divides it by the entries visited, {@code ceil(size / k)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class StridedBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"8", "64", "1024"})
    public int k;

    @Param({"cobtree", "cobtreeOffHeap", "cslmFresh", "cslmCompacted", "cobtreeMap", "treeMapRw", "avl", "sortedArray"})
    public String impl;

    private long lo;
    private long hi;
    private Prebuilt<Candidate> prebuilt;
    private Candidate c;

    /** Entries one pass visits. */
    public static long visited(int size, int k) {
        return (size + (long) k - 1) / k;
    }

    @Setup(Level.Trial)
    public void build() {
        if (k < 1) {
            throw new IllegalArgumentException("stride k " + k + " must be positive");
        }
        Keys keys = Keys.random(size, Keys.SEED);
        long[] sorted = keys.sorted();
        lo = sorted[0];
        hi = sorted[size - 1];
        prebuilt = Prebuilt.of(impl, keys.insertionOrder(), size);
        ResultCheck.strided(prebuilt.current(), sorted, 0, size, k);
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt.current();
    }

    @Benchmark
    public long strided() {
        return c.strided(lo, hi, k);
    }
}
