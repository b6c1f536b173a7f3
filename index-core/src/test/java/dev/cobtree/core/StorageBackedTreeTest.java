package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.CorruptIndexException;
import dev.cobtree.storage.EpochReclaimer;
import dev.cobtree.storage.MappedCellStoreFactory;
import dev.cobtree.storage.OffHeapCellStoreFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The tree over each store: a randomized model test against {@link TreeMap} that grows and
 * shrinks the array many times (so stores are created and retired through the factory), a
 * mapped index reopened with identical contents (10^6 entries, growth in between), and readers
 * that never fail while writers force resizes of off-heap and mapped stores.
 */
class StorageBackedTreeTest {

    @TempDir
    Path dir;

    private static final long MODEL_OPS = Long.getLong("cobtree.storage.model.ops", 150_000);

    @ParameterizedTest
    @EnumSource(StoreKinds.class)
    void modelTestAgainstTreeMap(StoreKinds kind) {
        long seed = StoreKinds.seed("storage-model-" + kind);
        CellStoreFactory factory = kind.factory(dir);
        CobTree tree = CobTree.builder().segmentSize(8).storage(factory).build();
        TreeMap<Long, Long> model = new TreeMap<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        KeyValue kv = new KeyValue();
        long span = 4096;
        for (long op = 0; op < MODEL_OPS; op++) {
            boolean growing = (op / 20_000) % 2 == 0; // phases of growth and shrinkage: many resizes
            long k = rnd.nextLong(span) - span / 2;
            long v = rnd.nextLong();
            String at = "op " + op + " (seed " + seed + ", " + kind + ")";
            int choice = rnd.nextInt(100);
            if (choice < (growing ? 40 : 15)) {
                Long prev = model.put(k, v);
                assertEquals(prev == null ? -7 : prev, tree.put(k, v, -7), at);
            } else if (choice < 60) {
                Long prev = model.remove(k);
                assertEquals(prev == null ? -7 : prev, tree.remove(k, -7), at);
            } else if (choice < 75) {
                Long e = model.get(k);
                assertEquals(e == null ? -7 : e, tree.get(k, -7), at);
            } else if (choice < 80) {
                Map.Entry<Long, Long> e = model.floorEntry(k);
                assertEquals(e != null, tree.floor(k, kv), at);
                if (e != null) {
                    assertEquals(e.getKey(), kv.key, at);
                    assertEquals(e.getValue(), kv.value, at);
                }
            } else if (choice < 85) {
                Map.Entry<Long, Long> e = model.higherEntry(k);
                assertEquals(e != null, tree.higher(k, kv), at);
                if (e != null) {
                    assertEquals(e.getKey(), kv.key, at);
                }
            } else if (choice < 88) {
                long hi = k + rnd.nextLong(256);
                List<Long> seen = new ArrayList<>();
                tree.forEachInRange(k, true, hi, false, (key, value) -> {
                    seen.add(key);
                    assertEquals(model.get(key), value, at);
                });
                assertEquals(new ArrayList<>(model.subMap(k, true, hi, false).keySet()), seen, at);
            } else if (choice < 91) {
                assertEquals(model.headMap(k).size(), tree.rank(k), at);
            } else if (choice < 93) {
                assertEquals(model.size(), tree.size(), at);
            } else if (choice < 95) {
                Long prev = model.putIfAbsent(k, v);
                assertEquals(prev == null ? -7 : prev, tree.putIfAbsent(k, v, -7), at);
            } else {
                long hi = k + rnd.nextLong(512);
                assertEquals(model.subMap(k, true, hi, true).size(), tree.countRange(k, true, hi, true), at);
            }
        }
        assertContents(tree, model, "end (seed " + seed + ")");
        if (factory instanceof OffHeapCellStoreFactory f) {
            assertResizedThroughReclaimer(f.reclaimer());
        } else if (factory instanceof MappedCellStoreFactory f) {
            assertResizedThroughReclaimer(f.reclaimer());
        }
        tree.close();
        if (kind == StoreKinds.MAPPED) {
            CobTree again = CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
            assertContents(again, model, "reopened (seed " + seed + ")");
            again.close();
        }
    }

    private static void assertResizedThroughReclaimer(EpochReclaimer r) {
        assertTrue(r.retiredCount() > 10, "the model test should resize many times, retired " + r.retiredCount());
        r.reclaimNow();
        assertEquals(r.retiredCount(), r.freedCount(), "every retired store is released once no reader is inside");
        assertEquals(0, r.bytesOutstanding());
    }

    static void assertContents(CobTree tree, TreeMap<Long, Long> model, String at) {
        assertEquals(model.size(), tree.size(), at);
        var it = model.entrySet().iterator();
        tree.forEach((k, v) -> {
            if (!it.hasNext()) {
                fail(at + ": extra key " + k);
            }
            Map.Entry<Long, Long> e = it.next();
            if (e.getKey() != k || e.getValue() != v) {
                fail(at + ": " + k + "=" + v + " where the model has " + e);
            }
        });
        assertFalse(it.hasNext(), () -> at + ": missing keys");
    }

