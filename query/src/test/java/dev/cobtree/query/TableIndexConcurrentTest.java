package dev.cobtree.query;

import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static dev.cobtree.query.TableIndexTest.COLUMNS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writers insert, update and delete the odd rows while readers query: every answer, restricted to
 * the even rows (never written after the build), must equal the brute-force answer over them.
 */
class TableIndexConcurrentTest {

    @Test
    void rowsNotChangedDuringAQueryAreInOrOutCorrectly() throws Exception {
        run("TableIndexConcurrentTest", List.of(), rnd -> TableIndexTest.randomCondition(rnd, 3));
    }

    /** The same with composite indexes, queried through them (writes move rows between their prefixes). */
    @Test
    void compositeIndexesUnderWritersAreExactForRowsNotChanged() throws Exception {
        run("TableIndexConcurrentTest.composite", CompositeIndexTest.COMPOSITES, CompositeIndexTest::compositeCondition);
    }

    private static void run(String name, List<CompositeIndex> composites, Function<Random, Condition> conditions) throws Exception {
        long seed = TestSeed.seed(name);
        Random init = new Random(seed);
        int n = 2000;
        List<Object[]> rows = new ArrayList<>();
        Map<Integer, Object[]> stable = new HashMap<>();
        for (int r = 0; r < n; r++) {
            Object[] row = TableIndexTest.randomRow(init, 0.15);
            rows.add(row);
            if (r % 2 == 0) stable.put(r, row);
        }
        RoaringBitmap evens = new RoaringBitmap();
        evens.add(0L, n);
        for (int r = 1; r < n; r += 2) evens.remove(r);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong queries = new AtomicLong();
        AtomicLong writes = new AtomicLong();
        CountDownLatch started = new CountDownLatch(4);
        try (TableIndex t = TableIndex.fromRows(COLUMNS, composites, rows)) {
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(seed + 1 + writer);
                    started.countDown();
                    while (!stop.get()) {
                        int r = 2 * (2 * rnd.nextInt(n / 4) + writer) + 1; // odd rows, split between writers
                        Object[] row = TableIndexTest.randomRow(rnd, 0.15);
                        switch (rnd.nextInt(3)) {
                            case 0 -> {
                                if (t.row(r) == null) t.insert(r, row);
                            }
                            case 1 -> {
                                if (t.row(r) != null) t.update(r, row);
                            }
                            default -> t.delete(r);
                        }
                        writes.incrementAndGet();
                    }
                }));
            }
            for (int q = 0; q < 2; q++) {
                int reader = q;
                threads.add(new Thread(() -> {
                    Random rnd = new Random(seed + 100 + reader);
                    started.countDown();
                    while (!stop.get()) {
                        Condition cond = conditions.apply(rnd);
                        RoaringBitmap got = RoaringBitmap.and(t.query(cond), evens);
                        RoaringBitmap expected = TableIndexTest.brute(cond, stable);
                        if (!expected.equals(got)) {
                            failure.compareAndSet(null, new AssertionError("seed " + seed + ": " + cond + " expected " + expected + " got " + got));
                            stop.set(true);
                        }
                        queries.incrementAndGet();
                    }
                }));
            }
            for (Thread th : threads) {
                th.setUncaughtExceptionHandler((x, e) -> {
                    failure.compareAndSet(null, e);
                    stop.set(true);
                });
                th.start();
            }
            started.await();
            Thread.sleep(TestSeed.stressMillis());
            stop.set(true);
            for (Thread th : threads) th.join();
        }
        if (failure.get() != null) throw new AssertionError(failure.get());
        System.out.println(name + ": " + queries.get() + " queries checked during " + writes.get() + " writes");
        assertTrue(queries.get() > 0 && writes.get() > 0);
        assertEquals(null, failure.get());
    }
}
