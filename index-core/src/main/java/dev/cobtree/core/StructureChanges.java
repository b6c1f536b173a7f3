package dev.cobtree.core;

import dev.cobtree.storage.CheckpointFile;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The changes of a {@link CobTree} that replace or stop its whole storage: grow and shrink
 * (resize), clear, point-in-time checkpoint and close, serialised by one lock.
 *
 * <p>Protocol (docs/CONCURRENCY.md, lemma "structure change"): freeze every segment of the published storage in
 * ascending order (a CAS that sets FROZEN on an even word, waiting for a writer that holds it;
 * the version does not change, so readers' snapshots stay valid and readers never wait); then
 * either copy it out (checkpoint) and thaw it, or build the replacement, publish it with one
 * volatile store of the tree's root, set INVALID on every old segment (waiting writers re-route)
 * and retire the old cell store to its factory. A failed build thaws the old storage, which stays
 * published and unchanged. Writers that meet FROZEN park on this lock until the change is over.
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
        old.dropReferences(); // no value of the replaced storage stays reachable through a reader that still holds it
        if (next != Storage.CLOSED) {
            tree.factory.retire(old.cells);
        }
    }

    /**
     * Writes a point-in-time image of the index to {@code file}, crash-safely (temporary file,
     * force, atomic rename; see {@link CheckpointFile}). Writers wait while it is written, as
     * during a resize; readers do not. Returns the number of entries written.
     *
     * @throws java.io.UncheckedIOException if the file system fails (the target is then untouched)
     */
    long checkpoint(Path file) {
        lock.lock();
        try {
            Storage st = tree.storage();
            freeze(st); // no writer can change the storage while it is copied out
            try {
                long entries = 0;
                for (int s = 0; s < st.segments; s++) {
                    entries += st.headers.count(s);
                }
                return CheckpointFile.write(file, entries, sink -> {
                    for (int s = 0; s < st.segments; s++) {
                        long base = st.base(s);
                        for (int i = 0, n = st.headers.count(s); i < n; i++) {
                            sink.accept(st.cells.keyPlain(base + i), st.cells.valuePlain(base + i));
                        }
                    }
                });
            } finally {
                thaw(st);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Removes every entry (the array returns to its initial size). */
    void clear() {
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
