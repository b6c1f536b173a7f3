package dev.cobtree.bench;

import dev.cobtree.query.Column;
import dev.cobtree.query.CompositeIndex;
import dev.cobtree.query.Condition;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.TableIndexSnapshot;
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
import org.roaringbitmap.RoaringBitmap;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TableIndex} query against a full scan of the same columns held as primitive arrays
 * (the fastest scan a user can write), on 1,000,000 orders: hour of the month (720 values),
 * price (double, 1..1000), customer (int, 100,000 values), city (string, 50 values), status
 * (enum, 4 values). Both build the answer as a {@link RoaringBitmap}; the answers are checked
 * equal at setup. {@code snapshotIndex} runs the same query on a {@link TableIndexSnapshot} taken
 * at setup (the same planner over the snapshots of the trees and the row store: it should cost
 * what {@code index} costs); {@code agedSnapshotIndex} on one taken before 10% of the rows were
 * deleted and inserted again with the same values (so its reads of the changed segments and pages
 * go through pre-images and page copies, while every answer stays the same);
 * {@code takeSnapshot} takes and closes one (5 columns: 12 tree snapshots and the row store's page
 * directory, with all 64 row stripes held). {@code compositeIndex} runs it on a second table of the
 * same rows that also has the composite indexes a user would create for these queries
 * ({@link CompositeIndex}: {@code (hour, price)}, {@code (hour, customer)},
 * {@code (status, city, price)}), so that each query is answered from one composite index.
 * <ul>
 *   <li>{@code hourPrice}: {@code hour = 300 and price in [1, 301)}, about 415 rows (0.04%);</li>
 *   <li>{@code hourCustomers}: {@code hour = 300 and customer in (17, 4242)}, about 0 rows;</li>
 *   <li>{@code statusPriceCity}: {@code status = SHIPPED and price >= 990 and city = "city7"}, about 50 rows.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class TableIndexBench {

    enum Status { NEW, PAID, SHIPPED, RETURNED }

    static final int ROWS = 1_000_000;

    @Param({"hourPrice", "hourCustomers", "statusPriceCity"})
    public String query;

    private int[] hour;
    private double[] price;
    private int[] customer;
    private String[] city;
    private Status[] status;
    private TableIndex table;
    private TableIndex composite;
    private TableIndexSnapshot snapshot;
    private TableIndexSnapshot aged;
    private Condition condition;

    @Setup(Level.Trial)
    public void build() {
        Random rnd = new Random(42);
        hour = new int[ROWS];
        price = new double[ROWS];
        customer = new int[ROWS];
        city = new String[ROWS];
        status = new Status[ROWS];
        for (int r = 0; r < ROWS; r++) {
            hour[r] = rnd.nextInt(720);
            price[r] = 1 + rnd.nextInt(99_900) / 100.0;
            customer[r] = rnd.nextInt(100_000);
            city[r] = "city" + rnd.nextInt(50);
            status[r] = Status.values()[rnd.nextInt(4)];
        }
        List<Column<?>> columns = List.of(
                Column.of("hour", Integer.class, KeyCodecs.ints()),
                Column.of("price", Double.class, KeyCodecs.doubles()),
                Column.of("customer", Integer.class, KeyCodecs.ints()),
                Column.of("city", String.class, KeyCodecs.stringPrefix()),
                Column.of("status", Status.class, KeyCodecs.enumByOrdinal(Status.class)));
        table = TableIndex.fromColumns(columns, hour, price, customer, city, status);
        composite = TableIndex.fromColumns(columns, List.of(CompositeIndex.on("hour", "price"), CompositeIndex.on("hour", "customer"),
                CompositeIndex.on("status", "city", "price")), hour, price, customer, city, status);
        condition = switch (query) {
            case "hourPrice" -> Condition.and(Condition.eq("hour", 300), Condition.range("price", 1.0, true, 301.0, false));
            case "hourCustomers" -> Condition.and(Condition.eq("hour", 300), Condition.in("customer", 17, 4242));
            case "statusPriceCity" -> Condition.and(Condition.eq("status", Status.SHIPPED), Condition.atLeast("price", 990.0),
                    Condition.eq("city", "city7"));
            default -> throw new IllegalArgumentException("query " + query);
        };
        RoaringBitmap a = index();
        RoaringBitmap b = fullScan();
        if (!a.equals(b)) throw new IllegalStateException(query + ": index " + a.getCardinality() + " rows, scan " + b.getCardinality());
        aged = table.snapshot();
        for (int i = 0; i < ROWS / 10; i++) { // the same rows again: answers unchanged, trees and pages written
            int r = rnd.nextInt(ROWS);
            table.delete(r);
            table.insert(r, hour[r], price[r], customer[r], city[r], status[r]);
        }
        snapshot = table.snapshot();
        for (RoaringBitmap c : new RoaringBitmap[] {index(), snapshotIndex(), agedSnapshotIndex(), compositeIndex()}) {
            if (!a.equals(c)) throw new IllegalStateException(query + ": index " + a.getCardinality() + " rows, then " + c.getCardinality());
        }
        System.out.printf("%nQUERY %s rows=%d%n%s%nwith composite indexes:%n%s", query, a.getCardinality(), table.explain(condition),
                composite.explain(condition));
    }

    @TearDown(Level.Trial)
    public void close() {
        snapshot.close();
        aged.close();
        table.close();
        composite.close();
    }

    @Benchmark
    public RoaringBitmap index() {
        return table.query(condition);
    }

    @Benchmark
    public RoaringBitmap compositeIndex() {
        return composite.query(condition);
    }

    @Benchmark
    public RoaringBitmap snapshotIndex() {
        return snapshot.query(condition);
    }

    @Benchmark
    public RoaringBitmap agedSnapshotIndex() {
        return aged.query(condition);
    }

    @Benchmark
    public int takeSnapshot() {
        try (TableIndexSnapshot s = table.snapshot()) {
            return s.size();
        }
    }

    @Benchmark
    public RoaringBitmap fullScan() {
        RoaringBitmap out = new RoaringBitmap();
        switch (query) {
            case "hourPrice" -> {
                for (int r = 0; r < ROWS; r++) if (hour[r] == 300 && price[r] >= 1.0 && price[r] < 301.0) out.add(r);
            }
            case "hourCustomers" -> {
                for (int r = 0; r < ROWS; r++) if (hour[r] == 300 && (customer[r] == 17 || customer[r] == 4242)) out.add(r);
            }
            default -> {
                for (int r = 0; r < ROWS; r++) {
                    if (status[r] == Status.SHIPPED && price[r] >= 990.0 && city[r].equals("city7")) out.add(r);
                }
            }
        }
        return out;
    }
}
