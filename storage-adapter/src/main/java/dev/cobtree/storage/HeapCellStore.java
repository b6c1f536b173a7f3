package dev.cobtree.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Cells on the Java heap: one {@code long[]} with the three words of a cell side by side
 * ({@code meta, key, value}), so that a cell is read with one cache-line fetch.
 *
 * <p>All access goes through one array-element {@link VarHandle}; the access mode of each
 * method is the one documented in {@link CellStore}. Capacity is limited by the largest Java
 * array: {@value #MAX_CELLS} cells.
 */
public final class HeapCellStore implements CellStore {

    /** Largest array the JVM allocates, divided by the three words of a cell. */
    public static final long MAX_CELLS = (Integer.MAX_VALUE - 8) / 3;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final long[] words;
    private final long capacity;
    private final int segmentSize;
    private volatile boolean open = true;

    public HeapCellStore(long capacity, int segmentSize) {
        if (capacity < 1 || capacity > MAX_CELLS) {
            throw new IllegalArgumentException("capacity " + capacity + " outside [1, " + MAX_CELLS + "] cells for a heap store");
        }
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        this.words = new long[Math.toIntExact(capacity * 3)];
        this.capacity = capacity;
        this.segmentSize = segmentSize;
    }

    private static int meta(long cell) {
        return (int) (cell * 3);
    }

    private static int key(long cell) {
        return (int) (cell * 3 + 1);
    }

    private static int value(long cell) {
        return (int) (cell * 3 + 2);
    }

    @Override public long capacity() { return capacity; }
    @Override public int segmentSize() { return segmentSize; }

    @Override public long metaAcquire(long cell) { return (long) WORDS.getAcquire(words, meta(cell)); }
    @Override public long metaOpaque(long cell) { return (long) WORDS.getOpaque(words, meta(cell)); }
    @Override public long metaPlain(long cell) { return words[meta(cell)]; }
    @Override public void metaRelease(long cell, long m) { WORDS.setRelease(words, meta(cell), m); }
    @Override public void metaOpaque(long cell, long m) { WORDS.setOpaque(words, meta(cell), m); }
    @Override public boolean metaCompareAndSet(long cell, long e, long u) { return WORDS.compareAndSet(words, meta(cell), e, u); }

    @Override public long keyOpaque(long cell) { return (long) WORDS.getOpaque(words, key(cell)); }
    @Override public long valueOpaque(long cell) { return (long) WORDS.getOpaque(words, value(cell)); }
    @Override public long keyPlain(long cell) { return words[key(cell)]; }
    @Override public long valuePlain(long cell) { return words[value(cell)]; }
    @Override public void keyOpaque(long cell, long k) { WORDS.setOpaque(words, key(cell), k); }
    @Override public void valueOpaque(long cell, long v) { WORDS.setOpaque(words, value(cell), v); }

    @Override
    public void setPlain(long cell, long m, long k, long v) {
        int i = meta(cell);
        words[i] = m;
        words[i + 1] = k;
        words[i + 2] = v;
    }

    /**
     * One {@code System.arraycopy} of the interleaved words: on 64-bit HotSpot the long-array copy
     * stubs move whole 8-byte words, so no long is torn; ordering is the caller's acquire fence.
     */
    @Override
    public void copyCells(long fromCell, int cells, long[] dst) {
        System.arraycopy(words, meta(fromCell), dst, 0, cells * 3);
    }

    @Override public boolean isOpen() { return open; }
    @Override public long memoryBytes() { return 16L + 8L * words.length; }

    /** The garbage collector frees the array once no reader references it; nothing to do but mark it. */
    @Override
    public void close() {
        open = false;
    }
}
