package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Two writers in neighbouring segments (issue 11, "segment header lines truly 64-byte aligned"):
 * a tree of 10^5 keys {@code 0, 10, 20, ...} bulk-loaded (1,202 segments of 128 cells, about 83
 * entries each); one thread removes and puts back the 8 keys just below the first key of
 * segment 600, the other the 8 keys just above it, so each writes only its own segment. Where a
 * segment's 64-byte header line is not aligned to a cache line it shares a line with its
 * neighbour's, and two writers of neighbouring segments pass that line back and forth on every
 * write (false sharing); aligned headers share nothing. cobtree only: the question is the
 * header layout, not a comparison with another structure (docs/BENCH.md, "Header lines aligned":
 * measured against 64-byte-aligned native headers and 128-byte heap headers, neither adopted).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class NeighbourWritersBench {

    private static final int SIZE = 100_000;
    /** Index of the first key of segment 600 in the bulk load (SIZE entries over 1,202 segments). */
    private static final int BOUNDARY = (int) (600L * SIZE / 1202);
    private static final int KEYS = 8;

    private CobTree tree;
    private long[] left;
    private long[] right;
    private int leftStep;
    private int rightStep;

    @Setup(Level.Trial)
    public void build() {
        long[] keys = new long[SIZE];
        long[] values = new long[SIZE];
        for (int i = 0; i < SIZE; i++) {
            keys[i] = 10L * i;
            values[i] = i;
        }
        tree = CobTree.builder().buildFromSorted(keys, values, 0, SIZE);
        left = new long[KEYS];
        right = new long[KEYS];
        for (int i = 0; i < KEYS; i++) {
            left[i] = keys[BOUNDARY - 2 - KEYS + i];
            right[i] = keys[BOUNDARY + 2 + i];
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        if (tree.size() < SIZE - 2) {
            throw new IllegalStateException("the tree lost entries: " + tree.size());
        }
        tree.close();
    }

    private long cycle(long[] keys, int s) {
        long k = keys[(s >>> 1) % KEYS];
        if ((s & 1) == 0) {
            return tree.remove(k, -1);
        }
        return tree.put(k, k, -1);
    }

    @Benchmark
    @Group("neighbours")
    @GroupThreads(1)
    public long left() {
        return cycle(left, leftStep++);
    }

    @Benchmark
    @Group("neighbours")
    @GroupThreads(1)
    public long right() {
        return cycle(right, rightStep++);
    }
}
