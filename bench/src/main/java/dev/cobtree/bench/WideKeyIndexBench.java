package dev.cobtree.bench;

import dev.cobtree.query.Range;
import dev.cobtree.query.SecondaryIndex;
import dev.cobtree.query.WideKeyIndex;
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
import org.openjdk.jol.info.GraphStats;
import org.roaringbitmap.RoaringBitmap;

import java.util.concurrent.TimeUnit;

/**
 * Layouts of a non-unique index (issue 13, "composite keys without the 32/32 limit") on the same
 * 2^20 rows, all built by inserts in row order:
 * <ul>
 *   <li>{@code pairs31}: {@link SecondaryIndex} with 31-bit row ids, {@code (key << 31) | row}
 *       (keys limited to 33 bits: the layout TableIndex used before);</li>
 *   <li>({@code adaptive31}, the same with keys of 64 or more rows as bitmaps, {@code SecondaryIndex(31, 64)},
 *       was measured for memory in an earlier run: docs/QUERY.md; left out of the parameters to keep the run short);</li>
 *   <li>{@code bitmaps}: {@link WideKeyIndex#bitmapsOnly()}: every key's rows one RoaringBitmap value
 *       of a LongObjectTree, full 64-bit keys;</li>
 *   <li>{@code mixed}: {@link WideKeyIndex}: a first row per key in a CobTree, the others as a
 *       list or bitmap value, full 64-bit keys.</li>
 * </ul>
 * {@code rowsPerKey}: 1 (distinct keys: timestamps, ids), 10 (customer ids), 1000 (hours, statuses).
 * Row r has key {@code perm(r) / rowsPerKey}, perm a bijection of [0, 2^20), so a key's rows are
 * scattered over the row space. Operations: {@code range1pct} (row ids of 1% of the keys as a
 * bitmap), {@code oneKey} (row ids of one key), {@code insertDelete} (a new row into a key and out).
 * Memory per row (JOL {@code GraphStats.totalSize}, and the index's own {@code memoryBytes()}) is
 * printed as a {@code MEMORY} line in the {@code range1pct} trials.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Djol.magicFieldOffset=true"})
public class WideKeyIndexBench {

    static final int ROWS = 1 << 20;

    @Param({"pairs31", "bitmaps", "mixed"})
    public String layout;

    @Param({"1", "10", "1000"})
    public int rowsPerKey;

    private SecondaryIndex secondary;
    private WideKeyIndex wide;
    private Range range;
    private long oneKey;
    private long next;

    static long keyOf(int row, int rowsPerKey) {
        int perm = (row * 0x9E3779B1) & (ROWS - 1); // odd multiplier: a bijection of [0, 2^20)
        return perm / rowsPerKey;
    }

    @Setup(Level.Trial)
    public void build(org.openjdk.jmh.infra.BenchmarkParams params) {
        switch (layout) {
            case "pairs31" -> secondary = new SecondaryIndex(31);
            case "adaptive31" -> secondary = new SecondaryIndex(31, 64); // -p layout=adaptive31
            case "bitmaps" -> wide = WideKeyIndex.bitmapsOnly();
            case "mixed" -> wide = new WideKeyIndex();
            default -> throw new IllegalArgumentException("layout " + layout);
        }
        for (int r = 0; r < ROWS; r++) insert(keyOf(r, rowsPerKey), r);
        long keys = ROWS / rowsPerKey;
        range = Range.halfOpen(keys / 2, keys / 2 + keys / 100);
        oneKey = keys / 3;
        next = ROWS;
        if (!params.getBenchmark().endsWith("range1pct")) return; // memory once per layout and rowsPerKey
        Object root = secondary != null ? secondary : wide;
        long jol = GraphStats.parseInstance(root).totalSize();
        long own = secondary != null ? secondary.memoryBytes() : wide.memoryBytes();
        System.out.printf("%nMEMORY layout=%s rowsPerKey=%d rows=%d jol/row=%.2f memoryBytes/row=%.2f range1pct=%d oneKey=%d%n",
                layout, rowsPerKey, ROWS, jol / (double) ROWS, own / (double) ROWS, range1pct().getLongCardinality(),
                oneKey().getLongCardinality());
    }

    private boolean insert(long key, long row) {
        return secondary != null ? secondary.insert(key, row) : wide.insert(key, row);
    }

    private boolean delete(long key, long row) {
        return secondary != null ? secondary.delete(key, row) : wide.delete(key, row);
    }

    @TearDown(Level.Trial)
    public void close() {
        if (secondary != null) secondary.close();
        if (wide != null) wide.close();
    }

    @Benchmark
    public RoaringBitmap range1pct() {
        return secondary != null ? secondary.rowIds(range) : wide.rowIds(range);
    }

    @Benchmark
    public RoaringBitmap oneKey() {
        return secondary != null ? secondary.rowIds(oneKey) : wide.rowIds(oneKey);
    }

    @Benchmark
    public boolean insertDelete() {
        long row = next++;
        if (next > (1L << 31) - 2) next = ROWS;
        long key = oneKey;
        return insert(key, row) & delete(key, row);
    }
}
