package dev.cobtree.core;

import dev.cobtree.storage.CellStore;
import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.CorruptIndexException;

/**
 * Builds a whole new {@link Storage} from a sorted stream of entries, spreading them evenly:
 * used to grow and shrink the array, to clear it, to bulk-load sorted input, and to adopt a
 * store recovered from a file. O(n), with plain stores: the new storage is invisible until
 * {@code CobTree} publishes it with one volatile store of its root.
 *
 * <p>The resize protocol itself (freeze the old storage segment by segment, copy, publish,
 * invalidate, retire) is in {@link StructureChanges#resize}, which holds the structure lock; readers
 * never wait for it, writers wait only for the copy.
 */
final class Resizer {

    /** The stable word of a freshly written cell: version 1, occupied, no marker. */
    private static final long NEW_ENTRY = CellMeta.end(0L, CellMeta.OCCUPIED, CellMeta.EMPTY);

    /** A sorted stream of entries. */
    abstract static class Source {
        long key;
        long value;
        /** The value of an object-valued tree; null for a long-valued one. */
        Object ref;

        /** Moves to the next entry; the caller never asks for more than it was told exist. */
        abstract void advance();

        /**
         * Copies the next {@code n} entries' keys and long values into {@code keys[0, n)} and
         * {@code values[0, n)} with bulk copies and returns true, or returns false, having moved
         * nothing, where this source has no bulk form (then {@link #advance} is used).
         */
        boolean next(int n, long[] keys, long[] values) {
            return false;
        }
    }

    private Resizer() {
    }

    /** Segments needed to hold {@code entries} at {@code density}; at least 1. */
    static int segmentsFor(long entries, int segmentSize, double density) {
        long n = (long) Math.ceil(entries / (density * segmentSize));
        if (n > Integer.MAX_VALUE / SegmentHeaders.STRIDE) {
            throw new IllegalStateException("an index of " + entries + " entries needs " + n
                    + " segments of " + segmentSize + " cells; use a larger segment size");
        }
        return (int) Math.max(1, n);
    }

    /** Spread evenly over every segment. */
    static final int EVEN = 0;
    /** Packed into the leftmost segments; the free space is left at the end for an ascending stream. */
    static final int PACK_LEFT = 1;
    /** Packed into the rightmost segments; the free space is left at the start for a descending stream. */
    static final int PACK_RIGHT = 2;

    /** A new storage holding the {@code m} entries of {@code src}, spread evenly over {@code segments} segments. */
    static Storage build(CellStoreFactory factory, int segmentSize, int segments, long m, Source src) {
        return build(factory, segmentSize, segments, m, src, EVEN, segmentSize);
    }

    /**
     * A new storage holding the {@code m} entries of {@code src} over {@code segments} segments,
     * spread evenly or packed {@code fill} to a segment at one end ({@link #PACK_LEFT},
     * {@link #PACK_RIGHT}).
     */
    static Storage build(CellStoreFactory factory, int segmentSize, int segments, long m, Source src, int layout, int fill) {
        if (m > (long) segments * segmentSize) {
            throw new IllegalArgumentException(m + " entries do not fit in " + segments + " segments of " + segmentSize);
        }
        CellStore cells = factory.create(segments, segmentSize);
        try {
            return fill(cells, segmentSize, segments, m, src, layout, fill);
        } catch (RuntimeException | Error e) {
            // never published: hand the store back, or its memory (off-heap) or file (mapped) leaks
            factory.retire(cells);
            throw e;
        }
    }

