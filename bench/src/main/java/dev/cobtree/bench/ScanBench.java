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
import org.openjdk.jmh.infra.BenchmarkParams;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Range scans of {@code length} consecutive entries (100, 10,000, or {@code all}) starting at a
 * random present key, ascending or descending; every entry's key and value are folded into a
 * checksum (see {@link Candidate}). The score is per scan; the report divides it by the number of
 * entries scanned (ns per entry). {@code sortedArray} is the limit (a plain {@code long[]} walk);
 * {@code cobtreeSink} is the primitive-sink path ({@code forEachInRange}, ascending only).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ScanBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"100", "10000", "all"})
    public String length;

    @Param({"cslmFresh", "cobtree", "cobtreeOffHeap", "cslmCompacted", "cobtreeSink", "cobtreeMap", "treeMapRw", "avl", "sortedArray"})
    public String impl;

    private long[] los;
    private long[] his;
    private Prebuilt<Candidate> prebuilt;
    private Candidate c;

    /** Entries one scan visits: {@code length}, at most {@code size}. */
    public static int entries(String length, int size) {
        return length.equals("all") ? size : Math.min(size, Integer.parseInt(length));
    }

    @Setup(Level.Trial)
    public void build(BenchmarkParams params) {
        Keys keys = Keys.random(size, Keys.SEED);
        long[] sorted = keys.sorted();
        int span = entries(length, size);
        SplittableRandom rnd = new SplittableRandom(14);
        los = new long[Keys.STREAM];
        his = new long[Keys.STREAM];
        int[] starts = new int[Keys.STREAM];
        for (int i = 0; i < Keys.STREAM; i++) {
            starts[i] = rnd.nextInt(size - span + 1);
            los[i] = sorted[starts[i]];
            his[i] = sorted[starts[i] + span - 1];
        }
        prebuilt = Prebuilt.of(impl, keys.insertionOrder(), size);
        boolean descending = params.getBenchmark().endsWith("descending");
        for (int i = 0; i < 8; i++) {
            ResultCheck.scan(prebuilt.current(), sorted, starts[i], starts[i] + span, descending);
        }
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt.current();
    }

    @Benchmark
    public long ascending(StreamIndex s) {
        int i = s.next();
        return c.scan(los[i], his[i]);
    }

    @Benchmark
    public long descending(StreamIndex s) {
        int i = s.next();
        return c.scanDescending(los[i], his[i]);
    }
}
