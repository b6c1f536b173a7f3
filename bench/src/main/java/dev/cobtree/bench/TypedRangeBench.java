package dev.cobtree.bench;

import dev.cobtree.query.Column;
import dev.cobtree.query.Condition;
import dev.cobtree.query.Range;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.WideKeyIndex;
import dev.cobtree.query.codec.KeyCodec;
import dev.cobtree.query.codec.KeyCodecs;
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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * A typed-key range query (issue 13) on 1,000,000 rows, answered as a {@link RoaringBitmap} of row
 * ids by
 * <ul>
 *   <li>{@code tableIndex}: a one-column {@link TableIndex}, {@code Condition.range};</li>
 *   <li>{@code wideKeyIndex}: the column's {@link WideKeyIndex} directly, bounds encoded by the codec;</li>
 *   <li>{@code cslm}: what users write today, a {@code ConcurrentSkipListMap<Double | Instant,
 *       Set<Integer>>} (values {@code ConcurrentHashMap.newKeySet()}), {@code subMap(...).values()};</li>
 *   <li>{@code fullScan}: a loop over the column as a primitive array ({@code double[]} / {@code long[]} micros).</li>
 * </ul>
 * {@code type = double}: prices uniform in [0, 1000), query [500, 510) (1% of the rows);
 * {@code type = instant}: timestamps uniform over 30 days at microseconds, query a 7.2-hour window
 * (1%). Memory per indexed row (JOL {@code GraphStats.totalSize}) is printed in the {@code tableIndex} trials.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Djol.magicFieldOffset=true"})
public class TypedRangeBench {

    static final int ROWS = 1_000_000;
    static final long START = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * 1_000_000;
    static final long SPAN = 30L * 86_400 * 1_000_000;

    @Param({"double", "instant"})
    public String type;

    private double[] prices;
    private long[] micros;
    private TableIndex table;
    private WideKeyIndex wide;
    private ConcurrentSkipListMap<Object, Set<Integer>> cslm;
    private Object lo;
    private Object hi;
    private Condition condition;
    private Range keyRange;

    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void build(org.openjdk.jmh.infra.BenchmarkParams params) {
        Random rnd = new Random(42);
        Object[] values = new Object[ROWS];
        KeyCodec codec;
        if (type.equals("double")) {
            prices = new double[ROWS];
            for (int r = 0; r < ROWS; r++) values[r] = prices[r] = rnd.nextDouble() * 1000;
            lo = 500.0;
            hi = 510.0;
            codec = KeyCodecs.doubles();
            table = TableIndex.fromColumns(List.of(Column.of("v", Double.class, KeyCodecs.doubles())), (Object) prices);
        } else {
            micros = new long[ROWS];
            for (int r = 0; r < ROWS; r++) {
                micros[r] = START + (long) (rnd.nextDouble() * SPAN);
                values[r] = Instant.EPOCH.plus(micros[r], ChronoUnit.MICROS);
            }
            Instant from = Instant.EPOCH.plus(START + SPAN / 2, ChronoUnit.MICROS);
            lo = from;
            hi = from.plus(SPAN / 100, ChronoUnit.MICROS);
            codec = KeyCodecs.instantMicros();
            table = TableIndex.fromColumns(List.of(Column.of("v", Instant.class, KeyCodecs.instantMicros())), (Object) values);
        }
        condition = Condition.range("v", lo, true, hi, false);
        keyRange = Range.halfOpen(codec.encode(lo), codec.encode(hi));
        long[] keys = new long[ROWS];
        long[] rows = new long[ROWS];
        cslm = new ConcurrentSkipListMap<>();
        for (int r = 0; r < ROWS; r++) {
            keys[r] = codec.encode(values[r]);
            rows[r] = r;
            cslm.computeIfAbsent(values[r], k -> ConcurrentHashMap.newKeySet()).add(r);
        }
        wide = WideKeyIndex.bulkLoad(keys, rows, ROWS);
        RoaringBitmap a = tableIndex();
        if (!a.equals(cslm()) || !a.equals(fullScan()) || !a.equals(wideKeyIndex())) {
            throw new IllegalStateException(type + ": the four answers differ");
        }
        if (!params.getBenchmark().endsWith("tableIndex")) return; // memory once per type
        System.out.printf("%nMEMORY type=%s rows=%d answer=%d jol/row: tableIndex=%.1f (row store included) wideKeyIndex=%.1f cslm=%.1f%n",
                type, ROWS, a.getCardinality(), GraphStats.parseInstance(table).totalSize() / (double) ROWS,
                GraphStats.parseInstance(wide).totalSize() / (double) ROWS, GraphStats.parseInstance(cslm).totalSize() / (double) ROWS);
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
        wide.close();
    }

    @Benchmark
    public RoaringBitmap tableIndex() {
        return table.query(condition);
    }

    @Benchmark
    public RoaringBitmap wideKeyIndex() {
        return wide.rowIds(keyRange);
    }

    @Benchmark
    public RoaringBitmap cslm() {
        RoaringBitmap out = new RoaringBitmap();
        for (Set<Integer> rows : cslm.subMap(lo, true, hi, false).values()) for (Integer r : rows) out.add(r);
        return out;
    }

    @Benchmark
    public RoaringBitmap fullScan() {
        RoaringBitmap out = new RoaringBitmap();
        if (prices != null) {
            double a = (Double) lo;
            double b = (Double) hi;
            for (int r = 0; r < ROWS; r++) if (prices[r] >= a && prices[r] < b) out.add(r);
        } else {
            long a = START + SPAN / 2;
            long b = a + SPAN / 100;
            for (int r = 0; r < ROWS; r++) if (micros[r] >= a && micros[r] < b) out.add(r);
        }
        return out;
    }
}