    /** Over a million entries through a mapped index: bulk load, close, reopen, grow, close, reopen: always identical. */
    @Test
    void mappedIndexReopensIdenticallyWithGrowthInBetween() {
        long seed = StoreKinds.seed("storage-reopen");
        SplittableRandom rnd = new SplittableRandom(seed);
        int loaded = 600_000, added = 500_000;
        long[] keys = new long[loaded + added];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = rnd.nextLong();
        }
        long[] sorted = java.util.Arrays.copyOf(keys, loaded);
        java.util.Arrays.sort(sorted);
        long[] values = new long[loaded];
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int i = 0; i < loaded; i++) {
            values[i] = sorted[i] ^ 0x5555;
            model.put(sorted[i], values[i]);
        }
        CobTree t = CobTree.builder().storage(new MappedCellStoreFactory(dir)).buildFromSorted(sorted, values, 0, loaded);
        long capacityBefore = t.capacity();
        t.close();

        t = CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
        assertEquals(capacityBefore, t.capacity(), "the reopened index adopts the file's cells as they are");
        assertContents(t, model, "reopened (seed " + seed + ")");
        for (int i = loaded; i < keys.length; i++) {
            t.put(keys[i], keys[i] ^ 0x5555, -1); // grows the array: new file generations
            model.put(keys[i], keys[i] ^ 0x5555);
        }
        for (int i = 0; i < keys.length; i += 50) {
            t.remove(keys[i], -1);
            model.remove(keys[i]);
        }
        assertTrue(t.capacity() > capacityBefore, "the index grew");
        assertContents(t, model, "before close");
        t.close();

        t = CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
        assertContents(t, model, "reopened after growth (seed " + seed + ")");
        assertTrue(t.size() >= 1_000_000, "size " + t.size());
        t.close();
    }

    @Test
    void aMappedIndexThatWasNotClosedIsRefusedUntilDeleted() {
        CobTree t = CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
        t.put(1, 2, -1);
        t.storageFactory().close(); // the process "dies": no clean close of the tree
        MappedCellStoreFactory f = new MappedCellStoreFactory(dir);
        CorruptIndexException e = assertThrows(CorruptIndexException.class, () -> CobTree.builder().storage(f).build());
        assertEquals(CorruptIndexException.Reason.UNCLEAN_SHUTDOWN, e.reason());
        f.close();
        MappedCellStoreFactory.deleteCellFiles(dir);
        CobTree fresh = CobTree.builder().storage(new MappedCellStoreFactory(dir)).build();
        assertEquals(0, fresh.size());
        fresh.close();
    }

    /**
     * Readers look up sentinel keys (never removed) and scan while writers insert and delete
     * other keys so that the array grows and shrinks; every resize retires a store to the
     * reclaimer. A reader that read a released store would fail with IllegalStateException;
     * a missed sentinel or a torn value fails the test too.
     */
    @ParameterizedTest
    @EnumSource(value = StoreKinds.class, names = {"OFF_HEAP", "MAPPED"})
    void readersNeverFailWhileResizesRetireStores(StoreKinds kind) throws Exception {
        long seed = StoreKinds.seed("storage-readers-" + kind);
        long millis = Math.min(Long.getLong("cobtree.stress.millis", 3000), 2000);
        CellStoreFactory factory = kind.factory(dir);
        CobTree tree = CobTree.builder().segmentSize(8).storage(factory).build();
        int sentinels = 2000;
        for (long k = 0; k < sentinels; k++) {
            tree.put(k * 4, k * 4 + 1, -1);
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong reads = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < 1; w++) {
            SplittableRandom rnd = new SplittableRandom(seed + w);
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        int burst = 1 + rnd.nextInt(6000);
                        for (int i = 0; i < burst; i++) { // fill: grows
                            long k = rnd.nextLong(sentinels * 4L) | 1;
                            tree.put(k, k + 1, -1);
                        }
                        for (long k = 1; k < sentinels * 4L; k += 2) { // empty: shrinks
                            tree.remove(k, -1);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "writer"));
        }
        for (int r = 0; r < 2; r++) {
            SplittableRandom rnd = new SplittableRandom(seed * 31 + r);
            threads.add(new Thread(() -> {
                long n = 0;
                try {
                    while (!stop.get()) {
                        long k = rnd.nextLong(sentinels) * 4;
                        long v = tree.get(k, -1);
                        if (v != k + 1) {
                            throw new AssertionError("sentinel " + k + " read as " + v);
                        }
                        if (rnd.nextInt(64) == 0) {
                            long[] last = {Long.MIN_VALUE};
                            long[] count = {0};
                            tree.forEachInRange(k, true, k + 400, false, (key, value) -> {
                                if (key <= last[0]) {
                                    throw new AssertionError("scan not increasing: " + key + " after " + last[0]);
                                }
                                if (value != key + 1) {
                                    throw new AssertionError("torn pair " + key + "=" + value);
                                }
                                last[0] = key;
                                if (key % 4 == 0) {
                                    count[0]++;
                                }
                            });
                            long expected = Math.min(100, sentinels - k / 4);
                            if (count[0] != expected) {
                                throw new AssertionError("scan from " + k + " saw " + count[0] + " sentinels, expected " + expected);
                            }
                        }
                        n++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    reads.addAndGet(n);
                }
            }, "reader-" + r));
        }
        threads.forEach(Thread::start);
        Thread.sleep(millis);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        EpochReclaimer r = factory instanceof OffHeapCellStoreFactory f ? f.reclaimer() : ((MappedCellStoreFactory) factory).reclaimer();
        System.out.printf("[storage-readers-%s] %d reads, %d stores retired, %d released%n", kind, reads.get(), r.retiredCount(), r.freedCount());
        assertNull(failure.get(), () -> "failed (seed " + seed + "): " + failure.get());
        assertTrue(r.retiredCount() > 0, "no resize happened");
        tree.close();
        assertEquals(r.retiredCount(), r.freedCount());
    }
}
