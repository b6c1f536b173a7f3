package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.EpochReclaimer;
import dev.cobtree.storage.MappedCellStoreFactory;
import dev.cobtree.storage.OffHeapCellStoreFactory;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one tree's rare events, read by {@link CobTree#statistics()}. Each is incremented
 * only off the fast paths: once per resize, once per window rebalance (with the cells it moved),
 * once per write that starts over, once per reader snapshot that a writer held or invalidated.
 * A point read or write that finds its segment free and unchanged touches none of them.
 * {@link LongAdder}s, so that writers retrying on different cores do not contend on one line.
 */
final class TreeCounters {

    final LongAdder resizes = new LongAdder();
    final LongAdder rebalances = new LongAdder();
    final LongAdder cellsMoved = new LongAdder();
    final LongAdder writerRetries = new LongAdder();
    final LongAdder readerRetries = new LongAdder();
    /**
     * Point lookups, ceilings and floors that gave up their optimistic walk and read under locks
     * ({@link LockedReads}); not in the statistics record (tests read it: a reader that keeps
     * meeting a writer should get a turn long before it gives up).
     */
    final LongAdder lockedReads = new LongAdder();

    /** A window rebalance finished, having moved {@code cells} cells. */
    void rebalanced(long cells) {
        rebalances.increment();
        cellsMoved.add(cells);
    }

    /** The tree's statistics now: its counters, its size and memory, its store factory's backlog. */
    CobTreeStatistics snapshot(long size, long capacity, long memoryBytes, CellStoreFactory factory, Snapshots snapshots) {
        EpochReclaimer r = factory instanceof OffHeapCellStoreFactory f ? f.reclaimer()
                : factory instanceof MappedCellStoreFactory f ? f.reclaimer()
                : null; // the heap store: a retired array is the garbage collector's
        long pendingStores = r == null ? 0 : Math.max(0, r.retiredCount() - r.freedCount());
        long pendingBytes = r == null ? 0 : r.bytesOutstanding();
        return new CobTreeStatistics(size, capacity, memoryBytes,
                resizes.sum(), rebalances.sum(), cellsMoved.sum(), writerRetries.sum(), readerRetries.sum(),
                pendingStores, pendingBytes,
                snapshots.openCount(), snapshots.preImageCount(), snapshots.preImageBytes(), snapshots.heldStorages(),
                snapshots.preImagesKept(), snapshots.invalidatedCount());
    }
}
