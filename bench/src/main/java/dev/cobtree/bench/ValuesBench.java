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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.Blackhole;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Object values (issue 12): {@code LongObjectTree<Object>} against {@code Long -> Object} maps
 * ({@link ObjectCandidates}), with the shared value objects of {@link SharedValues}. The same four
 * workloads as the long-valued benchmarks, with the same conventions:
 *
 * <ul>
 *   <li>{@code getHit}: one lookup of a random present key (as {@link PointBench#getHit}); ns/op;</li>
 *   <li>{@code randomPut}: all {@code size} keys put in random order into a new, empty structure
 *       (as {@link WriteBench#randomPut}); the score is per build, ns per put = score / size;</li>
 *   <li>{@code removeAll}: every key removed in random order from a structure built just before
 *       the invocation, outside the timing (as {@link RemoveBench}); ns per remove = score / size;</li>
 *   <li>{@code scan}: {@link #SCAN} consecutive entries ascending from a random present key, key and
 *       value id of each folded into a checksum (as {@link ScanBench}); ns per entry = score / SCAN.</li>
 * </ul>
 * Each fork sets up only what its benchmark needs, and checks first that the structure answers
 * what the sorted keys say.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-Xmn1536m", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ValuesBench {

    /** Entries one {@link #scan} visits (at most {@code size}). */
    public static final int SCAN = 10_000;

    @Param({"1000000"})
    public int size;

    @Param({"cobtree", "cslmFresh", "cslmCompacted", "treeMapRw", "avlRw", "cobtreeSink"})
    public String impl;

    private long[] insertion;
    private long[] hits;
    private Long[] boxedHits;
    private long[] scanLos;
    private long[] scanHis;
    private long[] removal;
    private Long[] boxedRemoval;
    private Prebuilt<ObjectCandidate> prebuilt;
    private ObjectCandidate c;

    /** Entries one scan visits at {@code size} keys. */
    public static int scanEntries(int size) {
        return Math.min(size, SCAN);
    }

    @Setup(Level.Trial)
    public void build(BenchmarkParams params) {
        Keys keys = Keys.random(size, Keys.SEED);
        insertion = keys.insertionOrder();
        long[] sorted = keys.sorted();
        String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        switch (method) {
            case "getHit" -> {
                hits = keys.hits(size, 11);
                boxedHits = Keys.box(hits);
                prebuilt = ObjectCandidates.prebuilt(impl, insertion, size);
                ObjectCandidates.checkLookups(impl, prebuilt.current(), hits, keys.misses(12));
            }
            case "scan" -> {
                int span = scanEntries(size);
                SplittableRandom rnd = new SplittableRandom(14);
                scanLos = new long[Keys.STREAM];
                scanHis = new long[Keys.STREAM];
                int[] starts = new int[Keys.STREAM];
                for (int i = 0; i < Keys.STREAM; i++) {
                    starts[i] = rnd.nextInt(size - span + 1);
                    scanLos[i] = sorted[starts[i]];
                    scanHis[i] = sorted[starts[i] + span - 1];
                }
                prebuilt = ObjectCandidates.prebuilt(impl, insertion, size);
                for (int i = 0; i < 8; i++) {
                    ObjectCandidates.checkScan(impl, prebuilt.current(), sorted, starts[i], starts[i] + span);
                }
            }
            case "randomPut" -> {
                ObjectCandidate check = ObjectCandidates.build(impl, insertion, size);
                ObjectCandidates.checkSize(impl, check, size);
                ObjectCandidates.checkScan(impl, check, sorted, 0, size);
            }
            case "removeAll" -> {
                removal = keys.shuffledPrefix(size, 13);
                boxedRemoval = Keys.box(removal);
            }
            default -> throw new IllegalStateException("ValuesBench has no setup for " + method);
        }
    }

    @Setup(Level.Iteration)
    public void keepState() {
        c = prebuilt == null ? null : prebuilt.current();
    }

    @Benchmark
    public Object getHit(StreamIndex s) {
        int i = s.next();
        return c.get(hits[i], boxedHits[i]);
    }

    @Benchmark
    public long scan(StreamIndex s) {
        int i = s.next();
        return c.scan(scanLos[i], scanHis[i]);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Object randomPut() {
        ObjectCandidate m = ObjectCandidates.empty(impl);
        for (long k : insertion) {
            m.put(k, SharedValues.of(k));
        }
        return m;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void removeAll(Drain d, Blackhole bh) {
        ObjectCandidate m = d.full;
        long[] keys = removal;
        Long[] boxed = boxedRemoval;
        for (int i = 0; i < keys.length; i++) {
            bh.consume(m.remove(keys[i], boxed[i]));
        }
    }

    /**
     * The full structure {@link #removeAll} drains: built before each invocation, outside the
     * timing, in its heap state (a compacted skip list is compacted first), and checked empty after.
     */
    @State(Scope.Benchmark)
    public static class Drain {
        ObjectCandidate full;

        @Setup(Level.Invocation)
        public void fill(ValuesBench b) {
            full = ObjectCandidates.prebuilt(b.impl, b.insertion, b.size).current();
        }

        @TearDown(Level.Invocation)
        public void drained(ValuesBench b) {
            if (full.size() != 0) {
                throw new IllegalStateException(b.impl + " still holds " + full.size() + " entries after removing all " + b.size);
            }
            full = null;
        }
    }
}
