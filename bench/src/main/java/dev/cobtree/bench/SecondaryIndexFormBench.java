package dev.cobtree.bench;

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
import org.openjdk.jol.info.GraphLayout;
import org.roaringbitmap.RoaringBitmap;

import java.util.concurrent.TimeUnit;

/**
 * The two forms of a {@link SecondaryIndex} on the same 1,000,000 rows (issue 12): {@code pairs}
 * (one composite tree entry per row, the baseline) against {@code adaptive} (a key with 64 or more
 * rows held as one copy-on-write {@link RoaringBitmap} value of a {@code LongObjectTree}).
 * {@code keys = 100}: a low-cardinality column (10,000 rows per key); {@code keys = 1000000}: a
 * high-cardinality one (about one row per key). Row r has key {@code mix(r) % keys}.
 * <ul>
 *   <li>{@code insertDelete}: a new row into a key and out again (two writes that change the index);</li>
 *   <li>{@code range10pct}: row ids of the first 10% of the keys (about 100,000 rows) as a bitmap;</li>
 *   <li>{@code oneKey}: row ids of one key (10,000 rows, or about one).</li>
 * </ul>
 * Memory per row (JOL {@code GraphLayout.totalSize} of the index, and the index's own
 * {@code memoryBytes()}: tree cells plus bitmap {@code getSizeInBytes}) is printed once per trial.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Djol.magicFieldOffset=true"})
public class SecondaryIndexFormBench {

    static final int ROWS = 1_000_000;
    static final int PROMOTE_AT = 64;

    @Param({"pairs", "adaptive"})
    public String form;

    @Param({"100", "1000000"})
    public int keys;

    private SecondaryIndex index;
    private Range tenth;
    private long next;

    static long keyOf(long row, int keys) {
        long h = row * 0x9E3779B97F4A7C15L;
        return Long.remainderUnsigned(h ^ (h >>> 29), keys);
    }

    @Setup(Level.Trial)
    public void build() {
        index = switch (form) {
            case "pairs" -> new SecondaryIndex();
            case "adaptive" -> SecondaryIndex.adaptive(PROMOTE_AT);
            default -> throw new IllegalArgumentException("form " + form + " is neither pairs nor adaptive");
        };
        for (int r = 0; r < ROWS; r++) index.insert(keyOf(r, keys), r);
        tenth = Range.halfOpen(0, keys / 10);
        long jol = -1;
        try {
            jol = GraphLayout.parseInstance(index).totalSize();
        } catch (RuntimeException | Error e) {
            System.out.println("JOL unavailable: " + e);
        }
        System.out.printf("%nMEMORY form=%s keys=%d rows=%d size=%d memoryBytes/row=%.2f jol/row=%.2f range10pct=%d%n",
                form, keys, ROWS, index.size(), index.memoryBytes() / (double) ROWS, jol / (double) ROWS,
                index.rowIds(tenth).getLongCardinality());
        next = ROWS;
    }

    @TearDown(Level.Trial)
    public void close() {
        index.close();
    }

    @Benchmark
    public boolean insertDelete() {
        long r = next++;
        long key = (r * 7) % keys;
        return index.insert(key, r) & index.delete(key, r);
    }

    @Benchmark
    public RoaringBitmap range10pct() {
        return index.rowIds(tenth);
    }

    @Benchmark
    public RoaringBitmap oneKey() {
        return index.rowIds((next++ * 7) % keys);
    }
}
