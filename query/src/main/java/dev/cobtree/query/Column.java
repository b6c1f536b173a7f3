package dev.cobtree.query;

import dev.cobtree.query.codec.KeyCodec;

import java.util.Comparator;
import java.util.Objects;

/**
 * One typed column of a {@link TableIndex}: a name, a value type, the {@link KeyCodec} that
 * orders its values as {@code long} keys, and the value order those keys follow.
 *
 * <h2>Keys</h2>
 * A {@code TableIndex} keeps each column in a {@link WideKeyIndex} keyed by the codec's own
 * 64-bit keys, unchanged: a 64-bit column ({@code long}, {@code double}, {@code Instant} at
 * micro- or nanoseconds) is indexed exactly, with no key bits dropped. Nulls are kept apart
 * (not under any key). A column is <em>exact</em> when its codec is ({@link #isExact()}); for an
 * inexact codec (string prefix, UUID high bits) distinct values may share a key and a query
 * verifies the rows of the keys at the ends of its range against the stored values.
 *
 * @param <T> the value type
 */
public final class Column<T> {

    /**
     * The index key nulls had when columns were packed into 33-bit index keys. Nulls are now kept
     * apart from the keys (every {@code long} can be a value's key), so no key is reserved.
     *
     * @deprecated not used since keys are full 64-bit codec keys; kept for source compatibility
     */
    @Deprecated
    public static final long NULL_KEY = -(1L << (63 - TableIndex.ROW_ID_BITS));

    private final String name;
    private final Class<T> type;
    private final KeyCodec<T> codec;
    private final Comparator<? super T> order;

    private Column(String name, Class<T> type, KeyCodec<T> codec, Comparator<? super T> order) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.order = Objects.requireNonNull(order, "order");
    }

    /**
     * A column ordered as its codec orders it: by the codec's keys if the codec is exact, else by
     * the values' natural order (which must agree with the codec's, as it does for the string
     * prefix and UUID codecs).
     *
     * @param <T> the value type
     * @param name the column's name, unique in its table
     * @param type the values' class (a boxed class for primitives: {@code Integer.class})
     * @param codec the key codec
     * @return the column
     * @throws IllegalArgumentException if the codec is inexact and {@code type} is not {@link Comparable}
     */
    @SuppressWarnings("unchecked")
    public static <T> Column<T> of(String name, Class<T> type, KeyCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        if (codec.isExact()) return new Column<>(name, type, codec, Comparator.comparingLong(codec::encode));
        if (!Comparable.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("column '" + name + "': " + type.getName()
                    + " is not Comparable and its codec is inexact: give the value order explicitly");
        }
        return new Column<>(name, type, codec, (a, b) -> ((Comparable<Object>) a).compareTo(b));
    }

    /**
     * A column with an explicit value order, which must agree with the codec's
     * ({@code order.compare(a, b) < 0} implies {@code codec.encode(a) <= codec.encode(b)}).
     *
     * @param <T> the value type
     * @param name the column's name
     * @param type the values' class
     * @param codec the key codec
     * @param order the value order
     * @return the column
     */
    public static <T> Column<T> of(String name, Class<T> type, KeyCodec<T> codec, Comparator<? super T> order) {
        return new Column<>(name, type, codec, order);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    public KeyCodec<T> codec() {
        return codec;
    }

    /**
     * Whether distinct values always have distinct index keys; if not, queries verify candidate
     * rows against the stored values.
     *
     * @return true if the codec is exact
     */
    public boolean isExact() {
        return codec.isExact();
    }

    /** The value as this column's type. @throws IllegalArgumentException naming it if it is of another type */
    T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("value " + value + " (" + value.getClass().getName() + ") is not a "
                    + type.getName() + " for column '" + name + "'");
        }
        return type.cast(value);
    }

    /** The index key (the codec key) of a non-null value. @throws IllegalArgumentException naming the value and column */
    long indexKey(Object value) {
        T v = cast(value);
        long k;
        try {
            k = codec.encode(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
        }
        return k;
    }

    /** Compares two non-null values of this column in the column's order. */
    int compare(Object a, Object b) {
        return order.compare(type.cast(a), type.cast(b));
    }

    @Override
    public String toString() {
        return name + " " + type.getSimpleName() + (isExact() ? "" : " (verified)");
    }
}
