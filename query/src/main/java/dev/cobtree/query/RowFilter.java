package dev.cobtree.query;

import org.roaringbitmap.RoaringBitmap;

import java.util.Objects;

/**
 * A predicate over row ids, evaluated to a {@link RoaringBitmap}, and combined with others by
 * bitmap AND / OR / AND NOT. Deliberately small: a filter is just "a way to get a fresh bitmap".
 *
 * <pre>{@code
 * RowFilter lastHour = RowFilter.of(byTime, Range.halfOpen(t0, t0 + 3600));
 * RowFilter midPrice = RowFilter.of(byPrice, Range.closed(1_000, 5_000));
 * RowFilter vip      = RowFilter.of(byCustomer, Range.singleton(42));
 * RoaringBitmap rows = lastHour.and(midPrice).andNot(vip).rows();
 * }</pre>
 *
 * <p>{@code and} / {@code andNot} skip evaluating their right side when the left side is
 * already empty. Every evaluation returns a bitmap the caller owns and may modify.
 */
@FunctionalInterface
public interface RowFilter {

    /** The rows that match, as a new bitmap owned by the caller. */
    RoaringBitmap rows();

    /** Rows whose key in {@code index} lies in {@code keys}. */
    static RowFilter of(SecondaryIndex index, Range keys) {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(keys, "keys");
        return () -> index.rowIds(keys);
    }

    /** Rows whose key lies in {@code keys}, answered through a filter cache. */
    static RowFilter of(FilterCache cache, Range keys) {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(keys, "keys");
        return () -> cache.rowIds(keys);
    }

    /** Exactly the rows of {@code bitmap} (a copy each time). */
    static RowFilter of(RoaringBitmap bitmap) {
        Objects.requireNonNull(bitmap, "bitmap");
        return bitmap::clone;
    }

    /** Rows matching both. */
    default RowFilter and(RowFilter other) {
        Objects.requireNonNull(other, "other");
        return () -> {
            RoaringBitmap left = rows();
            if (!left.isEmpty()) left.and(other.rows());
            return left;
        };
    }

    /** Rows matching either. */
    default RowFilter or(RowFilter other) {
        Objects.requireNonNull(other, "other");
        return () -> {
            RoaringBitmap left = rows();
            left.or(other.rows());
            return left;
        };
    }

    /** Rows matching this and not {@code other}. */
    default RowFilter andNot(RowFilter other) {
        Objects.requireNonNull(other, "other");
        return () -> {
            RoaringBitmap left = rows();
            if (!left.isEmpty()) left.andNot(other.rows());
            return left;
        };
    }
}
