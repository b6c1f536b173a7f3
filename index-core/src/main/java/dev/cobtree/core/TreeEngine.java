package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The root of one index's engine: the published {@link Storage}, the cell store factory, the
 * structure lock ({@link StructureChanges}) and the tree's fixed settings. {@link SegmentWriter},
 * {@link Navigator}, {@link StructureChanges} and cursors take this object, never the public
 * {@link CobTree}: the facade holds the engine, the engine never calls back into the facade.
 *
 * <p>Root states: a live {@code Storage}; {@link Storage#CLOSED} after {@code close()}; or
 * {@code CLOSED} with a {@link #failure} after a write failed half-way through moving cells
 * (see {@link #fail}): then every call throws and says why, rather than serve a half-moved window.
 */
final class TreeEngine {

    private static final VarHandle ROOT;

    static {
        try {
            ROOT = MethodHandles.lookup().findVarHandle(TreeEngine.class, "root", Storage.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final CellStoreFactory factory;
    final int segmentSize;
    /** Whether values are object references (every storage of this tree holds the reference column). */
    final boolean refs;
    /** Segments of the initial (and post-clear) array; a shrink never goes below it. */
    final int minSegments;
    /** Resize, clear, checkpoint and close, serialised; writers that meet a frozen segment wait on it. */
    final StructureChanges structure;
    /** Rare-event counters (resizes, rebalances, retries) behind CobTree.statistics(). */
    final TreeCounters counters = new TreeCounters();
    /** Open snapshots, the writers' gate and the pre-image hook ({@link Snapshots}). */
    final Snapshots snapshots = new Snapshots(this);
    /** The published storage; volatile: its store publishes a fully built storage (RCU). */
    private volatile Storage root;
    /** Why the tree stopped serving (a write that failed mid-rebalance); null while it serves. */
    private volatile Throwable failure;

    TreeEngine(CellStoreFactory factory, int segmentSize, int minSegments, Storage initial) {
        this.factory = factory;
        this.segmentSize = segmentSize;
        this.refs = initial.refs;
        this.minSegments = minSegments;
        this.structure = new StructureChanges(this);
        this.root = initial;
    }

    /** The published storage; throws if the tree is closed or failed. */
    Storage storage() {
        Storage st = root; // volatile load: sees a fully built storage (published by volatile store)
        if (st == Storage.CLOSED) {
            Throwable why = failure;
            if (why != null) {
                throw new IllegalStateException("CobTree stopped serving after a write failed while moving cells ("
                        + why + "); close it and rebuild or reopen the index", why);
            }
            throw new IllegalStateException("CobTree is closed");
        }
        return st;
    }

    /** The published root, possibly {@link Storage#CLOSED}. */
    Storage root() {
        return root;
    }

    /**
     * Publishes {@code next} in place of {@code expected}: one CAS (volatile: every later reader of
     * the root sees {@code next} fully built). False if the root is no longer {@code expected}
     * (the tree failed meanwhile); the caller then discards {@code next}.
     */
    boolean publish(Storage expected, Storage next) {
        return ROOT.compareAndSet(this, expected, next);
    }

    Throwable failure() {
        return failure;
    }

    /**
     * A write failed after it had started moving cells of the locked window {@code [a, b)} of
     * {@code st}: the window cannot be trusted, so the tree stops serving. Publishes the closed
     * root (with the cause), invalidates every segment of {@code st} so that spinning readers and
     * waiting writers reload the root and throw, then releases the window with a version bump so
     * that no reader can validate a snapshot taken before the failure. The store is left as it is
     * (a mapped file stays marked unclean, so a reopen refuses it); {@code close()} releases it.
     */
    void fail(Storage st, int a, int b, Throwable cause) {
        failure = cause; // before the root: a reader that sees CLOSED finds the cause (volatile)
        failedStorage = st;
        // CAS (volatile): cannot fail while the window is locked, since a resize or close must
        // freeze every segment (ours included) before it can replace the root
        ROOT.compareAndSet(this, st, Storage.CLOSED);
        for (int s = 0; s < st.segments; s++) {
            st.headers.invalidate(s);
        }
        for (int s = a; s < b; s++) {
            st.headers.unlock(s);
        }
    }

    /** The storage a failed tree held, released by close; written before the failure is visible. */
    private volatile Storage failedStorage;

    Storage failedStorage() {
        return failedStorage;
    }
}
