package dev.cobtree.examples;

import dev.cobtree.query.FilterCache;
import dev.cobtree.query.Range;
import dev.cobtree.query.RowFilter;
import dev.cobtree.query.SecondaryIndex;
import org.roaringbitmap.RoaringBitmap;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;

/**
 * Secondary indexes for an in-memory table: N generated orders (default 1,000,000), each a row
 * id with a price, a timestamp and a customer; a {@link SecondaryIndex} per column; queries
 * such as "orders in this hour with a price between x and y" answered by intersecting row-id
 * bitmaps, each checked against a full table scan (OK / MISMATCH; the program exits with 1 on a
 * mismatch). Then the same query through a {@link FilterCache}, before and after a new order
 * arrives.
 *
 * <pre>bin/demo SecondaryIndexExample [orders]</pre>
 */
public final class SecondaryIndexExample {

    /** 2025-01-01T00:00:00Z: orders fall in the 30 days after it. */
    static final int EPOCH = 1_735_689_600;
    static final int DAYS = 30;

    /** One query: its description, how many rows matched, and whether the index agreed with the full scan. */
    public record QueryResult(String query, long rows, boolean matches) {
    }

    /** Every query's outcome and the measured speed of range -> bitmap. */
    public record Result(int orders, List<QueryResult> queries, double bitmapEntriesPerSecond) {
        public boolean ok() {
            return queries.stream().allMatch(QueryResult::matches);
        }
    }

    /** The table: column arrays indexed by row id, with room for a few more orders. */
    static final class Orders {
        final int[] price;    // cents
        final int[] time;     // epoch seconds
        final int[] customer;
        int rows;

        Orders(int capacity) {
            price = new int[capacity];
            time = new int[capacity];
            customer = new int[capacity];
        }

        static Orders generate(int n, Random rnd) {
            Orders o = new Orders(n + 16);
            int customers = Math.max(1, n / 20);
            for (int row = 0; row < n; row++) {
                o.price[row] = 100 + rnd.nextInt(99_900);
                o.time[row] = EPOCH + rnd.nextInt(DAYS * 86_400);
                o.customer[row] = rnd.nextInt(customers);
            }
            o.rows = n;
            return o;
        }

        /** The rows matching a predicate, by looking at every row. */
        RoaringBitmap scan(IntPredicate match) {
            RoaringBitmap b = new RoaringBitmap();
            for (int row = 0; row < rows; row++) if (match.test(row)) b.add(row);
            return b;
        }
    }

    private SecondaryIndexExample() {
    }

    public static void main(String[] args) {
        int n = SizeArgument.parse(args, 1_000_000);
        Result r = run(n, System.out);
        if (!r.ok()) System.exit(1);
    }

    /** Builds the table and its indexes for {@code orders} orders, runs the queries, prints to {@code out}. */
    public static Result run(int orders, PrintStream out) {
        out.printf("secondary indexes over %,d orders (row id -> price, timestamp, customer)%n", orders);
        out.println("  (rough single-run timings on this machine, not a benchmark)");
        out.println();
        if (orders > 20_000) {
            out.print("  warming up the JIT on a small copy of the workload ...");
            out.flush();
            queries(20_000, new PrintStream(OutputStream.nullOutputStream()));
            out.println(" done");
        }
        Result r = queries(orders, out);
        out.printf("  check: %s%n", r.ok() ? "OK (every query agreed with the full table scan)" : "MISMATCH");
        return r;
    }

