package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Failures inside writes and structure changes (issue 8, "readers can never be stranded, nothing
 * leaks"): every lock is released on every path, a half-done write never lets a reader validate
 * a half-moved segment, a failed build hands its store back, and an idle cursor does not keep a
 * retired storage reachable. Faults are injected through {@link FaultyStores}.
 */
class FailurePathTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** Runs {@code call} on another thread; fails if it has not returned (or thrown) within the patience. */
    private static <T> T returnsInTime(String what, java.util.concurrent.Callable<T> call) throws Exception {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "failure-path-probe");
            t.setDaemon(true); // a stranded probe must not keep the test JVM alive
            return t;
        });
        try {
            Future<T> f = ex.submit(call);
            try {
                return f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                fail(what + " did not return within " + PATIENCE + ": a reader or writer is stranded");
                return null;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception c) {
                    throw c;
                }
                throw e;
            }
        } finally {
            ex.shutdownNow();
        }
    }

    private static CobTree tree(FaultyStores f) {
        return CobTree.builder().segmentSize(8).initialCapacity(64).storage(f).build();
    }

    @Test
    void aWriteThatThrowsMidShiftLeavesNoSegmentLockedAndStopsServing() throws Exception {
        FaultyStores f = new FaultyStores();
        CobTree tree = tree(f);
        for (long k = 10; k <= 40; k += 10) {
            tree.put(k, k * 100, -1);
        }
        f.armKeyStores(2, SegmentWriter.class.getName()); // the insert of 5 shifts 4 entries: fail on the 2nd
        assertThrows(FaultyStores.InjectedFault.class, () -> tree.put(5, 500, -1));
        // readers of that segment, a writer and close must all return (no WRITING left behind)
        // a miss needs the segment protocol (no positive hit): it spins on a segment left WRITING
        IllegalStateException e = returnsInTime("get of an absent key after a failed write",
                () -> assertThrows(IllegalStateException.class, () -> tree.get(25, -1)));
        assertTrue(e.getMessage().contains("injected fault"), e.getMessage());
        returnsInTime("ceiling after a failed write", () -> assertThrows(IllegalStateException.class, () -> tree.ceiling(0, new KeyValue())));
        returnsInTime("put after a failed write", () -> assertThrows(IllegalStateException.class, () -> tree.put(30, 1, -1)));
        returnsInTime("close after a failed write", () -> {
            tree.close();
            return null;
        });
        assertTrue(tree.isClosed());
    }

    @Test
    void aWriteThatFailsBeforeChangingAnythingLeavesTheTreeServing() throws Exception {
        FaultyStores f = new FaultyStores();
        CobTree tree = tree(f);
        tree.put(10, 1000, -1);
        // a REPLACE of an absent key decides without writing; a value update stores no key
        assertEquals(false, tree.replace(11, 0, new KeyValue()));
        f.armKeyStores(1, SegmentWriter.class.getName());
        assertEquals(1000, tree.put(10, 2000, -1)); // in-place value update: no key store
        assertEquals(2000, returnsInTime("get", () -> tree.get(10, -1)));
    }

    @Test
    void aRebalanceThatThrowsHalfWayNeverServesTheHalfMovedWindow() throws Exception {
        // fill segments so that inserts need window rebalances, and fail at several points of the spread
        int reached = 0;
        for (int attempt = 0; attempt < 200; attempt++) {
            FaultyStores f = new FaultyStores();
            CobTree tree = tree(f);
            TreeMap<Long, Long> model = new TreeMap<>();
            java.util.Random rnd = new java.util.Random(attempt);
            for (int i = 0; i < 30; i++) {
                long k = rnd.nextInt(1000);
                tree.put(k, k + 1, -1);
                model.put(k, k + 1);
            }
            f.armKeyStores(1 + attempt % 7, Rebalancer.class.getName());
            boolean failed = false;
            for (int i = 0; i < 200 && !failed; i++) {
                long k = rnd.nextInt(1000);
                try {
                    tree.put(k, k + 1, -1);
                    model.put(k, k + 1);
                } catch (FaultyStores.InjectedFault injected) {
                    failed = true;
                }
            }
            if (!failed) {
                continue; // no rebalance moved that many entries in this attempt
            }
            reached++;
            // every read either throws (the tree stopped serving) or is right: never a half-moved answer
            for (long k : model.keySet()) {
                long key = k;
                try {
                    long v = returnsInTime("get", () -> tree.get(key, -1));
                    assertEquals(key + 1, v, "get(" + key + ") after a failed rebalance");
                } catch (IllegalStateException stopped) {
                    assertTrue(stopped.getMessage().contains("stopped serving"), stopped.getMessage());
                }
            }
            try {
                List<Long> keys = new ArrayList<>();
                returnsInTime("forEach", () -> {
                    tree.forEach((k, v) -> keys.add(k));
                    return null;
                });
                assertEquals(new ArrayList<>(model.keySet()), keys, "contents after a failed rebalance");
            } catch (IllegalStateException stopped) {
                assertTrue(stopped.getMessage().contains("stopped serving"), stopped.getMessage());
            }
            returnsInTime("close", () -> {
                tree.close();
                return null;
            });
        }
        assertTrue(reached >= 100, "only " + reached + " of 200 attempts failed inside a spread: the setup no longer reaches it");
    }

    @Test
    void aResizeWhoseBuildFailsHandsTheNewStoreBackAndLeavesTheTreeAsItWas() throws Exception {
        FaultyStores f = new FaultyStores();
        CobTree tree = tree(f);
        TreeMap<Long, Long> model = new TreeMap<>();
        long k = 0;
        f.armNextBuild(20); // the first resize's build fails on its 20th cell
        boolean failed = false;
        while (!failed && k < 100_000) {
            try {
                tree.put(k, -k, -1);
                model.put(k, -k);
                k++;
            } catch (FaultyStores.InjectedFault injected) {
                failed = true;
            }
        }
        assertTrue(failed, "no resize happened");
        assertEquals(1, f.outstanding(), "stores created and never handed back (the failed build's store leaked)");
        assertEquals(model.size(), tree.size());
        for (var en : model.entrySet()) {
            assertEquals(en.getValue(), tree.get(en.getKey(), 1));
        }
        tree.put(k, -k, -1); // the next resize succeeds
        assertEquals(model.size() + 1, tree.size());
        tree.close();
        assertEquals(0, f.outstanding());
    }

    @Test
    void anIdleCursorDoesNotKeepARetiredStorageReachable() {
        FaultyStores f = new FaultyStores();
        CobTree tree = CobTree.builder().segmentSize(8).storage(f).build();
        for (long k = 0; k < 100; k++) {
            tree.put(k, k, -1);
        }
        CobTree.Cursor cursor = tree.cursor();
        assertTrue(cursor.next()); // one step taken: the cursor has looked at the current storage
        KeyValue kv = new KeyValue();
        assertTrue(tree.ceiling(50, kv)); // and so has this thread's read walk
        int before;
        synchronized (f.stores) {
            before = f.stores.size();
        }
        for (long k = 100; k < 5_000; k++) { // grow: the storage the cursor saw is retired
            tree.put(k, k, -1);
        }
        assertTrue(f.created.get() > before, "no resize happened");
        java.lang.ref.WeakReference<?> first;
        synchronized (f.stores) {
            first = f.stores.get(before - 1);
        }
        for (int i = 0; i < 50 && first.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        assertNull(first.get(), "the retired store is still reachable (from the idle cursor or a thread's read walk)");
        assertTrue(cursor.next());
        assertNotNull(cursor);
        Reference.reachabilityFence(cursor);
        tree.close();
    }
}
