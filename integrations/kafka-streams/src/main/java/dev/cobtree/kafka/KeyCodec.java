package dev.cobtree.kafka;

import org.apache.kafka.common.utils.Bytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Kafka keys to tree keys and back. A store key is 8 bytes, read as a big-endian {@code long}
 * {@code x}; its tree key is {@code x ^ Long.MIN_VALUE} (the sign bit flipped). Kafka compares
 * keys as unsigned bytes, lexicographically ({@code Bytes.BYTES_LEXICO_COMPARATOR}), which for
 * two 8-byte keys is the unsigned order of their big-endian longs; flipping the sign bit turns
 * unsigned order into signed order, the tree's. So a key with the high bit set ({@code Long}
 * -1, bytes {@code ff..ff}) sorts after every non-negative {@code Long}, as in Kafka's own stores.
 *
 * <p>Bounds of queries may have any length: {@link #lower} and {@link #upper} map a bound to the
 * exact set of 8-byte keys on its side in Kafka's order. For a bound {@code b} of {@code n}
 * bytes and a key {@code k} of 8: if {@code n < 8}, {@code k >= b} iff {@code k >= b0} and
 * {@code k <= b} iff {@code k < b0}, where {@code b0} is {@code b} padded with zero bytes (a key
 * that starts with {@code b} is longer, hence greater); if {@code n > 8}, {@code k >= b} iff
 * {@code k > b8} and {@code k <= b} iff {@code k <= b8}, where {@code b8} is the first 8 bytes
 * of {@code b} (a key equal to {@code b8} is a proper prefix, hence smaller). For such bounds the
 * inclusive and exclusive forms select the same keys.
 */
final class KeyCodec {

    /** Plain big-endian long access to byte arrays. */
    private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    static final int KEY_BYTES = 8;

    private KeyCodec() {
    }

    /** The tree key of a store key. @throws IllegalArgumentException unless the key has 8 bytes */
    static long treeKey(Bytes key) {
        Objects.requireNonNull(key, "key cannot be null");
        byte[] b = key.get();
        if (b == null) {
            throw new NullPointerException("key cannot be null (Bytes wraps a null array)");
        }
        if (b.length != KEY_BYTES) {
            throw new IllegalArgumentException("a cobtree store key must be 8 bytes (a big-endian long, as Serdes.Long() writes); got a key of "
                    + b.length + " bytes");
        }
        return (long) BE_LONG.get(b, 0) ^ Long.MIN_VALUE;
    }

    /** The store key of a tree key. */
    static Bytes storeKey(long treeKey) {
        return Bytes.wrap(bytes(treeKey ^ Long.MIN_VALUE));
    }

    /** The 8 big-endian bytes of {@code v}: the encoding of {@code Serdes.Long()}. */
    static byte[] bytes(long v) {
        byte[] b = new byte[KEY_BYTES];
        BE_LONG.set(b, 0, v);
        return b;
    }

    /** The Kafka-side long of a tree key (what {@code Serdes.Long()} reads from the store key). */
    static long kafkaLong(long treeKey) {
        return treeKey ^ Long.MIN_VALUE;
    }

    /** The tree key of the first 8 bytes of {@code b}, padded with {@code pad} bytes if shorter. */
    private static long padded(byte[] b, byte pad) {
        byte[] p = new byte[KEY_BYTES];
        int n = Math.min(b.length, KEY_BYTES);
        System.arraycopy(b, 0, p, 0, n);
        for (int i = n; i < KEY_BYTES; i++) {
            p[i] = pad;
        }
        return (long) BE_LONG.get(p, 0) ^ Long.MIN_VALUE;
    }

    /**
     * Writes to {@code out[0]} the least tree key whose store key lies above bound {@code b} (at
     * or above it if {@code inclusive}; a null bound is unbounded); false if no key does.
     */
    static boolean lower(byte[] b, boolean inclusive, long[] out) {
        if (b == null) {
            out[0] = Long.MIN_VALUE;
            return true;
        }
        if (b.length < KEY_BYTES) {
            out[0] = padded(b, (byte) 0); // k >= b iff k >= b0, for either form
            return true;
        }
        long x = padded(b, (byte) 0);
        boolean strict = b.length > KEY_BYTES || !inclusive; // k >= b iff k > b8 for longer bounds
        if (strict) {
            if (x == Long.MAX_VALUE) {
                return false;
            }
            x++;
        }
        out[0] = x;
        return true;
    }

    /** Writes to {@code out[0]} the greatest tree key whose store key lies below bound {@code b}; false if none does. */
    static boolean upper(byte[] b, boolean inclusive, long[] out) {
        if (b == null) {
            out[0] = Long.MAX_VALUE;
            return true;
        }
        long x = padded(b, (byte) 0);
        boolean strict = b.length < KEY_BYTES || (b.length == KEY_BYTES && !inclusive); // k <= b iff k < b0 for shorter bounds
        if (strict) {
            if (x == Long.MIN_VALUE) {
                return false;
            }
            x--;
        }
        out[0] = x;
        return true;
    }

    /** The tree keys of the store keys that start with {@code prefix}, as an inclusive range. */
    static TreeRange prefix(byte[] prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.length > KEY_BYTES) {
            return TreeRange.EMPTY;
        }
        return new TreeRange(padded(prefix, (byte) 0), padded(prefix, (byte) 0xff));
    }
}
