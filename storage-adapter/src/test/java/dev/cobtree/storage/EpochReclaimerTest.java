package dev.cobtree.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class EpochReclaimerTest {

    /** A store whose every cell says which store it belongs to: key = cell, value = tag * 1_000_003 + cell. */
    private static OffHeapCellStore tagged(long tag, long cells) {
        OffHeapCellStore s = new OffHeapCellStore(cells, 64);
        for (long c = 0; c < cells; c++) {
            s.setPlain(c, tag, c, tag * 1_000_003 + c);
        }
        return s;
    }

    private static String check(CellStore s, long cell) {
        long tag = s.metaOpaque(cell);
        long k = s.keyOpaque(cell);
        long v = s.valueOpaque(cell);
        if (k != cell || v != tag * 1_000_003 + cell) {
            return "cell " + cell + " of a store tagged " + tag + " holds key " + k + " value " + v;
        }
        return null;
    }

    private static EpochReclaimer manual() {
        return new EpochReclaimer(CellStore::close, Long.MAX_VALUE, Integer.MAX_VALUE, false);
    }

    @Test
    void retiredStoresAreReleasedWhenNoReaderIsPinned() {
        EpochReclaimer r = manual();
        List<CellStore> stores = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CellStore s = tagged(i, 128);
            stores.add(s);
            r.retire(s);
        }
        assertEquals(10, r.retiredCount());
        assertEquals(0, r.freedCount(), "thresholds not reached: nothing released yet");
        assertEquals(10 * 128 * 20, r.bytesOutstanding());
        assertEquals(10, r.reclaimNow());
        assertEquals(10, r.freedCount());
        assertEquals(0, r.bytesOutstanding());
        stores.forEach(s -> assertFalse(s.isOpen()));
        assertEquals(0, r.reclaimNow());
        r.close();
    }

    @Test
    void countThresholdTriggersReclamation() {
        EpochReclaimer r = new EpochReclaimer(CellStore::close, Long.MAX_VALUE, 3, false);
        CellStore a = tagged(1, 64), b = tagged(2, 64), c = tagged(3, 64);
        r.retire(a);
        r.retire(b);
        assertTrue(a.isOpen() && b.isOpen());
        r.retire(c);
        assertEquals(3, r.freedCount());
        assertFalse(a.isOpen() || b.isOpen() || c.isOpen());
    }

    @Test
    void byteThresholdTriggersReclamation() {
        EpochReclaimer r = new EpochReclaimer(CellStore::close, 64 * 20 * 2, Integer.MAX_VALUE, false);
        CellStore a = tagged(1, 64), b = tagged(2, 64);
        r.retire(a);
        assertTrue(a.isOpen());
        r.retire(b);
        assertFalse(a.isOpen() || b.isOpen());
    }

    @Test
    void aPinnedReaderKeepsItsStoreAcrossManyRetirements() throws Exception {
        EpochReclaimer r = new EpochReclaimer(CellStore::close, 0, 1, true); // reclaim at every retire
        AtomicReference<CellStore> root = new AtomicReference<>(tagged(0, 256));
        CellStore first = root.get();
        CountDownLatch pinned = new CountDownLatch(1);
        CountDownLatch retiredMany = new CountDownLatch(1);
        AtomicReference<Throwable> readerFailure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long t = r.pin();
            try {
                CellStore s = root.get();
                pinned.countDown();
                for (int round = 0; round < 200; round++) {
                    for (long c = 0; c < s.capacity(); c++) {
                        String bad = check(s, c);
                        if (bad != null) {
                            throw new AssertionError(bad);
                        }
                    }
                    if (round == 100) {
                        retiredMany.await(10, TimeUnit.SECONDS);
                    }
                }
            } catch (Throwable e) {
                readerFailure.set(e);
            } finally {
                r.unpin(t);
            }
        });
        reader.start();
        assertTrue(pinned.await(10, TimeUnit.SECONDS));
        for (int i = 1; i <= 100; i++) {
            CellStore next = tagged(i, 256);
            CellStore old = root.getAndSet(next);
            r.retire(old);
        }
        assertTrue(first.isOpen(), "the store of a pinned reader was released");
        assertTrue(r.freedCount() < 100, "stores retired after the reader pinned are held back too");
        retiredMany.countDown();
        reader.join();
        assertNull(readerFailure.get(), () -> "reader failed: " + readerFailure.get());
        r.reclaimNow();
        assertFalse(first.isOpen(), "released once the reader left");
        assertEquals(100, r.freedCount());
        assertEquals(0, r.bytesOutstanding());
        r.close();
        root.get().close();
    }

    @Test
    void storesRetiredBeforeAPinAreNotHeldBackByIt() {
        EpochReclaimer r = manual();
        CellStore old = tagged(1, 64);
        r.retire(old);
        long t = r.pin(); // pins after the retirement: cannot hold 'old'
        try {
            assertEquals(1, r.reclaimNow());
            assertFalse(old.isOpen());
            CellStore later = tagged(2, 64);
            r.retire(later);
            assertEquals(0, r.reclaimNow(), "retired while pinned: held back");
            assertTrue(later.isOpen());
        } finally {
            r.unpin(t);
        }
        assertEquals(1, r.reclaimNow());
    }

    /**
     * A store retired while a reclamation is between its slot scan and its sweep, and read by a
     * reader that pinned after the scan, must survive that sweep: the scan says nothing about it.
     */
    @Test
    void aStoreRetiredDuringAScanIsNotReleasedByThatScan() throws Exception {
        EpochReclaimer r = manual();
        AtomicReference<CellStore> root = new AtomicReference<>(tagged(1, 64));
        CellStore s = root.get();
        CountDownLatch readerIn = new CountDownLatch(1);
        CountDownLatch readerOut = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            long t = r.pin();
            try {
                CellStore mine = root.get();
                readerIn.countDown();
                readerOut.await();
                for (long c = 0; c < mine.capacity(); c++) {
                    String bad = check(mine, c);
                    if (bad != null) {
                        throw new AssertionError(bad);
                    }
                }
            } catch (Throwable e) {
                failure.set(e);
            } finally {
                r.unpin(t);
            }
        });
        Thread resizer = new Thread(() -> r.retire(root.getAndSet(tagged(2, 64))));
        r.afterScan = () -> {
            r.afterScan = null;
            try {
                reader.start(); // pins after the scan, finds s
                readerIn.await();
                resizer.start(); // publishes a new root and retires s while this sweep is pending
                while (r.retiredCount() == 0) {
                    Thread.onSpinWait();
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        r.reclaimNow();
        assertTrue(s.isOpen(), "released by a scan that ran before its reader pinned");
        readerOut.countDown();
        reader.join();
        resizer.join();
        assertNull(failure.get(), () -> "reader failed: " + failure.get());
        assertEquals(1, r.reclaimNow());
        assertFalse(s.isOpen());
        root.get().close();
    }

    @Test
    void backgroundRetryReleasesOnceTheReaderLeaves() throws Exception {
        EpochReclaimer r = new EpochReclaimer(CellStore::close, 0, 1, true);
        long t = r.pin();
        CellStore s = tagged(1, 64);
        r.retire(s);
        assertTrue(s.isOpen());
        r.unpin(t);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((s.isOpen() || r.bytesOutstanding() != 0) && System.nanoTime() < deadline) { // counters follow the release
            Thread.sleep(1);
        }
        assertFalse(s.isOpen(), "the background retry released the store after the reader left");
        assertEquals(0, r.bytesOutstanding());
    }

    @Test
    void pinsNest() {
        EpochReclaimer r = manual();
        long outer = r.pin();
        long inner = r.pin();
        assertEquals(outer, inner, "one slot per thread");
        CellStore s = tagged(1, 64);
        r.retire(s);
        r.unpin(inner);
        assertEquals(1, r.pinnedCount());
        assertEquals(0, r.reclaimNow(), "still pinned by the outer pin");
        r.unpin(outer);
        assertEquals(0, r.pinnedCount());
        assertEquals(1, r.reclaimNow());
    }

    @Test
    void misuseOfTicketsFailsClearly() throws Exception {
        EpochReclaimer r = manual();
        long once = r.pin();
        r.unpin(once);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.unpin(once));
        assertTrue(e.getMessage().contains("without a matching pin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> r.unpin(-1));
        assertThrows(IllegalArgumentException.class, () -> r.unpin(1L << 40));
        long t = r.pin();
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread th = new Thread(() -> {
            try {
                r.unpin(t);
            } catch (Throwable x) {
                other.set(x);
            }
        });
        th.start();
        th.join();
        assertInstanceOf(IllegalStateException.class, other.get());
        assertTrue(other.get().getMessage().contains("same thread"), other.get().getMessage());
        assertEquals(1, r.pinnedCount(), "a refused unpin changes nothing");
        r.unpin(t);
        assertThrows(NullPointerException.class, () -> r.retire(null));
    }

    @Test
    void slotsGrowForManyThreadsAndAreReusedAfterThreadsEnd() throws Exception {
        EpochReclaimer r = manual();
        int threads = 3 * EpochReclaimer.SLOTS_PER_CHUNK + 5;
        CyclicBarrier allPinned = new CyclicBarrier(threads + 1);
        CyclicBarrier release = new CyclicBarrier(threads + 1);
        List<Thread> list = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                long ticket = r.pin();
                try {
                    allPinned.await();
                    release.await();
                } catch (Exception e) {
                    failure.set(e);
                } finally {
                    r.unpin(ticket);
                }
            });
            list.add(t);
            t.start();
        }
        allPinned.await(30, TimeUnit.SECONDS);
        assertEquals(threads, r.slotCount());
        assertEquals(threads, r.pinnedCount());
        CellStore s = tagged(1, 64);
        r.retire(s);
        assertEquals(0, r.reclaimNow(), "held by every pinned thread");
        release.await(30, TimeUnit.SECONDS);
        for (Thread t : list) {
            t.join();
        }
        assertNull(failure.get());
        assertEquals(1, r.reclaimNow());
        // the threads have ended: new threads reuse their slots instead of growing the array
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(() -> r.unpin(r.pin()));
            t.start();
            t.join();
        }
        assertEquals(threads, r.slotCount());
    }

    @Test
    void aThreadThatEndsPinnedDoesNotBlockReclamationForever() throws Exception {
        EpochReclaimer r = manual();
        Thread t = new Thread(r::pin); // never unpins: a bug in the caller
        t.start();
        t.join();
        CellStore s = tagged(1, 64);
        r.retire(s);
        assertEquals(1, r.reclaimNow(), "a dead thread reads nothing: its pin is dropped");
        assertFalse(s.isOpen());
    }

    @Test
    void awaitReadersWaitsForEarlierPinsOnly() throws Exception {
        EpochReclaimer r = manual();
        CountDownLatch pinned = new CountDownLatch(1);
        CountDownLatch leave = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            long t = r.pin();
            pinned.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                r.unpin(t);
            }
        });
        reader.start();
        pinned.await();
        assertFalse(r.awaitReaders(TimeUnit.MILLISECONDS.toNanos(50)), "a reader pinned before the call is still inside");
        long mine = r.pin(); // the caller's own pin is not waited for (closing from inside a read)
        leave.countDown();
        assertTrue(r.awaitReaders(TimeUnit.SECONDS.toNanos(10)));
        r.unpin(mine);
        reader.join();
    }

    @Test
    void closeReleasesEverythingAndLaterRetirementsAtOnce() {
        EpochReclaimer r = manual();
        long t = r.pin();
        CellStore a = tagged(1, 64);
        r.retire(a);
        r.unpin(t);
        r.close();
        assertFalse(a.isOpen());
        CellStore b = tagged(2, 64);
        r.retire(b);
        assertFalse(b.isOpen());
        assertEquals(2, r.freedCount());
        assertEquals(0, r.bytesOutstanding());
        assertTrue(r.isClosed());
    }

    /**
     * Readers pin, load the root, read random cells and scan whole stores and check every cell,
     * while a writer publishes new stores and retires the old ones as fast as it can (reclaiming
     * at every retirement). A reader that touched a released store would get
     * IllegalStateException from its closed arena, or see the wrong data; neither may happen.
     */
    @Test
    void hammerReadersNeverTouchReleasedMemory() throws Exception {
        long seed = TestSettings.seed("hammer");
        long millis = TestSettings.stressMillis(1500);
        EpochReclaimer r = new EpochReclaimer(CellStore::close, 0, 1, true);
        Hammer h = new Hammer(r::pin, r::unpin, r::retire, seed, millis);
        h.run();
        r.reclaimNow();
        System.out.printf("[hammer] %d reads, %d scans, %d retirements, %d released%n",
                h.reads.get(), h.scans.get(), r.retiredCount(), r.freedCount());
        assertNull(h.failure.get(), () -> "reader failed (seed " + seed + "): " + h.failure.get());
        assertTrue(h.reads.get() > 1000, "readers barely ran: " + h.reads.get());
        assertTrue(r.retiredCount() > 50, "writer barely ran: " + r.retiredCount());
        assertEquals(r.retiredCount(), r.freedCount(), "every retired store is released once readers are gone");
        assertEquals(0, r.bytesOutstanding());
        h.root.get().close();
        r.close();
    }

    /** The same harness with stores closed as soon as they are unpublished: it must catch the use-after-free. */
    @Test
    void hammerDetectsReleaseWithoutReclamation() throws Exception {
        long seed = TestSettings.seed("hammer-control");
        Hammer h = new Hammer(() -> 0L, t -> { }, CellStore::close, seed, 5000);
        h.stopOnFirstFailure = true;
        h.run();
        assertNotNull(h.failure.get(), "closing unpublished stores at once went unnoticed: the hammer cannot detect a broken reclaimer");
        h.root.get().close();
    }

    interface Pin {
        long pin();
    }

    interface Unpin {
        void unpin(long ticket);
    }

    interface Retire {
        void retire(CellStore s);
    }

    static final class Hammer {
        final AtomicReference<CellStore> root = new AtomicReference<>(tagged(0, 1024));
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong scans = new AtomicLong();
        final Pin pin;
        final Unpin unpin;
        final Retire retire;
        final long seed;
        final long millis;
        volatile boolean stopOnFirstFailure;

        Hammer(Pin pin, Unpin unpin, Retire retire, long seed, long millis) {
            this.pin = pin;
            this.unpin = unpin;
            this.retire = retire;
            this.seed = seed;
            this.millis = millis;
        }

        void run() throws InterruptedException {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SplittableRandom rnd = new SplittableRandom(seed + i);
                threads.add(new Thread(() -> {
                    long n = 0, scanned = 0;
                    while (!stop.get()) {
                        long t = pin.pin();
                        try {
                            CellStore s = root.get(); // the index's volatile root load, after the pin
                            if (rnd.nextInt(8) == 0) {
                                for (long c = 0; c < s.capacity(); c++) {
                                    String bad = check(s, c);
                                    if (bad != null) {
                                        throw new AssertionError(bad);
                                    }
                                }
                                scanned++;
                            } else {
                                for (int j = 0; j < 64; j++) {
                                    String bad = check(s, rnd.nextLong(s.capacity()));
                                    if (bad != null) {
                                        throw new AssertionError(bad);
                                    }
                                }
                            }
                            n++;
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                            if (stopOnFirstFailure) {
                                stop.set(true);
                            }
                        } finally {
                            unpin.unpin(t);
                        }
                    }
                    reads.addAndGet(n);
                    scans.addAndGet(scanned);
                }, "reader-" + i));
            }
            for (int w = 0; w < 2; w++) { // two resizers: retirements (and their reclamations) race each other and the background retry
                SplittableRandom wr = new SplittableRandom(seed ^ (0x5DEECE66DL + w));
                long firstTag = 1 + w * (1L << 40);
                threads.add(new Thread(() -> {
                    long tag = firstTag;
                    while (!stop.get()) {
                        CellStore next = tagged(tag++, 64L * (4 + wr.nextInt(32))); // whole 64-cell segments, as the columnar layout needs
                        CellStore old = root.getAndSet(next); // publish (volatile), then retire the old one
                        retire.retire(old);
                    }
                }, "resizer-" + w));
            }
            threads.forEach(Thread::start);
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!stop.get() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
