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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Throughput with several threads on one shared structure (the thread count is JMH's
 * {@code -t}; the suite runs 1 and 2, more on a machine that has the cores).
 *
 * <ul>
 *   <li>{@code mixed}: 80% {@code get}, 20% {@code put}. The keys come from a universe of
 *       {@code 2 * size} random keys, the first half of which is inserted before measuring, so a
 *       put inserts a new key or overwrites one and the structure drifts from {@code size}
 *       toward {@code 2 * size} entries during the run; a get hits about half the time.</li>
 *   <li>{@code readOnly}: {@code get} of present keys only (read scaling).</li>
 * </ul>
 * Each thread has its own pre-generated stream (seeded by its thread index). Scores are total
 * operations per second over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ConcurrentBench {

    /** Share of puts in {@code mixed}, in percent. */
    static final int PUT_PERCENT = 20;

    @Param({"10000", "1000000", "10000000"})
    public int size;

    @Param({"cobtree", "cobtreeOffHeap", "cslmCompacted", "cobtreeMap", "cslmFresh", "treeMapRw"})
    public String impl;

    Keys universe;
    private Prebuilt<Candidate> prebuilt;
    Candidate c;

    @Setup(Level.Trial)
    public void build() {
        if (!Candidates.threadSafe(impl)) {
            throw new IllegalArgumentException("impl " + impl + " is not thread-safe; it has no place in ConcurrentBench");
        }
        universe = Keys.random(2 * size, Keys.SEED);
        prebuilt = Prebuilt.of(impl, universe.insertionOrder(), size);
        ResultCheck.size(prebuilt.current(), size);
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt.current();
    }

    /** One thread's operation stream. */
    @State(Scope.Thread)
    public static class Ops {
        long[] keys;
        Long[] boxed;
        boolean[] put;
        long[] hits;
        Long[] boxedHits;
        int i;

        @Setup(Level.Trial)
        public void generate(ConcurrentBench b, ThreadParams t) {
            int thread = t.getThreadIndex();
            SplittableRandom rnd = new SplittableRandom(1000 + thread);
            long[] all = b.universe.insertionOrder();
            keys = new long[Keys.STREAM];
            put = new boolean[Keys.STREAM];
            for (int j = 0; j < Keys.STREAM; j++) {
                keys[j] = all[rnd.nextInt(all.length)];
                put[j] = rnd.nextInt(100) < PUT_PERCENT;
            }
            boxed = Keys.box(keys);
            hits = b.universe.hits(b.size, 2000 + thread);
            boxedHits = Keys.box(hits);
        }

        int next() {
            return i++ & Keys.STREAM_MASK;
        }
    }

    @Benchmark
    public long mixed(Ops o) {
        int j = o.next();
        long k = o.keys[j];
        if (o.put[j]) {
            c.put(k, Keys.valueOf(k));
            return k;
        }
        return c.get(k, o.boxed[j]);
    }

    @Benchmark
    public long readOnly(Ops o) {
        int j = o.next();
        return c.get(o.hits[j], o.boxedHits[j]);
    }
}
