package dev.cobtree.core;

/**
 * A snapshot of one {@link CobTree}'s size, memory and engine counters, taken by
 * {@link CobTree#statistics()}: what a metrics system (see the {@code cobtree-micrometer}
 * module) or a log line reports. The counters only grow over the tree's life; the gauges
 * ({@code size}, {@code capacity}, {@code memoryBytes} and the reclamation backlog) are the values
 * at the call. Read at slightly different instants under concurrent writers, so they need not
 * agree with each other exactly.
 *
 * @param size                  entries ({@link CobTree#size()}: exact when no writer is active)
 * @param capacity              cells allocated by the current store ({@link CobTree#capacity()})
 * @param memoryBytes           bytes held by the index, cells and metadata ({@link CobTree#memoryBytes()})
 * @param resizes               times the array was replaced by a larger or smaller one
 * @param rebalances            window rebalances (a full segment spreading into its neighbours)
 * @param rebalanceCellsMoved   cells those rebalances moved
 * @param writerRetries         writes that started over: they met a resize, or the key's home
 *                              segment changed while they waited for it
 * @param readerRetries         reader snapshots taken again because a writer held the segment or
 *                              changed it during the read (point reads and navigation; cursors
 *                              and counts retry without counting)
 * @param reclamationBacklogStores retired stores not yet released, waiting for readers that may
 *                              still use them (always 0 for the heap store, whose retired arrays
 *                              the garbage collector reclaims)
 * @param reclamationBacklogBytes bytes of those stores
 * @param openSnapshots         snapshots open now ({@link CobTree#snapshot()})
 * @param snapshotPreImages     segment pre-images open snapshots hold now (one shared by several counted once)
 * @param snapshotPreImageBytes heap bytes of those pre-images: what open snapshots cost beyond
 *                              the live index, growing with every segment first written after a
 *                              snapshot was taken, up to about one copy of the index per
 *                              generation of snapshots open at once
 * @param snapshotHeldStorages  replaced storages (by a resize or {@code clear()}) that open
 *                              snapshots still hold, each the size of the storage it was
 * @param snapshotPreImagesKept pre-images kept over the tree's life (a counter)
 * @param snapshotsInvalidated  snapshots invalidated because their pre-images went over the
 *                              tree's {@link CobTree.Builder#snapshotMemoryLimit(long) snapshotMemoryLimit}
 *                              (a counter)
 */
public record CobTreeStatistics(long size, long capacity, long memoryBytes,
                                long resizes, long rebalances, long rebalanceCellsMoved,
                                long writerRetries, long readerRetries,
                                long reclamationBacklogStores, long reclamationBacklogBytes,
                                long openSnapshots, long snapshotPreImages, long snapshotPreImageBytes,
                                long snapshotHeldStorages, long snapshotPreImagesKept,
                                long snapshotsInvalidated) {
}
