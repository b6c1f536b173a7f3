package dev.cobtree.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The snapshots of one tree: taking them (through the {@link WriterGate}), the writers' pre-image
 * hook, closing them, and what they hold (pre-image bytes, replaced storages).
 *
 * <h2>Protocol (docs/CONCURRENCY.md, lemmas "snapshot instant" and "snapshot read")</h2>
 * <ul>
 *   <li><b>Take</b> ({@link #take}): under {@link #lock}, close the gate and drain the writers
 *   inside; now nothing writes the published storage and no resize is under way (resizes and
 *   clears run inside the gate). Read the root, bump the generation g, register the snapshot
 *   (open list, storage hold), then reopen the gate with the word {@code g | ANY_OPEN}. The
 *   snapshot's instant T is any point of the drained interval.</li>
 *   <li><b>Write</b> ({@link #beforeWrite}): a writer entered with generation g != 0 (some
 *   snapshot is open) and holds the lock of segment s of storage st, about to store. If
 *   {@code mark(s) < g}, segment s has not changed since some open snapshots on st were taken:
 *   copy it once and add the copy to each of them (those with generation above the mark), then
 *   set the mark to g. Snapshots at or below the mark already hold their own pre-image of s.</li>
 *   <li><b>Close</b> ({@link #close}): mark closed and drop the table (no writer can add to it
 *   afterwards: both under the snapshot's monitor), let go of the storage (releasing it if it was
 *   replaced meanwhile and this was its last hold), leave the open list, and clear
 *   {@code ANY_OPEN} when it empties.</li>
 * </ul>
 *
 * <h2>The memory limit</h2>
 * A writer that takes the pre-image bytes over {@link #memoryLimit} invalidates the oldest open
 * snapshots until the total is back under it ({@link #enforceLimit}): each is marked closed under
 * its monitor, which drops its pre-images at once (the writer already takes that monitor to add a
 * pre-image, under its segment lock, so no new lock order). The rest of the close (the storage
 * hold, the open list, the warning in the log) needs the registry lock, which a writer inside the
 * gate must not take: the writer does it after leaving the gate ({@link #sweep}), as do
 * {@link #take} and the statistics.
 *
 * <p>Lock order: the registry lock is never taken while holding a snapshot's monitor or a segment
 * lock; the drain holds only the registry lock, and writers inside the gate never take it.
 */
final class Snapshots {

    private static final SnapshotState[] NONE = {};
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);

    private final TreeEngine engine;
    final WriterGate gate = new WriterGate();
    /** Serialises taking, leaving the open list and the tree's close. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The open snapshots (copy on write; volatile: writers read it after the gate word). */
    private volatile SnapshotState[] open = NONE;
    /** Set by the tree's close: no new snapshot. Guarded by {@link #lock}. */
    private boolean closing;
    private final AtomicLong preImageBytes = new AtomicLong();
    private final AtomicLong preImages = new AtomicLong();
    private final AtomicLong preImagesKept = new AtomicLong();
    private final AtomicLong invalidated = new AtomicLong();
    /** The most pre-image bytes open snapshots may hold ({@code CobTree.Builder.snapshotMemoryLimit}). */
    private volatile long memoryLimit = Long.MAX_VALUE;
    /** Some snapshot was invalidated and not yet swept (closed for good, logged). */
    private volatile boolean sweepNeeded;

    Snapshots(TreeEngine engine) {
        this.engine = engine;
    }

    void memoryLimit(long bytes) {
        memoryLimit = bytes;
    }

    long memoryLimit() {
        return memoryLimit;
    }

    /** A snapshot of the tree as it is now. */
    SnapshotState take() {
        sweepIfNeeded();
        lock.lock();
        try {
            if (closing) {
                engine.storage(); // throws, naming the failure if there was one
                throw new IllegalStateException("CobTree is closed");
            }
            engine.storage(); // fail fast, before closing the gate
            long w = gate.word();
            gate.closeAndDrain();
            try {
                Storage st = engine.storage(); // stable: no writer, resize or clear is inside the gate
                long g = (w >>> WriterGate.GEN_SHIFT) + 1;
                SnapshotState snap = new SnapshotState(this, engine, st, g);
                st.holds.holds.incrementAndGet();
                SnapshotState[] now = open;
                SnapshotState[] next = Arrays.copyOf(now, now.length + 1);
                next[now.length] = snap;
                open = next; // volatile, before the word that lets writers in
                w = (g << WriterGate.GEN_SHIFT) | WriterGate.ANY_OPEN;
                return snap;
            } finally {
                gate.set(w & ~WriterGate.CLOSED); // reopens, with the new generation if it was taken
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writers' hook: the caller entered the gate with {@code generation} (non-zero) and holds
     * the lock of segment s of st, before its first store to s.
     */
    void beforeWrite(Storage st, int s, long generation) {
        StorageHolds marks = st.holds;
        long mark = marks.mark(s);
        if (mark >= generation) {
            return;
        }
        PreImage p = null;
        for (SnapshotState snap : open) {
            if (snap.st == st && snap.generation > mark && !snap.isClosed()) {
                if (p == null) {
                    p = PreImage.copy(st, s);
                    preImageBytes.addAndGet(p.bytes()); // before any holder can drop it
                    p.holders.incrementAndGet(); // our own hold while adding
                }
                snap.add(s, p);
            }
        }
        if (p != null) {
            preImagesKept.incrementAndGet();
            preImages.incrementAndGet();
            if (p.holders.decrementAndGet() == 0) {
                preImageGone(p); // every snapshot closed meanwhile
            }
            if (preImageBytes.get() > memoryLimit) {
                enforceLimit();
            }
        }
        marks.setMark(s, generation);
    }

    /**
     * Over the limit: invalidates the oldest open snapshots (the open list is in the order they
     * were taken) until the pre-images held fit again. Runs in a writer inside the gate, holding a
     * segment lock: takes only snapshot monitors (as {@link SnapshotState#add} does); the rest of
     * each close is left to {@link #sweep}.
     */
    private void enforceLimit() {
        long limit = memoryLimit;
        for (SnapshotState snap : open) {
            long held = preImageBytes.get();
            if (held <= limit) {
                return;
            }
            if (snap.isClosed()) {
                continue;
            }
            String why = "snapshot (generation " + snap.generation + ") was invalidated: the pre-images of open "
                    + "snapshots reached " + held + " bytes, over the tree's snapshotMemoryLimit of " + limit
                    + " bytes (CobTree.Builder.snapshotMemoryLimit); the oldest open snapshots are invalidated "
                    + "to stay under it";
            snap.invalidated = true;
            if (snap.markClosed(why)) {
                invalidated.incrementAndGet();
                sweepNeeded = true;
            }
        }
    }

    /** Cheap check for writers after leaving the gate, and for the take and the statistics. */
    void sweepIfNeeded() {
        if (sweepNeeded) {
            sweep();
        }
    }

    /**
     * Finishes the close of invalidated snapshots (storage hold, open list) and logs each once.
     * Must not run inside the writers' gate (it takes the registry lock).
     */
    private void sweep() {
        sweepNeeded = false; // before the scan: an invalidation after it sets it again
        for (SnapshotState snap : open) {
            if (snap.invalidated) {
                close(snap, null); // logs the warning
            }
        }
    }

    private static String closedMessage(SnapshotState snap) {
        try {
            snap.checkOpen();
            return "snapshot closed";
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** The last snapshot holding {@code p} closed. */
    void preImageGone(PreImage p) {
        preImageBytes.addAndGet(-p.bytes());
        preImages.decrementAndGet();
    }

    /**
     * Closes one snapshot (idempotent); {@code why} becomes the message of its later use (unless
     * it was closed already, as an invalidated snapshot is). True if this call let go of its
     * storage hold and open-list entry (the first close, or the first after an invalidation).
     */
    boolean close(SnapshotState snap, String why) {
        // under the snapshot's monitor, so that a second close (the tree's) returns only once the
        // first has let go of the storage: the tree's close must not close the factory before
        synchronized (snap) {
            snap.markClosed(why);
            if (!snap.letGo()) {
                return false;
            }
            if (snap.invalidated) {
                LOG.warn("cobtree: {}", closedMessage(snap));
            }
            Storage st = snap.st;
            if (st.holds.unhold()) {
                StructureChanges.release(engine, st); // replaced while held, and this was the last hold
            }
        }
        lock.lock();
        try {
            SnapshotState[] now = open;
            int i = Arrays.asList(now).indexOf(snap);
            if (i >= 0) {
                SnapshotState[] next = new SnapshotState[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - 1 - i);
                open = next;
                if (next.length == 0) {
                    // no snapshot open: writers stop checking marks (the gate is open: we hold the lock)
                    gate.set(gate.word() & ~WriterGate.ANY_OPEN);
                }
            }
        } finally {
            lock.unlock();
        }
        return true;
    }

    /** The tree is closing: closes every snapshot and refuses new ones. */
    void closeAll() {
        lock.lock();
        try {
            closing = true;
            for (SnapshotState snap : open) {
                close(snap, "snapshot is closed: its tree was closed");
            }
        } finally {
            lock.unlock();
        }
    }

    // ---- statistics ---------------------------------------------------------------------------

    int openCount() {
        return open.length;
    }

    /** Bytes of the pre-images open snapshots hold (each shared pre-image once). */
    long preImageBytes() {
        return preImageBytes.get();
    }

    /** Pre-images open snapshots hold. */
    long preImageCount() {
        return preImages.get();
    }

    /** Snapshots invalidated by the memory limit (a counter). */
    long invalidatedCount() {
        return invalidated.get();
    }

    /** Pre-images ever kept (a counter). */
    long preImagesKept() {
        return preImagesKept.get();
    }

    /** Replaced storages that open snapshots still hold (not yet released). */
    int heldStorages() {
        int n = 0;
        SnapshotState[] now = open;
        for (int i = 0; i < now.length; i++) {
            Storage st = now[i].st;
            boolean seen = false;
            for (int j = 0; j < i; j++) {
                seen |= now[j].st == st;
            }
            if (!seen && st.holds.heldAfterRetire()) {
                n++;
            }
        }
        return n;
    }
}
