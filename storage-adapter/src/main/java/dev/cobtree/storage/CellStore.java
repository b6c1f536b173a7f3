package dev.cobtree.storage;

/**
 * A fixed-capacity array of cells, the unit of storage of a cobtree index.
 *
 * <p>A cell is a 32-bit {@code meta} word (the cell's seqlock word and inline marker, owned by
 * index-core) and two longs, {@code key} and {@code value}, placed in memory as its
 * {@link CellLayout} says (by default: per segment, its keys then its values; the meta words in a
 * column of 32-bit words after all segments). The meta word travels in a {@code long}: loads
 * return it zero-extended (in {@code [0, 2^32)}), and a store given a value outside that range
 * refuses it ({@link #checkMeta}) rather than keep part of it. A store
 * never interprets them; it only offers the
 * memory-access modes the index's concurrency protocol needs, each wrapped once here so that
 * the algorithm code never touches raw memory:
 * <ul>
 *   <li><b>acquire</b> loads of {@code meta}: later loads of the same thread cannot move above them;</li>
 *   <li><b>release</b> stores of {@code meta}: earlier stores cannot move below them;</li>
 *   <li><b>opaque</b> loads and stores: atomic (never torn, JLS 17.7 does not promise that for plain
 *       {@code long}s) and never hoisted out of a retry loop by the JIT, but unordered;</li>
 *   <li><b>plain</b> access, for the thread that owns a cell under its writer lock or for a store
 *       that is not yet published;</li>
 *   <li>a <b>CAS</b> on {@code meta}.</li>
 * </ul>
 *
 * <p>Cells are addressed by a {@code long} index in {@code [0, capacity())}. Stores are not
 * required to check bounds on the hot accessors (the index computes every address from its own
 * immutable layout); {@link #checkIndex} is there for the cold paths.
 *
 * <p>A store is created by a {@link CellStoreFactory}, which also decides when its memory may be
 * released (see {@link CellStoreFactory#retire}).
 */
public interface CellStore extends AutoCloseable {

    /** Number of cells. */
    long capacity();

    /** Cells per segment of the index that owns this store (layout metadata persisted by file stores). */
    int segmentSize();

    // ---- meta: the per-cell seqlock word ----------------------------------------------------

    /** The largest meta word: meta words are 32 bits. */
    long MAX_META = 0xFFFF_FFFFL;

    /**
     * {@code meta} as the 32-bit word a store keeps (its low 32 bits, as an {@code int}).
     *
     * @throws IllegalArgumentException if {@code meta} is outside {@code [0, MAX_META]}
     */
    static int checkMeta(long meta) {
        if (!isMeta(meta)) {
            throw new IllegalArgumentException("meta word " + meta + " (0x" + Long.toHexString(meta)
                    + ") does not fit the 32 bits a cell's meta word has");
        }
        return (int) meta;
    }

    /** Whether {@code m} is a meta word (in {@code [0, MAX_META]}): a CAS expecting anything else cannot succeed. */
    static boolean isMeta(long m) {
        return (m >>> 32) == 0;
    }

    /** The meta word a store keeps as an {@code int}, zero-extended back into a {@code long}. */
    static long metaOf(int stored) {
        return Integer.toUnsignedLong(stored);
    }

    /** Acquire load of {@code meta}: orders the loads of key/value that follow after it. */
    long metaAcquire(long cell);

    /** Opaque load of {@code meta}: atomic, re-read on every call, no ordering. */
    long metaOpaque(long cell);

    /** Plain load of {@code meta}, for the lock holder. */
    long metaPlain(long cell);

    /** Release store of {@code meta}: publishes every earlier store (key/value) before the new word. */
    void metaRelease(long cell, long meta);

    /** Opaque store of {@code meta}: atomic, no ordering; pair it with an explicit fence. */
    void metaOpaque(long cell, long meta);

    /** Volatile CAS of {@code meta}. */
    boolean metaCompareAndSet(long cell, long expected, long update);

    // ---- key and value ----------------------------------------------------------------------

    /** Opaque load of the key, for racy readers (validated afterwards by a seqlock). */
    long keyOpaque(long cell);

    /** Opaque load of the value, for racy readers (validated afterwards by a seqlock). */
    long valueOpaque(long cell);

