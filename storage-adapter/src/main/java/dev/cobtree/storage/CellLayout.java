package dev.cobtree.storage;

/**
 * Where every word of every cell lives in a store's memory: the one description of the cell
 * layout, shared by the heap, off-heap and mapped stores and by the mapped file's header (in the
 * style of Agrona's {@code RingBufferDescriptor}: every offset is computed here and nowhere else,
 * so a layout change is this file).
 *
 * <p>A cell is a 64-bit key, a 64-bit value and a 32-bit meta word (its seqlock and marker:
 * {@link CellStore}). A store's memory is a sequence of 64-bit words for the keys and values,
 * and a column of 32-bit meta words after them. Cells are grouped by the segments of the index
 * that owns the store ({@code B} = segment size cells, {@code C} = capacity cells). Three
 * arrangements:
 * <pre>
 *  SEPARATE_META (file layout id 4; the default of every store): 20 bytes per cell
 *    segment s occupies words [2Bs, 2B(s+1)):  [ key 0 .. key B-1 | value 0 .. value B-1 ]
 *    the meta words follow all segments:        32-bit slots from byte 16C, meta of cell c at byte 16C + 4c
 *
 *  COLUMNAR (issue 11's first columnar layout, kept to measure against): 24 bytes per cell
 *    segment s occupies words [3Bs, 3B(s+1)):  [ meta 0 .. meta B-1 | key 0 .. key B-1 | value 0 .. value B-1 ]
 *
 *  INTERLEAVED (the layout before issue 11, kept to measure against): 24 bytes per cell
 *    cell c occupies words [3c, 3c+3): meta, key, value
 * </pre>
 * The two layouts kept for measurement give each meta word a 64-bit slot (holding the same 32-bit
 * word), as they did when meta words were 64 bits: they are never written to files. File layout
 * id 3 was SEPARATE_META with 64-bit meta words (24 bytes per cell), ids 2 and 1 the other two
 * with 64-bit meta words; files of all three are refused ({@link CellFileHeader}).
 *
 * <p>Why 32-bit meta words (issue 11, memory per entry): the meta word is a third of a 24-byte
 * cell, and at the densities the index runs at (0.65 to 0.90) it was 8-12 of the 27-37 bytes an
 * entry cost; 32 bits hold its state bits and a 28-bit seqlock version ({@code CellMeta} in
 * index-core says why 28 bits are enough), and the cell is 20 bytes.
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
 *   key(c)      = (c &gt;&gt;&gt; shift) * groupWords + keyAt + (c &amp; mask),   value(c) likewise with valueAt   (words)
 *   metaSlot(c) = (c &gt;&gt;&gt; metaShift) * metaGroupWords + metaAt + (c &amp; metaMask)         (slots of metaBytes)
 *   metaByte(c) = metaColumnByte + metaSlot(c) * metaBytes                             (bytes)
 *   SEPARATE_META: shift = log2 B, mask = B - 1, groupWords = 2B, keyAt = 0, valueAt = B;
 *                  metaShift = 0, metaMask = 0, metaGroupWords = 1, metaAt = 0, metaBytes = 4, metaColumnByte = 16C
 *   COLUMNAR:      shift = log2 B, mask = B - 1, groupWords = 3B, metaAt, keyAt, valueAt = 0, B, 2B (meta as keys);
 *                  metaBytes = 8, metaColumnByte = 0
 *   INTERLEAVED:   shift = 0, mask = 0, groupWords = 3, metaAt, keyAt, valueAt = 0, 1, 2; metaBytes = 8, metaColumnByte = 0
 * </pre>
 * A heap store keeps a SEPARATE_META layout's meta column as an {@code int[]} indexed by
 * {@code metaSlot(c)}; the memory stores at {@code metaByte(c)}.
 * A SEPARATE_META layout needs the capacity to place the meta column: stores {@link #bind} the
 * layout they are given to their capacity; an unbound one describes only the segments' words.
 *
 * <p>Invariants: a columnar layout has a power-of-two {@code B} and a capacity that is a multiple
 * of {@code B} (the index allocates whole segments), so {@link #bytes} is exactly
 * {@code cellBytes x capacity}: the layout costs no memory. Keys of cells {@code c .. runEnd(c) - 1} are
 * consecutive words (and so are their values), which is what the bulk copies rely on. With the
 * store's memory 64-byte aligned (off-heap, mapped) and {@code B} a multiple of 8, each segment's
 * key and value runs (and the meta column) start on cache-line boundaries.
 *
 * <p><b>Reference values</b> ({@link #columnarReferences}, heap only, for object values): the
 * words hold no value run, so a segment occupies {@code B} words (its keys) and the meta column
 * is the store's {@code int[]}; the value of cell {@code c} is element {@link #refSlot refSlot(c)} =
 * {@code c} of a parallel {@code Object[]} (so a segment's references are consecutive too, one
 * bulk copy per segment).
 */