    private static Result queries(int orders, PrintStream out) {
        Random rnd = new Random(7);
        ProgressLine p = ProgressLine.start(out, String.format("generating %,d orders", orders), 1);
        Orders t = Orders.generate(orders, rnd);
        p.finish();
        SecondaryIndex byPrice = index(out, "price", t.price, orders);
        SecondaryIndex byTime = index(out, "timestamp", t.time, orders);
        SecondaryIndex byCustomer = index(out, "customer", t.customer, orders);
        out.println();

        List<QueryResult> results = new ArrayList<>();
        TextTable table = new TextTable("query", "rows", "bitmaps", "full scan", "check");

        // Parameters from real rows, so that every query has answers.
        int r1 = rnd.nextInt(orders);
        int hour = t.time[r1] - (t.time[r1] - EPOCH) % 3600;
        int lo = Math.max(100, t.price[r1] - 20_000);
        int hi = lo + 30_000;
        Range hourRange = Range.halfOpen(hour, hour + 3600);
        Range priceRange = Range.closed(lo, hi);
        results.add(query(out, table, t,
                String.format("in hour %s, price %s..%s", hourOf(hour), dollars(lo), dollars(hi)),
                RowFilter.of(byTime, hourRange).and(RowFilter.of(byPrice, priceRange)),
                row -> hourRange.contains(t.time[row]) && priceRange.contains(t.price[row])));

        int r2 = rnd.nextInt(orders);
        int day = t.time[r2] - (t.time[r2] - EPOCH) % 86_400;
        int c1 = t.customer[r2];
        int c2 = t.customer[rnd.nextInt(orders)];
        Range dayRange = Range.halfOpen(day, day + 86_400);
        results.add(query(out, table, t,
                String.format("on day %s, customer %d or %d", hourOf(day).substring(0, 10), c1, c2),
                RowFilter.of(byTime, dayRange).and(RowFilter.of(byCustomer, Range.singleton(c1)).or(RowFilter.of(byCustomer, Range.singleton(c2)))),
                row -> dayRange.contains(t.time[row]) && (t.customer[row] == c1 || t.customer[row] == c2)));

        int r3 = rnd.nextInt(orders);
        int hour3 = t.time[r3] - (t.time[r3] - EPOCH) % 3600;
        int min3 = Math.max(100, t.price[r3] - 1_000);
        int c3 = t.customer[r3];
        Range hour3Range = Range.halfOpen(hour3, hour3 + 3600);
        results.add(query(out, table, t,
                String.format("in hour %s, price >= %s, not customer %d", hourOf(hour3), dollars(min3), c3),
                RowFilter.of(byTime, hour3Range).and(RowFilter.of(byPrice, Range.atLeast(min3))).andNot(RowFilter.of(byCustomer, Range.singleton(c3))),
                row -> hour3Range.contains(t.time[row]) && t.price[row] >= min3 && t.customer[row] != c3));

        Range wide = Range.halfOpen(20_000, 70_000);
        results.add(query(out, table, t, String.format("price %s..%s (a wide range)", dollars(20_000), dollars(70_000)),
                RowFilter.of(byPrice, wide), row -> wide.contains(t.price[row])));

        // The first query again through filter caches, then a new order in that hour and price range.
        try (FilterCache timeCache = new FilterCache(byTime, 64L << 20); FilterCache priceCache = new FilterCache(byPrice, 64L << 20)) {
            RowFilter cached = RowFilter.of(timeCache, hourRange).and(RowFilter.of(priceCache, priceRange));
            IntPredicate q1 = row -> hourRange.contains(t.time[row]) && priceRange.contains(t.price[row]);
            results.add(query(out, table, t, "the first query, filter cache cold", cached, q1));
            results.add(query(out, table, t, "the first query, filter cache warm", cached, q1));
            int row = t.rows++;
            t.price[row] = lo + 1;
            t.time[row] = hour + 1800;
            t.customer[row] = 0;
            byPrice.insert(t.price[row], row);
            byTime.insert(t.time[row], row);
            byCustomer.insert(t.customer[row], row);
            QueryResult after = query(out, table, t, "the first query after a new order in it", cached, q1);
            boolean seen = cached.rows().contains(row);
            results.add(new QueryResult(after.query(), after.rows(), after.matches() && seen));
        }

        double perSecond = bitmapSpeed(byPrice, wide);
        table.print(out);
        out.println();
        out.printf("  range -> bitmap: %,.1f million entries/s (price index, best of 3 over %,d entries)%n",
                perSecond / 1e6, byPrice.count(wide));
        Result r = new Result(orders, results, perSecond);
        byPrice.close();
        byTime.close();
        byCustomer.close();
        return r;
    }

    private static SecondaryIndex index(PrintStream out, String column, int[] values, int n) {
        ProgressLine p = ProgressLine.start(out, String.format("indexing %s (%,d pairs)", column, n), 2);
        long[] keys = new long[n];
        long[] rows = new long[n];
        for (int row = 0; row < n; row++) {
            keys[row] = values[row];
            rows[row] = row;
        }
        p.update(1);
        SecondaryIndex idx = SecondaryIndex.bulkLoad(SecondaryIndex.DEFAULT_ROW_ID_BITS, keys, rows, n);
        p.finish();
        return idx;
    }

    private static QueryResult query(PrintStream out, TextTable table, Orders t, String name, RowFilter filter, IntPredicate match) {
        Stopwatch sw = Stopwatch.start();
        RoaringBitmap got = filter.rows();
        double indexMs = sw.millis();
        sw = Stopwatch.start();
        RoaringBitmap want = t.scan(match);
        double scanMs = sw.millis();
        boolean ok = got.equals(want);
        table.row(name, String.format("%,d", got.getLongCardinality()), Stopwatch.format(indexMs), Stopwatch.format(scanMs),
                ok ? "OK" : "MISMATCH (" + want.getLongCardinality() + " expected)");
        return new QueryResult(name, got.getLongCardinality(), ok);
    }

    /** Entries per second turned into a bitmap, best of three runs over one range. */
    static double bitmapSpeed(SecondaryIndex idx, Range range) {
        double best = Double.MAX_VALUE;
        long entries = 0;
        for (int i = 0; i < 3; i++) {
            Stopwatch sw = Stopwatch.start();
            entries = idx.rowIds(range).getLongCardinality();
            best = Math.min(best, sw.millis());
        }
        return entries / Math.max(best, 1e-3) * 1e3;
    }

    static String dollars(int cents) {
        return String.format("$%d.%02d", cents / 100, cents % 100);
    }

    static String hourOf(int epochSecond) {
        return java.time.Instant.ofEpochSecond(epochSecond).toString().substring(0, 16).replace('T', ' ');
    }
}
