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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * Removing every key, in random order, from a structure of {@code size} entries built by random
 * inserts just before the invocation (outside the timing: {@code Level.Invocation} setup, which is
 * sound here because one invocation lasts milliseconds to seconds). The score is per drain; the
 * report divides it by {@code size} (ns per remove). A skip list rebuilt per invocation is fresh
 * by construction, so CSLM appears in that state only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RemoveBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"cobtree", "cobtreeOffHeap", "cslmFresh", "cobtreeMap", "treeMapRw", "avl"})
    public String impl;

    private long[] insertion;
    private long[] removal;
    private Long[] boxedRemoval;
    private Candidate full;

    @Setup(Level.Trial)
    public void keys() {
        Keys keys = Keys.random(size, Keys.SEED);
        insertion = keys.insertionOrder();
        removal = keys.shuffledPrefix(size, 13);
        boxedRemoval = Keys.box(removal);
    }

    @Setup(Level.Invocation)
    public void fill() {
        full = Candidates.build(impl, insertion, size);
    }

    @Benchmark
    public void removeAll(Blackhole bh) {
        Candidate c = full;
        long[] keys = removal;
        Long[] boxed = boxedRemoval;
        for (int i = 0; i < keys.length; i++) {
            bh.consume(c.remove(keys[i], boxed[i]));
        }
    }

    @TearDown(Level.Invocation)
    public void drained() {
        if (full.size() != 0) {
            throw new IllegalStateException(impl + " still holds " + full.size() + " entries after removing all " + size);
        }
    }
}
