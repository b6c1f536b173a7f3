package dev.cobtree.query;

import java.util.Objects;

/**
 * The entries of one range, handed out in chunks into caller-owned {@code long[]} buffers, so
 * that a large range is read with one cursor and no boxing. Obtained from
 * {@link RangeScan#reader}. Weakly consistent, like every scan; not thread-safe.
 *
 * <pre>{@code
 * long[] keys = new long[4096], values = new long[4096];
 * RangeReader reader = new RangeScan(tree).reader(Range.halfOpen(lo, hi), Order.ASCENDING);
 * for (int n; (n = reader.read(keys, values)) > 0; ) process(keys, values, n);
 * }</pre>
 */
public final class RangeReader {

    private final RangeCursor cursor;
    private boolean exhausted;

    RangeReader(RangeCursor cursor) {
        this.cursor = cursor;
    }

    /**
     * Writes the next entries into {@code keys} and/or {@code values} from index 0, up to the
     * length of the shorter non-null array; returns how many (0 once the range is exhausted).
     * @throws NullPointerException if both arrays are null
     */
    public int read(long[] keys, long[] values) {
        if (keys == null && values == null) throw new NullPointerException("keys and values are both null");
        int len = keys == null ? values.length : values == null ? keys.length : Math.min(keys.length, values.length);
        return read(keys, values, 0, len);
    }

    /**
     * Writes up to {@code len} next entries into {@code keys[off..]} and/or {@code values[off..]};
     * returns how many (0 once the range is exhausted).
     * @throws NullPointerException if both arrays are null
     * @throws IndexOutOfBoundsException if {@code [off, off+len)} does not fit a non-null array
     */
    public int read(long[] keys, long[] values, int off, int len) {
        if (keys == null && values == null) throw new NullPointerException("keys and values are both null");
        if (keys != null) Objects.checkFromIndexSize(off, len, keys.length);
        if (values != null) Objects.checkFromIndexSize(off, len, values.length);
        if (exhausted) return 0;
        int n = cursor.read(keys, values, off, len); // runs of each segment snapshot, bulk-copied
        if (n < len) exhausted = true;
        return n;
    }

    /** True once a read found the end of the range. */
    public boolean isExhausted() {
        return exhausted;
    }
}
