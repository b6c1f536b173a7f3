package dev.cobtree.storage;

/**
 * Where every word of every cell lives in a store's memory: the one description of the cell
 * layout, shared by the heap, off-heap and mapped stores and by the mapped file's header (in the
 * style of Agrona's {@code RingBufferDescriptor}: every offset is computed here and nowhere else,
 * so a layout change is this file).
 *
 * <p>A store's memory is a sequence of 64-bit words. Cells are grouped by the segments of the
 * index that owns the store ({@code B} = segment size cells). Two arrangements:
 * <pre>
 *  COLUMNAR (file layout id 2; the default of every store)
 *    segment s occupies words [3Bs, 3B(s+1)):
 *      [ meta 0 .. meta B-1 | key 0 .. key B-1 | value 0 .. value B-1 ]
 *    cell i of segment s: meta at 3Bs + i, key at 3Bs + B + i, value at 3Bs + 2B + i
 *
 *  INTERLEAVED (file layout id 1; the layout before issue 11, kept as an alternative to measure against)
 *    cell c occupies words [3c, 3c+3): meta, key, value
 * </pre>
 * Columnar: an in-segment search touches only keys (a 128-cell segment's keys are 1 KiB, 16
 * cache lines, instead of the 3 KiB its interleaved cells span), and a scan copies the key run
 * and the value run of a segment with two bulk copies and never the meta words no cursor reads.
 * Interleaved: one cell is (usually) one line fetch, which favours a lone positive hit.
 *
 * <p>One formula covers both ({@code c} a cell index, {@code f} the field):
 * <pre>
 *   word(c, f) = (c &gt;&gt;&gt; shift) * groupWords + at(f) + (c &amp; mask)
 *   COLUMNAR:    shift = log2 B, mask = B - 1, groupWords = 3B, at = 0, B, 2B  (a group is a segment)
 *   INTERLEAVED: shift = 0,      mask = 0,     groupWords = 3,  at = 0, 1, 2   (a group is one cell)
 * </pre>
 * Invariants: a columnar layout has a power-of-two {@code B} and a capacity that is a multiple of
 * {@code B} (the index allocates whole segments), so {@link #words} is exactly {@code 3 x capacity}:
 * the layout costs no memory. Keys of cells {@code c .. runEnd(c) - 1} are consecutive words (and
 * so are their values), which is what the bulk copies rely on. With the store's memory 64-byte
 * aligned (off-heap, mapped) and {@code B} a multiple of 8, each segment's meta, key and value runs
 * start on cache-line boundaries.
 *
 * <p><b>Reference values</b> ({@link #columnarReferences}, heap only, for object values): the
 * words hold no value run, so a segment occupies {@code 2B} words ({@code [ meta | key ]}), and
 * the value of cell {@code c} is element {@link #refSlot refSlot(c)} = {@code c} of a parallel
 * {@code Object[]} (so a segment's references are consecutive too, one bulk copy per segment).
 */
public final class CellLayout {

    /** How the three words of the cells of one segment are arranged. */
    public enum Arrangement {
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
    private final int wordsPerCell;
    private final int shift;
    private final long mask;
    private final long groupWords;
    private final long metaAt;
    private final long keyAt;
    private final long valueAt;

    private CellLayout(Arrangement arrangement, int segmentSize) {
        this(arrangement, segmentSize, false);
    }

    private CellLayout(Arrangement arrangement, int segmentSize, boolean referenceValues) {
        if (segmentSize < 1) {
            throw new IllegalArgumentException("segmentSize " + segmentSize + " must be positive");
        }
        this.arrangement = arrangement;
        this.segmentSize = segmentSize;
        this.referenceValues = referenceValues;
        this.wordsPerCell = referenceValues ? 2 : WORDS_PER_CELL;
        if (referenceValues && arrangement != Arrangement.COLUMNAR) {
            throw new IllegalArgumentException("reference values need the columnar layout");
        }
        if (arrangement == Arrangement.COLUMNAR) {
            if (Integer.bitCount(segmentSize) != 1) {
                throw new IllegalArgumentException("segmentSize " + segmentSize + " must be a power of two for the columnar layout");
            }
            shift = Integer.numberOfTrailingZeros(segmentSize);
            mask = segmentSize - 1;
            groupWords = (long) wordsPerCell * segmentSize;
            metaAt = 0;
            keyAt = segmentSize;
            valueAt = referenceValues ? -1 : 2L * segmentSize;
        } else {
            shift = 0;
            mask = 0;
            groupWords = WORDS_PER_CELL;
            metaAt = 0;
            keyAt = 1;
            valueAt = 2;
        }
    }

    /** The layout of every store unless asked otherwise. */
    public static CellLayout columnar(int segmentSize) {
        return new CellLayout(Arrangement.COLUMNAR, segmentSize);
    }

    /** The pre-issue-11 layout, for comparison. */
    public static CellLayout interleaved(int segmentSize) {
        return new CellLayout(Arrangement.INTERLEAVED, segmentSize);
    }

    /** Columnar meta and key words, values as object references in a parallel column (heap stores only). */
    public static CellLayout columnarReferences(int segmentSize) {
        return new CellLayout(Arrangement.COLUMNAR, segmentSize, true);
    }

    public static CellLayout of(Arrangement arrangement, int segmentSize) {
        return new CellLayout(arrangement, segmentSize);
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

    /** Word index of the meta word of cell {@code c}. */
    public long metaWord(long c) {
        return (c >>> shift) * groupWords + metaAt + (c & mask);
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
        return arrangement == Arrangement.COLUMNAR;
    }

    @Override
    public String toString() {
        return arrangement + (referenceValues ? " with reference values" : "") + "(segment " + segmentSize + ")";
    }
}