    /** Plain load of the key, for the lock holder or an unpublished store. */
    long keyPlain(long cell);

    /** Plain load of the value, for the lock holder or an unpublished store. */
    long valuePlain(long cell);

    /** Opaque store of the key (racy readers may see it; they validate before use). */
    void keyOpaque(long cell, long key);

    /** Opaque store of the value (racy readers may see it; they validate before use). */
    void valueOpaque(long cell, long value);

    /** Plain store of a whole cell, for a store that no other thread can see yet. */
    void setPlain(long cell, long meta, long key, long value);

    /**
     * Plain store of a whole cell and its reference, for a store that no other thread can see
     * yet (its publication orders these stores).
     *
     * @throws UnsupportedOperationException for a non-null reference on a store without the column
     */
    default void setPlain(long cell, long meta, long key, long value, Object ref) {
        if (ref != null) {
            throw new UnsupportedOperationException(this + " holds long values only, not object references");
        }
        setPlain(cell, meta, key, value);
    }

    // ---- the reference column (object values; heap stores made for them only) -------------------

    /**
     * Whether each cell also holds an object reference (the value of a {@code LongObjectTree}),
     * in a column parallel to the keys. Such a store keeps no {@code long} values: its value
     * loads return 0 and its value stores are ignored. A store without the column (every
     * off-heap and mapped store) reads {@code null} references and refuses non-null ones.
     */
    default boolean holdsReferences() {
        return false;
    }

    /** Opaque load of the reference, for racy readers (validated afterwards by a seqlock, then an acquire fence). */
    default Object refOpaque(long cell) {
        return null;
    }

    /** Plain load of the reference, for the lock holder or an unpublished store. */
    default Object refPlain(long cell) {
        return null;
    }

    /**
     * Release store of the reference: the referenced object's construction is visible to any
     * reader that loads the reference and then fences (acquire) before using it.
     *
     * @throws UnsupportedOperationException for a non-null reference on a store without the column
     */
    default void refRelease(long cell, Object ref) {
        if (ref != null) {
            throw new UnsupportedOperationException(this + " holds long values only, not object references");
        }
    }

    /** {@link #copyRefs(long, int, Object[], int)} into {@code refs[0, count)}. */
    default void copyRefs(long fromCell, int count, Object[] refs) {
        copyRefs(fromCell, count, refs, 0);
    }

    /**
     * Copies the references of the {@code count} cells from {@code fromCell} into
     * {@code refs[at, at + count)}, each loaded atomically but in no particular order (the caller
     * fences and re-validates, as for {@link #copyEntries}). A store without the column writes nulls.
     */
    default void copyRefs(long fromCell, int count, Object[] refs, int at) {
        java.util.Arrays.fill(refs, at, at + count, null);
    }

    // ---- bulk and lifecycle -----------------------------------------------------------------

    /** Where each word of each cell lives ({@link CellLayout}); fixed for the store's life. */
    CellLayout layout();

    /**
     * Copies the keys of the {@code count} cells from {@code fromCell} into {@code keys[0, count)}
     * and their values into {@code values[0, count)}: {@link #copyEntries(long, int, long[], long[], int)} at 0.
     *
     * @throws IndexOutOfBoundsException if the cells are outside the store or an array is too short
     */
    default void copyEntries(long fromCell, int count, long[] keys, long[] values) {
        copyEntries(fromCell, count, keys, values, 0);
    }

    /**
     * Copies the keys of the {@code count} cells from {@code fromCell} into
     * {@code keys[at, at + count)} and their values into {@code values[at, at + count)} (never the
     * meta words), for a reader that validates a seqlock afterwards: each long is read atomically
     * (never torn) but in no particular order, so the caller must put an acquire fence between
     * this copy and its re-validation. Stores copy each run of consecutive keys and values
     * ({@link CellLayout#runEnd}) with one bulk copy each. A store that {@link #holdsReferences()}
     * (whose values all read 0) accepts a null {@code values} and copies the keys only: an
     * object-valued tree's cursors keep no value buffer.
     *
     * @throws IndexOutOfBoundsException if the cells are outside the store or an array is too short
     */
    default void copyEntries(long fromCell, int count, long[] keys, long[] values, int at) {
        java.util.Objects.checkFromIndexSize(fromCell, count, capacity());
        java.util.Objects.checkFromIndexSize(at, count, values == null ? keys.length : Math.min(keys.length, values.length));
        for (int i = 0; i < count; i++) {
            keys[at + i] = keyOpaque(fromCell + i);
            if (values != null) {
                values[at + i] = valueOpaque(fromCell + i);
            }
        }
    }

