package dev.cobtree.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A reader under a writer in its region (issue 11, "readers do not queue behind writers"): in a
 * structure of {@code size} random keys, one thread cycles through {@link #REGION} consecutive
 * present keys in the middle of the key order, removing each and putting it back; one thread
 * navigates the same keys. JMH group {@code region}, one thread per method: the writer's and the
 * reader's throughputs are reported separately ({@code write}, {@code read}).
 *
 * <p>{@code write}: one remove or one put (alternately), so at most one region key is absent at a
 * time and the structure holds {@code size} or {@code size - 1} entries. {@code read}: in turn,
 * {@code ceilingKey} of a key just below a region key ({@code k - 1}, absent: the keys are random
 * 64-bit values) and {@code get} of a region key, the region key drawn from a pre-generated
 * stream. A ceiling answer must be that key or, if the writer has it removed just then, the next
 * one; a get must answer the key's value or absent; a wrong answer is counted and fails the
 * iteration.
 *
 * <p>With 128-cell segments a region of 64 keys lies in one or two segments, so with cobtree the
 * reader nearly always reads a segment the writer is writing. The structure is built by random
 * puts ({@link Prebuilt}); {@code cslmFresh} is fresh at the start of the first iteration only:
 * the writer's garbage (boxes, nodes) triggers young collections that copy the skip list's nodes.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class RegionBench {

    /** Keys the writer cycles through. */
    public static final int REGION = 64;

    @Param({"1000000"})
    public int size;

    @Param({"cobtreeMap", "cobtree", "cslmFresh", "cslmCompacted"})
    public String impl;

    private Candidate c;
    /** The region's keys in ascending order, plus the key after it (never written). */
    private long[] region;
    private Long[] boxedRegion;
    /** Region positions the reader visits, in [0, REGION). */
    private int[] picks;
    /** The writer's next position (twice the key index, odd = put back). */
    private int step;

    @Setup(Level.Trial)
    public void build() {
        if (!Candidates.threadSafe(impl) || !Candidates.writable(impl)) {
            throw new IllegalArgumentException("impl " + impl + " is not a thread-safe, writable structure; it has no place in RegionBench");
        }
        if (size < 2 * REGION) {
            throw new IllegalArgumentException("size " + size + " must be at least " + 2 * REGION);
        }
        Keys keys = Keys.random(size, Keys.SEED);
        long[] sorted = keys.sorted();
        int from = size / 2 - REGION / 2;
        region = Arrays.copyOfRange(sorted, from, from + REGION + 1);
        for (int i = 0; i < REGION; i++) {
            if (region[i] - 1 == sorted[from + i - 1]) {
                throw new IllegalStateException("region key " + region[i] + " has its predecessor as a neighbour; pick another seed");
            }
        }
        boxedRegion = Keys.box(region);
        SplittableRandom rnd = new SplittableRandom(31);
        picks = new int[Keys.STREAM];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = rnd.nextInt(REGION);
        }
        c = Prebuilt.of(impl, keys.insertionOrder(), size).current();
        ResultCheck.size(c, size);
        for (int i = 0; i < REGION; i++) {
            if (c.ceiling(region[i] - 1) != region[i] || c.get(region[i], boxedRegion[i]) != Keys.valueOf(region[i])) {
                throw new IllegalStateException(impl + ": region key " + region[i] + " answers ceiling "
                        + c.ceiling(region[i] - 1) + ", get " + c.get(region[i], boxedRegion[i]));
            }
        }
        step = 0;
    }

    /** Between iterations the writer may have one key out: the structure holds size or size - 1 entries. */
    @TearDown(Level.Iteration)
    public void stillWhole() {
        long n = c.size();
        if (n != size && n != size - 1) {
            throw new IllegalStateException(impl + " holds " + n + " entries, expected " + size + " or " + (size - 1));
        }
    }

    /** The reader's position in its stream, its operation kind, and the wrong answers it saw. */
    @State(Scope.Thread)
    public static class Reader {
        int i;
        boolean ceiling;
        long wrong;

        @TearDown(Level.Iteration)
        public void noWrongAnswers() {
            if (wrong != 0) {
                throw new IllegalStateException(wrong + " wrong ceiling/get answers in the writer's region in this iteration");
            }
        }
    }

    /** Removes the current region key, or puts it back and moves on to the next. */
    @Benchmark
    @Group("region")
    @GroupThreads(1)
    public long write() {
        int s = step;
        step = s == 2 * REGION - 1 ? 0 : s + 1;
        int i = s >>> 1;
        long k = region[i];
        if ((s & 1) == 0) {
            return c.remove(k, boxedRegion[i]);
        }
        c.put(k, Keys.valueOf(k));
        return k;
    }

    /** {@code ceilingKey(k - 1)} or {@code get(k)} of a region key, in turn. */
    @Benchmark
    @Group("region")
    @GroupThreads(1)
    public long read(Reader r) {
        int i = picks[r.i++ & Keys.STREAM_MASK];
        long k = region[i];
        boolean ceiling = r.ceiling;
        r.ceiling = !ceiling;
        if (ceiling) {
            long v = c.ceiling(k - 1);
            if (v != k && v != region[i + 1]) r.wrong++;
            return v;
        }
        long v = c.get(k, boxedRegion[i]);
        if (v != Keys.valueOf(k) && v != Candidate.MISSING) r.wrong++;
        return v;
    }
}
