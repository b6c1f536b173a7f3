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
 * cleared by a GC. The thread-local scratch of readers and writers is exercised on the same
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
    void removedReplacedShiftedPolledAndResizedValuesAreCollected() throws Exception {
        LongObjectTree<Payload> tree = LongObjectTree.builder().segmentSize(8).build();
        List<WeakReference<Payload>> dead = new ArrayList<>();
        for (long k = 0; k < 64; k++) {
            tree.put(k, new Payload(k));
        }
        // a live cursor over the current storage, positioned in its first segment
        LongObjectTree.Cursor<Payload> cursor = tree.cursor();
        assertTrue(cursor.next());
        Payload kept = cursor.value(); // the cursor's own current value may stay reachable

        // removed (with their segment's tail shifted left over them), through every removal path
        for (long k = 10; k < 20; k++) {
            Payload p = tree.get(k);
            dead.add(new WeakReference<>(p));
            if (k % 3 == 0) {
                assertEquals(p, tree.remove(k));
            } else if (k % 3 == 1) {
                assertTrue(tree.remove(k, p));
            } else {
                assertTrue(tree.asMap().remove(k) == p);
            }
            p = null;
        }
        // replaced, by put, replace and replace-if-equal
        for (long k = 20; k < 30; k++) {
            Payload old = tree.get(k);
            dead.add(new WeakReference<>(old));
            switch ((int) (k % 3)) {
                case 0 -> tree.put(k, new Payload(k));
                case 1 -> tree.replace(k, new Payload(k));
                default -> assertTrue(tree.replace(k, old, new Payload(k)));
            }
            old = null;
        }
        // polled
        dead.add(new WeakReference<>(tree.pollLastEntry().value()));
        // grow: every value so far lives in a storage that a resize will replace while the cursor holds it
        List<WeakReference<Payload>> preResize = new ArrayList<>();
        for (long k = 40; k < 60; k++) {
            Payload p = tree.remove(k);
            preResize.add(new WeakReference<>(p));
            p = null;
        }
        for (long k = 1_000; k < 3_000; k++) {
            tree.put(k, new Payload(k)); // many resizes and rebalances (Moves)
        }
        // clear: every remaining value but the cursor's current one must go
        List<WeakReference<Payload>> cleared = new ArrayList<>();
        for (long k = 1_000; k < 1_100; k++) {
            cleared.add(new WeakReference<>(tree.get(k)));
        }
        tree.clear();
        tree.put(5, new Payload(5)); // the tree lives on

        gc(dead);
        gc(preResize);
        gc(cleared);
        for (WeakReference<Payload> w : dead) {
            assertNull(w.get(), "a removed, replaced or polled value is still reachable");
        }
        for (WeakReference<Payload> w : preResize) {
            assertNull(w.get(), "a value removed before a resize is still reachable");
        }
        for (WeakReference<Payload> w : cleared) {
            assertNull(w.get(), "a cleared value is still reachable through an old storage");
        }
        assertEquals(0L, kept.key);
        cursor.next(); // the cursor is still usable (and reachable) here
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
