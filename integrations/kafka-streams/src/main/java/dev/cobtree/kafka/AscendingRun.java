package dev.cobtree.kafka;

import java.util.Arrays;

/**
 * Restored records held back for one bulk load: a run of strictly ascending tree keys with their
 * values, collected while the store is empty (see {@link CobTreeKeyValueStore#restoreBatch}).
 * Grows by doubling. Guarded by the store's restore lock.
 */
final class AscendingRun {
    long[] keys = new long[1024];
    byte[][] values = new byte[1024][];
    int size;

    /** The greatest key held; the run must not be empty. */
    long last() {
        return keys[size - 1];
    }

    void add(long key, byte[] value) {
        if (size == keys.length) {
            int grown = Math.max(keys.length * 2, 1024); // doubling: amortised O(1) per record
            keys = Arrays.copyOf(keys, grown);
            values = Arrays.copyOf(values, grown);
        }
        keys[size] = key;
        values[size] = value;
        size++;
    }
}
