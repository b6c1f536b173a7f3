package dev.cobtree.query;

import dev.cobtree.query.codec.KeyCodec;

import java.util.Comparator;
import java.util.Objects;

/**
 * One typed column of a {@link TableIndex}: a name, a value type, the {@link KeyCodec} that
 * orders its values as {@code long} keys, and the value order those keys follow.
 *
 * <h2>From codec keys to index keys</h2>
 * A {@code TableIndex} keeps each column in a {@link SecondaryIndex} with
 * {@link TableIndex#ROW_ID_BITS} = 31-bit row ids, so index keys are 33-bit signed numbers. The
 * smallest one, {@link #NULL_KEY}, is reserved for null values; a codec key {@code k} becomes
 * index key {@code NULL_KEY + 1 + ((k - codec.minKey()) >>> shift)}, where {@code shift} is the
 * fewest bits that fit the codec's whole key range into the rest (0 for {@code int}, enum,
 * boolean, date codecs; 31 for the full-width {@code long}, {@code double}, {@code Instant},
 * string and UUID codecs). The map is monotone, so value ranges stay key ranges. It is
 * <em>exact</em> (distinct values, distinct index keys) when the codec is exact and the shift 0;
 * otherwise values share index keys and a query verifies the rows of the keys at the ends of its
 * range against the stored values ({@link #isExact()}).
 *
 * @param <T> the value type
 */
public final class Column<T> {

    /** The index key of a null value: below every value's key. */
    public static final long NULL_KEY = -(1L << (63 - TableIndex.ROW_ID_BITS));
    /** The largest index key. */
    static final long MAX_KEY = (1L << (63 - TableIndex.ROW_ID_BITS)) - 1;

    private final String name;
    private final Class<T> type;
    private final KeyCodec<T> codec;
    private final Comparator<? super T> order;
    private final int shift;

    private Column(String name, Class<T> type, KeyCodec<T> codec, Comparator<? super T> order) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.order = Objects.requireNonNull(order, "order");
        long span = codec.maxKey() - codec.minKey(); // unsigned: maxKey >= minKey
        long room = MAX_KEY - NULL_KEY - 1;
        int s = 0;
        while (Long.compareUnsigned(span >>> s, room) > 0) s++;
        this.shift = s;
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
     * @return true if the codec is exact and no key bits are dropped
     */
    public boolean isExact() {
        return codec.isExact() && shift == 0;
    }

    /** Bits of the codec key dropped to fit the index (0: none). */
    int shift() {
        return shift;
    }

    /** The value as this column's type. @throws IllegalArgumentException naming it if it is of another type */
    T cast(Object value) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException("value " + value + " (" + value.getClass().getName() + ") is not a "
                    + type.getName() + " for column '" + name + "'");
        }
        return type.cast(value);
    }

    /** The index key of a value (null: {@link #NULL_KEY}). @throws IllegalArgumentException naming the value and column */
    long indexKey(Object value) {
        if (value == null) return NULL_KEY;
        T v = cast(value);
        long k;
        try {
            k = codec.encode(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column '" + name + "': " + e.getMessage(), e);
        }
        return NULL_KEY + 1 + ((k - codec.minKey()) >>> shift);
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
