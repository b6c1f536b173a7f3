package dev.cobtree.query;

import dev.cobtree.query.codec.KeyCodecs;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots taken while writers run. Each writer appends its own stripe's rows in sequence, so at
 * every instant each stripe's rows are a prefix of its sequence; a snapshot must show, in every
 * index at once (each column's, the nulls index, the row store), one prefix per stripe. A second
 * writer re-tags rows (an update of one column): in a snapshot every row has exactly one tag, the
 * same in the tag index and in the row store. The live table promises neither.
 */
class QuerySnapshotConcurrentTest {

    static final int STRIPES = 3;
    static final int SPAN = 1 << 20; // stripe s owns rows [s * SPAN, (s + 1) * SPAN)
    static final int TAGS = 5;

    static final List<Column<?>> COLUMNS = List.of(
            Column.of("stripe", Long.class, KeyCodecs.longs()),
            Column.of("seq", Long.class, KeyCodecs.longs()),
            Column.of("tag", Integer.class, KeyCodecs.ints()),
            Column.of("name", String.class, KeyCodecs.stringPrefix())); // inexact: values in the row store

    static Object[] row(int stripe, int seq, int tag) {
        return new Object[] {(long) stripe, (long) seq, tag, "row-" + (seq % 3)};
    }

    @Test
    void tableSnapshotsHoldOnePrefixPerStripeInEveryIndex() throws Exception {
        long seed = TestSeed.seed("QuerySnapshotConcurrentTest.table");
        long millis = TestSeed.stressMillis();
        AtomicIntegerArray appended = new AtomicIntegerArray(STRIPES); // rows of each stripe fully inserted
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong snapshots = new AtomicLong();
        AtomicLong retags = new AtomicLong();
        try (TableIndex t = new TableIndex(COLUMNS)) {
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < STRIPES; s++) {
                int stripe = s;
                threads.add(new Thread(() -> {
                    for (int i = 0; !stop.get() && i < SPAN; i++) {
                        t.insert(stripe * SPAN + i, row(stripe, i, i % TAGS));
                        appended.set(stripe, i + 1);
                    }
                }));
            }
            threads.add(new Thread(() -> {
                Random rnd = new Random(seed);
                while (!stop.get()) {
                    int stripe = rnd.nextInt(STRIPES);
                    int n = appended.get(stripe);
                    if (n == 0) continue;
                    int seq = rnd.nextInt(n);
                    t.update(stripe * SPAN + seq, row(stripe, seq, rnd.nextInt(TAGS)));
                    retags.incrementAndGet();
                }
            }));
            for (int c = 0; c < 2; c++) {
                long readerSeed = seed + 1 + c;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(readerSeed);
                    int[] last = new int[STRIPES];
                    while (!stop.get()) {
                        try (TableIndexSnapshot snap = t.snapshot()) {
                            checkTable(snap, last, rnd);
                            snapshots.incrementAndGet();
                        }
                    }
                }));
            }
            runAll(threads, stop, failure, millis);
            long total = 0;
            for (int s = 0; s < STRIPES; s++) total += appended.get(s);
            System.out.println("QuerySnapshotConcurrentTest.table: " + snapshots.get() + " snapshots checked, "
                    + total + " rows appended, " + retags.get() + " rows re-tagged");
            assertTrue(snapshots.get() >= 20, "only " + snapshots.get() + " snapshots checked");
            assertTrue(retags.get() > 0 && total > 1000, "writers made no progress");
            assertEquals(0, t.store().openSnapshots());
        }
    }

    private static void checkTable(TableIndexSnapshot snap, int[] last, Random rnd) {
        RoaringBitmap all = new RoaringBitmap();
        int[] prefix = new int[STRIPES];
        for (int s = 0; s < STRIPES; s++) {
            RoaringBitmap rows = snap.query(Condition.eq("stripe", (long) s));
            int p = rows.getCardinality();
            RoaringBitmap want = new RoaringBitmap();
            want.add((long) s * SPAN, (long) s * SPAN + p);
            same(want, rows, "stripe " + s + ": not a prefix");
            assertTrue(p >= last[s], "stripe " + s + ": a later snapshot has a shorter prefix (" + p + " < " + last[s] + ")");
            last[s] = p;
            prefix[s] = p;
            // The same prefix in the seq index and in the row store.
            same(want, snap.query(Condition.and(Condition.eq("stripe", (long) s), Condition.range("seq", 0L, true, (long) p, false))),
                    "stripe " + s + ": the seq index disagrees");
            assertEquals(p, snap.count(Condition.eq("stripe", (long) s)));
            if (p > 0) {
                Object[] v = snap.row(s * SPAN + p - 1);
                assertEquals((long) s, v[0]);
                assertEquals((long) p - 1, v[1]);
            }
            assertEquals(null, snap.row(s * SPAN + p), "stripe " + s + ": the row store has a row the stripe index lacks");
            all.or(rows);
        }
        same(all, snap.liveRows(), "the live bits disagree with the stripe index");
        assertEquals(all.getCardinality(), snap.size());
        same(all, snap.query(Condition.not(Condition.isNull("name"))), "the nulls index disagrees");
        same(all, snap.query(Condition.range("seq", null, true, null, true)), "the seq index disagrees");
        // Every row under exactly one tag, the row store's.
        RoaringBitmap tagged = new RoaringBitmap();
        long sum = 0;
        RoaringBitmap[] byTag = new RoaringBitmap[TAGS];
        for (int tag = 0; tag < TAGS; tag++) {
            byTag[tag] = snap.query(Condition.eq("tag", tag));
            sum += byTag[tag].getLongCardinality();
            assertEquals(byTag[tag].getLongCardinality(), snap.count(Condition.eq("tag", tag)));
            tagged.or(byTag[tag]);
        }
        same(all, tagged, "a row is under no tag");
        assertEquals(all.getLongCardinality(), sum, "a row is under two tags");
        for (int i = 0; i < 20 && !all.isEmpty(); i++) {
            int r = all.select(rnd.nextInt(all.getCardinality()));
            int tag = (Integer) snap.row(r)[2];
            assertTrue(byTag[tag].contains(r), "row " + r + ": the row store says tag " + tag + ", the tag index does not");
        }
        assertEquals(all.getLongCardinality(), snap.explain(Condition.or(Condition.eq("name", "row-0"),
                Condition.eq("name", "row-1"), Condition.eq("name", "row-2"))).rows().getLongCardinality());
    }

    /** SecondaryIndex (adaptive: keys promoted while snapshots are taken) and WideKeyIndex under appends. */
    @Test
    void indexSnapshotsHoldOnePrefixPerStripe() throws Exception {
        long seed = TestSeed.seed("QuerySnapshotConcurrentTest.indexes");
        long millis = TestSeed.stressMillis() / 2;
        for (int kind = 0; kind < 2; kind++) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            AtomicLong snapshots = new AtomicLong();
            SecondaryIndex secondary = kind == 0 ? SecondaryIndex.adaptive(8) : null;
            WideKeyIndex wide = kind == 1 ? new WideKeyIndex() : null;
            // Adaptive: 16 rows a key, so keys are promoted; wide: 2, so every other row opens a key's first slot.
            int group = kind == 0 ? 16 : 2;
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < STRIPES; s++) {
                int stripe = s;
                threads.add(new Thread(() -> {
                    for (int i = 0; !stop.get() && i < SPAN; i++) {
                        long key = keyOf(stripe, i, group);
                        if (secondary != null) secondary.insert(key, (long) stripe * SPAN + i);
                        else wide.insert(key, (long) stripe * SPAN + i);
                    }
                }));
            }
            for (int c = 0; c < 2; c++) {
                long readerSeed = seed + 1 + c;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(readerSeed);
                    int[] last = new int[STRIPES];
                    while (!stop.get()) {
                        RoaringBitmap all;
                        long count;
                        long size;
                        RoaringBitmap oneKey;
                        long key;
                        if (secondary != null) {
                            try (SecondaryIndexSnapshot snap = secondary.snapshot()) {
                                all = snap.rowIds(Range.all());
                                count = snap.count(Range.all());
                                size = snap.size();
                                key = keyOf(rnd.nextInt(STRIPES), rnd.nextInt(Math.max(1, all.getCardinality() / STRIPES + 1)), group);
                                oneKey = snap.rowIds(key);
                            }
                        } else {
                            try (WideKeyIndexSnapshot snap = wide.snapshot()) {
                                all = snap.rowIds(Range.all());
                                count = snap.count(Range.all());
                                size = snap.size();
                                key = keyOf(rnd.nextInt(STRIPES), rnd.nextInt(Math.max(1, all.getCardinality() / STRIPES + 1)), group);
                                oneKey = snap.rowIds(key);
                            }
                        }
                        assertEquals(all.getLongCardinality(), count, "count and bitmap disagree");
                        assertEquals(count, size);
                        for (int s = 0; s < STRIPES; s++) {
                            RoaringBitmap mine = all.clone();
                            mine.and(RoaringBitmap.bitmapOfRange((long) s * SPAN, (long) (s + 1) * SPAN));
                            int p = mine.getCardinality();
                            same(RoaringBitmap.bitmapOfRange((long) s * SPAN, (long) s * SPAN + p), mine, "stripe " + s + ": not a prefix");
                            assertTrue(p >= last[s], "stripe " + s + ": shorter prefix in a later snapshot");
                            last[s] = p;
                        }
                        RoaringBitmap want = new RoaringBitmap();
                        all.forEach((int r) -> {
                            if (keyOf(r / SPAN, r % SPAN, group) == key) want.add(r);
                        });
                        same(want, oneKey, "key " + key + " disagrees with the range");
                        snapshots.incrementAndGet();
                    }
                }));
            }
            runAll(threads, stop, failure, millis);
            System.out.println("QuerySnapshotConcurrentTest.indexes(" + (kind == 0 ? "adaptive SecondaryIndex" : "WideKeyIndex") + "): "
                    + snapshots.get() + " snapshots checked" + (secondary != null ? ", " + secondary.formMoves() + " form moves" : ""));
            assertTrue(snapshots.get() >= 20, "only " + snapshots.get() + " snapshots checked");
            if (secondary != null) {
                assertTrue(secondary.formMoves() > 0, "no key was promoted");
                secondary.close();
            } else {
                wide.close();
            }
        }
    }

    /** Bitmap equality with a short message: the sizes and the first rows in one but not the other. */
    static void same(RoaringBitmap want, RoaringBitmap got, String what) {
        if (want.equals(got)) return;
        RoaringBitmap missing = RoaringBitmap.andNot(want, got);
        RoaringBitmap extra = RoaringBitmap.andNot(got, want);
        throw new AssertionError(what + ": expected " + want.getCardinality() + " rows, got " + got.getCardinality()
                + "; missing " + first(missing) + ", unexpected " + first(extra));
    }

    private static String first(RoaringBitmap b) {
        StringBuilder s = new StringBuilder("[");
        b.stream().limit(8).forEach(r -> s.append(s.length() > 1 ? ", " : "").append(r));
        return s.append(b.getCardinality() > 8 ? ", ...]" : "]").toString();
    }

    /** {@code group} consecutive rows of a stripe share a key. */
    static long keyOf(int stripe, int seq, int group) {
        return (long) (seq / group) * STRIPES + stripe;
    }

    static void runAll(List<Thread> threads, AtomicBoolean stop, AtomicReference<Throwable> failure, long millis) throws Exception {
        for (Thread th : threads) {
            th.setUncaughtExceptionHandler((x, e) -> {
                failure.compareAndSet(null, e);
                stop.set(true);
            });
            th.start();
        }
        long end = System.currentTimeMillis() + millis;
        while (!stop.get() && System.currentTimeMillis() < end) Thread.sleep(10);
        stop.set(true);
        for (Thread th : threads) th.join();
        if (failure.get() != null) throw new AssertionError(failure.get());
    }
}
