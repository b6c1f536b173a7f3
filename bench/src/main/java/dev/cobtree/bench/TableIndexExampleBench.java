package dev.cobtree.bench;

import dev.cobtree.query.Column;
import dev.cobtree.query.CompositeIndex;
import dev.cobtree.query.Condition;
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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The queries of {@code examples/TableIndexExample} that return at most 1% of the rows, as JMH
 * rows: the same table (10,000,000 orders by default, generated with the example's seed and
 * formulas: a microsecond {@link Instant} over 30 days, a {@code double} price 1.00..999.99, a
 * status of 5, a customer of n/10, a city of 50), the same five column indexes, the same
 * conditions, each against a full scan written as a tight loop over the primitive column arrays.
 * Both build the answer as a {@link RoaringBitmap}; the answers are checked equal at setup and
 * the plan printed. {@code indexes}: {@code columns}, the five column indexes only;
 * {@code composite}, also the example's composite indexes {@code (status, time)} and
 * {@code (city, price)} ({@link CompositeIndex}).
 * <ul>
 *   <li>{@code lastHourShipped}: time in the last hour, price &gt; 100.0, status SHIPPED (~2,400 rows);</li>
 *   <li>{@code returnedCustomers}: status RETURNED, customer in two ids (a few rows);</li>
 *   <li>{@code lastDayOslo}: time in the last day, city Oslo, price &gt; 990.0 (~70 rows);</li>
 *   <li>{@code minuteNotPaid}: time in one minute, not status PAID (~150 rows);</li>
 *   <li>{@code priceTwoCities}: price in [499.99, 500.01], city San Marino or San Sebastian (~15 rows);</li>
 *   <li>{@code price1pct}: price in [10.0, 20.0) (~99,000 rows, 0.99%).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms5g", "-Xmx5g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class TableIndexExampleBench {

    enum Status { NEW, PAID, SHIPPED, DELIVERED, RETURNED }

    static final String[] CITIES = {"Amsterdam", "Athens", "Barcelona", "Berlin", "Bordeaux", "Brussels", "Bucharest",
            "Budapest", "Copenhagen", "Dublin", "Edinburgh", "Florence", "Frankfurt", "Geneva", "Hamburg", "Helsinki",
            "Istanbul", "Krakow", "Lisbon", "Ljubljana", "London", "Lyon", "Madrid", "Marseille", "Milan", "Munich",
            "Naples", "Nice", "Oslo", "Paris", "Porto", "Prague", "Reykjavik", "Riga", "Rome", "Rotterdam", "Salzburg",
            "San Marino", "San Sebastian", "Seville", "Sofia", "Stockholm", "Tallinn", "Turin", "Valencia", "Venice",
            "Vienna", "Vilnius", "Warsaw", "Zurich"};

    @Param({"10000000"})
    public int rows;

    @Param({"lastHourShipped", "returnedCustomers", "lastDayOslo", "minuteNotPaid", "priceTwoCities", "price1pct"})
    public String query;

    @Param({"columns", "composite"})
    public String indexes;

    private long[] micros;
    private double[] price;
    private byte[] status;
    private int[] customer;
    private String[] city;
    private long hourAgo;
    private long dayAgo;
    private long minute;
    private int c1;
    private int c2;
    private TableIndex table;
    private Condition condition;

    @Setup(Level.Trial)
    public void build() {
        int n = rows;
        Random rnd = new Random(11); // the example's generator, draw for draw
        micros = new long[n];
        price = new double[n];
        status = new byte[n];
        customer = new int[n];
        city = new String[n];
        int customers = Math.max(1, n / 10);
        long start = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond() * 1_000_000;
        long span = 30L * 86_400 * 1_000_000;
        for (int r = 0; r < n; r++) {
            micros[r] = start + (long) (rnd.nextDouble() * span);
            price[r] = 1 + rnd.nextInt(99_900) / 100.0;
            status[r] = (byte) rnd.nextInt(Status.values().length);
            customer[r] = rnd.nextInt(customers);
            city[r] = CITIES[rnd.nextInt(CITIES.length)];
        }
        Instant[] times = new Instant[n];
        Status[] statuses = new Status[n];
        for (int r = 0; r < n; r++) {
            times[r] = Instant.EPOCH.plus(micros[r], ChronoUnit.MICROS);
            statuses[r] = Status.values()[status[r]];
        }
        table = TableIndex.fromColumns(List.of(
                Column.of("time", Instant.class, KeyCodecs.instantMicros()),
                Column.of("price", Double.class, KeyCodecs.doubles()),
                Column.of("status", Status.class, KeyCodecs.enumByOrdinal(Status.class)),
                Column.of("customer", Integer.class, KeyCodecs.ints()),
                Column.of("city", String.class, KeyCodecs.stringPrefix())),
                indexes.equals("composite") ? List.of(CompositeIndex.on("status", "time"), CompositeIndex.on("city", "price")) : List.of(),
                times, price, statuses, customer, city);
        long end = micros[0];
        for (long m : micros) end = Math.max(end, m);
        hourAgo = end - 3_600_000_000L;
        dayAgo = end - 86_400_000_000L;
        c1 = customer[rnd.nextInt(n)];
        c2 = customer[rnd.nextInt(n)];
        int r4 = rnd.nextInt(n);
        minute = micros[r4] - micros[r4] % 60_000_000L;
        Instant m0 = Instant.EPOCH.plus(minute, ChronoUnit.MICROS);
        condition = switch (query) {
            case "lastHourShipped" -> Condition.and(Condition.atLeast("time", Instant.EPOCH.plus(hourAgo, ChronoUnit.MICROS)),
                    Condition.greaterThan("price", 100.0), Condition.eq("status", Status.SHIPPED));
            case "returnedCustomers" -> Condition.and(Condition.eq("status", Status.RETURNED), Condition.in("customer", c1, c2));
            case "lastDayOslo" -> Condition.and(Condition.atLeast("time", Instant.EPOCH.plus(dayAgo, ChronoUnit.MICROS)),
                    Condition.eq("city", "Oslo"), Condition.greaterThan("price", 990.0));
            case "minuteNotPaid" -> Condition.and(Condition.range("time", m0, true, m0.plusSeconds(60), false),
                    Condition.not(Condition.eq("status", Status.PAID)));
            case "priceTwoCities" -> Condition.and(Condition.between("price", 499.99, 500.01),
                    Condition.in("city", "San Marino", "San Sebastian"));
            case "price1pct" -> Condition.range("price", 10.0, true, 20.0, false);
            default -> throw new IllegalArgumentException("query " + query);
        };
        RoaringBitmap a = index();
        RoaringBitmap b = fullScan();
        if (!a.equals(b)) throw new IllegalStateException(query + ": index " + a.getCardinality() + " rows, scan " + b.getCardinality());
        System.out.printf("%nQUERY %s rows=%d (%.3f%%)%n%s", query, a.getCardinality(), 100.0 * a.getCardinality() / n,
                table.explain(condition));
    }

    @TearDown(Level.Trial)
    public void close() {
        table.close();
    }

    @Benchmark
    public RoaringBitmap index() {
        return table.query(condition);
    }

    /** A tight loop per query over the primitive columns, the answer as a bitmap. */
    @Benchmark
    public RoaringBitmap fullScan() {
        RoaringBitmap out = new RoaringBitmap();
        int n = rows;
        long[] micros = this.micros;
        double[] price = this.price;
        byte[] status = this.status;
        int[] customer = this.customer;
        String[] city = this.city;
        switch (query) {
            case "lastHourShipped" -> {
                long from = hourAgo;
                int shipped = Status.SHIPPED.ordinal();
                for (int r = 0; r < n; r++) if (micros[r] >= from && price[r] > 100.0 && status[r] == shipped) out.add(r);
            }
            case "returnedCustomers" -> {
                int returned = Status.RETURNED.ordinal();
                int a = c1;
                int b = c2;
                for (int r = 0; r < n; r++) if (status[r] == returned && (customer[r] == a || customer[r] == b)) out.add(r);
            }
            case "lastDayOslo" -> {
                long from = dayAgo;
                for (int r = 0; r < n; r++) if (micros[r] >= from && city[r].equals("Oslo") && price[r] > 990.0) out.add(r);
            }
            case "minuteNotPaid" -> {
                long from = minute;
                long to = minute + 60_000_000L;
                int paid = Status.PAID.ordinal();
                for (int r = 0; r < n; r++) if (micros[r] >= from && micros[r] < to && status[r] != paid) out.add(r);
            }
            case "priceTwoCities" -> {
                for (int r = 0; r < n; r++) {
                    if (price[r] >= 499.99 && price[r] <= 500.01 && (city[r].equals("San Marino") || city[r].equals("San Sebastian"))) out.add(r);
                }
            }
            default -> {
                for (int r = 0; r < n; r++) if (price[r] >= 10.0 && price[r] < 20.0) out.add(r);
            }
        }
        return out;
    }
}
