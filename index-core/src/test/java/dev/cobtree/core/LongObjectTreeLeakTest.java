package dev.cobtree.core;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The index keeps no dead value reachable: values that were removed, replaced, shifted over
 * (the tail cell a removal vacates), moved away by a rebalance, polled, cleared, or held by a
 * storage that a resize replaced become unreachable, while the tree and a live cursor (which
 * still holds the pre-resize storage) stay reachable. Each is checked with a {@link WeakReference}
 * cleared by a GC. (A cursor holds the values of the step it is reading: one segment snapshot, or a
 * batch of consecutive ones; the values checked here are outside it. The buffers
 * {@code forEachInRange} borrows are checked in {@link LongObjectTreeScanTest}.) The thread-local scratch of readers and writers is exercised on the same
 * thread, so a value left in it would show too.
 */
class LongObjectTreeLeakTest {

    /** A value with some weight, so that the GC has a reason to run. */
    static final class Payload {
        final long key;
        final byte[] ballast = new byte[64];

        Payload(long key) {
            this.key = key;
        }
    }

    @Test
    void removedReplacedShiftedAndPolledValuesAreCollectedFromTheLiveStorage() throws Exception {
        // room for everything up front: no resize, so the storage that held the values stays live
        LongObjectTree<Payload> tree = LongObjectTree.builder().segmentSize(8).initialCapacity(4_000).build();
        Object storage = tree.engine().root();
        for (long k = 0; k < 2_000; k += 2) {
            tree.put(k, new Payload(k));
        }
        for (long k = 1; k < 400; k += 2) {
            tree.put(k, new Payload(k)); // fills segments: shifts right and rebalances (Moves) in place
        }
        LongObjectTree.Cursor<Payload> cursor = tree.cursor();
        assertTrue(cursor.next());
        Payload kept = cursor.value();
        List<WeakReference<Payload>> dead = new ArrayList<>();
        for (long k = 100; k < 400; k++) {
            Payload p = tree.get(k);
            if (p == null) {
                continue;
            }
            dead.add(new WeakReference<>(p));
            switch ((int) (k % 6)) {
                case 0 -> assertEquals(p, tree.remove(k)); // the segment's tail shifts left over it
                case 1 -> assertTrue(tree.remove(k, p));
                case 2 -> assertTrue(tree.asMap().remove(k) == p);
                case 3 -> tree.put(k, new Payload(k));
                case 4 -> tree.replace(k, new Payload(k));
                default -> assertTrue(tree.replace(k, p, new Payload(k)));
            }
            p = null;
        }
        dead.add(new WeakReference<>(tree.pollLastEntry().value()));
        dead.add(new WeakReference<>(tree.asMap().pollFirstEntry().getValue() == kept ? new Payload(-1) : null));
        assertTrue(tree.engine().root() == storage, "the test needs the storage not to be resized");
        gc(dead);
        for (WeakReference<Payload> w : dead) {
            assertNull(w.get(), "a removed, replaced, shifted-over or polled value is still reachable");
        }
        cursor.next(); // the cursor lives to here
    }

    @Test
    void valuesOfAReplacedStorageAreCollectedWhileAReaderStillHoldsIt() throws Exception {
        LongObjectTree<Payload> tree = LongObjectTree.builder().segmentSize(8).build();
        for (long k = 0; k < 64; k++) {
            tree.put(k, new Payload(k));
        }
        Object held = tree.engine().root(); // as a reader or cursor in flight holds the storage it read
        LongObjectTree.Cursor<Payload> cursor = tree.cursor();
        assertTrue(cursor.next());
        for (long k = 1_000; k < 3_000; k++) {
            tree.put(k, new Payload(k)); // resizes: the held storage is replaced
        }
        assertTrue(tree.engine().root() != held, "the test needs a resize");
        List<WeakReference<Payload>> preResize = new ArrayList<>();
        for (long k = 20; k < 64; k++) { // not in the cursor's buffered snapshot (its first segment, at most 8 entries)
            preResize.add(new WeakReference<>(tree.remove(k)));
        }
        gc(preResize);
        for (WeakReference<Payload> w : preResize) {
            assertNull(w.get(), "a value removed after a resize is still reachable through the old storage");
        }

        Object beforeClear = tree.engine().root();
        List<WeakReference<Payload>> cleared = new ArrayList<>();
        for (long k = 1_000; k < 1_100; k++) {
            cleared.add(new WeakReference<>(tree.get(k)));
        }
        tree.clear();
        tree.put(5, new Payload(5)); // the tree lives on
        gc(cleared);
        for (WeakReference<Payload> w : cleared) {
            assertNull(w.get(), "a cleared value is still reachable through the storage clear() replaced");
        }
        assertTrue(held != null && beforeClear != null);
        cursor.next();
        assertEquals(5, tree.get(5).key);
    }

    private static void gc(List<WeakReference<Payload>> refs) throws InterruptedException {
        for (int i = 0; i < 20 && refs.stream().anyMatch(w -> w.get() != null); i++) {
            System.gc();
            byte[][] pressure = new byte[64][];
            for (int j = 0; j < pressure.length; j++) {
                pressure[j] = new byte[1 << 16];
            }
            Thread.sleep(20);
        }
    }
}
