package dev.cobtree.bench;

/**
 * The value objects of the object-valued benchmarks ({@link ObjectCandidate}): a pool of
 * {@link #POOL} small objects shared by every map, each key mapped to one of them by a hash of
 * the key. So the measured memory is the structure's own (the pool is a few tens of kilobytes,
 * and {@link ValuesFootprint} subtracts it), every dereference of a value hits the cache in every
 * candidate alike, and a checksum of (key, value id) still catches a value moved to the wrong key
 * (1023 chances in 1024 per misplaced entry).
 */
public final class SharedValues {

    /** Number of distinct value objects: a power of two. */
    public static final int POOL = 1024;

    /** A value object: its id is all a scan reads of it. */
    public static final class Value {
        final long id;

        Value(long id) {
            this.id = id;
        }

        @Override
        public String toString() {
            return "Value#" + id;
        }
    }

    private static final Value[] VALUES = new Value[POOL];

    static {
        for (int i = 0; i < POOL; i++) {
            VALUES[i] = new Value(Keys.valueOf(i));
        }
    }

    private SharedValues() {
    }

    /** The value every benchmark stores with {@code key}. */
    public static Value of(long key) {
        return VALUES[(int) (Keys.valueOf(key) >>> (64 - Integer.numberOfTrailingZeros(POOL)))];
    }

    /** What a scan folds for a value: {@code id} of a {@link Value}. */
    public static long id(Object value) {
        return ((Value) value).id;
    }

    /** The pool itself (for the footprint walk, which leaves these objects out). */
    static Value[] pool() {
        return VALUES.clone();
    }

    /** Checksum of {@code sorted[from..to)} as {@link ObjectCandidate#scan} computes it. */
    public static long expectedChecksum(long[] sorted, int from, int to) {
        long acc = 0;
        for (int i = from; i < to; i++) {
            acc = Keys.mix(acc, sorted[i], id(of(sorted[i])));
        }
        return acc;
    }
}