    /**
     * Writes {@code count} entries with plain stores into the cells from {@code toCell}, every meta
     * word {@code meta}, the keys from {@code keys[at, at + count)} and the values from
     * {@code values[at, at + count)}: {@link #setPlain(long, long, long, long)} cell by cell, for a
     * store that no reader can see yet (one being built by a resize or a bulk load, published later
     * by a release store of the index). Stores whose segments hold consecutive keys, values and
     * meta words write each segment's run with bulk copies and one fill.
     *
     * @throws IndexOutOfBoundsException if the cells are outside the store or an array is too short
     */
    default void setPlain(long toCell, long meta, long[] keys, long[] values, int at, int count) {
        java.util.Objects.checkFromIndexSize(toCell, count, capacity());
        java.util.Objects.checkFromIndexSize(at, count, Math.min(keys.length, values.length));
        for (int i = 0; i < count; i++) {
            setPlain(toCell + i, meta, keys[at + i], values[at + i]);
        }
    }

    /**
     * Moves the keys, values and references of the {@code count} cells from {@code fromCell} to
     * the {@code count} cells from {@code toCell}, never the meta words; the two ranges may
     * overlap (the result is as if copied through a buffer) and must lie in one segment. For a writer that holds the lock of that
     * segment and has opened the seqlock of every destination cell (odd word, then a store-store
     * fence): readers trust no data of an odd cell, so these stores may be of any width and in
     * any order, and the writer's release of each even word afterwards publishes them. A moved
     * reference was published by the release store that first wrote it; moving it needs no new
     * release of its own. Stores with consecutive keys move each column with one bulk copy;
     * this default moves cell by cell in the order the overlap needs.
     *
     * @throws IndexOutOfBoundsException if either range is outside the store
     */
    default void moveEntries(long fromCell, long toCell, int count) {
        checkMove(fromCell, toCell, count);
        boolean refs = holdsReferences();
        if (toCell > fromCell) {
            for (int i = count - 1; i >= 0; i--) {
                moveCell(fromCell + i, toCell + i, refs);
            }
        } else {
            for (int i = 0; i < count; i++) {
                moveCell(fromCell + i, toCell + i, refs);
            }
        }
    }

    private void moveCell(long from, long to, boolean refs) {
        keyOpaque(to, keyPlain(from));
        valueOpaque(to, valuePlain(from));
        if (refs) {
            refRelease(to, refPlain(from));
        }
    }

    /** Throws unless cells {@code [fromCell, fromCell + count)} and {@code [toCell, toCell + count)} lie in the store and in one segment. */
    default void checkMove(long fromCell, long toCell, int count) {
        java.util.Objects.checkFromIndexSize(fromCell, count, capacity());
        java.util.Objects.checkFromIndexSize(toCell, count, capacity());
        long first = Math.min(fromCell, toCell);
        long last = Math.max(fromCell, toCell) + count - 1;
        if (count > 0 && first / segmentSize() != last / segmentSize()) {
            throw new IndexOutOfBoundsException("cells [" + fromCell + ", " + (fromCell + count) + ") -> [" + toCell + ", "
                    + (toCell + count) + ") are not in one segment of " + segmentSize() + " cells");
        }
    }

    /** Whether the memory is still accessible (false after {@link #close()}). */
    boolean isOpen();

    /** Approximate bytes of memory this store holds (for memory-per-entry reports). */
    long memoryBytes();

    /** Throws {@link IndexOutOfBoundsException} naming {@code cell} if it is outside the store. */
    default void checkIndex(long cell) {
        if (cell < 0 || cell >= capacity()) {
            throw new IndexOutOfBoundsException("cell " + cell + " outside [0, " + capacity() + ")");
        }
    }

    /**
     * Releases the memory now. Only the {@link CellStoreFactory} that made the store calls this,
     * once no reader can touch it any more. Idempotent.
     */
    @Override
    void close();

    /** The file behind the cells, for messages; {@code null} for a store that lives in memory only. */
    default java.nio.file.Path file() {
        return null;
    }
}
