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
 * Random point lookups in a structure of {@code size} entries built by random inserts: keys
 * that are present ({@code getHit}) and keys that are not ({@code getMiss}), each drawn from a
 * pre-generated stream of {@link Keys#STREAM} keys. One lookup per invocation; the returned
 * value goes to JMH's blackhole.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class PointBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"cobtree", "cobtreeOffHeap", "cslmFresh", "cobtreeMap", "cslmCompacted", "treeMapRw", "avl", "sortedArray", "eytzinger"})
    public String impl;

    private long[] hits;
    private Long[] boxedHits;
    private long[] misses;
    private Long[] boxedMisses;
    private Prebuilt<Candidate> prebuilt;
    private Candidate c;

    @Setup(Level.Trial)
    public void build() {
        Keys keys = Keys.random(size, Keys.SEED);
        hits = keys.hits(size, 11);
        misses = keys.misses(12);
        boxedHits = Keys.box(hits);
        boxedMisses = Keys.box(misses);
        prebuilt = Prebuilt.of(impl, keys.insertionOrder(), size);
        ResultCheck.lookups(prebuilt.current(), hits, misses);
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt.current();
    }

    @Benchmark
    public long getHit(StreamIndex s) {
        int i = s.next();
        return c.get(hits[i], boxedHits[i]);
    }

    @Benchmark
    public long getMiss(StreamIndex s) {
        int i = s.next();
        return c.get(misses[i], boxedMisses[i]);
    }

    /** Ceiling of an absent key: usually answered in its home segment, sometimes after passing one. */
    @Benchmark
    public long ceilingMiss(StreamIndex s) {
        return c.ceiling(misses[s.next()]);
    }

    /** Floor of an absent key. */
    @Benchmark
    public long floorMiss(StreamIndex s) {
        return c.floor(misses[s.next()]);
    }
}
