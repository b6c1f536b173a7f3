package dev.cobtree.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The key material of one benchmark: {@code n} distinct random longs drawn from a seeded
 * {@link SplittableRandom}, in the order they are inserted and sorted, plus the lookup streams
 * the benchmarks index with a thread-local counter (so that neither a random number generator
 * nor an allocation sits inside the measured code).
 *
 * <p>Every entry's value is derived from its key by {@link #valueOf(long)}, so that any scan can
 * be checked against the sorted arrays with the same checksum ({@link #mix(long, long)}).
 */
public final class Keys {

    /** Seed of the key sets: one fixed seed, so that every implementation sees the same keys. */
    public static final long SEED = 0x5EED_C0B7_2EE5L;

    /** Length of every lookup stream: a power of two, so a counter wraps with a mask. */
    public static final int STREAM = 1 << 20;
    /** Mask of a stream index. */
    public static final int STREAM_MASK = STREAM - 1;

    private final long[] insertionOrder;
    private final long[] sorted;

    private Keys(long[] insertionOrder, long[] sorted) {
        this.insertionOrder = insertionOrder;
        this.sorted = sorted;
    }

    /** {@code n} distinct random keys (any long value), from {@code seed}. */
    public static Keys random(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("key count " + n + " must be positive");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = rnd.nextLong();
        }
        // Duplicates among 64-bit random values are vanishingly rare; replace any that occur.
        while (true) {
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            int dup = firstDuplicate(sorted);
            if (dup < 0) {
                return new Keys(keys, sorted);
            }
            long bad = sorted[dup];
            for (int i = 0; i < n; i++) {
                if (keys[i] == bad) {
                    keys[i] = rnd.nextLong();
                    break;
                }
            }
        }
    }

    private static int firstDuplicate(long[] sorted) {
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) return i;
        }
        return -1;
    }

    /** The value stored with {@code key} by every benchmark. */
    public static long valueOf(long key) {
        return key * 0x9E37_79B9_7F4A_7C15L + 1;
    }

    /** The per-entry checksum step every scan uses: cheap (one add on the dependency chain). */
    public static long mix(long acc, long key, long value) {
        return acc + (key ^ value);
    }

    public int size() {
        return sorted.length;
    }

    /** The keys in insertion (random) order. Shared: do not modify. */
    public long[] insertionOrder() {
        return insertionOrder;
    }

    /** The keys in ascending order. Shared: do not modify. */
    public long[] sorted() {
        return sorted;
    }

    /** The first {@code count} keys of the insertion order, sorted. */
    public long[] sortedPrefix(int count) {
        long[] s = Arrays.copyOf(insertionOrder, count);
        Arrays.sort(s);
        return s;
    }

    /** {@link #STREAM} keys drawn with replacement from the first {@code count} inserted keys. */
    public long[] hits(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] out = new long[STREAM];
        for (int i = 0; i < out.length; i++) {
            out[i] = insertionOrder[rnd.nextInt(count)];
        }
        return out;
    }

    /** {@link #STREAM} random keys none of which is among the keys of this set. */
    public long[] misses(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] out = new long[STREAM];
        for (int i = 0; i < out.length; i++) {
            long k;
            do {
                k = rnd.nextLong();
            } while (Arrays.binarySearch(sorted, k) >= 0);
            out[i] = k;
        }
        return out;
    }

    /** A random permutation of the first {@code count} inserted keys (for example a removal order). */
    public long[] shuffledPrefix(int count, long seed) {
        long[] out = Arrays.copyOf(insertionOrder, count);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = out.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long t = out[i];
            out[i] = out[j];
            out[j] = t;
        }
        return out;
    }

    /**
     * Boxes every key once, up front: the boxed maps are looked up with these, so that a lookup
     * allocates nothing (see docs/BENCH.md: garbage would trigger the young collections that
     * reorder a fresh skip list under the benchmark).
     */
    public static Long[] box(long[] keys) {
        Long[] out = new Long[keys.length];
        for (int i = 0; i < keys.length; i++) {
            out[i] = keys[i];
        }
        return out;
    }

    /** Checksum of {@code sorted[from..to)} as {@link #mix} computes it, visiting every {@code stride}-th entry. */
    public static long expectedChecksum(long[] sorted, int from, int to, int stride) {
        long acc = 0;
        for (int i = from; i < to; i += stride) {
            acc = mix(acc, sorted[i], valueOf(sorted[i]));
        }
        return acc;
    }
}
