package dev.cobtree.storage;

/**
 * Makes {@link OffHeapCellStore}s for one index and frees them through an {@link EpochReclaimer}:
 * a store retired by a resize is released (its arena closed) once every reader pinned before
 * the resize has left. Nothing survives the process: {@link #recover()} has nothing to offer.
 *
 * <p>One factory per index (it owns the reclaimer and its reader slots).
 */
public final class OffHeapCellStoreFactory implements CellStoreFactory {

    /** How long close() waits for readers still inside the live store before releasing it anyway. */
    static final long CLOSE_WAIT_NANOS = 1_000_000_000L;

    private final EpochReclaimer reclaimer;
    private final CellLayout.Arrangement arrangement;
    private volatile boolean closed;

    /** A factory of stores in the default layout with the reclaimer's default thresholds and background retries. */
    public OffHeapCellStoreFactory() {
        this(CellLayout.Arrangement.SEPARATE_META);
    }

    /** A factory of stores in {@code arrangement} (the interleaved one is kept for measurement: docs/BENCH.md). */
    public OffHeapCellStoreFactory(CellLayout.Arrangement arrangement) {
        this.reclaimer = new EpochReclaimer(CellStore::close);
        this.arrangement = arrangement;
    }

    /** A factory whose reclaimer uses the given thresholds (see {@link EpochReclaimer}). */
    public OffHeapCellStoreFactory(long byteThreshold, int countThreshold, boolean backgroundRetry) {
        this.reclaimer = new EpochReclaimer(CellStore::close, byteThreshold, countThreshold, backgroundRetry);
        this.arrangement = CellLayout.Arrangement.SEPARATE_META;
    }

    @Override
    public CellStore create(long segments, int segmentSize) {
        if (closed) {
            throw new IllegalStateException("storage factory is closed");
        }
        if (segments < 1) {
            throw new IllegalArgumentException("segments " + segments + " must be positive");
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        return new OffHeapCellStore(Math.multiplyExact(segments, (long) segmentSize), CellLayout.of(arrangement, segmentSize));
    }

    @Override
    public void retire(CellStore store) {
        reclaimer.retire(store);
    }

    @Override
    public long pin() {
        return reclaimer.pin();
    }

    @Override
    public void unpin(long ticket) {
        reclaimer.unpin(ticket);
    }

    /** The reclaimer behind {@link #pin()} and {@link #retire}, for observation. */
    public EpochReclaimer reclaimer() {
        return reclaimer;
    }

    /**
     * Off-heap memory does not survive the process: releases {@code live} and every retired store,
     * once the readers still pinned have left (waiting at most {@link #CLOSE_WAIT_NANOS}).
     * Idempotent.
     */
    @Override
    public void close(CellStore live, long entryCount) {
        closed = true;
        try {
            reclaimer.awaitReaders(CLOSE_WAIT_NANOS); // readers still inside the live or a retired store finish first
            if (live != null) {
                live.close();
            }
        } finally {
            reclaimer.close();
        }
    }

    @Override
    public String toString() {
        return switch (arrangement) {
            case SEPARATE_META -> "off-heap";
            case COLUMNAR -> "off-heap (meta words inside segments)";
            case INTERLEAVED -> "off-heap (interleaved cells)";
        };
    }
}
