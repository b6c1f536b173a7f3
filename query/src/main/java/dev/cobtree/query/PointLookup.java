package dev.cobtree.query;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.CobTreeSnapshot;
import dev.cobtree.core.KeyValue;
import dev.cobtree.core.LongLongConsumer;
import dev.cobtree.core.LongLongCursor;
import dev.cobtree.core.LongLongReads;

import java.util.Objects;

/**
 * Point lookups, one key at a time or a batch at a time.
 *
 * <p><b>Batches.</b> A batch whose keys are sorted ascending (duplicates allowed) is answered by
 * one forward pass: a cursor is placed at the first key and moved forward to each next key;
 * when the next key is close (at most {@value #MAX_WALK} entries ahead) the cursor walks there
 * through neighbouring cells instead of descending the tree again, and when it is further the
 * cursor is re-placed with one descent, so a sorted batch never costs more than one lookup per
 * key and costs much less when its keys cluster. An unsorted batch is answered key by key.
 * Sort a large batch first (it pays for itself); {@link #getAll} checks the order itself.
 *
 * <p>Each answer is what {@link CobTree#get(long, long)} would have returned at some instant
 * during the call (a key present for the whole call is found). Thread-safe: no state but the tree.
 */
public final class PointLookup {

    /** Entries a batch walks forward before it re-places its cursor with a tree descent. */
    static final int MAX_WALK = 16;

    private final LongLongReads tree;

    public PointLookup(CobTree tree) {
        this.tree = Objects.requireNonNull(tree, "tree");
    }

    /** Over a snapshot: every answer is exact for the snapshot's instant (see {@link CobTreeSnapshot}). */
    public PointLookup(CobTreeSnapshot snapshot) {
        this.tree = Objects.requireNonNull(snapshot, "snapshot");
    }

    /** The value of {@code key}, or {@code absent}. */
    public long get(long key, long absent) {
        return tree.get(key, absent);
    }

    /** Whether {@code key} is present; if so its entry goes to {@code out} (may be null). */
    public boolean get(long key, KeyValue out) {
        return tree.get(key, out);
    }

    public boolean contains(long key) {
        return tree.containsKey(key);
    }

    /**
     * {@code values[i] = value of keys[i]}, or {@code absent} where it has none, for every i of
     * {@code keys}; returns how many keys were found.
     * @throws IllegalArgumentException if {@code values} is shorter than {@code keys}
     */
    public int getAll(long[] keys, long[] values, long absent) {
        Objects.requireNonNull(keys, "keys");
        return getAll(keys, 0, keys.length, values, absent);
    }

    /**
     * {@code values[i] = value of keys[i]}, or {@code absent}, for i in {@code [from, to)};
     * returns how many keys were found.
     */
    public int getAll(long[] keys, int from, int to, long[] values, long absent) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.checkFromToIndex(from, to, keys.length);
        if (values.length < to) {
            throw new IllegalArgumentException("values length " + values.length + " is shorter than the batch end " + to);
        }
        return isAscending(keys, from, to)
                ? walk(keys, from, to, values, absent, null)
                : oneByOne(keys, from, to, values, absent, null);
    }

    /** Passes each found key of {@code keys[from..to)} with its value to {@code sink}, in batch order; returns how many. */
    public int forEachFound(long[] keys, int from, int to, LongLongConsumer sink) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(sink, "sink");
        Objects.checkFromToIndex(from, to, keys.length);
        return isAscending(keys, from, to)
                ? walk(keys, from, to, null, 0, sink)
                : oneByOne(keys, from, to, null, 0, sink);
    }

    /** Answers a batch key by key (the baseline a sorted batch beats). */
    public int getAllOneByOne(long[] keys, int from, int to, long[] values, long absent) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        Objects.checkFromToIndex(from, to, keys.length);
        if (values.length < to) {
            throw new IllegalArgumentException("values length " + values.length + " is shorter than the batch end " + to);
        }
        return oneByOne(keys, from, to, values, absent, null);
    }

    private static boolean isAscending(long[] keys, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            if (keys[i] < keys[i - 1]) return false;
        }
        return true;
    }

    private int oneByOne(long[] keys, int from, int to, long[] values, long absent, LongLongConsumer sink) {
        KeyValue kv = new KeyValue();
        int found = 0;
        for (int i = from; i < to; i++) {
            if (tree.get(keys[i], kv)) {
                found++;
                if (values != null) values[i] = kv.value;
                if (sink != null) sink.accept(kv.key, kv.value);
            } else if (values != null) {
                values[i] = absent;
            }
        }
        return found;
    }

    private int walk(long[] keys, int from, int to, long[] values, long absent, LongLongConsumer sink) {
        if (from == to) {
            Sources.checkOpen(tree);
            return 0;
        }
        int found = 0;
        LongLongCursor c = null;
        boolean valid = false; // c stands on the entry (ck, cv), the least key >= the previous batch key
        long ck = 0;
        long cv = 0;
        for (int i = from; i < to; i++) {
            long k = keys[i];
            if (valid && ck < k) {
                for (int step = 0; step < MAX_WALK && ck < k; step++) {
                    if (!c.next()) {
                        valid = false;
                        break;
                    }
                    ck = c.key();
                    cv = c.value();
                }
                if (valid && ck < k) valid = false; // too far: re-place below
            }
            if (!valid) { // first key, a key too far ahead, or the cursor ran off the end: one descent
                c = tree.cursor(k, true);
                valid = c.next();
                if (valid) {
                    ck = c.key();
                    cv = c.value();
                }
            }
            if (valid && ck == k) {
                found++;
                if (values != null) values[i] = cv;
                if (sink != null) sink.accept(k, cv);
            } else if (values != null) {
                values[i] = absent;
            }
        }
        return found;
    }
}
