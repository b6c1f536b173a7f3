package dev.cobtree.storage;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Cells outside the Java heap, in one {@link MemorySegment} of little-endian 64-bit words
 * arranged as the store's {@link CellLayout} says (by default: per segment, its keys then its
 * values; word {@code w} at byte {@code 8w}), followed by the column of 32-bit meta words (in the
 * layouts kept for measurement, each meta word has a 64-bit slot among the words instead). The
 * memory starts on a 64-byte boundary, so with a segment size that is a multiple of 8 each
 * segment's key run and value run start on a cache line; every word is 8-byte aligned and every
 * meta word 4-byte aligned, so every access below is single-copy atomic.
 *
 * <p>This class is the only place where cell memory is touched: every access goes through the
 * {@link #WORD} var handle (a {@code JAVA_LONG} view with coordinates {@code (segment, byteOffset)})
 * or, for the 32-bit meta words, the {@link #META} one, with the access mode documented in {@link CellStore}. The memory is little-endian on every platform so that a mapped file is
 * portable; on x86 and ARM that costs nothing.
 *
 * <p>The memory belongs to an {@link Arena} (shared: every reader thread may access it) and is
 * released by {@link #close()}, which closes the arena. After that any access throws
 * {@link IllegalStateException} instead of touching freed memory; the {@link EpochReclaimer}
 * makes sure that the index never closes a store a pinned reader may still read.
 * {@link MappedCellStore} is the same store over a memory-mapped file.
 */
public sealed class OffHeapCellStore implements CellStore permits MappedCellStore {

    /** Alignment of the first cell: a cache line. */
    public static final long ALIGNMENT = 64;

    /** Little-endian 64-bit word; its natural 8-byte alignment is checked by the var handle. */
    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The one var handle through which cells are read and written: coordinates (segment, byte offset). */
    private static final VarHandle WORD = LONG_LE.varHandle();

    /** Little-endian 32-bit meta word; its natural 4-byte alignment is checked by the var handle. */
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The var handle of the 32-bit meta words (the default layout's meta column): coordinates (segment, byte offset). */
    private static final VarHandle META = INT_LE.varHandle();

    private final MemorySegment cells;
    private final Arena arena;
    private final long capacity;
    private final CellLayout layout;
    /** Whether meta words are 32-bit slots ({@link #META}) rather than 64-bit words ({@link #WORD}). */
    private final boolean intMeta;
    private final AtomicBoolean open = new AtomicBoolean(true);

    /** A zeroed store of {@code capacity} cells in the default layout, in a fresh shared arena. */
    public OffHeapCellStore(long capacity, int segmentSize) {
        this(capacity, CellLayout.separateMeta(segmentSize));
    }

    /** A zeroed store of {@code capacity} cells in {@code layout}, in a fresh shared arena. */
    public OffHeapCellStore(long capacity, CellLayout layout) {
        this(checkLayout(capacity, layout), Arena.ofShared(), capacity, layout);
    }

    private OffHeapCellStore(long bytes, Arena arena, long capacity, CellLayout layout) {
        this(allocate(arena, bytes), arena, capacity, layout);
    }

    /** A store over {@code cells}, owned by {@code arena} (closed by {@link #close()}). */
    OffHeapCellStore(MemorySegment cells, Arena arena, long capacity, CellLayout layout) {
        if (cells.byteSize() != checkLayout(capacity, layout)) {
            throw new IllegalArgumentException("segment of " + cells.byteSize() + " bytes does not hold exactly " + capacity + " cells");
        }
        if (cells.address() % ALIGNMENT != 0) {
            throw new IllegalArgumentException("cells at address " + cells.address() + " are not " + ALIGNMENT + "-byte aligned");
        }
        this.cells = cells;
        this.arena = arena;
        this.capacity = capacity;
        this.layout = layout.bind(capacity);
        this.intMeta = layout.metaBytes == Integer.BYTES;
    }

    /** Validates the shape (see {@link CellLayout#words}) and returns the byte size of the cells. */
    static long checkLayout(long capacity, CellLayout layout) {
        return layout.bytes(capacity);
    }

    private static MemorySegment allocate(Arena arena, long bytes) {
        try {
            return arena.allocate(bytes, ALIGNMENT); // zero-filled by the arena
        } catch (RuntimeException | OutOfMemoryError e) {
            arena.close();
            throw e;
        }
    }

    private long meta(long cell) {
        return layout.metaByte(cell);
    }

    private long key(long cell) {
        return layout.keyWord(cell) * Long.BYTES;
    }

    private long value(long cell) {
        return layout.valueWord(cell) * Long.BYTES;
    }

    @Override public final long capacity() { return capacity; }
    @Override public final int segmentSize() { return layout.segmentSize; }
    @Override public final CellLayout layout() { return layout; }

    // Each meta accessor: the 32-bit column (the default layout) or a 64-bit slot (layouts kept
    // for measurement); intMeta is final, so the test is a predictable branch on a constant.
    // acquire: no later load of this thread (key, value, meta re-check) moves above this load.
    @Override
    public final long metaAcquire(long cell) {
        return intMeta ? CellStore.metaOf((int) META.getAcquire(cells, meta(cell))) : (long) WORD.getAcquire(cells, meta(cell));
    }

    // opaque: a fresh, untorn read on every call (the JIT may not hoist it out of a retry loop); no ordering.
    @Override
    public final long metaOpaque(long cell) {
        return intMeta ? CellStore.metaOf((int) META.getOpaque(cells, meta(cell))) : (long) WORD.getOpaque(cells, meta(cell));
    }

    // plain: only the writer-lock holder calls it; its own earlier stores are visible to it.
    @Override
    public final long metaPlain(long cell) {
        return intMeta ? CellStore.metaOf((int) META.get(cells, meta(cell))) : (long) WORD.get(cells, meta(cell));
    }

    // release: every earlier store of this thread (key, value) is visible before the new meta word.
    @Override
    public final void metaRelease(long cell, long m) {
        int stored = CellStore.checkMeta(m);
        if (intMeta) {
            META.setRelease(cells, meta(cell), stored);
        } else {
            WORD.setRelease(cells, meta(cell), m);
        }
    }

    // opaque: untorn, not elided, unordered; the caller pairs it with an explicit fence.
    @Override
    public final void metaOpaque(long cell, long m) {
        int stored = CellStore.checkMeta(m);
        if (intMeta) {
            META.setOpaque(cells, meta(cell), stored);
        } else {
            WORD.setOpaque(cells, meta(cell), m);
        }
    }

    // volatile CAS: a full two-way barrier; one atomic transition of the seqlock/marker word.
    @Override
    public final boolean metaCompareAndSet(long cell, long e, long u) {
        int stored = CellStore.checkMeta(u);
        if (!CellStore.isMeta(e)) {
            return false; // no meta word holds it
        }
        return intMeta ? META.compareAndSet(cells, meta(cell), (int) e, stored) : WORD.compareAndSet(cells, meta(cell), e, u);
    }

    // opaque loads/stores of key and value: untorn and re-read each time; readers validate them with meta afterwards.
    @Override public final long keyOpaque(long cell) { return (long) WORD.getOpaque(cells, key(cell)); }
    @Override public final long valueOpaque(long cell) { return (long) WORD.getOpaque(cells, value(cell)); }
    // plain loads: lock holder or unpublished store only.
    @Override public final long keyPlain(long cell) { return (long) WORD.get(cells, key(cell)); }
    @Override public final long valuePlain(long cell) { return (long) WORD.get(cells, value(cell)); }
    @Override public final void keyOpaque(long cell, long k) { WORD.setOpaque(cells, key(cell), k); }
    @Override public final void valueOpaque(long cell, long v) { WORD.setOpaque(cells, value(cell), v); }

    // plain stores: the store is not yet visible to any other thread; its publication (a volatile root store) orders them.
    @Override
    public final void setPlain(long cell, long m, long k, long v) {
        int stored = CellStore.checkMeta(m);
        if (intMeta) {
            META.set(cells, meta(cell), stored);
        } else {
            WORD.set(cells, meta(cell), m);
        }
        WORD.set(cells, key(cell), k);
        WORD.set(cells, value(cell), v);
    }

    /**
     * Two bulk copies per run of consecutive keys (one segment, columnar): {@code MemorySegment.copy}
     * moves memory with {@code Unsafe.copyMemory} semantics, in 8-byte units when addresses and
     * length are multiples of 8 (they are: every word is 8-byte aligned), so no long is torn.
     * Interleaved cells are copied word by word (opaque loads). Nothing is ordered: the caller
     * puts its acquire fence before re-validating.
     */
    @Override
    public final void copyEntries(long fromCell, int count, long[] keys, long[] values, int at) {
        java.util.Objects.checkFromIndexSize(fromCell, count, capacity);
        if (!layout.keysContiguous()) {
            java.util.Objects.checkFromIndexSize(at, count, Math.min(keys.length, values.length));
            for (int i = 0; i < count; i++) {
                keys[at + i] = (long) WORD.getOpaque(cells, key(fromCell + i));
                values[at + i] = (long) WORD.getOpaque(cells, value(fromCell + i));
            }
            return;
        }
        for (int done = 0; done < count; ) {
            long c = fromCell + done;
            int run = (int) Math.min(count - done, layout.runEnd(c) - c);
            MemorySegment.copy(cells, LONG_LE, key(c), keys, at + done, run);
            MemorySegment.copy(cells, LONG_LE, value(c), values, at + done, run);
            done += run;
        }
    }

    /**
     * One overlapping {@link MemorySegment#copy(MemorySegment, long, MemorySegment, long, long)}
     * per column when a segment's keys are consecutive (its bytes may be moved in any width: the
     * destinations are odd, see {@link CellStore#moveEntries}); interleaved cells cell by cell.
     */
    @Override
    public final void moveEntries(long fromCell, long toCell, int count) {
        if (!layout.keysContiguous()) {
            CellStore.super.moveEntries(fromCell, toCell, count);
            return;
        }
        checkMove(fromCell, toCell, count);
        long bytes = (long) count * Long.BYTES;
        MemorySegment.copy(cells, key(fromCell), cells, key(toCell), bytes);
        MemorySegment.copy(cells, value(fromCell), cells, value(toCell), bytes);
    }

    @Override public final boolean isOpen() { return open.get(); }

    @Override public long memoryBytes() { return cells.byteSize(); }

    /** The cell memory, for the persistence code of this package (checksums, flushes). */
    final MemorySegment cells() {
        return cells;
    }

    /**
     * Closes the arena: the memory is released (unmapped for a mapped store) and every later
     * access throws {@link IllegalStateException}. Idempotent and safe to race: one caller wins.
     */
    @Override
    public void close() {
        if (open.compareAndSet(true, false)) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + capacity + " cells, " + layout + (isOpen() ? "" : ", closed") + "]";
    }
}
