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
 * Building from empty by single puts: one invocation creates an empty structure and puts all
 * {@code size} keys into it, in random order ({@code randomPut}) or ascending order
 * ({@code ascendingPut}), so every put lands in a tree that grows, as it does in an application
 * that loads an index. The score is per build; the report divides it by {@code size} (ns per put).
 * No initial capacity is given: growth is part of the cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class WriteBench {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"cslmFresh", "cobtree", "cobtreeOffHeap", "cobtreeMap", "treeMapRw", "avl"})
    public String impl;

    private long[] random;
    private long[] ascending;

    @Setup(Level.Trial)
    public void keys() {
        Keys keys = Keys.random(size, Keys.SEED);
        random = keys.insertionOrder();
        ascending = keys.sorted();
        Candidate check = load(random);
        ResultCheck.size(check, size);
        ResultCheck.scan(check, ascending, 0, size, false);
    }

    private Candidate load(long[] order) {
        Candidate c = Candidates.empty(impl);
        for (long k : order) {
            c.put(k, Keys.valueOf(k));
        }
        return c;
    }

    @Benchmark
    public Object randomPut() {
        return load(random);
    }

    @Benchmark
    public Object ascendingPut() {
        return load(ascending);
    }
}
