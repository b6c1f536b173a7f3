package dev.cobtree.storage;

/**
 * Where every word of every cell lives in a store's memory: the one description of the cell
 * layout, shared by the heap, off-heap and mapped stores and by the mapped file's header (in the
 * style of Agrona's {@code RingBufferDescriptor}: every offset is computed here and nowhere else,
 * so a layout change is this file).
 *
 * <p>A store's memory is a sequence of 64-bit words. Cells are grouped by the segments of the
 * index that owns the store ({@code B} = segment size cells, {@code C} = capacity cells). Three
 * arrangements:
 * <pre>
 *  SEPARATE_META (file layout id 3; the default of every store)
 *    segment s occupies words [2Bs, 2B(s+1)):  [ key 0 .. key B-1 | value 0 .. value B-1 ]
 *    the meta words follow all segments:        words [2C, 3C), meta of cell c at 2C + c
 *
 *  COLUMNAR (file layout id 2; issue 11's first columnar layout, kept to measure against)
 *    segment s occupies words [3Bs, 3B(s+1)):  [ meta 0 .. meta B-1 | key 0 .. key B-1 | value 0 .. value B-1 ]
 *
 *  INTERLEAVED (file layout id 1; the layout before issue 11, kept to measure against)
 *    cell c occupies words [3c, 3c+3): meta, key, value
 * </pre>
 * Why SEPARATE_META (measured, docs/BENCH.md "Cell layout"): a scan reads only keys and values,
 * and with the meta words out of the way consecutive segments' key and value runs follow each
 * other in memory, so a long scan streams through one region that holds nothing else; with the
 * meta run inside each segment (COLUMNAR) the hardware prefetchers also pull in the meta words
 * between the runs, a third more memory traffic, and the scan ran at about half the speed at
 * 10^6 entries (where the difference decides whether the data stays in the last-level cache).
 * An in-segment search touches only keys in both columnar arrangements (a 128-cell segment's
 * keys are 1 KiB, 16 cache lines, instead of the 3 KiB its interleaved cells span). A lone
 * positive hit reads the found cell's meta word from another line in every columnar
 * arrangement. Interleaved: one cell is (usually) one line fetch.
 *
 * <p>One formula per field covers all three ({@code c} a cell index):
 * <pre>
 *   key(c)   = (c &gt;&gt;&gt; shift) * groupWords + keyAt + (c &amp; mask),   value(c) likewise with valueAt
 *   meta(c)  = (c &gt;&gt;&gt; metaShift) * metaGroupWords + metaAt + (c &amp; metaMask)
 *   SEPARATE_META: shift = log2 B, mask = B - 1, groupWords = 2B, keyAt = 0, valueAt = B;
 *                  metaShift = 0, metaMask = 0, metaGroupWords = 1, metaAt = 2C
 *   COLUMNAR:      shift = log2 B, mask = B - 1, groupWords = 3B, metaAt, keyAt, valueAt = 0, B, 2B (meta as keys)
 *   INTERLEAVED:   shift = 0, mask = 0, groupWords = 3, metaAt, keyAt, valueAt = 0, 1, 2
 * </pre>
 * A SEPARATE_META layout needs the capacity to place the meta column: stores {@link #bind} the
 * layout they are given to their capacity; an unbound one describes only the segments' words.
 *
 * <p>Invariants: a columnar layout has a power-of-two {@code B} and a capacity that is a multiple
 * of {@code B} (the index allocates whole segments), so {@link #words} is exactly
 * {@code 3 x capacity}: the layout costs no memory. Keys of cells {@code c .. runEnd(c) - 1} are
 * consecutive words (and so are their values), which is what the bulk copies rely on. With the
 * store's memory 64-byte aligned (off-heap, mapped) and {@code B} a multiple of 8, each segment's
 * key and value runs (and the meta column) start on cache-line boundaries.
 *
 * <p><b>Reference values</b> ({@link #columnarReferences}, heap only, for object values): the
 * words hold no value run, so a segment occupies {@code B} words (its keys) and the meta column
 * starts at {@code C}; the value of cell {@code c} is element {@link #refSlot refSlot(c)} =
 * {@code c} of a parallel {@code Object[]} (so a segment's references are consecutive too, one
 * bulk copy per segment).
 */
public final class CellLayout {

    /** How the three words of the cells of one segment are arranged. */
    public enum Arrangement {
        /** Per segment: all keys, then all values; the meta words in a column of their own after all segments. */
        SEPARATE_META(3),
        /** Per segment: all meta words, then all keys, then all values. */
        COLUMNAR(2),
        /** Per cell: meta, key, value side by side. */
        INTERLEAVED(1);

        /** The layout id a mapped file's header records ({@link CellFileHeader}). */
        public final int fileId;

        Arrangement(int fileId) {
            this.fileId = fileId;
        }
    }

    /** Words per cell, whatever the arrangement: meta, key, value. */
    public static final int WORDS_PER_CELL = 3;

    /** Bytes per cell, whatever the arrangement. */
    public static final int CELL_BYTES = 8 * WORDS_PER_CELL;

    public final Arrangement arrangement;
    public final int segmentSize;
    /** Whether values are object references in a parallel column (no value words). */
    public final boolean referenceValues;
    /** The capacity this layout is bound to ({@link #bind}), or -1. */
    private final long capacity;
    private final int wordsPerCell;
    private final int shift;
    private final long mask;
    private final long groupWords;
    private final long keyAt;
    private final long valueAt;
    private final int metaShift;
    private final long metaMask;
    private final long metaGroupWords;
    private final long metaAt;

