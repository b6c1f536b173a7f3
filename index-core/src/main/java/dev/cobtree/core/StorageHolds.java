package dev.cobtree.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one {@link Storage} knows about snapshots: which segments have already been pre-imaged
 * for which generation, and how many open snapshots hold it.
 *
 * <p><b>Marks.</b> {@code mark(s)} is the newest snapshot generation for which segment s has
 * been pre-imaged (or, if greater, {@link #born}: the generation current when this storage was
 * published; snapshots older than that read an older storage). A writer that is about to change
 * segment s for generation g (the newest snapshot, {@link WriterGate#enter}) keeps a pre-image
 * iff {@code mark(s) < g}, and then sets the mark to g. Read and written only under the lock of
 * segment s, which orders them (CAS acquire, release unlock); allocated on the first pre-image.
 *
 * <p><b>Holds.</b> A snapshot holds the storage it reads. When a resize, clear or close replaces
 * a held storage, its release (dropping references, retiring the cell store to its factory's
 * epoch reclaimer) waits for the last hold: {@link #retire} and {@link #unhold} each may find the
 * other already done, and {@link #released} makes the release happen once.
 */
final class StorageHolds {

    /** The generation current when the storage was published (its snapshots are all newer). Plain: set before the publishing CAS. */
    long born;
    private volatile long[] marks;
    private final int segments;
    final AtomicInteger holds = new AtomicInteger();
    /** Set when the storage was replaced: the last hold to go releases it. */
    private volatile boolean retired;
    private final AtomicBoolean released = new AtomicBoolean();

    StorageHolds(int segments) {
        this.segments = segments;
    }

    /** Caller holds the lock of s. */
    long mark(int s) {
        long[] m = marks;
        return Math.max(born, m == null ? 0 : m[s]);
    }

    /** Caller holds the lock of s (plain store: the unlock's release store publishes it to the next holder). */
    void setMark(int s, long generation) {
        long[] m = marks;
        if (m == null) {
            synchronized (this) { // two writers of different segments may both allocate first
                m = marks;
                if (m == null) {
                    m = new long[segments];
                    marks = m; // volatile
                }
            }
        }
        m[s] = generation;
    }

    /** The storage was replaced: returns true if the caller must release it now (no snapshot holds it). */
    boolean retire() {
        retired = true; // volatile store, then the volatile load of holds: the Dekker half against unhold
        return holds.get() == 0 && released.compareAndSet(false, true);
    }

    /** A snapshot let go: returns true if the caller must release the storage now (it was the last hold of a replaced storage). */
    boolean unhold() {
        return holds.decrementAndGet() == 0 && retired && released.compareAndSet(false, true);
    }

    /** Whether the storage was replaced while held and still waits for its holds. */
    boolean heldAfterRetire() {
        return retired && !released.get();
    }
}
