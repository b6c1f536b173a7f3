package dev.cobtree.query.codec;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;

/**
 * An exact codec of one enum type: the key of a constant is its rank in the codec's order, either
 * declaration order (the ordinal) or name order ({@link String#compareTo} of the names). Keys lie
 * in {@code [0, constants - 1]}. Name-order keys change when a constant is added or renamed, and
 * ordinal keys when constants are reordered: an index keyed by them must then be rebuilt.
 *
 * @param <E> the enum type
 */
final class EnumCodec<E extends Enum<E>> implements KeyCodec<E> {

    private final Class<E> type;
    private final String order;
    /** The constants in key order. */
    private final E[] byKey;
    /** The key of each constant, indexed by ordinal. */
    private final int[] keyOfOrdinal;

    private EnumCodec(Class<E> type, String order, E[] byKey) {
        this.type = type;
        this.order = order;
        this.byKey = byKey;
        this.keyOfOrdinal = new int[byKey.length];
        for (int k = 0; k < byKey.length; k++) {
            keyOfOrdinal[byKey[k].ordinal()] = k;
        }
    }

    static <E extends Enum<E>> EnumCodec<E> byOrdinal(Class<E> type) {
        return new EnumCodec<>(type, "ordinal", constants(type));
    }

    static <E extends Enum<E>> EnumCodec<E> byName(Class<E> type) {
        E[] sorted = constants(type);
        Arrays.sort(sorted, Comparator.comparing(Enum::name));
        return new EnumCodec<>(type, "name", sorted);
    }

    private static <E extends Enum<E>> E[] constants(Class<E> type) {
        E[] constants = Objects.requireNonNull(type, "type").getEnumConstants();
        if (constants == null) {
            throw new IllegalArgumentException(type + " is not an enum class");
        }
        return constants.clone();
    }

    @Override
    public long encode(E value) {
        Objects.requireNonNull(value, "value");
        if (value.getDeclaringClass() != type) {
            throw KeyCodecs.refused(value, "it is a " + value.getDeclaringClass().getName() + ", not a " + type.getName());
        }
        return keyOfOrdinal[value.ordinal()];
    }

    @Override
    public E decode(long key) {
        if (key < 0 || key >= byKey.length) {
            throw KeyCodecs.noValue(key, toString());
        }
        return byKey[(int) key];
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public long minKey() {
        return 0;
    }

    @Override
    public long maxKey() {
        return byKey.length - 1L;
    }

    @Override
    public String toString() {
        return "KeyCodec[" + type.getName() + " by " + order + "]";
    }
}
