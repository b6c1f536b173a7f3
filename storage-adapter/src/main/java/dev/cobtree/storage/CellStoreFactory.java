package dev.cobtree.storage;

/**
 * Makes the {@link CellStore}s of one index and decides when their memory is released.
 *
 * <p>The index grows and shrinks by building a new store and publishing it with one atomic
 * store of its root (read-copy-update). The old store is then {@linkplain #retire retired}:
 * readers that started before the publication may still be reading it. A store on the garbage
 * collected heap needs nothing more (the collector frees it when no reader references it); a
 * store whose memory is freed by hand (off-heap, mapped) must wait until every such reader has
 * left. For that the index brackets every read operation (or every scan) with
 * {@link #pin()} / {@link #unpin(long)}; a heap factory makes both free.
 */
public interface CellStoreFactory extends AutoCloseable {

    /**
     * A fresh store of {@code segments * segmentSize} zeroed cells, not yet visible to any reader.
     *
     * @throws IllegalArgumentException if {@code segments < 1} or {@code segmentSize < 1}
     */
    CellStore create(long segments, int segmentSize);

    /**
     * A store that survives from an earlier run (a mapped file reopened after a clean close),
     * to be adopted by a new index instead of a fresh one; {@code null} when there is none.
     * A factory that cannot vouch for the contents (an unclean shutdown, a damaged file) throws
     * rather than return a store.
     */
    default CellStore recover() {
        return null;
    }

    /**
     * An index starts using this factory: called once, before it creates or recovers a store. A
     * factory that belongs to one index (it owns a directory, or frees stores by hand) throws
     * {@link IllegalStateException} on a second call, so that two indexes can never share, and
     * unmap, each other's stores. Default: any number of indexes (the heap).
     */
    default void attach() {
    }

    /**
     * The index accepted the store {@link #recover()} returned, finding {@code entries} entries in
     * it, and is about to change its cells. Until this call the recovered store must be left as it
     * was found, so that an index that refuses it (or fails to build around it) costs nothing. A
     * factory that persists stores checks {@code entries} against what it recorded and marks the
     * store in use here.
     *
     * @throws CorruptIndexException if {@code entries} disagrees with the count recorded at the clean close
     */
    default void adopted(CellStore store, long entries) {
    }

    /** The index no longer publishes {@code store}: release it once no pinned reader can touch it. */
    void retire(CellStore store);

    /**
     * Marks the calling thread as reading the currently published store; returns a ticket for
     * {@link #unpin}. Must not block and must not allocate.
     */
    long pin();

    /** Ends the read started by the {@link #pin()} that returned {@code ticket}. */
    void unpin(long ticket);

    /**
     * The index is closing cleanly with {@code live} as its published store holding
     * {@code entryCount} entries: flush what must survive, then release everything.
     */
    void close(CellStore live, long entryCount);

    /** Releases everything this factory still holds, without any persistence. */
    @Override
    default void close() {
        close(null, 0);
    }

    /**
     * A factory of stores whose values are object references ({@link CellStore#holdsReferences}),
     * for an object-valued tree. Only the heap holds references: off-heap and mapped stores
     * serialise {@code long}s and refuse.
     *
     * @throws IllegalArgumentException if this factory's stores cannot hold object references
     */
    default CellStoreFactory withReferenceValues() {
        throw new IllegalArgumentException("object values need heap storage: " + this
                + " keeps long values only (off-heap and mapped cells cannot hold Java references)");
    }
}
