package dev.cobtree.query.codec;

/**
 * An order-preserving encoding of column values of type {@code T} into {@code long} keys, so
 * that a {@code CobTree} or a {@code SecondaryIndex} ordered by signed {@code long} keys is
 * ordered by value.
 *
 * <h2>Contract</h2>
 * For every pair of values {@code a}, {@code b} that {@link #encode} accepts, with {@code <} the
 * value order the codec states (its type's natural order unless it says otherwise):
 * <ul>
 *   <li><b>monotone</b>: {@code a < b} implies {@code encode(a) <= encode(b)}, and equal values
 *       have equal keys; so the keys of a value range {@code [lo, hi]} all lie in the key range
 *       {@code [encode(lo), encode(hi)]};</li>
 *   <li><b>exact</b> codecs ({@link #isExact()} true) are in addition injective:
 *       {@code a < b} implies {@code encode(a) < encode(b)}, and {@code decode(encode(a))} equals
 *       {@code a} (in the sense each codec states). A value range then maps to exactly one key
 *       range, exclusive ends included;</li>
 *   <li><b>inexact</b> codecs (a string prefix, the high bits of a UUID) may give distinct values
 *       the same key. A query must then widen its key range to the keys of its bounds, both
 *       ends inclusive ({@code [encode(lo), encode(hi)]} even for an exclusive end), and verify
 *       every candidate row against the full column value; {@link #decode} is not supported.</li>
 * </ul>
 * A value the codec cannot encode (out of its range, with more precision than it keeps) is
 * refused with an {@link IllegalArgumentException} naming the value; a {@code null} value with a
 * {@link NullPointerException}. Every key that {@code encode} returns lies in
 * {@code [minKey(), maxKey()]}. Implementations in this package are immutable and thread-safe
 * unless they say otherwise. docs/QUERY.md ("Key codecs") lists each codec's order, exactness,
 * range and errors.
 *
 * @param <T> the value type
 */
public interface KeyCodec<T> {

    /**
     * Encodes a value.
     *
     * @param value the value, not null
     * @return its key
     * @throws IllegalArgumentException if the codec cannot encode the value (the message names it)
     * @throws NullPointerException if value is null
     */
    long encode(T value);

    /**
     * Decodes a key that {@link #encode} returned, for an exact codec.
     *
     * @param key a key
     * @return the value whose key it is
     * @throws IllegalArgumentException if no value has this key (the message names the key)
     * @throws UnsupportedOperationException if the codec is not exact
     */
    T decode(long key);

    /**
     * Whether distinct values always have distinct keys (and {@link #decode} inverts
     * {@link #encode}).
     *
     * @return true for an exact codec
     */
    boolean isExact();

    /**
     * The smallest key {@link #encode} can return.
     *
     * @return a lower bound of every key
     */
    long minKey();

    /**
     * The largest key {@link #encode} can return.
     *
     * @return an upper bound of every key
     */
    long maxKey();
}
