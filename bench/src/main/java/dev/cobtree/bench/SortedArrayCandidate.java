package dev.cobtree.bench;

import java.util.Arrays;

/**
 * The physical limit for a static index: keys in one sorted {@code long[]}, values in a
 * parallel one (16 bytes per entry, nothing else). Lookups by binary search; scans and strided
 * access walk the arrays, which is the limit a scan of any layout is held to. Read-only.
 */
public final class SortedArrayCandidate extends Candidate {

    private final long[] keys;
    private final long[] values;

    /** @param sortedKeys strictly increasing; kept, not copied */
    public SortedArrayCandidate(long[] sortedKeys) {
        this.keys = sortedKeys;
        this.values = new long[sortedKeys.length];
        for (int i = 0; i < sortedKeys.length; i++) {
            values[i] = Keys.valueOf(sortedKeys[i]);
        }
    }

    @Override
    public long get(long key, Long boxedKey) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? values[i] : MISSING;
    }

    /** Index of the first key &ge; {@code key}. */
    private int lowerBound(long key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? i : -i - 1;
    }

    /** Index of the first key &gt; {@code key}. */
    private int upperBound(long key) {
        int i = Arrays.binarySearch(keys, key);
        return i >= 0 ? i + 1 : -i - 1;
    }

    @Override
    public long scan(long lo, long hi) {
        int from = lowerBound(lo);
        int to = upperBound(hi);
        long acc = 0;
        for (int i = from; i < to; i++) {
            acc = Keys.mix(acc, keys[i], values[i]);
        }
        return acc;
    }

    @Override
    public long scanDescending(long lo, long hi) {
        int from = lowerBound(lo);
        int to = upperBound(hi);
        long acc = 0;
        for (int i = to - 1; i >= from; i--) {
            acc = Keys.mix(acc, keys[i], values[i]);
        }
        return acc;
    }

    @Override
    public long strided(long lo, long hi, int stride) {
        int from = lowerBound(lo);
        int to = upperBound(hi);
        long acc = 0;
        for (int i = from; i < to; i += stride) {
            acc = Keys.mix(acc, keys[i], values[i]);
        }
        return acc;
    }

    @Override
    public long size() {
        return keys.length;
    }

    @Override
    public Object footprintRoot() {
        return new long[][] {keys, values};
    }
}
