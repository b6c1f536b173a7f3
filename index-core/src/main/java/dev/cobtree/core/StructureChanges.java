package dev.cobtree.core;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The changes of a {@link CobTree} that replace or stop its whole storage: grow and shrink
 * (resize), clear and close, serialised by one lock. (A checkpoint is written from a snapshot,
 * {@link CobTreeSnapshot#checkpoint}, and stops no writer.)
 *
 * <p>Protocol (docs/CONCURRENCY.md, lemma "structure change"): freeze every segment of the published storage in
 * ascending order (a CAS that sets FROZEN on an even word, waiting for a writer that holds it;
 * the version does not change, so readers' snapshots stay valid and readers never wait); then
 * build the replacement, publish it with one
 * volatile store of the tree's root, set INVALID on every old segment (waiting writers re-route)
 * and retire the old cell store to its factory, or, while open snapshots hold it, leave that to
 * the last of them to close ({@link StorageHolds}). A failed build thaws the old storage, which stays
 * published and unchanged. Writers that meet FROZEN park on this lock until the change is over.
 * Resize and clear run inside the writers' gate ({@link WriterGate}): a snapshot is never taken
 * while one is under way.
 */
final class StructureChanges {

    private final TreeEngine tree;
    private final ReentrantLock lock = new ReentrantLock();
    /** Whether close() has released the store of a failed tree. Guarded by {@link #lock}. */
    private boolean closedFailed;

    StructureChanges(TreeEngine tree) {
        this.tree = tree;
    }


    /** A writer met a frozen or invalid segment: wait until the resize holding the lock is done. */
    void awaitResize(Storage st) {
        if (tree.root() == st) {
            lock.lock(); // parks behind the resize (or returns at once if it is over)
            lock.unlock();
        }
    }

    /**
     * Replaces {@code st} by a storage sized for its entries at the resize density. Freeze,
     * copy, publish, invalidate, retire; on failure (no memory, an I/O error of the store) the
     * old storage is thawed and stays published, unchanged.
     */
    void resize(Storage st, boolean grow, long key) {
        lock.lock();
        try {
            if (tree.root() != st) {
                return; // someone else resized meanwhile
            }
            freeze(st);
            Storage next;
            try {
                long m = 0;
                for (int s = 0; s < st.segments; s++) {
                    m += st.headers.count(s);
                }
                int segments = Math.max(tree.minSegments, Resizer.segmentsFor(grow ? m + 1 : m, tree.segmentSize, Rebalancer.RESIZE_TARGET));
                if (grow && segments <= st.segments) {
                    segments = st.segments + 1;
                }
                if (!grow && segments >= st.segments) {
                    thaw(st); // nothing to gain: the array is already as small as it may be
                    return;
                }
                // an append (or prepend) stream gets the free space at its end of the array
                int layout = !grow ? Resizer.EVEN : key > lastKey(st) ? Resizer.PACK_LEFT
                        : key < firstKey(st) ? Resizer.PACK_RIGHT : Resizer.EVEN;
                next = Resizer.build(tree.factory, tree.segmentSize, segments, m, new Resizer.FrozenSource(st),
                        layout, (int) (tree.segmentSize * Rebalancer.ROOT_MAX));
            } catch (RuntimeException | Error e) {
                thaw(st);
                throw e;
            }
            publish(st, next);
            tree.counters.resizes.increment();
        } finally {
            lock.unlock();
        }
    }

    /** Greatest key of a frozen storage, or MAX_VALUE if it is empty. */
    private static long lastKey(Storage st) {
        for (int s = st.segments - 1; s >= 0; s--) {
            int n = st.headers.count(s);
            if (n > 0) {
                return st.cells.keyPlain(st.base(s) + n - 1);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Least key of a frozen storage, or MIN_VALUE if it is empty. */
    private static long firstKey(Storage st) {
        for (int s = 0; s < st.segments; s++) {
            if (st.headers.count(s) > 0) {
                return st.cells.keyPlain(st.base(s));
            }
        }
        return Long.MIN_VALUE;
    }

    private static void freeze(Storage st) {
        for (int s = 0; s < st.segments; s++) {
            st.headers.freeze(s);
        }
    }

    private static void thaw(Storage st) {
        for (int s = 0; s < st.segments; s++) {
            st.headers.thaw(s);
        }
    }

    /**
     * Caller holds the structure lock and has frozen {@code old}. If the tree failed meanwhile
     * (a write threw half-way, {@link TreeEngine#fail}), the root is no longer {@code old}: the
     * new storage is then handed back unpublished and the failure is reported.
     */
    private void publish(Storage old, Storage next) {
        if (next != Storage.CLOSED) {
            // the generation of the newest snapshot: stable, since every caller is inside the
            // writers' gate (resize, clear) or has closed every snapshot (close); plain store,
            // published with the storage by the CAS below
            next.holds.born = tree.snapshots.gate.word() >>> WriterGate.GEN_SHIFT;
        }
        if (!tree.publish(old, next)) { // CAS (volatile): publishes the fully built storage
            if (next != Storage.CLOSED) {
                tree.factory.retire(next.cells);
            }
            tree.storage(); // throws, naming the failure
            throw new IllegalStateException("CobTree root changed during a structure change");
        }
        for (int s = 0; s < old.segments; s++) {
            old.headers.invalidate(s);
        }
        if (next == Storage.CLOSED) {
            old.dropReferences(); // the factory's close releases the cells
        } else if (old.holds.retire()) {
            release(tree, old); // else the last snapshot holding it releases it when it closes
        }
    }

    /**
     * Releases a replaced storage that no snapshot holds any more: drops its references (no value
     * stays reachable through a reader that still holds it) and retires its cell store to the
     * factory, which frees it once no pinned reader can touch it. Runs once per storage
     * ({@link StorageHolds}); from the publisher, or from the close of the storage's last snapshot.
     */
    static void release(TreeEngine tree, Storage old) {
        old.dropReferences();
        tree.factory.retire(old.cells);
    }

    /**
     * Removes every entry (the array returns to its initial size). A write like any other for the
     * snapshots: it enters the writers' gate (before the structure lock, as every writer that may
     * resize does, so that a snapshot's drain never waits on a lock its taker holds), and the
     * storage it replaces is held, unchanged, by the snapshots that read it.
     */
    void clear() {
        WriterScratch x = WriterScratch.get();
        WriterGate gate = tree.snapshots.gate;
        gate.enter(x);
        try {
            clearLocked();
        } finally {
            gate.exit(x);
        }
    }

    private void clearLocked() {
        lock.lock();
        try {
            Storage st = tree.storage();
            freeze(st);
            Storage next;
            try {
                next = Resizer.build(tree.factory, tree.segmentSize, tree.minSegments, 0, null);
            } catch (RuntimeException | Error e) {
                thaw(st);
                throw e;
            }
            publish(st, next);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases the storage (a persistent store is flushed and marked clean); every later call
     * throws IllegalStateException. Idempotent.
     */
    void close() {
        tree.snapshots.closeAll(); // before the structure lock: a snapshot's release never waits for it
        lock.lock();
        try {
            Storage st = tree.root();
            if (st == Storage.CLOSED) {
                Storage failed = tree.failedStorage();
                if (tree.failure() != null && failed != null && !closedFailed) {
                    // a failed tree: release everything without persisting the untrusted cells
                    // (a mapped file stays marked unclean, so a reopen refuses it)
                    closedFailed = true;
                    tree.factory.close(null, 0);
                }
                return;
            }
            freeze(st);
            long entries = st.counts.total();
            publish(st, Storage.CLOSED);
            tree.factory.close(st.cells, entries);
        } finally {
            lock.unlock();
        }
    }
}
