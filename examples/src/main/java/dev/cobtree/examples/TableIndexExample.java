package dev.cobtree.examples;

import dev.cobtree.query.Column;
import dev.cobtree.query.CompositeIndex;
import dev.cobtree.query.Condition;
import dev.cobtree.query.QueryPlan;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.codec.KeyCodecs;
import org.roaringbitmap.RoaringBitmap;

import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A {@link TableIndex} over N orders (default 10,000,000): a timestamp ({@link Instant}, to the
 * microsecond), a price ({@code double}), a status (enum), a customer id ({@code int}) and a city
 * ({@code String}), each column indexed (5 indexes), and two composite indexes a user would create
 * for the frequent queries below, {@code (status, time)} and {@code (city, price)} (see
 * {@link CompositeIndex}). Queries such as "orders of the last hour
 * above 100.0 in status SHIPPED" are answered with their plans ({@code explain}) and timed beside
 * a full scan of the same columns held as primitive arrays (a tight loop per query); every answer is checked against the
 * scan (the program exits with 1 on a mismatch). Then an update and a delete, checked again.
 *
 * <pre>bin/demo TableIndexExample [orders]</pre>
 *
 * Memory: the 10,000,000-row table runs in {@code -Xmx4g} (what {@code bin/demo} passes); the
 * program prints the heap it used and the index's own account of its bytes.
 */
public final class TableIndexExample {

    enum Status { NEW, PAID, SHIPPED, DELIVERED, RETURNED }

    static final String[] CITIES = {"Amsterdam", "Athens", "Barcelona", "Berlin", "Bordeaux", "Brussels", "Bucharest",
            "Budapest", "Copenhagen", "Dublin", "Edinburgh", "Florence", "Frankfurt", "Geneva", "Hamburg", "Helsinki",
            "Istanbul", "Krakow", "Lisbon", "Ljubljana", "London", "Lyon", "Madrid", "Marseille", "Milan", "Munich",
            "Naples", "Nice", "Oslo", "Paris", "Porto", "Prague", "Reykjavik", "Riga", "Rome", "Rotterdam", "Salzburg",
            "San Marino", "San Sebastian", "Seville", "Sofia", "Stockholm", "Tallinn", "Turin", "Valencia", "Venice",
            "Vienna", "Vilnius", "Warsaw", "Zurich"};

    /** 2025-01-01T00:00:00Z: orders fall in the 30 days after it. */
    static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
    static final long SPAN_MICROS = 30L * 86_400 * 1_000_000;

    /** One query: description, rows, index and scan CPU time (ms), plan, and whether the index agreed with the scan. */
    public record QueryResult(String query, long rows, double indexMs, double scanMs, String plan, boolean matches) {
        public double speedup() {
            return scanMs / Math.max(indexMs, 1e-6);
        }
    }

    /** Every query's outcome, the heap used and the index's bytes. */
    public record Result(int orders, List<QueryResult> queries, long heapBytes, long indexBytes) {
        public boolean ok() {
            return queries.stream().allMatch(QueryResult::matches);
        }
    }

    /** The table as primitive columns (what the full scan reads). */
    static final class Orders {
        final long[] micros;
        final double[] price;
        final byte[] status;
        final int[] customer;
        final String[] city;
        final int rows;

        Orders(int n, Random rnd) {
            rows = n;
            micros = new long[n];
            price = new double[n];
            status = new byte[n];
            customer = new int[n];
            city = new String[n];
            int customers = Math.max(1, n / 10);
            long start = START.getEpochSecond() * 1_000_000;
            for (int r = 0; r < n; r++) {
                micros[r] = start + (long) (rnd.nextDouble() * SPAN_MICROS);
                price[r] = 1 + rnd.nextInt(99_900) / 100.0;
                status[r] = (byte) rnd.nextInt(Status.values().length);
                customer[r] = rnd.nextInt(customers);
                city[r] = CITIES[rnd.nextInt(CITIES.length)];
            }
        }

        Instant instant(int r) {
            return Instant.EPOCH.plus(micros[r], ChronoUnit.MICROS);
        }
    }

    static final List<Column<?>> COLUMNS = List.of(
            Column.of("time", Instant.class, KeyCodecs.instantMicros()),
            Column.of("price", Double.class, KeyCodecs.doubles()),
            Column.of("status", Status.class, KeyCodecs.enumByOrdinal(Status.class)),
            Column.of("customer", Integer.class, KeyCodecs.ints()),
            Column.of("city", String.class, KeyCodecs.stringPrefix()));

    /** The composite indexes: a status's orders by time, a city's orders by price. */
    static final List<CompositeIndex> COMPOSITES = List.of(CompositeIndex.on("status", "time"), CompositeIndex.on("city", "price"));

    private TableIndexExample() {
    }

    public static void main(String[] args) {
        int n = SizeArgument.parse(args, 10_000_000);
        Result r = run(n, System.out);
        if (!r.ok()) System.exit(1);
    }

