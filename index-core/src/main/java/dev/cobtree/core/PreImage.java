package dev.cobtree.core;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The contents of one segment as they were before the first write to it after one or more
 * snapshots were taken: its fences, its entries (keys with values, or with references in an
 * object-valued tree). Copied by the writer that holds the segment's lock, before its first store
 * ({@link Snapshots#beforeWrite}), and shared by every open snapshot that had not seen the segment
 * change yet (they all saw these same contents). Immutable once published; the arrays are exactly
 * {@code n} long, so a reader can use them in place.
 *
 * <p>{@link #holders} counts the snapshots whose table holds this pre-image; the last one to
 * close drops it from the registry's byte count.
 */
final class PreImage {

    /** Bytes of an object header, the fields and three array headers: the fixed cost of one pre-image. */
    static final long OVERHEAD = 16 + 8 + 8 + 4 + 4 + 8 + 8 + 8 + 16 + 3 * 16;

    final long lo;
    final long hi;
    final int n;
    final long[] keys;
    /** Values of a long-valued tree (null in an object-valued one). */
    final long[] values;
    /** References of an object-valued tree (null in a long-valued one). */
    final Object[] refs;
    final AtomicInteger holders = new AtomicInteger();

    private PreImage(long lo, long hi, int n, long[] keys, long[] values, Object[] refs) {
        this.lo = lo;
        this.hi = hi;
        this.n = n;
        this.keys = keys;
        this.values = values;
        this.refs = refs;
    }

    /** Copies segment s of {@code st}; the caller holds its lock, so plain loads see a stable segment. */
    static PreImage copy(Storage st, int s) {
        SegmentHeaders h = st.headers;
        int n = h.count(s);
        long base = st.base(s);
        long[] keys = new long[n];
        long[] values = st.refs ? null : new long[n];
        Object[] refs = st.refs ? new Object[n] : null;
        for (int i = 0; i < n; i++) {
            long c = base + i;
            keys[i] = st.cells.keyPlain(c);
            if (refs != null) {
                refs[i] = st.cells.refPlain(c);
            } else {
                values[i] = st.cells.valuePlain(c);
            }
        }
        return new PreImage(h.lo(s), h.hi(s), n, keys, values, refs);
    }

    /** Heap bytes this pre-image holds (not counting the value objects an object-valued one references). */
    long bytes() {
        return OVERHEAD + 8L * n + (refs != null ? 4L * n : 8L * n);
    }
}
