package dev.cobtree.bench;

import dev.cobtree.query.FilterCache;
import dev.cobtree.query.Range;
import dev.cobtree.query.SecondaryIndex;
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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a write through a {@link SecondaryIndex} costs while a {@link FilterCache} holds
 * {@code cached} answers (issue 10, finding 5). The index holds 100,000 pairs on keys
 * [0, 1,000,000); the cache holds {@code cached} small ranges among those keys; each operation
 * inserts a new pair on a key no cached range contains and deletes it again (two writes that
 * change the index, so both invalidate; none removes a cached answer, so the cache keeps its
 * size for the whole run). {@code impl=noCache} is the same index and operations without a
 * cache: the baseline, in the same run. Score: ns per operation (two writes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class FilterCacheWriteBench {

    private static final int PAIRS = 100_000;
    private static final int KEYS = 1_000_000;
    /** Written keys: above every cached range. */
    private static final long WRITE_BASE = 2 * KEYS;

    @Param({"0", "1000", "100000"})
    public int cached;

    @Param({"filterCache", "noCache"})
    public String impl;

    private SecondaryIndex index;
    private FilterCache cache;
    private long row;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom rnd = new SplittableRandom(42);
        index = new SecondaryIndex();
        for (int i = 0; i < PAIRS; i++) index.insert(rnd.nextInt(KEYS), i);
        if (impl.equals("noCache")) return;
        if (!impl.equals("filterCache")) throw new IllegalArgumentException("impl " + impl + " is neither filterCache nor noCache");
        cache = new FilterCache(index, 1L << 30);
        long step = KEYS / Math.max(1, cached);
        for (int i = 0; i < cached; i++) {
            long a = i * step;
            cache.rowIds(Range.closed(a, a + Math.min(step - 1, 5))); // distinct, disjoint, small answers
        }
        if (cache.cachedRanges() != cached) {
            throw new IllegalStateException(cache.cachedRanges() + " answers cached, wanted " + cached);
        }
        row = 1L << 30;
    }

    @Benchmark
    public boolean insertAndDelete() {
        long r = row++;
        long key = WRITE_BASE + (r & 1023);
        return index.insert(key, r) & index.delete(key, r);
    }

    @TearDown(Level.Trial)
    public void check() {
        if (cache != null && cache.cachedRanges() != cached) {
            throw new IllegalStateException("the writes removed cached answers: " + cache.cachedRanges() + " left of " + cached);
        }
    }
}
