package dev.cobtree.query.codec;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An exact, order-preserving dictionary codec for low-cardinality columns (statuses, countries,
 * city names): each distinct value gets a {@code long} code, and codes are assigned in value
 * order, so code order is value order ({@link Comparable#compareTo}; for strings,
 * {@link String#compareTo}).
 *
 * <h2>Assignment: gaps, no re-encoding</h2>
 * Codes lie strictly between {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}, which are never
 * assigned. {@link #of} spreads the initial values evenly over that range. A new value goes
 * between the codes of its neighbours: half-way if it has both, at most {@link #END_STEP} beyond
 * the last (or before the first) otherwise, so about 2^31 values can be appended in increasing
 * order. Codes never change once assigned (an index keyed by them stays valid); the price is
 * that a gap can run out: values inserted repeatedly between the same two neighbours halve the
 * gap each time (about 62 such inserts for an evenly spread dictionary of a few values, 32 after
 * the ends). Then {@link #encode} refuses the value with an {@link IllegalStateException} naming
 * it and its neighbours: rebuild the dictionary with {@link #of} from all values (and re-key the
 * index). There is no automatic re-encoding.
 *
 * <h2>Queries</h2>
 * {@link #encode} assigns a code to a new value (use it when writing rows). Query bounds that may
 * not be in the dictionary use {@link #ceilingCode} and {@link #floorCode}, which assign nothing.
 *
 * <h2>Thread safety</h2>
 * Thread-safe. Lookups of known values and codes are lock-free (two
 * {@link ConcurrentSkipListMap}s); assigning a code takes this dictionary's lock, and publishes the
 * code-to-value entry before the value-to-code entry, so a code that any thread obtained always
 * decodes.
 *
 * @param <T> the value type
 */
public final class OrderedDictionary<T extends Comparable<? super T>> implements KeyCodec<T> {

    /** The largest step past the last (or before the first) code when a value is appended. */
    public static final long END_STEP = 1L << 32;

    private final ConcurrentSkipListMap<T, Long> codes = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, T> values = new ConcurrentSkipListMap<>();
    private final Object assignLock = new Object();

    private OrderedDictionary() {
    }

    /**
     * An empty dictionary.
     *
     * @param <T> the value type
     * @return the dictionary
     */
    public static <T extends Comparable<? super T>> OrderedDictionary<T> create() {
        return new OrderedDictionary<>();
    }

    /**
     * A dictionary of the given values (duplicates ignored), their codes evenly spread over the
     * {@code long} range.
     *
     * @param initial the values, none null
     * @param <T> the value type
     * @return the dictionary
     */
    public static <T extends Comparable<? super T>> OrderedDictionary<T> of(Collection<? extends T> initial) {
        TreeSet<T> sorted = new TreeSet<>();
        for (T v : initial) {
            sorted.add(Objects.requireNonNull(v, "a value of the initial collection is null"));
        }
        OrderedDictionary<T> dictionary = new OrderedDictionary<>();
        long step = Long.divideUnsigned(-1L, sorted.size() + 1L); // (2^64 - 1) / (n + 1)
        long code = Long.MIN_VALUE;
        for (T v : sorted) {
            code += step;
            dictionary.values.put(code, v);
            dictionary.codes.put(v, code);
        }
        return dictionary;
    }

    /**
     * The code of a value, assigning one if the value is new.
     *
     * @param value the value
     * @return its code
     * @throws IllegalStateException if the value is new and its neighbours' codes leave no gap
     */
    @Override
    public long encode(T value) {
        Long code = codes.get(Objects.requireNonNull(value, "value"));
        return code != null ? code : assign(value);
    }

    private long assign(T value) {
        synchronized (assignLock) {
            Long known = codes.get(value);
            if (known != null) {
                return known;
            }
            Map.Entry<T, Long> below = codes.lowerEntry(value);
            Map.Entry<T, Long> above = codes.higherEntry(value);
            long lo = below == null ? Long.MIN_VALUE : below.getValue();
            long hi = above == null ? Long.MAX_VALUE : above.getValue();
            long gap = hi - lo; // as unsigned: hi > lo
            if (Long.compareUnsigned(gap, 2) < 0) {
                throw new IllegalStateException("cannot encode " + value + ": no code left between "
                        + (below == null ? "the start" : below.getKey() + " (" + lo + ")") + " and "
                        + (above == null ? "the end" : above.getKey() + " (" + hi + ")")
                        + "; rebuild the dictionary with OrderedDictionary.of(all values)");
            }
            long half = Long.divideUnsigned(gap, 2);
            long code;
            if (below != null && above != null) {
                code = lo + half;
            } else if (below != null) {
                code = lo + Math.min(half, END_STEP);
            } else if (above != null) {
                code = hi - Math.min(half, END_STEP);
            } else {
                code = 0;
            }
            values.put(code, value); // first: a code read from `codes` always decodes
            codes.put(value, code);
            return code;
        }
    }

    /**
     * The value of a code.
     *
     * @param key a code
     * @return its value
     * @throws IllegalArgumentException if no value has that code
     */
    @Override
    public T decode(long key) {
        T value = values.get(key);
        if (value == null) {
            throw KeyCodecs.noValue(key, "dictionary");
        }
        return value;
    }

    /**
     * The code of the smallest known value {@code >= value} ({@code > value} if not
     * {@code inclusive}), or {@code Long.MAX_VALUE} (never a code) if there is none. Assigns
     * nothing: for the lower bound of a range query.
     *
     * @param value the bound
     * @param inclusive whether a value equal to the bound counts
     * @return a code or {@code Long.MAX_VALUE}
     */
    public long ceilingCode(T value, boolean inclusive) {
        Objects.requireNonNull(value, "value");
        Map.Entry<T, Long> e = inclusive ? codes.ceilingEntry(value) : codes.higherEntry(value);
        return e == null ? Long.MAX_VALUE : e.getValue();
    }

    /**
     * The code of the largest known value {@code <= value} ({@code < value} if not
     * {@code inclusive}), or {@code Long.MIN_VALUE} (never a code) if there is none. Assigns
     * nothing: for the upper bound of a range query.
     *
     * @param value the bound
     * @param inclusive whether a value equal to the bound counts
     * @return a code or {@code Long.MIN_VALUE}
     */
    public long floorCode(T value, boolean inclusive) {
        Objects.requireNonNull(value, "value");
        Map.Entry<T, Long> e = inclusive ? codes.floorEntry(value) : codes.lowerEntry(value);
        return e == null ? Long.MIN_VALUE : e.getValue();
    }

    /**
     * The number of values with a code.
     *
     * @return the size
     */
    public int size() {
        return codes.size();
    }

    @Override
    public boolean isExact() {
        return true;
    }

    @Override
    public long minKey() {
        return Long.MIN_VALUE + 1;
    }

    @Override
    public long maxKey() {
        return Long.MAX_VALUE - 1;
    }

    @Override
    public String toString() {
        return "OrderedDictionary[" + codes.size() + " values]";
    }
}
