package dev.cobtree.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Cells on the Java heap: one {@code long[]} of words arranged as the store's {@link CellLayout}
 * says (by default: per segment, its keys then its values), and the 32-bit meta words in an
 * {@code int[]} of their own (in the layouts kept for measurement, COLUMNAR and INTERLEAVED, each
 * meta word has a 64-bit slot among the words instead).
 *
 * <p>All single-word access goes through one array-element {@link VarHandle} per array, bulk
 * access through {@code System.arraycopy}; the access mode of each method is the one documented
 * in {@link CellStore}. Capacity is limited by the largest Java array: {@value #MAX_CELLS} cells.
 */
public final class HeapCellStore implements CellStore {

    /** Largest array the JVM allocates, divided by the most 64-bit words a cell takes (three, in the layouts kept for measurement). */
    public static final long MAX_CELLS = (Integer.MAX_VALUE - 8) / CellLayout.WORDS_PER_CELL;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle METAS = MethodHandles.arrayElementVarHandle(int[].class);

    private final long[] words;
    /** The meta column (SEPARATE_META), one 32-bit word per cell; null where meta words are in {@link #words}. */
    private final int[] metas;
    private final long capacity;
    private final CellLayout layout;
    private volatile boolean open = true;

    /** A zeroed store in the default layout ({@link CellLayout#separateMeta}). */
    public HeapCellStore(long capacity, int segmentSize) {
        this(capacity, CellLayout.separateMeta(segmentSize));
    }

    /** A zeroed store in {@code layout}. */
    public HeapCellStore(long capacity, CellLayout layout) {
        if (capacity < 1 || capacity > MAX_CELLS) {
            throw new IllegalArgumentException("capacity " + capacity + " outside [1, " + MAX_CELLS + "] cells for a heap store");
        }
        this.words = new long[Math.toIntExact(layout.words(capacity))];
        this.metas = layout.metaBytes == Integer.BYTES ? new int[Math.toIntExact(capacity)] : null;
        this.capacity = capacity;
        this.layout = layout.bind(capacity);
    }

    private int meta(long cell) {
        return (int) layout.metaSlot(cell);
    }

    private int key(long cell) {
        return (int) layout.keyWord(cell);
    }

    private int value(long cell) {
        return (int) layout.valueWord(cell);
    }

    @Override public long capacity() { return capacity; }
    @Override public int segmentSize() { return layout.segmentSize; }
    @Override public CellLayout layout() { return layout; }

    // Each meta accessor: the int column (the default layout) or the word slot (layouts kept for
    // measurement); `metas` is final, so the test is a predictable branch on a constant.
    // acquire: no later load of this thread (key, value, meta re-check) moves above this load.
    @Override
    public long metaAcquire(long cell) {
        return metas != null ? CellStore.metaOf((int) METAS.getAcquire(metas, meta(cell))) : (long) WORDS.getAcquire(words, meta(cell));
    }

    // opaque: untorn and re-read on every call (never hoisted out of a retry loop); no ordering.
    @Override
    public long metaOpaque(long cell) {
        return metas != null ? CellStore.metaOf((int) METAS.getOpaque(metas, meta(cell))) : (long) WORDS.getOpaque(words, meta(cell));
    }

    // plain: the writer-lock holder only.
    @Override
    public long metaPlain(long cell) {
        return metas != null ? CellStore.metaOf(metas[meta(cell)]) : words[meta(cell)];
    }

    // release: every earlier store of this thread (key, value) is visible before the new meta word.
    @Override
    public void metaRelease(long cell, long m) {
        int stored = CellStore.checkMeta(m);
        if (metas != null) {
            METAS.setRelease(metas, meta(cell), stored);
        } else {
            WORDS.setRelease(words, meta(cell), m);
        }
    }

    // opaque: untorn, unordered; the caller pairs it with an explicit fence.
    @Override
    public void metaOpaque(long cell, long m) {
        int stored = CellStore.checkMeta(m);
        if (metas != null) {
            METAS.setOpaque(metas, meta(cell), stored);
        } else {
            WORDS.setOpaque(words, meta(cell), m);
        }
    }

    // volatile CAS: one atomic transition of the seqlock/marker word, a full barrier.
    @Override
    public boolean metaCompareAndSet(long cell, long e, long u) {
        int stored = CellStore.checkMeta(u);
        if (!CellStore.isMeta(e)) {
            return false; // no meta word holds it
        }
        return metas != null ? METAS.compareAndSet(metas, meta(cell), (int) e, stored) : WORDS.compareAndSet(words, meta(cell), e, u);
    }

    // opaque key/value access: untorn and re-read each time; readers validate with meta afterwards.
    @Override public long keyOpaque(long cell) { return (long) WORDS.getOpaque(words, key(cell)); }
    @Override public long valueOpaque(long cell) { return (long) WORDS.getOpaque(words, value(cell)); }
    @Override public long keyPlain(long cell) { return words[key(cell)]; }
    @Override public long valuePlain(long cell) { return words[value(cell)]; }
    @Override public void keyOpaque(long cell, long k) { WORDS.setOpaque(words, key(cell), k); }
    @Override public void valueOpaque(long cell, long v) { WORDS.setOpaque(words, value(cell), v); }

    // plain: the store is not yet visible to another thread; its publication orders these stores.
    @Override
    public void setPlain(long cell, long m, long k, long v) {
        int stored = CellStore.checkMeta(m);
        if (metas != null) {
            metas[meta(cell)] = stored;
        } else {
            words[meta(cell)] = m;
        }
        words[key(cell)] = k;
        words[value(cell)] = v;
    }

    /**
     * Two {@code System.arraycopy}s per run of consecutive keys (one segment, columnar): on 64-bit
     * HotSpot the long-array copy stubs move whole 8-byte words, so no long is torn; ordering is
     * the caller's acquire fence. Interleaved cells are copied word by word (opaque loads).
     */
    @Override
    public void copyEntries(long fromCell, int count, long[] keys, long[] values, int at) {
        Objects.checkFromIndexSize(fromCell, count, capacity);
        if (!layout.keysContiguous()) {
            Objects.checkFromIndexSize(at, count, Math.min(keys.length, values.length));
            for (int i = 0; i < count; i++) {
                keys[at + i] = (long) WORDS.getOpaque(words, key(fromCell + i));
                values[at + i] = (long) WORDS.getOpaque(words, value(fromCell + i));
            }
            return;
        }
        for (int done = 0; done < count; ) {
            long c = fromCell + done;
            int run = (int) Math.min(count - done, layout.runEnd(c) - c);
            System.arraycopy(words, key(c), keys, at + done, run);
            System.arraycopy(words, value(c), values, at + done, run);
            done += run;
        }
    }

    /**
     * Per segment run (columnar or separate meta: its keys, values and meta words are consecutive
     * slots), two {@code System.arraycopy}s and one {@code Arrays.fill} of the meta words; plain
     * stores, for an unpublished store. Interleaved cells are written cell by cell (the interface's default).
     */
    @Override
    public void setPlain(long toCell, long meta, long[] keys, long[] values, int at, int count) {
        if (!layout.keysContiguous()) {
            CellStore.super.setPlain(toCell, meta, keys, values, at, count);
            return;
        }
        Objects.checkFromIndexSize(toCell, count, capacity);
        Objects.checkFromIndexSize(at, count, Math.min(keys.length, values.length));
        int stored = CellStore.checkMeta(meta);
        for (int done = 0; done < count; ) {
            long c = toCell + done;
            int run = (int) Math.min(count - done, layout.runEnd(c) - c);
            System.arraycopy(keys, at + done, words, key(c), run);
            System.arraycopy(values, at + done, words, value(c), run);
            if (metas != null) {
                java.util.Arrays.fill(metas, meta(c), meta(c) + run, stored);
            } else {
                java.util.Arrays.fill(words, meta(c), meta(c) + run, meta);
            }
            done += run;
        }
    }

    /**
     * One overlapping {@code System.arraycopy} per column (keys, values) when a segment's keys are
     * consecutive words; interleaved cells move cell by cell (the interface's default).
     */
    @Override
    public void moveEntries(long fromCell, long toCell, int count) {
        if (!layout.keysContiguous()) {
            CellStore.super.moveEntries(fromCell, toCell, count);
            return;
        }
        checkMove(fromCell, toCell, count);
        System.arraycopy(words, key(fromCell), words, key(toCell), count);
        System.arraycopy(words, value(fromCell), words, value(toCell), count);
    }

    @Override public boolean isOpen() { return open; }
    @Override public long memoryBytes() { return 16L + 8L * words.length + (metas == null ? 0 : 16L + 4L * metas.length); }

    /** The garbage collector frees the array once no reader references it; nothing to do but mark it. */
    @Override
    public void close() {
        open = false;
    }
}
