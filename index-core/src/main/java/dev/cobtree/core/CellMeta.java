package dev.cobtree.core;

/**
 * The {@code meta} word of a cell: the cell's seqlock and its inline marker in one long, so
 * that one store (or CAS) changes both and one acquire load reads a consistent snapshot.
 *
 * <pre>
 *  bit  0      WRITING   odd = the cell is being written; readers must not trust key/value
 *  bit  1      OCCUPIED  the cell holds a live entry (or, under MOVE, a still-valid copy)
 *  bits 2..3   marker    EMPTY | MOVE | INSERTING | DELETING
 *  bits 4..39  version   36 bits, +1 per completed write, never copied between cells
 *  bits 40..63 move      signed distance (destination - source) of a MOVE, 24 bits;
 *                        DEST_UNKNOWN when it does not fit (readers never need it to be correct)
 * </pre>
 *
 * <p>Why 36 version bits are enough: a reader is fooled only if the cell completes a multiple of
 * 2^36 writes between its two loads of {@code meta}; at one write per nanosecond that is 68
 * seconds of a single reader stalled between two adjacent loads, and even then only a positive
 * hit can be affected (absent answers are validated by the 61-bit segment version, see
 * {@link SegmentHeaders}).
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
    static final long VERSION_MASK = ((1L << 36) - 1) << VERSION_SHIFT;

    static final int DEST_SHIFT = 40;
    static final long DEST_UNKNOWN = -(1L << 23);

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

    /** The stable word of a source cell whose entry now also lives {@code delta} cells away. */
    static long moved(long m, long delta) {
        long d = (delta >= -(1L << 23) + 1 && delta < (1L << 23)) ? delta : DEST_UNKNOWN;
        return end(m, OCCUPIED, MOVE) | (d << DEST_SHIFT);
    }

    /** Destination distance recorded by a MOVE word, or {@link #DEST_UNKNOWN}. */
    static long moveDistance(long m) {
        return m >> DEST_SHIFT;
    }

    /** Stable (even) and holding an entry. */
    static boolean isStableEntry(long m) {
        return (m & (WRITING | OCCUPIED)) == OCCUPIED;
    }

    static long marker(long m) {
        return m & MARKER_MASK;
    }
}
