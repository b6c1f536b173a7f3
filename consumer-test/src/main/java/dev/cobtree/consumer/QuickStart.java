package dev.cobtree.consumer;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeMap;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongObjectEntry;
import dev.cobtree.core.LongObjectTree;
import dev.cobtree.query.Column;
import dev.cobtree.query.CompositeIndex;
import dev.cobtree.query.Condition;
import dev.cobtree.query.Range;
import dev.cobtree.query.RowFilter;
import dev.cobtree.query.SecondaryIndex;
import dev.cobtree.query.TableIndex;
import dev.cobtree.query.codec.KeyCodecs;
import org.roaringbitmap.RoaringBitmap;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ConcurrentNavigableMap;

/**
 * The README's quick start, line for line between the markers (ReadmeQuickStartTest in the
 * examples module checks it), with the values the README leaves to the reader declared first.
 */
public final class QuickStart {

    private QuickStart() {
    }

    public static void main(String[] args) {
        primitiveAndMap();
        objectValues();
        query();
        table();
    }

    static void primitiveAndMap() {
        long[] keys = {1, 2, 3, 5, 8}, values = {10, 20, 30, 50, 80};
        // README quick start: begin
        CobTree tree = new CobTree();                     // heap storage, 128-cell segments
        tree.put(42, 4200, -1);                           // primitive API: no boxing
        long v = tree.get(42, -1);                        // 4200, or -1 when absent
        KeyValue kv = new KeyValue();
        if (tree.ceiling(40, kv)) System.out.println(kv); // 42=4200
        long n = tree.countRange(0, true, 100, false);    // entries in [0, 100), from per-segment counts
        CobTree.Cursor c = tree.cursor(10, true);         // ascending from 10 (descendingCursor() too)
        while (c.next()) { long k = c.key(), val = c.value(); /* ... */ c.skip(63); } // every 64th
        CobTree.Cursor r = tree.cursor(10, true, 500, false); // [10, 500) only: reads no segment past 500

        CobTree big = CobTree.builder().buildFromSorted(keys, values, 0, keys.length); // O(n) bulk load

        ConcurrentNavigableMap<Long, Long> map = new CobTreeMap();        // the java.util view
        map.put(7L, 70L);
        map.subMap(0L, 10L).forEach((k, val) -> System.out.println(k + "=" + val));
        // README quick start: end
        System.out.println("get=" + v + " count=" + n + " bulk=" + big.size() + " map=" + map);
        tree.close();
        big.close();
    }

    /** A value type of the application's own. */
    record Order(long id, String customer) {
    }

    static void objectValues() {
        Order order = new Order(42, "A");
        // README object values: begin
        LongObjectTree<Order> orders = new LongObjectTree<>();
        orders.put(42, order);                                   // primitive key, null values refused
        Order o = orders.get(42);
        LongObjectEntry<Order> e = orders.floorEntry(50);        // e.key(), e.value()
        orders.forEachInRange(0, true, 100, false, (k, v) -> { /* ... */ });
        ConcurrentNavigableMap<Long, Order> view = orders.asMap();
        // README object values: end
        if (o != order || e.key() != 42 || view.size() != 1) {
            throw new AssertionError("object values: got " + o + ", " + e + ", " + view);
        }
        System.out.println("orders=" + view);
        orders.close();
    }

    static void query() {
        long price = 250, rowId = 7, timestamp = 1_700_000_000L; // seconds: keys fit in 32 bits
        long t0 = timestamp - 60, t1 = timestamp + 60;
        // README query: begin
        SecondaryIndex byPrice = new SecondaryIndex();          // (price, rowId) pairs
        SecondaryIndex byTime = new SecondaryIndex();
        byPrice.insert(price, rowId);
        byTime.insert(timestamp, rowId);
        RoaringBitmap cheap = byPrice.rowIds(Range.halfOpen(0, 1_000));
        RoaringBitmap hits = RowFilter.of(byTime, Range.halfOpen(t0, t1))  // orders in [t0, t1) ...
                .and(RowFilter.of(cheap))                                 // ... with price below 1,000
                .rows();
        // README query: end
        System.out.println("hits=" + hits);
    }

    /** An order's status, the application's own enum. */
    enum Status { NEW, PAID, SHIPPED }

    static void table() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // the codec's precision: finer is refused
        // README table index: begin
        TableIndex table = new TableIndex(List.of(
                Column.of("time", Instant.class, KeyCodecs.instantMicros()),
                Column.of("price", Double.class, KeyCodecs.doubles()),
                Column.of("status", Status.class, KeyCodecs.enumByOrdinal(Status.class))),
                List.of(CompositeIndex.on("status", "time")));          // like CREATE INDEX ON (status, time)
        table.insert(0, now, 120.0, Status.SHIPPED);                    // row id, then one value per column
        Condition recentShipped = Condition.and(Condition.eq("status", Status.SHIPPED),
                Condition.atLeast("time", now.minusSeconds(3600)), Condition.greaterThan("price", 100.0));
        RoaringBitmap rows = table.query(recentShipped);                // {0}
        System.out.println(table.explain(recentShipped));               // the plan: composite index, then a probe
        // README table index: end
        System.out.println("table rows=" + rows);
        table.close();
    }
}
