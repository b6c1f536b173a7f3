package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.HeapCellStoreFactory;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * TEMPORARY REFERENCE IMPLEMENTATION of the CobTree API (backed by ConcurrentSkipListMap) so
 * that the other modules can be written against the final contract. The packed-memory-array
 * engine replaces the body; the signatures and contracts below are final.
 */
public final class CobTree implements AutoCloseable {

    private final ConcurrentSkipListMap<Long, Long> m = new ConcurrentSkipListMap<>();
    private volatile boolean closed;
    private final int segmentSize;
    private final CellStoreFactory factory;

    /** An empty index on the heap with the default segment size. */
    public CobTree() {
        this(builder());
    }

    private CobTree(Builder b) {
        this.segmentSize = b.segmentSize;
        this.factory = b.factory;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a new index. */
    public static final class Builder {
        int segmentSize = 128;
        long initialCapacity = 0;
        CellStoreFactory factory = HeapCellStoreFactory.INSTANCE;

        Builder() {
        }

        /** Cells per segment: a power of two in [8, 4096]. Default 128. */
        public Builder segmentSize(int cells) {
            if (cells < 8 || cells > 4096 || Integer.bitCount(cells) != 1) {
                throw new IllegalArgumentException("segmentSize " + cells + " must be a power of two in [8, 4096]");
            }
            this.segmentSize = cells;
            return this;
        }

        /** Entries to make room for up front (avoids resizes while loading). */
        public Builder initialCapacity(long entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("initialCapacity " + entries + " must not be negative");
            }
            this.initialCapacity = entries;
            return this;
        }

        /** Where the cells live. Default: the heap. */
        public Builder storage(CellStoreFactory factory) {
            this.factory = Objects.requireNonNull(factory, "storage");
            return this;
        }

        public CobTree build() {
            return new CobTree(this);
        }

        /**
         * An index holding {@code keys[from..to)} with {@code values[from..to)}, in O(n).
         * @throws IllegalArgumentException if the keys are not strictly increasing (naming the index)
         */
        public CobTree buildFromSorted(long[] keys, long[] values, int from, int to) {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(values, "values");
            Objects.checkFromToIndex(from, to, keys.length);
            Objects.checkFromToIndex(from, to, values.length);
            for (int i = from + 1; i < to; i++) {
                if (keys[i] <= keys[i - 1]) {
                    throw new IllegalArgumentException("keys not strictly increasing at index " + i + ": " + keys[i - 1] + " then " + keys[i]);
                }
            }
            CobTree t = build();
            for (int i = from; i < to; i++) {
                t.m.put(keys[i], values[i]);
            }
            return t;
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("CobTree is closed");
        }
    }

    // ---- point operations -------------------------------------------------------------------

    /** The value of {@code key}, or {@code absent} if it has none. */
    public long get(long key, long absent) {
        open();
        Long v = m.get(key);
        return v == null ? absent : v;
    }

    /** Whether {@code key} has a value; if so its entry is written to {@code out} (may be null). */
    public boolean get(long key, KeyValue out) {
        open();
        Long v = m.get(key);
        if (v == null) return false;
        if (out != null) out.set(key, v);
        return true;
    }

    public boolean containsKey(long key) {
        open();
        return m.containsKey(key);
    }

    /** Maps {@code key} to {@code value}; returns the previous value or {@code absent}. */
    public long put(long key, long value, long absent) {
        open();
        Long v = m.put(key, value);
        return v == null ? absent : v;
    }

    /** Maps key to value; returns true if key was mapped before, its old entry written to {@code previous} (may be null). */
    public boolean put(long key, long value, KeyValue previous) {
        open();
        Long v = m.put(key, value);
        if (v == null) return false;
        if (previous != null) previous.set(key, v);
        return true;
    }

    /** Inserts only if {@code key} is unmapped; returns the existing value, or {@code absent} if it inserted. */
    public long putIfAbsent(long key, long value, long absent) {
        open();
        Long v = m.putIfAbsent(key, value);
        return v == null ? absent : v;
    }

    /** Inserts only if unmapped; returns true if the key was already mapped (nothing changed; entry in {@code existing}). */
    public boolean putIfAbsent(long key, long value, KeyValue existing) {
        open();
        Long v = m.putIfAbsent(key, value);
        if (v == null) return false;
        if (existing != null) existing.set(key, v);
        return true;
    }

    /** Removes {@code key}; returns its value, or {@code absent} if it had none. */
    public long remove(long key, long absent) {
        open();
        Long v = m.remove(key);
        return v == null ? absent : v;
    }

    /** Removes {@code key}; returns true if it was mapped, its entry written to {@code removed} (may be null). */
    public boolean remove(long key, KeyValue removed) {
        open();
        Long v = m.remove(key);
        if (v == null) return false;
        if (removed != null) removed.set(key, v);
        return true;
    }

    /** Removes {@code key} only if it maps to {@code value}. */
    public boolean removeEntry(long key, long value) {
        open();
        return m.remove(key, value);
    }

    /** Replaces the value of {@code key} only if it is {@code expected}. */
    public boolean replace(long key, long expected, long update) {
        open();
        return m.replace(key, expected, update);
    }

    /** Replaces the value of {@code key} only if it is mapped; returns true if it was, old entry in {@code previous}. */
    public boolean replace(long key, long value, KeyValue previous) {
        open();
        Long v = m.replace(key, value);
        if (v == null) return false;
        if (previous != null) previous.set(key, v);
        return true;
    }

