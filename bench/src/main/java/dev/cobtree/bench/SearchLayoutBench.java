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

import dev.cobtree.core.VebRouter;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The search-tree layout alone: given {@code fences} sorted segment fence keys, find the segment
 * of a random key (the greatest fence &le; key), as cobtree's router does before it reads a
 * segment. Layouts over the same fences:
 *
 * <ul>
 *   <li>{@code veb}: index-core's own van Emde Boas tree ({@code VebLayout}, through
 *       {@link VebRouter}), exactly as the engine routes (opaque loads included);</li>
 *   <li>{@code binary}: binary search over the sorted array;</li>
 *   <li>{@code eytzinger}: {@link EytzingerLayout} (BFS order), branch-free descent.</li>
 * </ul>
 *
 * A key below the first fence routes to segment 0 in every layout (the first segment of the
 * engine has no lower bound).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+UseParallelGC", "--sun-misc-unsafe-memory-access=allow"})
public class SearchLayoutBench {

    /** A search structure over the fences: answers the segment of a key. */
    @FunctionalInterface
    interface Router {
        /** Sorted position of the greatest fence &le; key, or 0 below the first fence. */
        int segmentOf(long key);
    }

    @Param({"1000", "10000", "100000"})
    public int fences;

    @Param({"veb", "binary", "eytzinger"})
    public String layout;

    private Router router;
    private long[] queries;

    @Setup(Level.Trial)
    public void setup() {
        long[] sorted = Keys.random(fences, Keys.SEED).sorted();
        SplittableRandom rnd = new SplittableRandom(15);
        queries = new long[Keys.STREAM];
        for (int i = 0; i < queries.length; i++) {
            queries[i] = rnd.nextLong();
        }
        Router binary = key -> binarySegmentOf(sorted, key);
        router = switch (layout) {
            case "binary" -> binary;
            case "eytzinger" -> eytzingerRouter(new EytzingerLayout(sorted));
            case "veb" -> new VebRouter(sorted)::segmentOf;
            default -> throw new IllegalArgumentException("unknown layout " + layout + "; known: veb, binary, eytzinger");
        };
        for (int i = 0; i < 4096; i++) {
            int expected = binary.segmentOf(queries[i]);
            int got = router.segmentOf(queries[i]);
            if (got != expected) {
                throw new IllegalStateException(layout + " routes " + queries[i] + " to segment " + got + ", binary search to " + expected);
            }
        }
    }

    private static Router eytzingerRouter(EytzingerLayout e) {
        return key -> {
            int node = e.floor(key);
            return node == 0 ? 0 : e.rankOf(node);
        };
    }

    private static int binarySegmentOf(long[] sorted, long key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }

    @Benchmark
    public int route(StreamIndex s) {
        return router.segmentOf(queries[s.next()]);
    }
}
