package dev.cobtree.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contents of one segment as they were before the first write to it after one or more
 * snapshots were taken: its fences, its entries (keys with values, or with references in an
 * object-valued tree). Copied by the writer that holds the segment's lock, before its first store
 * ({@link Snapshots#beforeWrite}), and shared by every open snapshot that had not seen the segment
 * change yet (they all saw these same contents). Immutable once published.
 *
 * <p><b>What a snapshot's table holds</b> ({@link #entry}): for a long-valued tree, one packed
 * array {@code [lo, hi, keys..., values...]} ({@link #packed}); for an object-valued tree, this
 * object, with its key and reference arrays (exactly {@code n} long, so a reader can use them in
 * place). A scan over pre-images is bound by memory latency (they are allocated one by one, in the
 * order segments happen to be written, so neighbouring segments' pre-images lie anywhere in the
 * heap): from the table slot, a packed pre-image is one cache miss and then a stream of
 * consecutive lines, where an object with two arrays was a miss on the object and then two more
 * on the arrays (docs/BENCH.md, issue 16).
 *
 * <p>{@link #holders} counts the snapshots whose table holds this pre-image; the last one to
 * close drops it from the registry's byte count.
 */
final class PreImage {

    /** Bytes of the object (header and fields) and its holder count. */
    static final long OBJECT = 16 + 8 + 8 + 4 + 4 + 4 + 4 + 4 + 4 + 16;
    /** Bytes of an array header. */
    static final long ARRAY = 16;

    final long lo;
    final long hi;
    final int n;
    /** Long-valued trees: {@code [lo, hi, keys[0..n), values[0..n)]}; null in an object-valued one. */
    final long[] packed;
    /** Object-valued trees: the keys (null in a long-valued one). */
    final long[] keys;
    /** Object-valued trees: the references (null in a long-valued one). */
    final Object[] refs;
    final AtomicInteger holders = new AtomicInteger();

    private PreImage(long lo, long hi, int n, long[] packed, long[] keys, Object[] refs) {
        this.lo = lo;
        this.hi = hi;
        this.n = n;
        this.packed = packed;
        this.keys = keys;
        this.refs = refs;
    }

    /** Copies segment s of {@code st}; the caller holds its lock, so plain loads see a stable segment. */
    static PreImage copy(Storage st, int s) {
        SegmentHeaders h = st.headers;
        int n = h.count(s);
        long base = st.base(s);
        long lo = h.lo(s);
        long hi = h.hi(s);
        if (st.refs) {
            long[] keys = new long[n];
            Object[] refs = new Object[n];
            for (int i = 0; i < n; i++) {
                keys[i] = st.cells.keyPlain(base + i);
                refs[i] = st.cells.refPlain(base + i);
            }
            return new PreImage(lo, hi, n, null, keys, refs);
        }
        long[] packed = new long[2 + 2 * n];
        packed[0] = lo;
        packed[1] = hi;
        for (int i = 0; i < n; i++) {
            packed[2 + i] = st.cells.keyPlain(base + i);
            packed[2 + n + i] = st.cells.valuePlain(base + i);
        }
        return new PreImage(lo, hi, n, packed, null, null);
    }

    /** What a snapshot's table holds for this pre-image: the packed array, or this object. */
    Object entry() {
        return packed != null ? packed : this;
    }

    /** The lower fence of a packed pre-image. */
    static long lo(long[] packed) {
        return packed[0];
    }

    /** The upper fence of a packed pre-image. */
    static long hi(long[] packed) {
        return packed[1];
    }

    /** Entries of a packed pre-image. */
    static int count(long[] packed) {
        return (packed.length - 2) >>> 1;
    }

    /** Index of the first key in a packed pre-image (its values follow the keys). */
    static final int KEYS = 2;

    /** Heap bytes this pre-image holds (not counting the value objects an object-valued one references). */
    long bytes() {
        return OBJECT + (packed != null ? ARRAY + 8L * packed.length : 2 * ARRAY + 8L * n + 4L * n);
    }
}