    /** Builds the table for {@code orders} rows, runs the queries, prints to {@code out}. */
    public static Result run(int orders, PrintStream out) {
        out.printf("a table index over %,d orders: time (Instant), price (double), status (enum), customer (int), city (String)%n", orders);
        out.println("  (rough timings: CPU time of the querying thread, index and scan (a tight loop per query) each the best round of");
        out.println("   0.3 s of rounds, a round as many runs as take 1 ms, both after untimed warm-up runs, so that other load on a shared machine does not count;");
        out.println("   wall-clock JMH numbers are in bench/)");
        out.println();
        if (orders > 50_000) {
            out.print("  warming up the JIT on a small copy of the workload ...");
            out.flush();
            queries(50_000, new PrintStream(OutputStream.nullOutputStream()), false);
            out.println(" done");
        }
        Result r = queries(orders, out, true);
        out.printf("  check: %s%n", r.ok() ? "OK (every query agreed with the full scan)" : "MISMATCH");
        return r;
    }

    private static Result queries(int n, PrintStream out, boolean timed) {
        long warm = timed ? 1 : 0; // the JIT warm-up pass on a small copy: no timed warm-ups
        Random rnd = new Random(11);
        ProgressLine p = ProgressLine.start(out, String.format("generating %,d orders", n), 1);
        Orders t = new Orders(n, rnd);
        p.finish();
        p = ProgressLine.start(out, "indexing 5 columns, 2 composite indexes", 1);
        Stopwatch sw = Stopwatch.start();
        TableIndex table = build(t);
        double buildMs = sw.millis();
        p.finish();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long indexBytes = table.memoryBytes();
        out.printf("  built in %s; index %,.1f bytes/row (5 column and 2 composite indexes %,.1f + row store %,.1f); heap in use %,d MB (table arrays included)%n",
                Stopwatch.format(buildMs), indexBytes / (double) n, table.indexBytes() / (double) n,
                (indexBytes - table.indexBytes()) / (double) n, heap >> 20);
        out.println();

        List<QueryResult> results = new ArrayList<>();
        long end = t.micros[0];
        for (long m : t.micros) end = Math.max(end, m);
        long hourAgo = end - 3_600_000_000L;
        long dayAgo = end - 86_400_000_000L;
        Instant lastHour = Instant.EPOCH.plus(hourAgo, ChronoUnit.MICROS);
        Instant lastDay = Instant.EPOCH.plus(dayAgo, ChronoUnit.MICROS);
        int shipped = Status.SHIPPED.ordinal();
        long[] micros = t.micros; // the scans read the arrays directly, each query its own loop (see query)
        double[] price = t.price;
        byte[] status = t.status;
        int[] customer = t.customer;
        String[] city = t.city;
        int returned = Status.RETURNED.ordinal();
        int paid = Status.PAID.ordinal();

        results.add(query(warm, out, table, t, "orders of the last hour above 100.0 in status SHIPPED",
                Condition.and(Condition.atLeast("time", lastHour), Condition.greaterThan("price", 100.0), Condition.eq("status", Status.SHIPPED)),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (micros[r] >= hourAgo && price[r] > 100.0 && status[r] == shipped) b.add(r);
                    return b;
                }));

