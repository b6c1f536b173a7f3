package dev.cobtree.query.codec;

import java.util.Objects;

/**
 * {@link String} by an 8-byte prefix, in {@link String#compareTo} order: not exact.
 *
 * <h2>Encoding</h2>
 * {@code String.compareTo} compares UTF-16 code units (chars) as unsigned 16-bit numbers, a
 * proper prefix first. The codec writes each char as a UTF-8-style sequence of its own 16-bit
 * value, surrogates one by one (the CESU-8 form, except that U+0000 is one zero byte): one byte
 * for chars below 0x80, two below 0x800, three above. These sequences are prefix-free and their
 * bytes compare (unsigned, lexicographically) as the chars do, so the byte string of a string
 * compares as the string does. (Encoding code points as UTF-8 would not: a supplementary
 * character sorts above U+FFFF there, but its high surrogate 0xD800-0xDBFF sorts below
 * U+E000-U+FFFF in {@code compareTo}.) The key is the first 8 bytes, zero-padded, big-endian,
 * with the sign bit flipped so that signed {@code long} order is unsigned byte order.
 *
 * <h2>Exactness</h2>
 * Truncating and padding keep the order weakly: {@code a.compareTo(b) < 0} implies
 * {@code encode(a) <= encode(b)}. Strings that agree in their first 8 bytes share a key (8 ASCII
 * chars, 4 two-byte chars such as Cyrillic, 2 CJK chars), as do strings that differ only by
 * trailing U+0000 chars. A range query must widen its bounds to their keys, both ends inclusive,
 * and verify every candidate row against the column. Every string is accepted.
 */
final class StringPrefixCodec implements KeyCodec<String> {

    static final StringPrefixCodec INSTANCE = new StringPrefixCodec();

    private StringPrefixCodec() {
    }

    @Override
    public long encode(String value) {
        Objects.requireNonNull(value, "value");
        long key = 0;
        int bytes = 0;
        for (int i = 0, n = value.length(); i < n && bytes < 8; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                key = (key << 8) | c;
                bytes++;
            } else if (c < 0x800) {
                key = (key << 8) | (0xC0 | (c >>> 6));
                if (++bytes == 8) {
                    break;
                }
                key = (key << 8) | (0x80 | (c & 0x3F));
                bytes++;
            } else {
                key = (key << 8) | (0xE0 | (c >>> 12));
                if (++bytes == 8) {
                    break;
                }
                key = (key << 8) | (0x80 | ((c >>> 6) & 0x3F));
                if (++bytes == 8) {
                    break;
                }
                key = (key << 8) | (0x80 | (c & 0x3F));
                bytes++;
            }
        }
        return (bytes == 8 ? key : key << (8 * (8 - bytes))) ^ Long.MIN_VALUE;
    }

    @Override
    public String decode(long key) {
        throw new UnsupportedOperationException("the string prefix codec keeps only 8 bytes: it cannot decode key " + key);
    }

    @Override
    public boolean isExact() {
        return false;
    }

    @Override
    public long minKey() {
        return Long.MIN_VALUE; // the empty string
    }

    @Override
    public long maxKey() {
        return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
        return "KeyCodec[String 8-byte prefix, inexact]";
    }
}
