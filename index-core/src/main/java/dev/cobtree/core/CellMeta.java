package dev.cobtree.core;

/**
 * The {@code meta} word of a cell: the cell's seqlock and its inline marker in one 32-bit word
 * (a store keeps it as such and hands it over zero-extended in a {@code long}), so that one store
 * (or CAS) changes both and one acquire load reads a consistent snapshot.
 *
 * <pre>
 *  bit  0      WRITING   odd = the cell is being written; readers must not trust key/value
 *  bit  1      OCCUPIED  the cell holds a live entry (or, under MOVE, a still-valid copy)
 *  bits 2..3   marker    EMPTY | MOVE | INSERTING | DELETING
 *  bits 4..31  version   28 bits, +1 per completed write, never copied between cells (wraps to 0)
 * </pre>
 *
 * <p>Why 28 version bits are enough: a reader is fooled only if the cell completes a multiple of
 * 2^28 (268 million) writes between two adjacent loads of its {@code meta} word. One write of a
 * cell is a write of the index under its segment's lock, with a seqlock window of its own: tens
 * of nanoseconds at the very least, so that is several seconds of one reader stalled between two
 * loads while one cell alone is rewritten hundreds of millions of times; and even then only a
 * positive hit read from a segment a writer holds can be affected (everything else is validated
 * by the 61-bit segment version, see {@link SegmentHeaders}). The Linux kernel's seqcount is 32
 * bits wide on the same reasoning. Until issue 11 the word was 64 bits (36 version bits and the
 * distance of a MOVE, which no reader used): a third of a cell's 24 bytes; 32 bits make the cell
 * 20 (docs/STORAGE.md, "Cell layout").
 */
final class CellMeta {

    static final long WRITING = 1L;
    static final long OCCUPIED = 1L << 1;

    static final long MARKER_MASK = 3L << 2;
    static final long EMPTY = 0L;
    static final long MOVE = 1L << 2;
    static final long INSERTING = 2L << 2;
    static final long DELETING = 3L << 2;

    static final int VERSION_SHIFT = 4;
    static final long VERSION_ONE = 1L << VERSION_SHIFT;
    static final long VERSION_MASK = ((1L << 28) - 1) << VERSION_SHIFT;

    private CellMeta() {
    }

    /** The word that opens a write of a cell whose current word is {@code m}: odd, marker set. */
    static long begin(long m, long marker) {
        return (m & (VERSION_MASK | OCCUPIED)) | marker | WRITING;
    }

    /** The stable word after a completed write: version + 1, even, with the given state. */
    static long end(long m, long occupied, long marker) {
        return (((m & VERSION_MASK) + VERSION_ONE) & VERSION_MASK) | occupied | marker;
    }

    /** The stable word of a source cell whose entry now also lives in another cell (a Move's source). */
    static long moved(long m) {
        return end(m, OCCUPIED, MOVE);
    }

    /** Stable (even) and holding an entry. */
    static boolean isStableEntry(long m) {
        return (m & (WRITING | OCCUPIED)) == OCCUPIED;
    }

    static long marker(long m) {
        return m & MARKER_MASK;
    }
}
