package dev.cobtree.storage;

/**
 * Makes {@link HeapCellStore}s. The garbage collector reclaims a retired store once the last
 * reader drops its reference, so pinning costs nothing and retiring does nothing.
 */
public final class HeapCellStoreFactory implements CellStoreFactory {

    /** Stateless: one instance serves every index (the default layout: keys and values per segment, meta words apart). */
    public static final HeapCellStoreFactory INSTANCE = new HeapCellStoreFactory(CellLayout.Arrangement.SEPARATE_META);

    /** Stores in issue 11's first columnar layout (meta, keys, values per segment), kept for measurement (docs/BENCH.md). */
    public static final HeapCellStoreFactory COLUMNAR = new HeapCellStoreFactory(CellLayout.Arrangement.COLUMNAR);

    /** Stores in the interleaved layout of cobtree before issue 11, kept for measurement (docs/BENCH.md). */
    public static final HeapCellStoreFactory INTERLEAVED = new HeapCellStoreFactory(CellLayout.Arrangement.INTERLEAVED);

    /** Stores whose values are object references ({@link HeapObjectCellStore}), for object-valued trees. */
    public static final HeapCellStoreFactory REFERENCES = new HeapCellStoreFactory(CellLayout.Arrangement.SEPARATE_META, true);

    private final CellLayout.Arrangement arrangement;
    private final boolean references;

    private HeapCellStoreFactory(CellLayout.Arrangement arrangement) {
        this(arrangement, false);
    }

    private HeapCellStoreFactory(CellLayout.Arrangement arrangement, boolean references) {
        this.arrangement = arrangement;
        this.references = references;
    }

    /** {@link #REFERENCES} (from any heap factory: object values are stored in the default layout). */
    @Override
    public CellStoreFactory withReferenceValues() {
        return REFERENCES;
    }

    @Override
    public CellStore create(long segments, int segmentSize) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments " + segments + " must be positive");
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        if (references) {
            return new HeapObjectCellStore(Math.multiplyExact(segments, (long) segmentSize), segmentSize);
        }
        return new HeapCellStore(Math.multiplyExact(segments, (long) segmentSize), CellLayout.of(arrangement, segmentSize));
    }

    @Override
    public void retire(CellStore store) {
        // Nothing to free by hand: a pinned-less reader may still hold the array; the GC waits for it.
    }

    @Override
    public long pin() {
        return 0L;
    }

    @Override
    public void unpin(long ticket) {
    }

    @Override
    public void close(CellStore live, long entryCount) {
        if (live != null) {
            live.close();
        }
    }

    @Override
    public String toString() {
        return references ? "heap (object values)" : switch (arrangement) {
            case SEPARATE_META -> "heap";
            case COLUMNAR -> "heap (meta words inside segments)";
            case INTERLEAVED -> "heap (interleaved cells)";
        };
    }
}