    private CellLayout(Arrangement arrangement, int segmentSize, boolean referenceValues, long capacity) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        this.arrangement = arrangement;
        this.segmentSize = segmentSize;
        this.referenceValues = referenceValues;
        this.capacity = capacity;
        this.wordsPerCell = referenceValues ? 2 : WORDS_PER_CELL;
        if (referenceValues && arrangement == Arrangement.INTERLEAVED) {
            throw new IllegalArgumentException("reference values need a columnar layout");
        }
        if (arrangement != Arrangement.INTERLEAVED) {
            if (Integer.bitCount(segmentSize) != 1) {
                throw new IllegalArgumentException("segmentSize " + segmentSize + " must be a power of two for the " + arrangement + " layout");
            }
            shift = Integer.numberOfTrailingZeros(segmentSize);
            mask = segmentSize - 1;
        } else {
            shift = 0;
            mask = 0;
        }
        switch (arrangement) {
            case SEPARATE_META -> {
                int runs = wordsPerCell - 1; // key run, and value run unless values are references
                groupWords = (long) runs * segmentSize;
                keyAt = 0;
                valueAt = referenceValues ? -1 : segmentSize;
                metaShift = 0;
                metaMask = 0;
                metaGroupWords = 1;
                metaAt = capacity < 0 ? -1 : capacity * runs; // the column after all segments
            }
            case COLUMNAR -> {
                groupWords = (long) wordsPerCell * segmentSize;
                keyAt = segmentSize;
                valueAt = referenceValues ? -1 : 2L * segmentSize;
                metaShift = shift;
                metaMask = mask;
                metaGroupWords = groupWords;
                metaAt = 0;
            }
            default -> {
                groupWords = WORDS_PER_CELL;
                keyAt = 1;
                valueAt = 2;
                metaShift = 0;
                metaMask = 0;
                metaGroupWords = WORDS_PER_CELL;
                metaAt = 0;
            }
        }
    }

    /** The layout of every store unless asked otherwise (unbound: stores {@link #bind} it). */
    public static CellLayout separateMeta(int segmentSize) {
        return new CellLayout(Arrangement.SEPARATE_META, segmentSize, false, -1);
    }

    /** Issue 11's first columnar layout (meta, keys, values per segment), for comparison. */
    public static CellLayout columnar(int segmentSize) {
        return new CellLayout(Arrangement.COLUMNAR, segmentSize, false, -1);
    }

    /** The pre-issue-11 layout, for comparison. */
    public static CellLayout interleaved(int segmentSize) {
        return new CellLayout(Arrangement.INTERLEAVED, segmentSize, false, -1);
    }

    /** Keys per segment, the meta column apart, values as object references in a parallel column (heap stores only). */
    public static CellLayout columnarReferences(int segmentSize) {
        return new CellLayout(Arrangement.SEPARATE_META, segmentSize, true, -1);
    }

    public static CellLayout of(Arrangement arrangement, int segmentSize) {
        return new CellLayout(arrangement, segmentSize, false, -1);
    }

    /**
     * This layout for a store of {@code capacity} cells (checked as {@link #words} does): places
     * the meta column of a SEPARATE_META layout; the other arrangements need no capacity, and
     * come back unchanged. Stores call it once, when they are made.
     */
    public CellLayout bind(long capacity) {
        words(capacity);
        if (arrangement != Arrangement.SEPARATE_META || capacity == this.capacity) {
            return this;
        }
        return new CellLayout(arrangement, segmentSize, referenceValues, capacity);
    }

    /** Whether {@link #metaWord} is defined (every layout but an unbound SEPARATE_META one). */
    public boolean isBound() {
        return arrangement != Arrangement.SEPARATE_META || capacity >= 0;
    }

    /**
     * Words a store of {@code capacity} cells needs; throws {@link IllegalArgumentException} for
     * a capacity the layout cannot hold (not positive, not whole segments for the columnar layout,
     * or more words than a {@code long} counts in bytes).
     */
    public long words(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be positive");
        }
        if ((capacity & mask) != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a whole number of " + segmentSize
                    + "-cell segments, which the " + arrangement + " layout needs");
        }
        if (capacity > Long.MAX_VALUE / CELL_BYTES) {
            throw new IllegalArgumentException("capacity " + capacity + " cells does not fit in a 64-bit address space");
        }
        return capacity * wordsPerCell;
    }

    /** Word index of the meta word of cell {@code c} (of a {@link #isBound bound} layout). */
    public long metaWord(long c) {
        return (c >>> metaShift) * metaGroupWords + metaAt + (c & metaMask);
    }

    /** Word index of the key of cell {@code c}. */
    public long keyWord(long c) {
        return (c >>> shift) * groupWords + keyAt + (c & mask);
    }

    /** Index of the reference of cell {@code c} in the reference column ({@link #referenceValues} layouts). */
    public long refSlot(long c) {
        return c;
    }

    /** Word index of the value of cell {@code c} (not in a {@link #referenceValues} layout). */
    public long valueWord(long c) {
        return (c >>> shift) * groupWords + valueAt + (c & mask);
    }

    /**
     * The end (exclusive) of the run of cells from {@code c} whose keys are consecutive words, and
     * so are their values: the end of c's segment (columnar) or {@code c + 1} (interleaved).
     */
    public long runEnd(long c) {
        return (c | mask) + 1;
    }

    /** Whether a segment's keys (and its values) are consecutive words. */
    public boolean keysContiguous() {
        return arrangement != Arrangement.INTERLEAVED;
    }

    @Override
    public String toString() {
        return arrangement + (referenceValues ? " with reference values" : "") + "(segment " + segmentSize + ")";
    }
}
