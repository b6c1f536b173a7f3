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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Tail ingest + recent reads (issue 11): one thread appends ascending keys, one thread reads among
 * the newest {@link #RECENT} keys, on one shared structure of {@code size} entries. JMH group
 * {@code tail} with one thread per method, so the writer's and the reader's throughputs are
 * reported separately ({@code append} and {@code read}; the group's primary score is their sum).
 *
 * <p><b>Bounded size (a sliding window).</b> One {@code append} operation puts the next key
 * ({@code key(i) = 2i}, value {@link Keys#valueOf}) and then removes the oldest key, so the
 * structure holds exactly {@code size} entries between operations, for as long as the fork runs
 * (no iteration grows it, no setup rebuilds it between iterations): a retention window over an
 * append-only stream. The writer publishes the index of the newest key in a volatile field after
 * each put; the reader only reads keys at or below it.
 *
 * <p><b>Reads.</b> One {@code read} operation is, in turn, a {@code get} of a present key, a
 * ceiling of an absent key (an odd number: {@code ceiling(key - 1)} must answer {@code key}), and a
 * scan of the 100 consecutive entries starting at a present key (a sub-map's entry set for the
 * maps, {@code Candidate.scan} for the primitive tree): throughput counts operations of all three
 * kinds. The key is {@code newest - r} with {@code r} drawn from a pre-generated stream in
 * [99, {@link #RECENT}), so every key read was put before the reader saw it published and is
 * never removed while it is among the newest {@link #RECENT}. The reader boxes its key for the
 * maps' {@code get} (the keys move, so no box can be made up front); a wrong get or ceiling answer
 * is counted and fails the iteration.
 *
 * <p><b>States.</b> The structure is built by {@code size} ascending puts. {@code cslmFresh} is
 * built into an empty young generation and measured without a copying collection before the
 * first iteration; {@code cslmCompacted} is pushed through young collections first. Ascending
 * puts allocate the nodes in key order, and the writer's garbage triggers young collections during
 * the run, so the two states are close here (both are reported, as the issue asks).
 */
@State(Scope.Group)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-Xmn3g", "-XX:+UseParallelGC", "-XX:-UseAdaptiveSizePolicy", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class TailBench {

    /** The reader reads among this many newest keys. */
    public static final int RECENT = 10_000;
    /** Entries of one scan read. */
    public static final int SCAN = 100;

    @Param({"1000000", "10000000"})
    public int size;

    @Param({"cobtreeMap", "cobtree", "cslmFresh", "cslmCompacted"})
    public String impl;

    private Candidate c;
    /** Offsets below the newest key, in [SCAN - 1, RECENT). */
    private int[] offsets;
    /** Index of the next key to append, and of the oldest key present: the writer's only. */
    private long next;
    private long oldest;
    /** Index of the newest key put; written by the writer after its put, read by the reader. */
    private volatile long newest;

    /** The {@code i}-th key of the stream: even, so {@code key(i) - 1} is never present. */
    static long key(long i) {
        return 2 * i;
    }

    @Setup(Level.Trial)
    public void build() {
        if (!Candidates.threadSafe(impl) || !Candidates.writable(impl)) {
            throw new IllegalArgumentException("impl " + impl + " is not a thread-safe, writable structure; it has no place in TailBench");
        }
        if (size < RECENT) {
            throw new IllegalArgumentException("size " + size + " must be at least RECENT = " + RECENT);
        }
        c = new Prebuilt<>(impl, Candidates.heapMode(impl), size, () -> {
            Candidate b = Candidates.empty(impl);
            for (long i = 0; i < size; i++) {
                long k = key(i);
                b.put(k, Keys.valueOf(k));
            }
            return b;
        }).current();
        oldest = 0;
        next = size;
        newest = size - 1;
        SplittableRandom rnd = new SplittableRandom(21);
        offsets = new int[Keys.STREAM];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = SCAN - 1 + rnd.nextInt(RECENT - SCAN + 1);
        }
        check();
    }

    /** The window is [oldest, newest], every key there answers, the newest 100 scan to the right checksum. */
    private void check() {
        ResultCheck.size(c, size);
        long hi = newest;
        if (hi - oldest + 1 != size) {
            throw new IllegalStateException("window [" + oldest + ", " + hi + "] does not hold " + size + " keys");
        }
        for (long j : new long[] {oldest, hi - RECENT + 1, hi}) {
            long k = key(j);
            if (c.get(k, k) != Keys.valueOf(k)) throw new IllegalStateException(impl + ": get(" + k + ") = " + c.get(k, k));
            if (c.ceiling(k - 1) != k) throw new IllegalStateException(impl + ": ceiling(" + (k - 1) + ") = " + c.ceiling(k - 1));
        }
        if (c.get(key(oldest - 1), key(oldest - 1)) != Candidate.MISSING) {
            throw new IllegalStateException(impl + ": the removed key " + key(oldest - 1) + " is still present");
        }
        long expected = 0;
        for (long j = hi - SCAN + 1; j <= hi; j++) {
            expected = Keys.mix(expected, key(j), Keys.valueOf(key(j)));
        }
        long got = c.scan(key(hi - SCAN + 1), key(hi));
        if (got != expected) {
            throw new IllegalStateException(impl + ": scan of the newest " + SCAN + " entries has checksum " + got + ", expected " + expected);
        }
    }

    @TearDown(Level.Iteration)
    public void stillBounded() {
        check();
    }

    /** The reader's position in the offset stream, its operation kind, and the wrong answers it saw. */
    @State(Scope.Thread)
    public static class Reader {
        int i;
        int kind;
        long wrong;

        @TearDown(Level.Iteration)
        public void noWrongAnswers() {
            if (wrong != 0) {
                throw new IllegalStateException(wrong + " wrong get/ceiling answers among the newest keys in this iteration");
            }
        }
    }

    /** Puts the next key, publishes it, removes the oldest key. */
    @Benchmark
    @Group("tail")
    @GroupThreads(1)
    public long append() {
        long i = next;
        long k = key(i);
        c.put(k, Keys.valueOf(k));
        newest = i;
        next = i + 1;
        long old = key(oldest++);
        return c.remove(old, old);
    }

    /** A get, a ceiling or a 100-entry scan, in turn, among the newest keys. */
    @Benchmark
    @Group("tail")
    @GroupThreads(1)
    public long read(Reader r) {
        long j = newest - offsets[r.i++ & Keys.STREAM_MASK];
        long k = key(j);
        int kind = r.kind;
        r.kind = kind == 2 ? 0 : kind + 1;
        if (kind == 0) {
            long v = c.get(k, k);
            if (v != Keys.valueOf(k)) r.wrong++;
            return v;
        }
        if (kind == 1) {
            long v = c.ceiling(k - 1);
            if (v != k) r.wrong++;
            return v;
        }
        return c.scan(k, key(j + SCAN - 1));
    }
}
