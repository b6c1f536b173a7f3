package dev.cobtree.query.codec;

import java.util.Objects;

/**
 * The exact codecs of the primitive types: integral values widen to {@code long}; floating-point
 * values map their bit pattern so that signed {@code long} order is the total order of
 * {@link Double#compare} / {@link Float#compare}.
 *
 * <p>Floating point: for a non-negative double the IEEE 754 bit pattern, read as a signed long,
 * already increases with the value (+0.0 is 0, +Infinity {@code 0x7ff0...}, the canonical NaN
 * {@code 0x7ff8...} above it). A negative double has the sign bit set, and its remaining bits grow
 * with its magnitude, so flipping every bit but the sign reverses them: -0.0
 * ({@code 0x8000...}) becomes -1, just below +0.0, and -Infinity the smallest key. The map is its
 * own inverse, which is {@code decode}.
 *
 * @param <T> the boxed value type
 */
abstract class PrimitiveCodec<T> implements KeyCodec<T> {

    static final PrimitiveCodec<Integer> INT = new PrimitiveCodec<>("int", Integer.MIN_VALUE, Integer.MAX_VALUE) {
        @Override
        long encodeNonNull(Integer value) {
            return value;
        }

        @Override
        Integer decodeChecked(long key) {
            return (int) key;
        }
    };

    static final PrimitiveCodec<Long> LONG = new PrimitiveCodec<>("long", Long.MIN_VALUE, Long.MAX_VALUE) {
        @Override
        long encodeNonNull(Long value) {
            return value;
        }

        @Override
        Long decodeChecked(long key) {
            return key;
        }
    };

    static final PrimitiveCodec<Short> SHORT = new PrimitiveCodec<>("short", Short.MIN_VALUE, Short.MAX_VALUE) {
        @Override
        long encodeNonNull(Short value) {
            return value;
        }

        @Override
        Short decodeChecked(long key) {
            return (short) key;
        }
    };

    static final PrimitiveCodec<Byte> BYTE = new PrimitiveCodec<>("byte", Byte.MIN_VALUE, Byte.MAX_VALUE) {
        @Override
        long encodeNonNull(Byte value) {
            return value;
        }

        @Override
        Byte decodeChecked(long key) {
            return (byte) key;
        }
    };

    static final PrimitiveCodec<Boolean> BOOLEAN = new PrimitiveCodec<>("boolean", 0, 1) {
        @Override
        long encodeNonNull(Boolean value) {
            return value ? 1 : 0;
        }

        @Override
        Boolean decodeChecked(long key) {
            return key == 1;
        }
    };

    static final PrimitiveCodec<Double> DOUBLE = new PrimitiveCodec<>("double",
            flip(Double.doubleToLongBits(Double.NEGATIVE_INFINITY)), flip(Double.doubleToLongBits(Double.NaN))) {
        @Override
        long encodeNonNull(Double value) {
            return flip(Double.doubleToLongBits(value)); // doubleToLongBits: every NaN to the canonical one
        }

        @Override
        Double decodeChecked(long key) {
            return Double.longBitsToDouble(flip(key));
        }
    };

    static final PrimitiveCodec<Float> FLOAT = new PrimitiveCodec<>("float",
            flip(Float.floatToIntBits(Float.NEGATIVE_INFINITY)), flip(Float.floatToIntBits(Float.NaN))) {
        @Override
        long encodeNonNull(Float value) {
            return flip(Float.floatToIntBits(value)); // floatToIntBits: every NaN to the canonical one
        }

        @Override
        Float decodeChecked(long key) {
            return Float.intBitsToFloat(flip((int) key));
        }
    };

    private final String name;
    private final long minKey;
    private final long maxKey;

    private PrimitiveCodec(String name, long minKey, long maxKey) {
        this.name = name;
        this.minKey = minKey;
        this.maxKey = maxKey;
    }

    /** Flips all bits but the sign of a negative pattern; an involution. */
    static long flip(long bits) {
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    static int flip(int bits) {
        return bits ^ ((bits >> 31) & Integer.MAX_VALUE);
    }

    abstract long encodeNonNull(T value);

    /** Decodes a key already checked to lie in {@code [minKey, maxKey]}. */
    abstract T decodeChecked(long key);

    @Override
    public final long encode(T value) {
        return encodeNonNull(Objects.requireNonNull(value, "value"));
    }

    @Override
    public final T decode(long key) {
        if (key < minKey || key > maxKey) {
            throw KeyCodecs.noValue(key, name);
        }
        return decodeChecked(key);
    }

    @Override
    public final boolean isExact() {
        return true;
    }

    @Override
    public final long minKey() {
        return minKey;
    }

    @Override
    public final long maxKey() {
        return maxKey;
    }

    @Override
    public final String toString() {
        return "KeyCodec[" + name + "]";
    }
}
