package dev.cobtree.examples;

import dev.cobtree.query.Column;
import dev.cobtree.query.Condition;
import dev.cobtree.query.FilterCache;
import dev.cobtree.query.QueryPlan;
import dev.cobtree.query.Range;
import dev.cobtree.query.RowFilter;
import dev.cobtree.query.SecondaryIndex;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.codec.KeyCodecs;
import org.roaringbitmap.RoaringBitmap;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Secondary indexes for an in-memory table: N generated orders (default 1,000,000), each a row
 * id with a price, a timestamp and a customer. Each query, such as "orders in this hour with a
 * price between x and y", is answered three ways and checked against a full table scan (OK /
 * MISMATCH; the program exits with 1 on a mismatch):
 * <ul>
 *   <li><b>bitmaps</b>: a {@link SecondaryIndex} per column and a {@link RowFilter} that builds
 *       every predicate's row bitmap in full and combines them in the order written (the low-level
 *       API: what it costs is the widest predicate's bitmap);</li>
 *   <li><b>table index</b>: a {@link TableIndex} over the same three columns, whose planner counts
 *       each predicate's rows first (O(log n)), builds only the smallest and tests its rows
 *       against the others in the row store (its plan is printed);</li>
 *   <li><b>full scan</b>: one tight loop over the column arrays per query (what a user writes
 *       without an index).</li>
 * </ul>
 * Times are CPU times of the querying thread, the best of several rounds after untimed warm-up
 * runs (a round: one run, or the mean of as many as take a millisecond, see {@link Stopwatch#bestCpu}). Then the first query through a {@link FilterCache}, before and after a new order arrives.
 *
 * <pre>bin/demo SecondaryIndexExample [orders]</pre>
 */
public final class SecondaryIndexExample {

    /** 2025-01-01T00:00:00Z: orders fall in the 30 days after it. */
    static final int EPOCH = 1_735_689_600;
    static final int DAYS = 30;

    /** The table index's columns: prices in cents, times in epoch seconds, customer ids. */
    static final List<Column<?>> COLUMNS = List.of(
            Column.of("price", Integer.class, KeyCodecs.ints()),
            Column.of("time", Integer.class, KeyCodecs.ints()),
            Column.of("customer", Integer.class, KeyCodecs.ints()));

    /**
     * One query: its description, how many rows matched, the CPU time (ms) of the row-filter
     * bitmaps, of the table index and of the full scan, and whether all agreed with the scan.
     */
    public record QueryResult(String query, long rows, double bitmapsMs, double tableMs, double scanMs, boolean matches) {
        /** The full scan's time over the table index's. */
        public double speedup() {
            return scanMs / Math.max(tableMs, 1e-6);
        }
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
        out.println("  (CPU time of the querying thread, best of several rounds after untimed warm-up runs, so that other");
        out.println("   load on a shared machine does not count; wall-clock JMH numbers are in bench/)");
        out.println();
        if (orders > 20_000) {
            out.print("  warming up the JIT on a small copy of the workload ...");
            out.flush();
            queries(20_000, new PrintStream(OutputStream.nullOutputStream()), false);
            out.println(" done");
        }
        Result r = queries(orders, out, true);
        out.printf("  check: %s%n", r.ok() ? "OK (every query agreed with the full table scan)" : "MISMATCH");
        return r;
    }

    private static Result queries(int orders, PrintStream out, boolean timed) {
        long warm = timed ? 1 : 0; // the JIT warm-up pass on a small copy: no timed warm-ups
        Random rnd = new Random(7);
        ProgressLine p = ProgressLine.start(out, String.format("generating %,d orders", orders), 1);
        Orders t = Orders.generate(orders, rnd);
        p.finish();
        SecondaryIndex byPrice = index(out, "price", t.price, orders);
        SecondaryIndex byTime = index(out, "timestamp", t.time, orders);
        SecondaryIndex byCustomer = index(out, "customer", t.customer, orders);
        p = ProgressLine.start(out, "table index over the 3 columns", 1);
        TableIndex tableIndex = TableIndex.fromColumns(COLUMNS, Arrays.copyOf(t.price, orders), Arrays.copyOf(t.time, orders),
                Arrays.copyOf(t.customer, orders));
        p.finish();
        out.println();

        List<QueryResult> results = new ArrayList<>();
        List<QueryPlan> plans = new ArrayList<>();
        int[] price = t.price; // the scans read the arrays directly, each query its own loop: one loop shared
        // by every query would call its condition through a megamorphic call per row, a slower baseline
        // than a user writes
        int[] time = t.time;
        int[] customer = t.customer;

        // Parameters from real rows, so that every query has answers.
        int r1 = rnd.nextInt(orders);
        int hour = t.time[r1] - (t.time[r1] - EPOCH) % 3600;
        int lo = Math.max(100, t.price[r1] - 20_000);
        int hi = lo + 30_000;
        Range hourRange = Range.halfOpen(hour, hour + 3600);
        Range priceRange = Range.closed(lo, hi);
        Condition first = Condition.and(Condition.range("time", hour, true, hour + 3600, false), Condition.between("price", lo, hi));
        results.add(query(warm, tableIndex, plans,
                String.format("in hour %s, price %s..%s", hourOf(hour), dollars(lo), dollars(hi)),
                RowFilter.of(byTime, hourRange).and(RowFilter.of(byPrice, priceRange)), first,
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders; r++) if (time[r] >= hour && time[r] < hour + 3600 && price[r] >= lo && price[r] <= hi) b.add(r);
                    return b;
                }));

        int r2 = rnd.nextInt(orders);
        int day = t.time[r2] - (t.time[r2] - EPOCH) % 86_400;
        int c1 = t.customer[r2];
        int c2 = t.customer[rnd.nextInt(orders)];
        Range dayRange = Range.halfOpen(day, day + 86_400);
        results.add(query(warm, tableIndex, plans,
                String.format("on day %s, customer %d or %d", hourOf(day).substring(0, 10), c1, c2),
                RowFilter.of(byTime, dayRange).and(RowFilter.of(byCustomer, Range.singleton(c1)).or(RowFilter.of(byCustomer, Range.singleton(c2)))),
                Condition.and(Condition.range("time", day, true, day + 86_400, false), Condition.in("customer", c1, c2)),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders; r++) if (time[r] >= day && time[r] < day + 86_400 && (customer[r] == c1 || customer[r] == c2)) b.add(r);
                    return b;
                }));

        int r3 = rnd.nextInt(orders);
        int hour3 = t.time[r3] - (t.time[r3] - EPOCH) % 3600;
        int min3 = Math.max(100, t.price[r3] - 1_000);
        int c3 = t.customer[r3];
        Range hour3Range = Range.halfOpen(hour3, hour3 + 3600);
        results.add(query(warm, tableIndex, plans,
                String.format("in hour %s, price >= %s, not customer %d", hourOf(hour3), dollars(min3), c3),
                RowFilter.of(byTime, hour3Range).and(RowFilter.of(byPrice, Range.atLeast(min3))).andNot(RowFilter.of(byCustomer, Range.singleton(c3))),
                Condition.and(Condition.range("time", hour3, true, hour3 + 3600, false), Condition.atLeast("price", min3),
                        Condition.not(Condition.eq("customer", c3))),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders; r++) if (time[r] >= hour3 && time[r] < hour3 + 3600 && price[r] >= min3 && customer[r] != c3) b.add(r);
                    return b;
                }));

        Range wide = Range.halfOpen(20_000, 70_000);
        results.add(query(warm, tableIndex, plans, String.format("price %s..%s (a wide range)", dollars(20_000), dollars(70_000)),
                RowFilter.of(byPrice, wide), Condition.range("price", 20_000, true, 70_000, false),
                () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders; r++) if (price[r] >= 20_000 && price[r] < 70_000) b.add(r);
                    return b;
                }));

        // The first query again through filter caches (cold: its first run; warm: the best of five),
        // then a new order in that hour and price range (the first run after it).
        try (FilterCache timeCache = new FilterCache(byTime, 64L << 20); FilterCache priceCache = new FilterCache(byPrice, 64L << 20)) {
            RowFilter cached = RowFilter.of(timeCache, hourRange).and(RowFilter.of(priceCache, priceRange));
            Supplier<RoaringBitmap> firstScan = () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders; r++) if (time[r] >= hour && time[r] < hour + 3600 && price[r] >= lo && price[r] <= hi) b.add(r);
                    return b;
                };
            results.add(cachedQuery(warm, tableIndex, "the first query, filter cache cold", cached, true, first, firstScan));
            results.add(cachedQuery(warm, tableIndex, "the first query, filter cache warm", cached, false, first, firstScan));
            int row = t.rows++;
            t.price[row] = lo + 1;
            t.time[row] = hour + 1800;
            t.customer[row] = 0;
            byPrice.insert(t.price[row], row);
            byTime.insert(t.time[row], row);
            byCustomer.insert(t.customer[row], row);
            tableIndex.insert(row, t.price[row], t.time[row], t.customer[row]);
            QueryResult after = cachedQuery(warm, tableIndex, "the first query after a new order in it", cached, true, first,
                    () -> {
                    RoaringBitmap b = new RoaringBitmap();
                    for (int r = 0; r < orders + 1; r++) if (time[r] >= hour && time[r] < hour + 3600 && price[r] >= lo && price[r] <= hi) b.add(r);
                    return b;
                });
            boolean seen = cached.rows().contains(row) && tableIndex.query(first).contains(row);
            results.add(new QueryResult(after.query(), after.rows(), after.bitmapsMs(), after.tableMs(), after.scanMs(),
                    after.matches() && seen));
        }

        double perSecond = bitmapSpeed(byPrice, wide);
        TextTable table = new TextTable("query", "rows", "bitmaps", "table index", "full scan", "speedup", "check");
        for (QueryResult q : results) {
            table.row(q.query(), String.format("%,d", q.rows()), Stopwatch.format(q.bitmapsMs()), Stopwatch.format(q.tableMs()),
                    Stopwatch.format(q.scanMs()), String.format("%.0fx", q.speedup()), q.matches() ? "OK" : "MISMATCH");
        }
        table.print(out);
        out.println();
        out.println("  bitmaps: every predicate's row bitmap built in full from its SecondaryIndex, combined in the order");
        out.println("  written (RowFilter); table index: TableIndex.query, planned by range counts; speedup: full scan /");
        out.println("  table index. CPU time of this thread: the best round of 0.3 s of rounds (at least 20 for the table");
        out.println("  index, 5 for bitmaps and full scan) after 1 s (table index) or 0.2 s of untimed runs, in which the JIT");
        out.println("  compiles their code; a round is one run, or as many as take a millisecond (their mean is its time);");
        out.println("  the filter-cache rows time the cached bitmaps as labelled. JMH rows of the same queries:");
        out.println("  SecondaryIndexExampleBench. The plans:");
        for (int i = 0; i < plans.size(); i++) {
            out.printf("  %s%n", results.get(i).query());
            for (String line : plans.get(i).toString().split("\n")) out.println("      " + line);
        }
        out.println();
        out.printf("  range -> bitmap: %,.1f million entries/s (price index, best of 3 over %,d entries)%n",
                perSecond / 1e6, byPrice.count(wide));
        Result r = new Result(orders, results, perSecond);
        tableIndex.close();
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

    /** One query three ways (see the class comment); all three answers must equal the scan's. */
    private static QueryResult query(long warm, TableIndex tableIndex, List<QueryPlan> plans, String name, RowFilter filter, Condition condition,
                                     Supplier<RoaringBitmap> scan) {
        plans.add(tableIndex.explain(condition));
        Stopwatch.Best<RoaringBitmap> bitmaps = Stopwatch.bestCpu(warm * 200, warm * 300, 5, filter::rows);
        Stopwatch.Best<RoaringBitmap> planned = Stopwatch.bestCpu(warm * 1000, warm * 300, 20, () -> tableIndex.query(condition));
        Stopwatch.Best<RoaringBitmap> full = Stopwatch.bestCpu(warm * 200, warm * 300, 5, scan);
        RoaringBitmap want = full.result();
        boolean ok = bitmaps.result().equals(want) && planned.result().equals(want);
        return new QueryResult(name, want.getLongCardinality(), bitmaps.millis(), planned.millis(), full.millis(), ok);
    }

    /** The first query through the filter caches: its bitmaps timed once ({@code cold}: their first run) or warm, as labelled. */
    private static QueryResult cachedQuery(long warm, TableIndex tableIndex, String name, RowFilter cached, boolean cold,
                                           Condition condition, Supplier<RoaringBitmap> scan) {
        Stopwatch.Best<RoaringBitmap> bitmaps = cold ? Stopwatch.onceCpu(cached::rows) : Stopwatch.bestCpu(warm * 200, warm * 300, 5, cached::rows);
        Stopwatch.Best<RoaringBitmap> planned = Stopwatch.bestCpu(warm * 1000, warm * 300, 20, () -> tableIndex.query(condition));
        Stopwatch.Best<RoaringBitmap> full = Stopwatch.bestCpu(warm * 200, warm * 300, 5, scan);
        RoaringBitmap want = full.result();
        boolean ok = bitmaps.result().equals(want) && planned.result().equals(want);
        return new QueryResult(name, want.getLongCardinality(), bitmaps.millis(), planned.millis(), full.millis(), ok);
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