        int c1 = t.customer[rnd.nextInt(n)];
        int c2 = t.customer[rnd.nextInt(n)];
        results.add(query(warm, out, table, t, "RETURNED orders of customers " + c1 + " or " + c2,
                Condition.and(Condition.eq("status", Status.RETURNED), Condition.in("customer", c1, c2)),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (status[r] == returned && (customer[r] == c1 || customer[r] == c2)) b.add(r);
                    return b;
                }));

        results.add(query(warm, out, table, t, "orders of the last day in Oslo above 990.0",
                Condition.and(Condition.atLeast("time", lastDay), Condition.eq("city", "Oslo"), Condition.greaterThan("price", 990.0)),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (micros[r] >= dayAgo && city[r].equals("Oslo") && price[r] > 990.0) b.add(r);
                    return b;
                }));

        int r4 = rnd.nextInt(n);
        long minute = t.micros[r4] - t.micros[r4] % 60_000_000L;
        Instant m0 = Instant.EPOCH.plus(minute, ChronoUnit.MICROS);
        Instant m1 = m0.plusSeconds(60);
        results.add(query(warm, out, table, t, "orders of minute " + m0.toString().substring(0, 16) + " not PAID",
                Condition.and(Condition.range("time", m0, true, m1, false), Condition.not(Condition.eq("status", Status.PAID))),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (micros[r] >= minute && micros[r] < minute + 60_000_000L && status[r] != paid) b.add(r);
                    return b;
                }));

        results.add(query(warm, out, table, t, "price in [499.99, 500.01] in San Marino or San Sebastian",
                Condition.and(Condition.between("price", 499.99, 500.01), Condition.in("city", "San Marino", "San Sebastian")),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) {
                        if (price[r] >= 499.99 && price[r] <= 500.01 && (city[r].equals("San Marino") || city[r].equals("San Sebastian"))) b.add(r);
                    }
                    return b;
                }));

        results.add(query(warm, out, table, t, "price in [10.0, 20.0) (about 1% of the rows, one predicate)",
                Condition.range("price", 10.0, true, 20.0, false),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (price[r] >= 10.0 && price[r] < 20.0) b.add(r);
                    return b;
                }));

        // Writes: one order moves into the first query's answer, another leaves it.
        int moved = 0;
        while (t.micros[moved] >= hourAgo) moved++;
        table.update(moved, t.instant(moved).plus(end - t.micros[moved], ChronoUnit.MICROS), 500.0, Status.SHIPPED,
                t.customer[moved], t.city[moved]);
        t.micros[moved] = end;
        t.price[moved] = 500.0;
        t.status[moved] = (byte) shipped;
        RoaringBitmap firstAnswer = table.query(Condition.and(Condition.atLeast("time", lastHour),
                Condition.greaterThan("price", 100.0), Condition.eq("status", Status.SHIPPED)));
        int gone = firstAnswer.first() == moved ? firstAnswer.last() : firstAnswer.first();
        table.delete(gone);
        t.status[gone] = (byte) paid; // the scan's stand-in for a deleted row: fails the predicate
        QueryResult after = query(warm, out, table, t, "the first query after an update into it and a delete from it",
                Condition.and(Condition.atLeast("time", lastHour), Condition.greaterThan("price", 100.0), Condition.eq("status", Status.SHIPPED)),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < n; r++) if (micros[r] >= hourAgo && price[r] > 100.0 && status[r] == shipped) b.add(r);
                    return b;
                });
        boolean writesSeen = table.query(Condition.eq("customer", t.customer[moved])).contains(moved) && table.row(gone) == null;
        results.add(new QueryResult(after.query(), after.rows(), after.indexMs(), after.scanMs(), after.plan(), after.matches() && writesSeen));

        TextTable tt = new TextTable("query", "rows", "index", "full scan", "speedup", "check");
        for (QueryResult q : results) {
            tt.row(q.query(), String.format("%,d", q.rows()), Stopwatch.format(q.indexMs()), Stopwatch.format(q.scanMs()),
                    String.format("%.0fx", q.speedup()), q.matches() ? "OK" : "MISMATCH");
        }
        out.println();
        tt.print(out);
        out.println();
        table.close();
        return new Result(n, results, heap, indexBytes);
    }

    static TableIndex build(Orders t) {
        Instant[] times = new Instant[t.rows]; // transient: the row store keeps the 64-bit keys only
        for (int r = 0; r < t.rows; r++) times[r] = t.instant(r);
        Status[] status = new Status[t.rows];
        for (int r = 0; r < t.rows; r++) status[r] = Status.values()[t.status[r]];
        return TableIndex.fromColumns(COLUMNS, COMPOSITES, times, t.price, status, t.customer, t.city);
    }

    /**
     * Runs a query through the index (0.3 s of untimed runs, then the best of 0.3 s
     * of rounds, see {@link Stopwatch#bestCpu}) and through
     * {@code scan} (0.1 s of untimed runs, then the best of 0.3 s of rounds; none of either in the warm-up pass,
     * {@code warm} 0), and checks
     * them equal. Each scan is its own tight loop over the primitive columns (a lambda per query,
     * so that the JIT compiles each condition into its loop: one shared loop calling a predicate
     * per row would be a megamorphic call per row, a slower baseline than a user would write).
     */
    private static QueryResult query(long warm, PrintStream out, TableIndex table, Orders t, String name, Condition cond,
                                     Supplier<RoaringBitmap> scan) {
        QueryPlan plan = table.explain(cond);
        // Warm-up, not timed: the JIT compiles this query's own path (its plan on this table, which the
        // small warm-up table may not take), and the scan's loop; then both sides are timed warm.
        Stopwatch.Best<RoaringBitmap> index = Stopwatch.bestCpu(warm * 300, warm * 300, 20, () -> table.query(cond));
        Stopwatch.Best<RoaringBitmap> full = Stopwatch.bestCpu(warm * 100, warm * 300, 3, scan);
        double indexMs = index.millis();
        double scanMs = full.millis();
        RoaringBitmap got = index.result();
        RoaringBitmap want = full.result();
        boolean ok = got.equals(want) && plan.rows().equals(want);
        out.printf("  %s: %,d rows, index %s, full scan %s%s%n", name, got.getLongCardinality(), Stopwatch.format(indexMs),
                Stopwatch.format(scanMs), ok ? "" : "  MISMATCH (" + want.getLongCardinality() + " expected)");
        for (String line : plan.toString().split("\n")) out.println("      " + line);
        return new QueryResult(name, got.getLongCardinality(), indexMs, scanMs, plan.toString(), ok);
    }
}
