/**
 * Where a cobtree index keeps its cells: the {@link dev.cobtree.storage.CellStore} SPI and its
 * stores.
 *
 * <ul>
 *   <li>{@link dev.cobtree.storage.HeapCellStoreFactory}: cells in one {@code long[]} (the
 *       default);</li>
 *   <li>{@link dev.cobtree.storage.OffHeapCellStoreFactory}: cells in native memory (a
 *       {@code MemorySegment}), freed by {@link dev.cobtree.storage.EpochReclaimer} once no
 *       reader can touch them;</li>
 *   <li>{@link dev.cobtree.storage.MappedCellStoreFactory}: cells in a memory-mapped file,
 *       reopened after a clean close without a rebuild; a damaged or uncleanly closed file is
 *       refused with a {@link dev.cobtree.storage.CorruptIndexException};</li>
 *   <li>{@link dev.cobtree.storage.CheckpointFile}: crash-safe point-in-time images.</li>
 * </ul>
 *
 * <p>A store never interprets a cell; it offers the memory-access modes the index's concurrency
 * protocol needs (acquire, release, opaque, plain, CAS), each wrapped once. Applications pick a
 * factory and hand it to {@code CobTree.builder()}; they do not call a store's accessors.
 * docs/STORAGE.md in the repository describes every store, refusal and remedy.
 */
package dev.cobtree.storage;
