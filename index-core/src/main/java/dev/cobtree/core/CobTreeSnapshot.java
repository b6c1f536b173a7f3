package dev.cobtree.core;

import dev.cobtree.storage.CheckpointFile;

import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A read-only view of a {@link CobTree} at one instant, taken by {@link CobTree#snapshot()}:
 * every answer (lookups, navigation, cursors both ways, {@code skip}, range scans, {@code size},
 * {@code rank}, {@code countRange}, {@code select}) is <b>exact</b> for that instant, whatever
 * writers do meanwhile, so several queries against one snapshot agree with each other.
 *
 * <p>Writers never wait for a snapshot's life: taking one waits for the writes in flight to
 * finish (new writes wait that long), and afterwards the first write to each segment keeps a copy
 * of the segment's previous contents (a pre-image, about 16 bytes per entry of the segment plus a
 * small fixed cost) for the open snapshots that still need it. A snapshot also holds the storage
 * it reads: a resize or {@code clear()} that replaces it leaves it intact (its memory is released
 * when the last snapshot holding it closes). So an open snapshot costs memory proportional to what
 * has changed since it was taken, at most about one copy of the index plus one replaced storage;
 * {@link #preImageBytes()} and {@link CobTree#statistics()} report it. Close snapshots promptly.
 * The tree bounds what its open snapshots hold together
 * ({@link CobTree.Builder#snapshotMemoryLimit(long)}, default a quarter of the maximum heap): a
 * write that takes the pre-images over the bound invalidates the oldest open snapshots, whose
 * later use throws {@link IllegalStateException} naming the limit.
 *
 * <p>Thread-safe: any number of threads may read one snapshot (each cursor by one thread at a
 * time). {@link #close()} is idempotent; closing the tree closes its snapshots. Any use after
 * close throws {@link IllegalStateException}. Guarantee and proof: docs/CONCURRENCY.md, lemmas
 * "snapshot instant" and "snapshot read".
 */
public final class CobTreeSnapshot implements LongLongReads, AutoCloseable {

    private final SnapshotReader reader;

    CobTreeSnapshot(SnapshotState state) {
        this.reader = new SnapshotReader(state);
    }

    // ---- point reads and navigation -----------------------------------------------------------

    /** The value of {@code key} at the snapshot's instant, or {@code absent}. */
    public long get(long key, long absent) {
        KeyValue kv = new KeyValue();
        return reader.get(key, kv) ? kv.value : absent;
    }

    /** Whether {@code key} had a value; if so its entry is written to {@code out} (may be null). */
    public boolean get(long key, KeyValue out) {
        return reader.get(key, out);
    }

    public boolean containsKey(long key) {
        return reader.get(key, null);
    }

    /** The greatest entry with key &le; {@code key}. */
    public boolean floor(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        return reader.floor(key, out);
    }

    /** The least entry with key &ge; {@code key}. */
    public boolean ceiling(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        return reader.ceiling(key, out);
    }

    /** The least entry with key &gt; {@code key}. */
    public boolean higher(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        reader.snap.checkOpen();
        return key != Long.MAX_VALUE && reader.ceiling(key + 1, out);
    }

    /** The greatest entry with key &lt; {@code key}. */
    public boolean lower(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        reader.snap.checkOpen();
        return key != Long.MIN_VALUE && reader.floor(key - 1, out);
    }

    public boolean first(KeyValue out) {
        return ceiling(Long.MIN_VALUE, out);
    }

    public boolean last(KeyValue out) {
        return floor(Long.MAX_VALUE, out);
    }

    /** @throws NoSuchElementException if the snapshot is empty */
    public long firstKey() {
        KeyValue kv = new KeyValue();
        if (!first(kv)) {
            throw new NoSuchElementException("snapshot is empty");
        }
        return kv.key;
    }

    /** @throws NoSuchElementException if the snapshot is empty */
    public long lastKey() {
        KeyValue kv = new KeyValue();
        if (!last(kv)) {
            throw new NoSuchElementException("snapshot is empty");
        }
        return kv.key;
    }

    // ---- counts and positions (exact) -----------------------------------------------------------

    /** Entries at the snapshot's instant (the first count costs a pass over the segment headers, later ones O(1)). */
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

    /** The entry at position {@code index} (0-based, ascending); false if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    public boolean select(long index, KeyValue out) {
        if (index < 0) {
            throw new IllegalArgumentException("position " + index + " must not be negative");
        }
        Objects.requireNonNull(out, "out");
        return reader.select(index, out);
    }

    // ---- iteration (exact) ----------------------------------------------------------------------

    public Cursor cursor() {
        return new Cursor(reader, false, Long.MIN_VALUE, false);
    }

    /** Ascending from {@code from}. */
    public Cursor cursor(long from, boolean inclusive) {
        if (!inclusive && from == Long.MAX_VALUE) {
            return new Cursor(reader, false, from, true);
        }
        return new Cursor(reader, false, inclusive ? from : from + 1, false);
    }

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not), exactly
     * the snapshot's entries in that range: a cursor that ends at {@code to}, loads no segment
     * beyond the one holding it, and whose {@link Cursor#skip} counts no entry beyond it.
     * @throws IllegalArgumentException if {@code from > to}
     */
    public Cursor cursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        CobTree.checkRange(from, to);
        return new Cursor(reader, false, from, fromInclusive, to, toInclusive);
    }

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not):
     * the descending counterpart of {@link #cursor(long, boolean, long, boolean)}.
     * @throws IllegalArgumentException if {@code from < to}
     */
    public Cursor descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        CobTree.checkRange(to, from);
        return new Cursor(reader, true, from, fromInclusive, to, toInclusive);
    }

    public Cursor descendingCursor() {
        return new Cursor(reader, true, Long.MAX_VALUE, false);
    }

    /** Descending from {@code from}. */
    public Cursor descendingCursor(long from, boolean inclusive) {
        if (!inclusive && from == Long.MIN_VALUE) {
            return new Cursor(reader, true, from, true);
        }
        return new Cursor(reader, true, inclusive ? from : from - 1, false);
    }

    /** Every entry, ascending. */
    public void forEach(LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        new SnapshotCursor(reader, false, Long.MIN_VALUE, false).forEachUpTo(Long.MAX_VALUE, sink);
    }

    /** Every entry in the range, ascending. @throws IllegalArgumentException if lo &gt; hi */
    public void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        CobTree.checkRange(lo, hi);
        if ((!loInclusive && lo == Long.MAX_VALUE) || (!hiInclusive && hi == Long.MIN_VALUE)) {
            reader.snap.checkOpen();
            return;
        }
        // bounded: its last load stops at the segment holding hi
        new SnapshotCursor(reader, false, lo, loInclusive, hi, hiInclusive).forEachUpTo(hiInclusive ? hi : hi - 1, sink);
    }

    // ---- persistence, lifecycle, cost ------------------------------------------------------------

    /**
     * Writes this snapshot to {@code file} in the format of {@link CobTree#checkpoint(Path)},
     * crash-safely; writers of the tree keep running. Returns the number of entries written.
     *
     * @throws java.io.UncheckedIOException if the file system fails (the target is then untouched)
     */
    public long checkpoint(Path file) {
        Objects.requireNonNull(file, "file");
        long entries = size();
        return CheckpointFile.write(file, entries, sink -> {
            new SnapshotCursor(reader, false, Long.MIN_VALUE, false).forEachUpTo(Long.MAX_VALUE, sink::accept);
        });
    }

    /** The snapshot's generation: snapshots of one tree taken later have greater ones. */
    public long generation() {
        return reader.snap.generation;
    }

    /** Heap bytes of the pre-images this snapshot holds (shared ones counted in full). */
    public long preImageBytes() {
        return reader.snap.preImageBytes();
    }

    public boolean isClosed() {
        return reader.snap.isClosed();
    }

    /** Releases what the snapshot holds; idempotent. Later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        reader.snap.registry.close(reader.snap, "snapshot is closed");
    }

    /** A cursor over the snapshot: exact, ascending or descending. Not thread-safe. */
    public static final class Cursor extends SnapshotCursor implements LongLongCursor {

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
        public long value() {
            return checkedValue();
        }

        /** Skips up to {@code n} entries (the last one skipped becomes current); returns how many. */
        public long skip(long n) {
            return skipEntries(n);
        }

        /**
         * As {@link CobTree.Cursor#read}: up to {@code len} entries not beyond {@code last}, copied
         * from the loaded segments in runs; the last entry written becomes current.
         *
         * @throws IndexOutOfBoundsException if {@code [off, off + len)} does not fit a non-null array
         * @throws IllegalStateException if the snapshot is closed
         */
        public int read(long[] keys, long[] values, int off, int len, long last) {
            return readEntries(keys, values, off, len, last);
        }
    }
}