    private static Storage fill(CellStore cells, int segmentSize, int segments, long m, Source src, int layout, int fill) {
        Storage st = new Storage(cells, segments, segmentSize);
        if (layout != EVEN && (long) fill * segments < m) {
            layout = EVEN;
        }
        long q = m / segments;
        long r = m % segments;
        // a segment's entries moved in bulk (long values only: references are written one by one)
        long[] bulkKeys = src != null && !cells.holdsReferences() ? new long[segmentSize] : null;
        long[] bulkValues = bulkKeys != null ? new long[segmentSize] : null;
        long packedSegments = layout == EVEN ? 0 : (m + fill - 1) / fill;
        for (int t = 0; t < segments; t++) {
            int c;
            if (layout == PACK_LEFT) {
                c = (int) Math.max(0, Math.min(fill, m - (long) t * fill));
            } else if (layout == PACK_RIGHT) {
                long fromRight = segments - 1 - t;
                c = fromRight >= packedSegments ? 0 : (int) Math.min(fill, m - fromRight * fill);
                if (fromRight == packedSegments - 1) {
                    c = (int) (m - (packedSegments - 1) * fill);
                } else if (fromRight < packedSegments) {
                    c = fill;
                }
            } else {
                c = (int) (q + ((t + 1) * r) / segments - (t * r) / segments);
            }
            long base = st.base(t);
            if (c > 0 && bulkKeys != null && src.next(c, bulkKeys, bulkValues)) {
                cells.setPlain(base, NEW_ENTRY, bulkKeys, bulkValues, 0, c);
            } else {
                for (int k = 0; k < c; k++) {
                    src.advance();
                    cells.setPlain(base + k, NEW_ENTRY, src.key, src.value, src.ref);
                }
            }
            st.headers.setCount(t, c);
            st.counts.addUnpublished(t, c);
            st.refreshPivots(t, c);
        }
        setFences(st, layout);
        return st;
    }

    /**
     * Wraps a recovered store, after checking that its cells form an index this engine could
     * have left at a clean close: a segment size the builder allows, a segment count the headers
     * can hold, every cell word stable (even) with no marker and no move distance, every segment
     * packed at its left end, keys strictly increasing across the whole array, and
     * {@code Long.MAX_VALUE} only in the last segment (the only one whose range includes it).
     * Counts and fences are then rebuilt from the cells, so they are consistent with the keys by
     * construction. The checksums of a file vouch only that it is the one written; these checks
     * vouch that what was written is an index (a bug, a tool or an attacker may have written it).
     * Nothing is written to the store.
     *
     * @throws CorruptIndexException ({@code LAYOUT} or {@code STRUCTURE}) naming the first violation
     */
    static Storage adopt(CellStore cells) {
        int size = cells.segmentSize();
        if (size < 8 || size > 4096 || Integer.bitCount(size) != 1 || cells.capacity() % size != 0) {
            throw refuse(cells, CorruptIndexException.Reason.LAYOUT, "its segment size " + size + " and capacity "
                    + cells.capacity() + " are not a cobtree layout (a power of two in [8, 4096] dividing the capacity)");
        }
        if (cells.capacity() / size > Integer.MAX_VALUE / SegmentHeaders.STRIDE) {
            throw refuse(cells, CorruptIndexException.Reason.LAYOUT, "its " + cells.capacity() / size
                    + " segments are more than an index can have");
        }
        int segments = (int) (cells.capacity() / size);
        Storage st = new Storage(cells, segments, size);
        boolean any = false;
        long previous = 0;
        for (int t = 0; t < segments; t++) {
            long base = st.base(t);
            int c = 0;
            for (int k = 0; k < size; k++) {
                long m = cells.metaPlain(base + k);
                if ((m & ~(CellMeta.VERSION_MASK | CellMeta.OCCUPIED)) != 0) {
                    throw refuse(cells, CorruptIndexException.Reason.STRUCTURE, "cell " + (base + k) + " has the cell word "
                            + Long.toHexString(m) + ", which no clean close leaves (mid-write or marker bits set)");
                }
                if ((m & CellMeta.OCCUPIED) == 0) {
                    continue;
                }
                if (c != k) {
                    throw refuse(cells, CorruptIndexException.Reason.STRUCTURE, "segment " + t + " has a gap before cell "
                            + (base + k) + " (entries must be packed at the segment's start)");
                }
                long key = cells.keyPlain(base + k);
                if (any && key <= previous) {
                    throw refuse(cells, CorruptIndexException.Reason.STRUCTURE, "its keys are not strictly increasing at cell "
                            + (base + k) + " (key " + key + " after " + previous + ")");
                }
                if (key == Long.MAX_VALUE && t != segments - 1) {
                    throw refuse(cells, CorruptIndexException.Reason.STRUCTURE, "it holds key Long.MAX_VALUE in segment " + t
                            + " of " + segments + ": only the last segment's range includes it");
                }
                any = true;
                previous = key;
                c++;
            }
            st.headers.setCount(t, c);
            st.counts.addUnpublished(t, c);
            st.refreshPivots(t, c);
        }
        setFences(st, EVEN);
        return st;
    }

