package dev.cobtree.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cells on the Java heap whose values are object references: a {@code long[]} of key words in
 * the {@link CellLayout#columnarReferences} layout (per segment, its keys; no value words), an
 * {@code int[]} column of 32-bit meta words and an {@code Object[]} reference column parallel to the cells (the
 * reference of cell {@code c} at {@link CellLayout#refSlot}{@code (c) = c}).
 *
 * <p>The references obey the cell protocol of the {@code long} values they replace: written by
 * the holder of the segment lock inside the cell's odd/even seqlock window, read racily and
 * validated afterwards. Two differences, both about the objects behind them:
 * <ul>
 *   <li>stores are <b>release</b> (free on x86 and a plain store plus a barrier on ARM): a reader
 *   that loads a reference and fences (acquire) before it dereferences it sees the object fully
 *   constructed, even when it loaded the reference through a race (the seqlock proves which
 *   reference is current; the release proves the object behind it is complete);</li>
 *   <li>the engine nulls every slot it vacates (removal, the tail of a shift, a Move source left
 *   behind, a cleared or resized-away storage), so a store never keeps a dead value reachable.</li>
 * </ul>
 * The {@code long} value accessors of {@link CellStore} read 0 and ignore stores: an object tree
 * never uses them, and not keeping the column saves 8 bytes per cell.
 */
public final class HeapObjectCellStore implements CellStore {

    /** Largest array the JVM allocates, divided by the two words of a cell. */
    public static final long MAX_CELLS = (Integer.MAX_VALUE - 8) / 2;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle METAS = MethodHandles.arrayElementVarHandle(int[].class);
    private static final VarHandle REFS = MethodHandles.arrayElementVarHandle(Object[].class);

    private final long[] words;
    private final int[] metas;
    private final Object[] refs;
    private final long capacity;
    private final CellLayout layout;
    private volatile boolean open = true;

    /** An empty store of {@code capacity} cells in the {@link CellLayout#columnarReferences} layout. */
    public HeapObjectCellStore(long capacity, int segmentSize) {
        if (capacity < 1 || capacity > MAX_CELLS) {
            throw new IllegalArgumentException("capacity " + capacity + " outside [1, " + MAX_CELLS + "] cells for a heap store");
        }
        this.layout = CellLayout.columnarReferences(segmentSize).bind(capacity);
        this.words = new long[Math.toIntExact(layout.words(capacity))];
        this.metas = new int[(int) capacity];
        this.refs = new Object[(int) capacity];
        this.capacity = capacity;
    }

    private int meta(long cell) {
        return (int) layout.metaSlot(cell);
    }

    private int key(long cell) {
        return (int) layout.keyWord(cell);
    }

    @Override public long capacity() { return capacity; }
    @Override public int segmentSize() { return layout.segmentSize; }
    @Override public CellLayout layout() { return layout; }
    @Override public boolean holdsReferences() { return true; }

    // meta: the modes and reasons of HeapCellStore (acquire/opaque/plain loads, release/opaque stores, volatile CAS)
    @Override public long metaAcquire(long cell) { return CellStore.metaOf((int) METAS.getAcquire(metas, meta(cell))); }
    @Override public long metaOpaque(long cell) { return CellStore.metaOf((int) METAS.getOpaque(metas, meta(cell))); }
    @Override public long metaPlain(long cell) { return CellStore.metaOf(metas[meta(cell)]); }
    @Override public void metaRelease(long cell, long m) { METAS.setRelease(metas, meta(cell), CellStore.checkMeta(m)); }
    @Override public void metaOpaque(long cell, long m) { METAS.setOpaque(metas, meta(cell), CellStore.checkMeta(m)); }

    @Override
    public boolean metaCompareAndSet(long cell, long e, long u) {
        int stored = CellStore.checkMeta(u);
        return CellStore.isMeta(e) && METAS.compareAndSet(metas, meta(cell), (int) e, stored); // no meta word holds a wider e
    }

    // opaque keys: untorn and re-read each time; readers validate with meta afterwards.
    @Override public long keyOpaque(long cell) { return (long) WORDS.getOpaque(words, key(cell)); }
    @Override public long keyPlain(long cell) { return words[key(cell)]; }
    @Override public void keyOpaque(long cell, long k) { WORDS.setOpaque(words, key(cell), k); }

    // no long values in this store (see the class comment)
    @Override public long valueOpaque(long cell) { return 0L; }
    @Override public long valuePlain(long cell) { return 0L; }
    @Override public void valueOpaque(long cell, long v) { }

    // opaque: a reference is never torn; the reader's seqlock re-check (after its acquire fence) decides if it is current
    @Override public Object refOpaque(long cell) { return REFS.getOpaque(refs, (int) cell); }
    // plain: the writer-lock holder only
    @Override public Object refPlain(long cell) { return refs[(int) cell]; }
    // release: the object's construction (earlier stores of the writer) is visible before the reference
    @Override public void refRelease(long cell, Object ref) { REFS.setRelease(refs, (int) cell, ref); }

    // plain: the store is not yet visible to another thread; its publication orders these stores.
    @Override
    public void setPlain(long cell, long m, long k, long v) {
        metas[meta(cell)] = CellStore.checkMeta(m);
        words[key(cell)] = k;
    }

    @Override
    public void setPlain(long cell, long m, long k, long v, Object ref) {
        metas[meta(cell)] = CellStore.checkMeta(m);
        words[key(cell)] = k;
        refs[(int) cell] = ref;
    }

    /**
     * One {@code System.arraycopy} of the key run per segment (never torn on 64-bit HotSpot);
     * values are all 0 and not copied, so {@code values} is ignored and may be null.
     */
    @Override
    public void copyEntries(long fromCell, int count, long[] keys, long[] values, int at) {
        Objects.checkFromIndexSize(fromCell, count, capacity);
        for (int done = 0; done < count; ) {
            long c = fromCell + done;
            int run = (int) Math.min(count - done, layout.runEnd(c) - c);
            System.arraycopy(words, key(c), keys, at + done, run);
            done += run;
        }
    }

    /**
     * One {@code System.arraycopy} of the references: reference copies are atomic per element
     * (JLS 17.7 tears only longs and doubles); ordering is the caller's acquire fence.
     */
    @Override
    public void copyRefs(long fromCell, int count, Object[] out, int at) {
        Objects.checkFromIndexSize(fromCell, count, capacity);
        System.arraycopy(refs, (int) fromCell, out, at, count);
    }

    /**
     * One overlapping {@code System.arraycopy} of the key run and one of the references (values
     * are all 0: nothing to move). The reference copy goes through the collector's barriers like
     * any reference store.
     */
    @Override
    public void moveEntries(long fromCell, long toCell, int count) {
        checkMove(fromCell, toCell, count);
        System.arraycopy(words, key(fromCell), words, key(toCell), count);
        System.arraycopy(refs, (int) fromCell, refs, (int) toCell, count);
    }

    @Override public boolean isOpen() { return open; }

    /** The key words, the meta column and the reference column (4-byte references assumed, as with compressed oops; the objects are not counted). */
    @Override public long memoryBytes() { return 16L + 8L * words.length + 16L + 4L * metas.length + 16L + 4L * refs.length; }

    /** Marks the store closed and drops every reference, so that a closed tree keeps no value reachable. */
    @Override
    public void close() {
        open = false;
        Arrays.fill(refs, null);
    }

    @Override
    public String toString() {
        return "heap store with object values";
    }
}