public final class CellLayout {

    /** How the three words of the cells of one segment are arranged. */
    public enum Arrangement {
        /** Per segment: all keys, then all values; the meta words in a column of their own after all segments. */
        SEPARATE_META(4),
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

    /** 64-bit slots per cell at most (meta, key, value: the arrangements kept for measurement). */
    public static final int WORDS_PER_CELL = 3;

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
    /** Bytes of one meta slot: 4 (SEPARATE_META's column of 32-bit words) or 8 (a 64-bit slot in the words). */
    public final int metaBytes;
    /** 64-bit words per cell: key and value (or key alone), plus the meta slot where it is a word. */
    private final int longsPerCell;

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
                metaAt = 0; // slots of the 32-bit column after all segments
                metaBytes = Integer.BYTES;
                longsPerCell = runs;
            }
            case COLUMNAR -> {
                groupWords = (long) wordsPerCell * segmentSize;
                keyAt = segmentSize;
                valueAt = referenceValues ? -1 : 2L * segmentSize;
                metaShift = shift;
                metaMask = mask;
                metaGroupWords = groupWords;
                metaAt = 0;
                metaBytes = Long.BYTES;
                longsPerCell = wordsPerCell;
            }
            default -> {
                groupWords = WORDS_PER_CELL;
                keyAt = 1;
                valueAt = 2;
                metaShift = 0;
                metaMask = 0;
                metaGroupWords = WORDS_PER_CELL;
                metaAt = 0;
                metaBytes = Long.BYTES;
                longsPerCell = wordsPerCell;
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

    /** Whether {@link #metaByte} is defined (every layout but an unbound SEPARATE_META one). */
    public boolean isBound() {
        return arrangement != Arrangement.SEPARATE_META || capacity >= 0;
    }

    /**
     * 64-bit words a store of {@code capacity} cells needs for its keys and values (and for its
     * meta slots where they are words: not SEPARATE_META, whose meta column is apart); throws
     * {@link IllegalArgumentException} for a capacity the layout cannot hold (not positive, not
     * whole segments for the columnar layout, or more bytes than a {@code long} counts).
     */
    public long words(long capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity + " must be positive");
        }
        if ((capacity & mask) != 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is not a whole number of " + segmentSize
                    + "-cell segments, which the " + arrangement + " layout needs");
        }
        if (capacity > Long.MAX_VALUE / (8 * WORDS_PER_CELL)) {
            throw new IllegalArgumentException("capacity " + capacity + " cells does not fit in a 64-bit address space");
        }
        return capacity * longsPerCell;
    }

    /** Bytes of memory a store of {@code capacity} cells needs: words, then the meta column where it is apart (checked as {@link #words}). */
    public long bytes(long capacity) {
        long words = words(capacity);
        return words * Long.BYTES + (metaBytes == Long.BYTES ? 0 : capacity * metaBytes);
    }

    /** Bytes per cell in this layout's memory ({@link #bytes} of one segment over its cells). */
    public int cellBytes() {
        return (int) (bytes(segmentSize) / segmentSize);
    }

    /**
     * Slot of the meta word of cell {@code c}: its index in SEPARATE_META's 32-bit column
     * ({@code c}), otherwise the index of the 64-bit word that holds it.
     */
    public long metaSlot(long c) {
        return (c >>> metaShift) * metaGroupWords + metaAt + (c & metaMask);
    }

    /** Byte offset of the meta word of cell {@code c} in the store's memory (of a {@link #isBound bound} layout). */
    public long metaByte(long c) {
        return metaColumnByte() + metaSlot(c) * metaBytes;
    }

    /** Where the meta column starts: after all words (SEPARATE_META), or 0 where meta slots are words. */
    private long metaColumnByte() {
        return metaBytes == Long.BYTES ? 0 : capacity * longsPerCell * Long.BYTES;
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
