package dev.cobtree.bench;

import dev.cobtree.query.Column;
import dev.cobtree.query.Condition;
import dev.cobtree.query.Range;
import dev.cobtree.query.RowFilter;
import dev.cobtree.query.SecondaryIndex;
import dev.cobtree.query.TableIndex;
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
 * The queries of {@code examples/SecondaryIndexExample} that return at most 1% of the rows, as
 * JMH rows: the same 1,000,000 orders (the example's seed and formulas: a price in cents
 * 1.00..999.99, a time in epoch seconds over 30 days, a customer of n/20) and the same query
 * parameters, answered three ways as the example does: {@code tableIndex} (a {@link TableIndex}
 * over the three columns, planned by range counts), {@code rowFilter} (a {@link SecondaryIndex}
 * per column and a {@link RowFilter}: every predicate's bitmap in full, in the order written) and
 * {@code fullScan} (a tight loop over the column arrays written as a user would, each query its
 * own loop). All three build the answer as a {@link RoaringBitmap}; they are checked equal at
 * setup and the plan printed.
 * <ul>
 *   <li>{@code hourPrice}: time in one hour, price in a $300 range (~420 rows, 0.04%);</li>
 *   <li>{@code dayCustomers}: time in one day, customer one of two ids (~1 row);</li>
 *   <li>{@code hourPriceNotCustomer}: time in one hour, price at least one value, not one customer (~30 rows).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class SecondaryIndexExampleBench {

    static final int EPOCH = 1_735_689_600; // 2025-01-01T00:00:00Z
    static final int DAYS = 30;

    @Param({"1000000"})
    public int orders;

    @Param({"hourPrice", "dayCustomers", "hourPriceNotCustomer"})
    public String query;

    private int[] price;
    private int[] time;
    private int[] customer;
    private int from;
    private int to;
    private int lo;
    private int hi;
    private int c1;
    private int c2;
    private SecondaryIndex byPrice;
    private SecondaryIndex byTime;
    private SecondaryIndex byCustomer;
    private TableIndex table;
    private Condition condition;
    private RowFilter filter;

    @Setup(Level.Trial)
    public void build() {
        int n = orders;
        Random rnd = new Random(7); // the example's generator and parameter draws, draw for draw
        price = new int[n];
        time = new int[n];
        customer = new int[n];
        int customers = Math.max(1, n / 20);
        for (int r = 0; r < n; r++) {
            price[r] = 100 + rnd.nextInt(99_900);
            time[r] = EPOCH + rnd.nextInt(DAYS * 86_400);
            customer[r] = rnd.nextInt(customers);
        }
        byPrice = index(price);
        byTime = index(time);
        byCustomer = index(customer);
        table = TableIndex.fromColumns(List.of(
                Column.of("price", Integer.class, KeyCodecs.ints()),
                Column.of("time", Integer.class, KeyCodecs.ints()),
                Column.of("customer", Integer.class, KeyCodecs.ints())), price.clone(), time.clone(), customer.clone());
        int r1 = rnd.nextInt(n);
        int hour = time[r1] - (time[r1] - EPOCH) % 3600;
        int lo1 = Math.max(100, price[r1] - 20_000);
        int r2 = rnd.nextInt(n);
        int day = time[r2] - (time[r2] - EPOCH) % 86_400;
        int cust1 = customer[r2];
        int cust2 = customer[rnd.nextInt(n)];
        int r3 = rnd.nextInt(n);
        int hour3 = time[r3] - (time[r3] - EPOCH) % 3600;
        int min3 = Math.max(100, price[r3] - 1_000);
        int cust3 = customer[r3];
        switch (query) {
            case "hourPrice" -> {
                from = hour;
                to = hour + 3600;
                lo = lo1;
                hi = lo1 + 30_000;
                condition = Condition.and(Condition.range("time", from, true, to, false), Condition.between("price", lo, hi));
                filter = RowFilter.of(byTime, Range.halfOpen(from, to)).and(RowFilter.of(byPrice, Range.closed(lo, hi)));
            }
            case "dayCustomers" -> {
                from = day;
                to = day + 86_400;
                c1 = cust1;
                c2 = cust2;
                condition = Condition.and(Condition.range("time", from, true, to, false), Condition.in("customer", c1, c2));
                filter = RowFilter.of(byTime, Range.halfOpen(from, to))
                        .and(RowFilter.of(byCustomer, Range.singleton(c1)).or(RowFilter.of(byCustomer, Range.singleton(c2))));
            }
            case "hourPriceNotCustomer" -> {
                from = hour3;
                to = hour3 + 3600;
                lo = min3;
                c1 = cust3;
                condition = Condition.and(Condition.range("time", from, true, to, false), Condition.atLeast("price", lo),
                        Condition.not(Condition.eq("customer", c1)));
                filter = RowFilter.of(byTime, Range.halfOpen(from, to)).and(RowFilter.of(byPrice, Range.atLeast(lo)))
                        .andNot(RowFilter.of(byCustomer, Range.singleton(c1)));
            }
            default -> throw new IllegalArgumentException("query " + query);
        }
        RoaringBitmap a = tableIndex();
        RoaringBitmap b = rowFilter();
        RoaringBitmap c = fullScan();
        if (!a.equals(c) || !b.equals(c)) {
            throw new IllegalStateException(query + ": table index " + a.getCardinality() + " rows, row filter " + b.getCardinality()
                    + ", scan " + c.getCardinality());
        }
        System.out.printf("%nQUERY %s rows=%d (%.3f%%)%n%s", query, c.getCardinality(), 100.0 * c.getCardinality() / n,
                table.explain(condition));
    }

    private static SecondaryIndex index(int[] values) {
        long[] keys = new long[values.length];
        long[] rows = new long[values.length];
        for (int r = 0; r < values.length; r++) {
            keys[r] = values[r];
            rows[r] = r;
        }
        return SecondaryIndex.bulkLoad(SecondaryIndex.DEFAULT_ROW_ID_BITS, keys, rows, values.length);
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
        byPrice.close();
        byTime.close();
        byCustomer.close();
    }

    @Benchmark
    public RoaringBitmap tableIndex() {
        return table.query(condition);
    }

    @Benchmark
    public RoaringBitmap rowFilter() {
        return filter.rows();
    }

    /** A tight loop per query over the column arrays, the conditions as a user writes them; the answer as a bitmap. */
    @Benchmark
    public RoaringBitmap fullScan() {
        RoaringBitmap out = new RoaringBitmap();
        int n = orders;
        int[] price = this.price;
        int[] time = this.time;
        int[] customer = this.customer;
        int from = this.from;
        int to = this.to;
        int lo = this.lo;
        switch (query) {
            case "hourPrice" -> {
                int hi = this.hi;
                for (int r = 0; r < n; r++) if (time[r] >= from && time[r] < to && price[r] >= lo && price[r] <= hi) out.add(r);
            }
            case "dayCustomers" -> {
                int a = c1;
                int b = c2;
                for (int r = 0; r < n; r++) if (time[r] >= from && time[r] < to && (customer[r] == a || customer[r] == b)) out.add(r);
            }
            default -> {
                int c = c1;
                for (int r = 0; r < n; r++) if (time[r] >= from && time[r] < to && price[r] >= lo && customer[r] != c) out.add(r);
            }
        }
        return out;
    }
}
