package dev.cobtree.core;

import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A read-only view of a {@link LongObjectTree} at one instant, taken by
 * {@link LongObjectTree#snapshot()}: {@link CobTreeSnapshot}'s guarantees and costs with object
 * values. Every answer (lookups, navigation, cursors both ways, {@code skip}, range scans,
 * {@code size}, {@code rank}, {@code countRange}, {@code select}) is exact for the snapshot's
 * instant; writers keep running. The values are the objects the tree held at that instant (a
 * pre-image keeps a replaced or removed value reachable until the snapshot closes).
 * Thread-safe; any use after {@link #close()} (or the tree's close) throws
 * {@link IllegalStateException}.
 */
public final class LongObjectTreeSnapshot<V> implements LongObjectReads<V>, AutoCloseable {

    private final SnapshotReader reader;

    LongObjectTreeSnapshot(SnapshotState state) {
        this.reader = new SnapshotReader(state);
    }

    /** The value of {@code key} at the snapshot's instant, or null. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        KeyValue kv = new KeyValue();
        return reader.get(key, kv) ? (V) kv.ref : null;
    }

    public boolean containsKey(long key) {
        return reader.get(key, null);
    }

    public LongObjectEntry<V> floorEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(reader.floor(key, kv), kv);
    }

    public LongObjectEntry<V> ceilingEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(reader.ceiling(key, kv), kv);
    }

    public LongObjectEntry<V> higherEntry(long key) {
        reader.snap.checkOpen();
        return key == Long.MAX_VALUE ? null : ceilingEntry(key + 1);
    }

    public LongObjectEntry<V> lowerEntry(long key) {
        reader.snap.checkOpen();
        return key == Long.MIN_VALUE ? null : floorEntry(key - 1);
    }

    public LongObjectEntry<V> firstEntry() {
        return ceilingEntry(Long.MIN_VALUE);
    }

    public LongObjectEntry<V> lastEntry() {
        return floorEntry(Long.MAX_VALUE);
    }

    /** @throws NoSuchElementException if the snapshot is empty */
    public long firstKey() {
        LongObjectEntry<V> e = firstEntry();
        if (e == null) {
            throw new NoSuchElementException("snapshot is empty");
        }
        return e.key();
    }

    /** @throws NoSuchElementException if the snapshot is empty */
    public long lastKey() {
        LongObjectEntry<V> e = lastEntry();
        if (e == null) {
            throw new NoSuchElementException("snapshot is empty");
        }
        return e.key();
    }

    @SuppressWarnings("unchecked")
    private LongObjectEntry<V> entry(boolean found, KeyValue kv) {
        return found ? new LongObjectEntry<>(kv.key, (V) kv.ref) : null;
    }

    public long size() {
        return reader.size();
    }

    public boolean isEmpty() {
        return size() == 0;
    }

    /** Keys strictly less than {@code key}. */
    public long rank(long key) {
        return reader.rank(key);
    }

    /** Keys in the range. @throws IllegalArgumentException if lo &gt; hi */
    public long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        return reader.countRange(lo, loInclusive, hi, hiInclusive);
    }

    /** The entry at position {@code index}, or null if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    public LongObjectEntry<V> select(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("position " + index + " must not be negative");
        }
        KeyValue kv = new KeyValue();
        return entry(reader.select(index, kv), kv);
    }

    public Cursor<V> cursor() {
        return new Cursor<>(reader, false, Long.MIN_VALUE, false);
    }

    public Cursor<V> cursor(long from, boolean inclusive) {
        if (!inclusive && from == Long.MAX_VALUE) {
            return new Cursor<>(reader, false, from, true);
        }
        return new Cursor<>(reader, false, inclusive ? from : from + 1, false);
    }

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not): see
     * {@link CobTreeSnapshot#cursor(long, boolean, long, boolean)}.
     * @throws IllegalArgumentException if {@code from > to}
     */
    public Cursor<V> cursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        CobTree.checkRange(from, to);
        return new Cursor<>(reader, false, from, fromInclusive, to, toInclusive);
    }

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not).
     * @throws IllegalArgumentException if {@code from < to}
     */
    public Cursor<V> descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        CobTree.checkRange(to, from);
        return new Cursor<>(reader, true, from, fromInclusive, to, toInclusive);
    }

    public Cursor<V> descendingCursor() {
        return new Cursor<>(reader, true, Long.MAX_VALUE, false);
    }

    public Cursor<V> descendingCursor(long from, boolean inclusive) {
        if (!inclusive && from == Long.MIN_VALUE) {
            return new Cursor<>(reader, true, from, true);
        }
        return new Cursor<>(reader, true, inclusive ? from : from - 1, false);
    }

    public void forEach(LongObjectConsumer<? super V> sink) {
        forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, sink);
    }

    /** Every entry in the range, ascending. @throws IllegalArgumentException if lo &gt; hi */
    public void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongObjectConsumer<? super V> sink) {
        Objects.requireNonNull(sink, "sink");
        CobTree.checkRange(lo, hi);
        if ((!loInclusive && lo == Long.MAX_VALUE) || (!hiInclusive && hi == Long.MIN_VALUE)) {
            reader.snap.checkOpen();
            return;
        }
        // bounded: its last load stops at the segment holding hi
        new SnapshotCursor(reader, false, lo, loInclusive, hi, hiInclusive).forEachRefUpTo(hiInclusive ? hi : hi - 1, sink);
    }

    public long generation() {
        return reader.snap.generation;
    }

    /** Heap bytes of the pre-images this snapshot holds (not counting the value objects). */
    public long preImageBytes() {
        return reader.snap.preImageBytes();
    }

    public boolean isClosed() {
        return reader.snap.isClosed();
    }

    @Override
    public void close() {
        reader.snap.registry.close(reader.snap, "snapshot is closed");
    }

    /** A cursor over the snapshot: exact, ascending or descending. Not thread-safe. */
    public static final class Cursor<V> extends SnapshotCursor implements LongObjectCursor<V> {

        Cursor(SnapshotReader reader, boolean descending, long from, boolean empty) {
            super(reader, descending, from, empty);
        }

        Cursor(SnapshotReader reader, boolean descending, long from, boolean fromInclusive, long to, boolean toInclusive) {
            super(reader, descending, from, fromInclusive, to, toInclusive);
        }

        /** Advances to the next entry; false when there is none. @throws IllegalStateException if the snapshot is closed */
        public boolean next() {
            return step();
        }

        /** @throws IllegalStateException if there is no current entry or the snapshot is closed */
        public long key() {
            return checkedKey();
        }

        /** @throws IllegalStateException if there is no current entry or the snapshot is closed */
        @SuppressWarnings("unchecked")
        public V value() {
            return (V) checkedRef();
        }

        /** Skips up to {@code n} entries (the last one skipped becomes current); returns how many. */
        public long skip(long n) {
            return skipEntries(n);
        }
    }
}