    // ---- navigation -------------------------------------------------------------------------

    private static boolean fill(Map.Entry<Long, Long> e, KeyValue out) {
        if (e == null) return false;
        out.set(e.getKey(), e.getValue());
        return true;
    }

    /** The greatest entry with key &le; {@code key}. */
    public boolean floor(long key, KeyValue out) { open(); return fill(m.floorEntry(key), out); }
    /** The least entry with key &ge; {@code key}. */
    public boolean ceiling(long key, KeyValue out) { open(); return fill(m.ceilingEntry(key), out); }
    /** The least entry with key &gt; {@code key}. */
    public boolean higher(long key, KeyValue out) { open(); return fill(m.higherEntry(key), out); }
    /** The greatest entry with key &lt; {@code key}. */
    public boolean lower(long key, KeyValue out) { open(); return fill(m.lowerEntry(key), out); }
    public boolean first(KeyValue out) { open(); return fill(m.firstEntry(), out); }
    public boolean last(KeyValue out) { open(); return fill(m.lastEntry(), out); }
    /** Removes and returns the first entry. */
    public boolean pollFirst(KeyValue out) { open(); return fill(m.pollFirstEntry(), out); }
    /** Removes and returns the last entry. */
    public boolean pollLast(KeyValue out) { open(); return fill(m.pollLastEntry(), out); }

    /** The first key. @throws NoSuchElementException if empty */
    public long firstKey() { open(); return m.firstKey(); }
    /** The last key. @throws NoSuchElementException if empty */
    public long lastKey() { open(); return m.lastKey(); }

    // ---- iteration --------------------------------------------------------------------------

    /** Ascending over all entries. */
    public Cursor cursor() { open(); return new Cursor(m); }
    /** Ascending from {@code from}. */
    public Cursor cursor(long from, boolean inclusive) { open(); return new Cursor(m.tailMap(from, inclusive)); }
    /** Descending over all entries. */
    public Cursor descendingCursor() { open(); return new Cursor(m.descendingMap()); }
    /** Descending from {@code from}. */
    public Cursor descendingCursor(long from, boolean inclusive) { open(); return new Cursor(m.headMap(from, inclusive).descendingMap()); }

    /** Every entry in ascending key order. */
    public void forEach(LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        open();
        m.forEach(sink::accept);
    }

    /** Every entry in the range, ascending. @throws IllegalArgumentException if lo &gt; hi */
    public void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        checkRange(lo, hi);
        open();
        if (lo == hi && !(loInclusive && hiInclusive)) return;
        m.subMap(lo, loInclusive, hi, hiInclusive).forEach(sink::accept);
    }

    static void checkRange(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("range lower bound " + lo + " is greater than upper bound " + hi);
        }
    }

    // ---- counts and positions ---------------------------------------------------------------

    /** Number of entries; exact when no writer is active. */
    public long size() { open(); return m.size(); }
    public boolean isEmpty() { open(); return m.isEmpty(); }
    /** Number of keys strictly less than {@code key}. */
    public long rank(long key) { open(); return m.headMap(key, false).size(); }
    /** Number of keys in the range. @throws IllegalArgumentException if lo &gt; hi */
    public long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        checkRange(lo, hi);
        open();
        if (lo == hi && !(loInclusive && hiInclusive)) return 0;
        return m.subMap(lo, loInclusive, hi, hiInclusive).size();
    }
    /** The entry at position {@code index} (0-based, ascending); false if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    public boolean select(long index, KeyValue out) {
        if (index < 0) throw new IllegalArgumentException("position " + index + " must not be negative");
        open();
        long i = 0;
        for (var e : m.entrySet()) {
            if (i++ == index) { out.set(e.getKey(), e.getValue()); return true; }
        }
        return false;
    }

    /** Removes every entry. */
    public void clear() { open(); m.clear(); }

    // ---- storage ----------------------------------------------------------------------------

    public int segmentSize() { return segmentSize; }
    /** Cells allocated by the current store. */
    public long capacity() { open(); return Math.max(segmentSize, m.size() * 2L); }
    /** Bytes held by the index (cells and metadata). */
    public long memoryBytes() { open(); return capacity() * 24; }
    public CellStoreFactory storage() { return factory; }

    public boolean isClosed() { return closed; }

    /** Releases the storage; every later call throws IllegalStateException. Idempotent. */
    @Override
    public void close() { closed = true; }

    /** A forward-only, weakly consistent cursor. Not thread-safe. */
    public static final class Cursor {
        private final java.util.Iterator<Map.Entry<Long, Long>> it;
        private long key, value;
        private boolean valid;

        Cursor(ConcurrentNavigableMap<Long, Long> view) {
            this.it = view.entrySet().iterator();
        }

        /** Advances to the next entry; false when there is none. */
        public boolean next() {
            if (!it.hasNext()) { valid = false; return false; }
            var e = it.next();
            key = e.getKey();
            value = e.getValue();
            valid = true;
            return true;
        }

        public long key() { if (!valid) throw new IllegalStateException("cursor has no current entry"); return key; }
        public long value() { if (!valid) throw new IllegalStateException("cursor has no current entry"); return value; }

        /** Advances past up to {@code n} entries without returning them (the last one skipped becomes current); returns how many. */
        public long skip(long n) {
            if (n < 0) throw new IllegalArgumentException("skip count " + n + " must not be negative");
            long k = 0;
            while (k < n && next()) k++;
            return k;
        }
    }
}