    private static CorruptIndexException refuse(CellStore cells, CorruptIndexException.Reason reason, String detail) {
        return new CorruptIndexException(cells.file(), reason, "its cells pass their checksums but " + detail,
                CorruptIndexException.CELL_FILE_REMEDY);
    }

    /**
     * Fences of a fresh storage: each segment starts at its first key; empty ones get empty
     * ranges, except that a packed layout hands the key range beyond its entries to the empty
     * segment next to them, where the stream it was built for will insert.
     */
    private static void setFences(Storage st, int layout) {
        SegmentHeaders h = st.headers;
        int firstFull = -1;
        int lastFull = -1;
        for (int t = 0; t < st.segments; t++) {
            if (h.count(t) > 0) {
                lastFull = t;
                if (firstFull < 0) {
                    firstFull = t;
                }
            }
        }
        long lastKey = lastFull < 0 ? Long.MAX_VALUE : st.cells.keyPlain(st.base(lastFull) + h.count(lastFull) - 1);
        long next = Long.MAX_VALUE;
        for (int t = st.segments - 1; t >= 1; t--) {
            long lo;
            if (h.count(t) > 0) {
                lo = st.cells.keyPlain(st.base(t));
            } else if (layout == PACK_LEFT && t == lastFull + 1 && lastKey != Long.MAX_VALUE) {
                lo = lastKey + 1;
            } else if (layout == PACK_RIGHT && t < firstFull) {
                lo = Long.MIN_VALUE;
            } else {
                lo = next;
            }
            h.setLo(t, lo);
            h.setHi(t - 1, lo);
            st.index.setFenceUnpublished(t, lo);
            next = lo;
        }
        h.setLo(0, Long.MIN_VALUE);
        h.setHi(st.segments - 1, Long.MAX_VALUE);
    }

    /** The entries of a frozen storage, in order. */
    static final class FrozenSource extends Source {
        private final Storage st;
        private int segment;
        private int offset;

        FrozenSource(Storage st) {
            this.st = st;
        }

        /** Moves past exhausted segments to the one holding the next entry. */
        private void skipExhausted() {
            while (offset >= st.headers.count(segment)) {
                segment++;
                offset = 0;
            }
        }

        @Override
        void advance() {
            skipExhausted();
            long c = st.base(segment) + offset++;
            key = st.cells.keyPlain(c);
            value = st.cells.valuePlain(c);
            ref = st.cells.refPlain(c);
        }

        /** The frozen segments' runs copied in bulk (a frozen storage no longer changes: any copy is stable). */
        @Override
        boolean next(int n, long[] keys, long[] values) {
            if (st.refs) {
                return false;
            }
            for (int at = 0; at < n; ) {
                skipExhausted();
                int run = Math.min(n - at, st.headers.count(segment) - offset);
                st.cells.copyEntries(st.base(segment) + offset, run, keys, values, at);
                offset += run;
                at += run;
            }
            return true;
        }
    }

    /** Keys from an array, object values from a parallel array (an object-valued tree's bulk load). */
    static final class RefArraySource extends Source {
        private final long[] keys;
        private final Object[] refs;
        private int i;

        RefArraySource(long[] keys, Object[] refs, int from) {
            this.keys = keys;
            this.refs = refs;
            this.i = from;
        }

        @Override
        void advance() {
            key = keys[i];
            ref = refs[i++];
        }
    }

    /** Entries from parallel arrays. */
    static final class ArraySource extends Source {
        private final long[] keys;
        private final long[] values;
        private int i;

        ArraySource(long[] keys, long[] values, int from) {
            this.keys = keys;
            this.values = values;
            this.i = from;
        }

        @Override
        void advance() {
            key = keys[i];
            value = values[i++];
        }

        @Override
        boolean next(int n, long[] keys, long[] values) {
            System.arraycopy(this.keys, i, keys, 0, n);
            System.arraycopy(this.values, i, values, 0, n);
            i += n;
            return true;
        }
    }
}
