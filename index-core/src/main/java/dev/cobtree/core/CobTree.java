package dev.cobtree.core;

import dev.cobtree.storage.CellStore;
import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.CheckpointFile;
import dev.cobtree.storage.HeapCellStoreFactory;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * A concurrent, ordered {@code long -> long} index: a cache-oblivious B-tree made of a packed
 * memory array of cells under a van Emde Boas-layout search tree. The primitive API (no boxing);
 * {@link CobTreeMap} is the {@code ConcurrentNavigableMap<Long, Long>} view of it.
 *
 * <h2>Structure</h2>
 * The entries live in a {@link Storage}: an array of cells ({@code meta, key, value}) cut into
 * segments of {@code segmentSize} cells, sorted across the array, each segment packed at its left
 * end. Each segment has a header line ({@link SegmentHeaders}): a seqlock word, its fence keys
 * (the key range it owns) and its count. The {@link VebLayout} tree over the fences routes a key
 * to its segment; point writes are {@link SegmentWriter}'s; a full segment is fixed by the
 * {@link Rebalancer}; a full (or nearly empty) array is replaced by a bigger (smaller) one built by
 * the {@link Resizer} and published through the root of the {@link TreeEngine} by {@link StructureChanges}.
 *
 * <h2>Concurrency (proof sketch in docs/CONCURRENCY.md)</h2>
 * <ul>
 *   <li>Readers never write the index's memory and never take a segment lock (one exception: a
 *   count or position read whose range keeps changing under it locks the range briefly, see
 *   {@link #countRange}). What a reader does write: on the off-heap and mapped stores, pinning
 *   writes the thread's own reclamation slot (and a thread's first pin registers it under a
 *   monitor); on the heap store, nothing. A lookup first tries a <b>positive hit</b>: search the
 *   segment, then read the found cell under its own seqlock; a consistent cell holding the key
 *   holds its current value (Move rebalancing writes destinations before marking sources).
 *   Otherwise it runs the read protocol of {@link ReadWalk}: read the segment word (acquire),
 *   fences, count and cells, then re-validate the word; on a change it retries, and on a key
 *   outside the validated fences it walks to the neighbour segment. Reads that span several
 *   segments (navigation, counts) confirm all of them at one instant, so every answer except a
 *   cursor's (weakly consistent) and {@link #size()}'s is linearizable.</li>
 *   <li>Writers lock their segment (CAS on the seqlock word), re-check the fences under the lock,
 *   shift cells inside the segment under per-cell seqlocks, and unlock with a release store of
 *   version + 1. Full segments escalate to a window rebalance that locks the window's segments
 *   in ascending order.</li>
 *   <li>Resize: under the structure lock, freeze every segment (writers wait, readers go on),
 *   copy into a new storage, publish it with one CAS of the engine's root, invalidate the
 *   old segments so that waiting writers re-route, and retire the old cell store to the
 *   {@link CellStoreFactory}, which frees it only when no pinned reader can still touch it.</li>
 * </ul>
 *
 * <p>Every public method checks its arguments first and fails without changing the index. After
 * {@link #close()} every method throws {@link IllegalStateException}.
 */
public final class CobTree implements LongLongReads, AutoCloseable {

    private static final int DEFAULT_SEGMENT_SIZE = 128;

    /** The engine: published storage, factory, structure lock. The facade holds it, never the reverse. */
    private final TreeEngine engine;
    private final CellStoreFactory factory;

    /** An empty index on the heap with the default segment size. */
    public CobTree() {
        this(new Builder(), null);
    }

    private CobTree(Builder b, Storage initial) {
        this.factory = b.factory;
        CellStore recovered = initial == null ? factory.recover() : null;
        Storage root;
        int segmentSize;
        if (recovered != null) {
            root = Resizer.adopt(recovered); // checks the cells; writes nothing
            factory.adopted(recovered, root.counts.total()); // only now may the file be marked in use
            segmentSize = recovered.segmentSize();
        } else {
            segmentSize = b.segmentSize;
            root = initial != null ? initial
                    : Resizer.build(factory, segmentSize, Resizer.segmentsFor(b.initialCapacity, segmentSize, Rebalancer.RESIZE_TARGET), 0, null);
        }
        int minSegments = Resizer.segmentsFor(b.initialCapacity, segmentSize, Rebalancer.RESIZE_TARGET);
        this.engine = new TreeEngine(factory, segmentSize, minSegments, root);
        engine.snapshots.memoryLimit(b.snapshotMemoryLimit);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a new index. */
    public static final class Builder {
        int segmentSize = DEFAULT_SEGMENT_SIZE;
        long initialCapacity = 0;
        CellStoreFactory factory = HeapCellStoreFactory.INSTANCE;
        long snapshotMemoryLimit = defaultSnapshotMemoryLimit();

        Builder() {
        }

        /** A quarter of the maximum heap ({@link Runtime#maxMemory()}). */
        static long defaultSnapshotMemoryLimit() {
            long max = Runtime.getRuntime().maxMemory();
            return max == Long.MAX_VALUE ? Long.MAX_VALUE : max / 4;
        }

        /**
         * The most heap bytes the pre-images of this tree's open snapshots may hold together
         * ({@link CobTreeStatistics#snapshotPreImageBytes()}; pre-images are kept on the heap
         * whatever the storage). A write that takes the total over it invalidates the oldest open
         * snapshots, as many as it takes to come back under it: their pre-images are freed, their
         * next use throws {@link IllegalStateException} naming this limit, a warning is logged
         * (SLF4J, logger {@code dev.cobtree.core.Snapshots}) and
         * {@link CobTreeStatistics#snapshotsInvalidated()} counts them. So a snapshot left open
         * forever costs at most this much. Default: a quarter of the maximum heap
         * ({@link Runtime#maxMemory()} / 4); {@link Long#MAX_VALUE} turns the bound off.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder snapshotMemoryLimit(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("snapshotMemoryLimit " + bytes + " must be positive");
            }
            this.snapshotMemoryLimit = bytes;
            return this;
        }

        /** Cells per segment: a power of two in [8, 4096]. Default 128. */
        public Builder segmentSize(int cells) {
            if (cells < 8 || cells > 4096 || Integer.bitCount(cells) != 1) {
                throw new IllegalArgumentException("segmentSize " + cells + " must be a power of two in [8, 4096]");
            }
            this.segmentSize = cells;
            return this;
        }

        /** Entries to make room for up front (avoids resizes while loading); also the size clear() returns to. */
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

        /**
         * An index holding the entries of a checkpoint written by {@link CobTree#checkpoint(Path)}:
         * read with full validation (magic, version, checksums, key order), then bulk-loaded.
         *
         * @throws dev.cobtree.storage.CorruptIndexException if the file is damaged, truncated or foreign
         */
        public CobTree loadCheckpoint(Path file) {
            Objects.requireNonNull(file, "file");
            CheckpointFile.Image image = CheckpointFile.read(file);
            return buildFromSorted(image.keys(), image.values(), 0, image.size());
        }

        /** A new index (adopting the factory's recovered store, if it has one). */
        public CobTree build() {
            factory.attach(); // a factory that serves one index refuses a second one here
            return new CobTree(this, null);
        }

        /**
         * An index holding {@code keys[from..to)} with {@code values[from..to)}, built in O(n) at
         * the density a resize leaves.
         *
         * @throws IllegalArgumentException if the keys are not strictly increasing (naming the index)
         */
        public CobTree buildFromSorted(long[] keys, long[] values, int from, int to) {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(values, "values");
            Objects.checkFromToIndex(from, to, values.length);
            return buildFromSorted(keys, from, to, new Resizer.ArraySource(keys, values, from));
        }

        /** As {@link #buildFromSorted}, with object values (the store must hold references; the caller checked for nulls). */
        CobTree buildFromSortedRefs(long[] keys, Object[] refs, int from, int to) {
            Objects.requireNonNull(keys, "keys");
            Objects.requireNonNull(refs, "values");
            Objects.checkFromToIndex(from, to, refs.length);
            return buildFromSorted(keys, from, to, new Resizer.RefArraySource(keys, refs, from));
        }

        private CobTree buildFromSorted(long[] keys, int from, int to, Resizer.Source source) {
            Objects.checkFromToIndex(from, to, keys.length);
            for (int i = from + 1; i < to; i++) {
                if (keys[i] <= keys[i - 1]) {
                    throw new IllegalArgumentException("keys not strictly increasing at index " + i + ": "
                            + keys[i - 1] + " then " + keys[i]);
                }
            }
            factory.attach();
            long n = to - from;
            int segments = Math.max(Resizer.segmentsFor(n, segmentSize, Rebalancer.RESIZE_TARGET),
                    Resizer.segmentsFor(initialCapacity, segmentSize, Rebalancer.RESIZE_TARGET));
            Storage st = Resizer.build(factory, segmentSize, segments, n, source);
            return new CobTree(this, st);
        }
    }

    // ---- engine access ------------------------------------------------------------------------

    private Storage storage() {
        return engine.storage();
    }

    /** Throws IllegalStateException if the tree is closed (or stopped after a failed write). */
    void checkOpen() {
        engine.storage();
    }

    /** The engine behind this facade (package-private: for tests and the map view). */
    TreeEngine engine() {
        return engine;
    }

    // ---- point reads --------------------------------------------------------------------------

    /** The value of {@code key}, or {@code absent} if it has none. */
    public long get(long key, long absent) {
        long ticket = factory.pin();
        try {
            return Navigator.get(engine, key, absent);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** Whether {@code key} has a value; if so its entry is written to {@code out} (may be null). */
    public boolean get(long key, KeyValue out) {
        long ticket = factory.pin();
        try {
            ReadWalk w = ReadWalk.get().start(engine, key).givingUp(); // under a busy writer: LockedReads
            boolean found = Navigator.lookup(w, key);
            if (found && out != null) {
                out.set(key, w.foundValue, w.foundRef);
            }
            w.foundRef = null; // the thread-local walk must not keep a value reachable
            return found;
        } finally {
            factory.unpin(ticket);
        }
    }

    public boolean containsKey(long key) {
        return get(key, (KeyValue) null);
    }

    // ---- writes -------------------------------------------------------------------------------


    /** Maps {@code key} to {@code value}; returns the previous value or {@code absent}. */
    public long put(long key, long value, long absent) {
        WriterScratch x = WriterScratch.get();
        return SegmentWriter.upsert(engine, key, value, SegmentWriter.PUT, 0, x) ? x.old : absent;
    }

    /** Maps key to value; returns true if key was mapped before, its old entry written to {@code previous} (may be null). */
    public boolean put(long key, long value, KeyValue previous) {
        WriterScratch x = WriterScratch.get();
        return reported(SegmentWriter.upsert(engine, key, value, SegmentWriter.PUT, 0, x), key, x, previous);
    }

    /** Inserts only if {@code key} is unmapped; returns the existing value, or {@code absent} if it inserted. */
    public long putIfAbsent(long key, long value, long absent) {
        WriterScratch x = WriterScratch.get();
        return SegmentWriter.upsert(engine, key, value, SegmentWriter.PUT_IF_ABSENT, 0, x) ? x.old : absent;
    }

    /** Inserts only if unmapped; returns true if the key was already mapped (nothing changed; entry in {@code existing}). */
    public boolean putIfAbsent(long key, long value, KeyValue existing) {
        WriterScratch x = WriterScratch.get();
        return reported(SegmentWriter.upsert(engine, key, value, SegmentWriter.PUT_IF_ABSENT, 0, x), key, x, existing);
    }

    /** Replaces the value of {@code key} only if it is {@code expected}. */
    public boolean replace(long key, long expected, long update) {
        WriterScratch x = WriterScratch.get();
        return SegmentWriter.upsert(engine, key, update, SegmentWriter.REPLACE_IF_EQUAL, expected, x) && x.old == expected;
    }

    /** Replaces the value of {@code key} only if it is mapped; returns true if it was, old entry in {@code previous}. */
    public boolean replace(long key, long value, KeyValue previous) {
        WriterScratch x = WriterScratch.get();
        return reported(SegmentWriter.upsert(engine, key, value, SegmentWriter.REPLACE, 0, x), key, x, previous);
    }

    private static boolean reported(boolean present, long key, WriterScratch x, KeyValue out) {
        if (present && out != null) {
            out.set(key, x.old);
        }
        return present;
    }

    /** Removes {@code key}; returns its value, or {@code absent} if it had none. */
    public long remove(long key, long absent) {
        WriterScratch x = WriterScratch.get();
        boolean present = SegmentWriter.delete(engine, key, false, 0, x);
        x.oldRef = null; // an object-valued tree's views remove through here: drop the thread-local reference
        return present ? x.old : absent;
    }

    /** Removes {@code key}; returns true if it was mapped, its entry written to {@code removed} (may be null). */
    public boolean remove(long key, KeyValue removed) {
        WriterScratch x = WriterScratch.get();
        return reported(SegmentWriter.delete(engine, key, false, 0, x), key, x, removed);
    }

    /** Removes {@code key} only if it maps to {@code value}. */
    public boolean removeEntry(long key, long value) {
        WriterScratch x = WriterScratch.get();
        return SegmentWriter.delete(engine, key, true, value, x) && x.old == value;
    }

    // ---- structure: resize, clear, checkpoint, close (StructureChanges) -------------------------

    /**
     * Writes a point-in-time image of the index to {@code file}, crash-safely (temporary file,
     * force, atomic rename; see {@link CheckpointFile}): the image of a {@link #snapshot()}, so
     * writers keep running while it is written (they wait only while the snapshot is taken, one
     * write long). Returns the number of entries written.
     *
     * @throws java.io.UncheckedIOException if the file system fails (the target is then untouched)
     * @throws IllegalStateException if the tree is closed, or closed while the file is written
     */
    public long checkpoint(Path file) {
        Objects.requireNonNull(file, "file");
        try (CobTreeSnapshot snap = snapshot()) {
            return snap.checkpoint(file);
        }
    }

    /**
     * A read-only view of the whole index at one instant, exact for every read (see
     * {@link CobTreeSnapshot}). Costs the drain of the writes in flight (new writes wait for
     * it: one write long, not proportional to the size); afterwards writers never wait for it, and
     * the first write to each segment keeps a copy of the segment for the snapshot. Close it when
     * done ({@code try}-with-resources): an open snapshot holds memory in proportion to what has
     * changed since it was taken ({@link #statistics()}).
     *
     * @throws IllegalStateException if the tree is closed
     */
    public CobTreeSnapshot snapshot() {
        return new CobTreeSnapshot(engine.snapshots.take());
    }

    /** Removes every entry (the array returns to its initial size). */
    public void clear() {
        engine.structure.clear();
    }

    /**
     * Releases the storage (a persistent store is flushed and marked clean); every later call
     * throws IllegalStateException. Idempotent.
     */
    @Override
    public void close() {
        engine.structure.close();
    }

    // ---- navigation ---------------------------------------------------------------------------

    /** The greatest entry with key &le; {@code key}. */
    public boolean floor(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        long ticket = factory.pin();
        try {
            return Navigator.floor(engine, key, out);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** The least entry with key &ge; {@code key}. */
    public boolean ceiling(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        long ticket = factory.pin();
        try {
            return Navigator.ceiling(engine, key, out);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** The least entry with key &gt; {@code key}. */
    public boolean higher(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        storage();
        return key != Long.MAX_VALUE && ceiling(key + 1, out);
    }

    /** The greatest entry with key &lt; {@code key}. */
    public boolean lower(long key, KeyValue out) {
        Objects.requireNonNull(out, "out");
        storage();
        return key != Long.MIN_VALUE && floor(key - 1, out);
    }

    public boolean first(KeyValue out) {
        return ceiling(Long.MIN_VALUE, out);
    }

    public boolean last(KeyValue out) {
        return floor(Long.MAX_VALUE, out);
    }

    /**
     * Removes the first entry and writes it to {@code out}; false if the index was empty.
     * Linearizable: the entry removed is the first one at the instant it is removed (the
     * segments before it are held empty while it is removed, see {@link SegmentWriter}).
     */
    public boolean pollFirst(KeyValue out) {
        return pollEdge(true, out);
    }

    /** Removes the last entry and writes it to {@code out}; false if the index was empty. Linearizable, as {@link #pollFirst}. */
    public boolean pollLast(KeyValue out) {
        return pollEdge(false, out);
    }

    private boolean pollEdge(boolean first, KeyValue out) {
        Objects.requireNonNull(out, "out");
        return pollInRange(first, Long.MIN_VALUE, Long.MAX_VALUE, out);
    }

    /** Linearizable removal of the first (or last) entry with key in {@code [from, to]} (for the map's views). */
    boolean pollInRange(boolean first, long from, long to, KeyValue out) {
        long ticket = factory.pin();
        try {
            storage();
            return from <= to && SegmentWriter.pollEdge(engine, first, from, to, out);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** The first key. @throws NoSuchElementException if empty */
    public long firstKey() {
        KeyValue kv = new KeyValue();
        if (!first(kv)) {
            throw new NoSuchElementException("CobTree is empty");
        }
        return kv.key;
    }

    /** The last key. @throws NoSuchElementException if empty */
    public long lastKey() {
        KeyValue kv = new KeyValue();
        if (!last(kv)) {
            throw new NoSuchElementException("CobTree is empty");
        }
        return kv.key;
    }

    // ---- iteration ----------------------------------------------------------------------------

    /** Ascending over all entries. */
    public Cursor cursor() {
        storage();
        return new Cursor(this, false, Long.MIN_VALUE, false);
    }

    /** Ascending from {@code from}. */
    public Cursor cursor(long from, boolean inclusive) {
        storage();
        if (!inclusive && from == Long.MAX_VALUE) {
            return new Cursor(this, false, from, true);
        }
        return new Cursor(this, false, inclusive ? from : from + 1, false);
    }

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not): a
     * cursor that stops at the range's end ({@link Cursor#next} returns false past it) and reads
     * no segment wholly beyond it, so a short range scan copies about the entries it returns
     * (an unbounded {@link #cursor(long, boolean)} reads ahead up to
     * {@value Navigator#BATCH_CELLS} cells per step, which a caller that stops early has paid
     * for). The same guarantee as every cursor: weakly consistent, keys strictly increasing.
     * {@link Cursor#skip} on it passes whole segments by their counts as on any cursor, and in the
     * segment that holds the range's end counts only the entries up to it (it never counts an
     * entry beyond the end).
     *
     * @throws IllegalArgumentException if {@code from > to}
     */
    public Cursor cursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        checkRange(from, to);
        Cursor c = cursor(from, fromInclusive);
        if (!toInclusive && to == Long.MIN_VALUE) {
            c.exhausted = true; // no key is below Long.MIN_VALUE
            c.until = to;
        } else {
            c.until = toInclusive ? to : to - 1;
        }
        c.stopsAtUntil = true;
        return c;
    }

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not):
     * the descending counterpart of {@link #cursor(long, boolean, long, boolean)}.
     *
     * @throws IllegalArgumentException if {@code from < to}
     */
    public Cursor descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        checkRange(to, from);
        Cursor c = descendingCursor(from, fromInclusive);
        if (!toInclusive && to == Long.MAX_VALUE) {
            c.exhausted = true; // no key is above Long.MAX_VALUE
            c.until = to;
        } else {
            c.until = toInclusive ? to : to + 1;
        }
        c.stopsAtUntil = true;
        return c;
    }

    /** Ascending from {@code from} over buffers lent by {@link ScanBuffers} (a range scan). */
    Cursor scanCursor(long from, boolean inclusive, ScanBuffers lent) {
        storage();
        if (!inclusive && from == Long.MAX_VALUE) {
            return new Cursor(this, from, true, lent);
        }
        return new Cursor(this, inclusive ? from : from + 1, false, lent);
    }

    /** Descending over all entries. */
    public Cursor descendingCursor() {
        storage();
        return new Cursor(this, true, Long.MAX_VALUE, false);
    }

    /** Descending from {@code from}. */
    public Cursor descendingCursor(long from, boolean inclusive) {
        storage();
        if (!inclusive && from == Long.MIN_VALUE) {
            return new Cursor(this, true, from, true);
        }
        return new Cursor(this, true, inclusive ? from : from - 1, false);
    }

    /** Every entry in ascending key order. */
    public void forEach(LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        Cursor c = cursor();
        while (c.next()) {
            sink.accept(c.key(), c.value());
        }
    }

    /**
     * Every entry in the range, ascending, fed to the sink straight from each validated segment
     * snapshot (the cursor protocol without the per-entry cursor). Allocates nothing per entry
     * and, on a thread that is not already inside a scan, no buffers ({@link ScanBuffers}).
     * @throws IllegalArgumentException if lo &gt; hi
     */
    public void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongLongConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        checkRange(lo, hi);
        ScanBuffers lent = ScanBuffers.borrow(engine.segmentSize);
        if (lent == null) { // a sink scanning again on this thread: a cursor with buffers of its own
            Cursor c = cursor(lo, loInclusive);
            c.until = hi;
            emit(c, hi, hiInclusive, sink);
            return;
        }
        try {
            Cursor c = scanCursor(lo, loInclusive, lent);
            c.until = hi;
            emit(c, hi, hiInclusive, sink);
        } finally {
            lent.giveBack(0); // no references written: nothing to clear (also when the sink throws)
        }
    }

    /**
     * Feeds the sink the cursor's entries up to {@code hi}, one validated step at a time: a step
     * whose last key is inside the range goes out in a loop with no bound check (the common case
     * of a long scan), only the last step compares each key.
     */
    private static void emit(Cursor c, long hi, boolean hiInclusive, LongLongConsumer sink) {
        for (;;) {
            int from = c.at + 1; // an ascending cursor: the entries left are [at + 1, stop)
            int to = c.stop;
            if (from >= to) {
                if (c.exhausted) {
                    return;
                }
                c.refill();
                continue;
            }
            c.at = to - 1;
            long[] keys = c.keys; // a batched step may have grown the buffers
            long[] values = c.values;
            long lastKey = keys[to - 1];
            if (lastKey < hi || (lastKey == hi && hiInclusive)) {
                for (int i = from; i < to; i++) { // the whole snapshot is inside the range
                    sink.accept(keys[i], values[i]);
                }
                continue;
            }
            for (int i = from; i < to; i++) {
                long k = keys[i];
                if (k > hi || (k == hi && !hiInclusive)) {
                    return;
                }
                sink.accept(k, values[i]);
            }
            return;
        }
    }

    static void checkRange(long lo, long hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("range lower bound " + lo + " is greater than upper bound " + hi);
        }
    }

    /** The limit of a bounded count ({@link LongLongReads#countRangeAtMost}). */
    static void checkLimit(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("count limit " + limit + " must be positive");
        }
    }

    // ---- counts and positions -----------------------------------------------------------------

    /**
     * Number of entries: the sum of the block counts, O(segments / 4096). Exact when no writer is
     * active; under writers it is the sum of counts at recent instants (as
     * {@code ConcurrentSkipListMap.size()}). For a count that held at one instant, use
     * {@link #countRange} (which costs a pass over the range's segment headers).
     */
    public long size() {
        return storage().counts.total();
    }

    /** Whether the index has no entry at some instant of the call (a linearizable search for the first entry). */
    public boolean isEmpty() {
        return !first(new KeyValue());
    }

    /**
     * Number of keys strictly less than {@code key}, at one instant of the call (linearizable).
     * Costs a pass over the segment headers below the key (see {@link #countRange}).
     */
    public long rank(long key) {
        return key == Long.MIN_VALUE ? count(0, -1) : count(Long.MIN_VALUE, key - 1);
    }

    /**
     * Number of keys in the range, at one instant of the call (linearizable): the counts of the
     * range's segments, each read under its seqlock and confirmed together, so the answer is
     * exact whenever the range's contents do not change during the call, whatever writers do
     * outside it. Costs one 64-byte header line per segment the range spans (read in order, so
     * prefetched), twice; a count that keeps being invalidated by writers inside its range locks
     * the range's segments briefly instead (see docs/CONCURRENCY.md).
     *
     * @throws IllegalArgumentException if lo &gt; hi
     */
    public long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        checkRange(lo, hi);
        if ((!loInclusive && lo == Long.MAX_VALUE) || (!hiInclusive && hi == Long.MIN_VALUE)) {
            storage();
            return 0;
        }
        return count(loInclusive ? lo : lo + 1, hiInclusive ? hi : hi - 1);
    }

    /**
     * See {@link LongLongReads#countRangeAtMost}: the segments' header counts from the home of
     * {@code lo} until the total reaches {@code limit} (O(min(keys, limit) / segment size)).
     */
    @Override
    public long countRangeAtMost(long lo, long hi, long limit) {
        checkRange(lo, hi);
        checkLimit(limit);
        long ticket = factory.pin();
        try {
            storage();
            return Navigator.countAtMost(engine, lo, hi, limit);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** Keys in [from, to] (inclusive; empty when from &gt; to). */
    private long count(long from, long to) {
        long ticket = factory.pin();
        try {
            storage();
            return from > to ? 0 : Navigator.count(engine, from, to);
        } finally {
            factory.unpin(ticket);
        }
    }

    /** The entry at position {@code index} (0-based, ascending); false if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    public boolean select(long index, KeyValue out) {
        if (index < 0) {
            throw new IllegalArgumentException("position " + index + " must not be negative");
        }
        Objects.requireNonNull(out, "out");
        long ticket = factory.pin();
        try {
            return Navigator.select(engine, index, out);
        } finally {
            factory.unpin(ticket);
        }
    }

    // ---- storage ------------------------------------------------------------------------------

    public int segmentSize() {
        return engine.segmentSize;
    }

    /** Cells allocated by the current store. */
    public long capacity() {
        return storage().capacity();
    }

    /** Bytes held by the index (cells and metadata). */
    public long memoryBytes() {
        return storage().memoryBytes();
    }

    /**
     * Size, memory and the engine's counters (resizes, rebalances, retries, reclamation backlog)
     * now: see {@link CobTreeStatistics}. Costs a sum of counters, no lock.
     * @throws IllegalStateException if the tree is closed
     */
    public CobTreeStatistics statistics() {
        engine.snapshots.sweepIfNeeded(); // snapshots the memory limit invalidated leave the counts
        Storage st = storage();
        return engine.counters.snapshot(st.counts.total(), st.capacity(), st.memoryBytes(), factory, engine.snapshots);
    }

    /** Where the cells live. */
    public CellStoreFactory storageFactory() {
        return factory;
    }

    /**
     * A forward-only, weakly consistent cursor (ascending or descending): keys come out strictly
     * monotone, every entry present for the whole scan is returned, none absent for the whole scan
     * is. It copies one segment at a time under validation and never holds a lock or a pin
     * between calls. Not thread-safe.
     */
    public static final class Cursor implements LongLongCursor {
        final TreeEngine engine;
        /** The read walk of this cursor's steps (its own: a cursor is used by one thread at a time). */
        final ReadWalk walk = new ReadWalk();
        final boolean descending;
        /**
         * The entries of the last step, from index 0: one segment snapshot, or several consecutive
         * ones once the cursor batches (see {@link Navigator#fill}); grown by batched steps,
         * batched step, from one segment's worth to {@link Navigator#batchSegments} segments'.
         */
        long[] keys;
        /** The snapshot's long values; null for an object-valued tree (its cells have none: they read 0). */
        long[] values;
        /** The snapshot's references, for an object-valued tree (null otherwise). */
        Object[] refs;
        /**
         * The last key the caller needs, in the cursor's direction (a range's end; MAX_VALUE
         * ascending or MIN_VALUE descending when unknown): a batched step reads no segment wholly
         * beyond it.
         */
        long until;
        /**
         * Whether {@link #until} is a bound of the cursor itself (a bounded cursor): each step's
         * entries beyond it are cut off and the cursor ends there ({@link #clipToUntil}). Other
         * cursors only use it to stop reading ahead, and test their range's end themselves.
         */
        boolean stopsAtUntil;
        /**
         * High-water mark of the buffers: no step has written at or beyond this index, kept
         * entries or not (a batched step may copy segments it then drops). A scan over lent
         * buffers nulls the references below it when it ends ({@link ScanBuffers#giveBack}).
         */
        int written;
        /** Steps taken so far (saturating): the first step of a cursor reads one segment, later ones batch. */
        int steps;
        /** Per batched segment: its seqlock word, count and upper fence (ascending) or lower fence (descending); null until the first batch. */
        long[] batchWord;
        int[] batchCount;
        long[] batchFence;
        /** Next key to look for, inclusive (the validated fence of the last segment copied). */
        long bound;
        boolean exhausted;
        /**
         * The buffer's state: the entries not yet returned are at the indices strictly between
         * {@code at} and {@code stop} ({@code step} = +1 ascending, -1 descending). The current
         * entry is {@code keys[at]} (and {@code values[at]}, {@code refs[at]}) unless
         * {@code at == start}: then it is in {@link #key}/{@link #value}/{@link #ref}, and
         * {@link #valid} says whether there is one (nothing of this buffer returned yet, or the
         * entry came from a skip that read no buffer). So {@link #next()} moves one index and
         * stores one field: a position and a count updated per entry, as before, cost a
         * loop-carried store-to-load dependency each (docs/BENCH.md, second round).
         */
        final int step;
        int at;
        int start;
        int stop;
        /**
         * The storage (by {@link Storage#id}: an idle cursor must not keep a retired storage and
         * its cells reachable) and segment where the next step probably starts (saves a tree descent).
         */
        long hintStorage;
        int hintSegment = -1;
        private long key;
        private long value;
        private Object ref;
        private boolean valid;

        Cursor(CobTree tree, boolean descending, long bound, boolean exhausted) {
            this.engine = tree.engine;
            this.descending = descending;
            this.bound = bound;
            this.exhausted = exhausted;
            this.keys = new long[engine.segmentSize];
            this.values = engine.refs ? null : new long[engine.segmentSize];
            this.refs = engine.refs ? new Object[engine.segmentSize] : null;
            this.until = descending ? Long.MIN_VALUE : Long.MAX_VALUE;
            this.step = descending ? -1 : 1;
            filled(0);
        }

        /**
         * An ascending cursor over buffers lent by {@link ScanBuffers} (already batch-sized, so
         * {@link #ensureCells} never grows them): a range scan's cursor.
         */
        Cursor(CobTree tree, long bound, boolean exhausted, ScanBuffers lent) {
            this.engine = tree.engine;
            this.descending = false;
            this.bound = bound;
            this.exhausted = exhausted;
            this.keys = lent.keys;
            this.values = engine.refs ? null : lent.values;
            this.refs = engine.refs ? lent.refs : null;
            this.batchWord = lent.batchWord;
            this.batchCount = lent.batchCount;
            this.batchFence = lent.batchFence;
            this.until = Long.MAX_VALUE;
            this.step = 1;
            filled(0);
        }

        /** Entries in the buffer not yet returned. */
        int left() {
            return (stop - at) * step - 1;
        }

        /** A step copied {@code count} entries to {@code [0, count)}: none returned yet. */
        void filled(int count) {
            if (step > 0) {
                start = -1;
                stop = count;
            } else {
                start = count;
                stop = -1;
            }
            at = start;
        }

        /** A batched step appended entries: the (ascending) buffer now holds {@code count}. */
        void extended(int count) {
            stop = count;
        }

        /** Before the buffer is overwritten: a current entry that lives in it moves to the fields. */
        private void holdCurrent() {
            int i = at;
            if (i != start) {
                key = keys[i];
                value = values != null ? values[i] : 0L;
                ref = refs != null ? refs[i] : null;
                valid = true;
            }
        }

        /** The per-segment records of a batched step of up to {@code segments} segments (once per cursor). */
        void growBatchRecords(int segments) {
            batchWord = new long[segments - 1];
            batchCount = new int[segments - 1];
            batchFence = new long[segments - 1];
        }

        /**
         * Buffers that hold at least {@code cells} entries (at most {@code max}: a whole batch),
         * grown by doubling, so a cursor that batches only a segment or two past its first (a
         * short range, a bounded cursor) does not allocate and zero a whole batch's buffers. The
         * entries in the buffers are kept.
         */
        void ensureCells(int cells, int max) {
            if (cells <= keys.length) {
                return;
            }
            int size = Math.min(max, Math.max(cells, 2 * keys.length));
            keys = java.util.Arrays.copyOf(keys, size);
            if (values != null) {
                values = java.util.Arrays.copyOf(values, size);
            }
            if (refs != null) {
                refs = java.util.Arrays.copyOf(refs, size);
            }
        }

        /** Advances to the next entry; false when there is none. */
        public boolean next() {
            int i = at + step;
            if (i != stop) {
                at = i;
                return true;
            }
            return nextFromNextStep();
        }

        private boolean nextFromNextStep() {
            for (;;) {
                if (exhausted) {
                    valid = false;
                    ref = null;
                    start = at = stop - step; // an empty buffer, no current entry
                    return false;
                }
                refill();
                int i = at + step;
                if (i != stop) {
                    at = i;
                    return true;
                }
            }
        }

        /**
         * Moves past up to {@code len} entries, writing their keys into {@code keys[off..]} and
         * their values into {@code values[off..]} (either array may be null) in the cursor's
         * order, and stops before the first key beyond {@code last} (beyond: greater ascending,
         * less descending). Returns how many were written; fewer than {@code len} means the
         * cursor is exhausted or the next key lies beyond {@code last}. The last entry written
         * becomes current. Runs of a segment snapshot go out with one {@code System.arraycopy}
         * per array (ascending; descending reverses them in a loop), not entry by entry.
         *
         * @throws IndexOutOfBoundsException if {@code [off, off + len)} does not fit a non-null array
         */
        public int read(long[] keys, long[] values, int off, int len, long last) {
            if (keys != null) Objects.checkFromIndexSize(off, len, keys.length);
            if (values != null) Objects.checkFromIndexSize(off, len, values.length);
            int n = 0;
            while (n < len) {
                int left = left();
                if (left == 0) {
                    if (exhausted) {
                        break;
                    }
                    refill();
                    continue;
                }
                int take = Math.min(left, len - n);
                if (!descending) {
                    int from = at + 1; // the snapshot slots [from, from + take) go out
                    take = takeUp(from, take, last);
                    if (take == 0) {
                        return n;
                    }
                    if (keys != null) System.arraycopy(this.keys, from, keys, off + n, take);
                    if (values != null) copyValues(from, values, off + n, take);
                    at += take; // the last entry written is current
                } else {
                    int top = at - 1; // the slots top, top - 1, ..., top - take + 1 go out
                    take = takeDown(top, take, last);
                    if (take == 0) {
                        return n;
                    }
                    for (int i = 0; i < take; i++) {
                        if (keys != null) keys[off + n + i] = this.keys[top - i];
                        if (values != null) values[off + n + i] = this.values != null ? this.values[top - i] : 0L;
                    }
                    at -= take;
                }
                n += take;
                if (left() > 0 && n < len) {
                    return n; // stopped at last inside the snapshot
                }
            }
            return n;
        }

        /** The values of the buffer slots {@code [from, from + take)} into {@code out[at..]} (0 for an object-valued tree). */
        private void copyValues(int from, long[] out, int at, int take) {
            if (this.values != null) {
                System.arraycopy(this.values, from, out, at, take);
            } else {
                java.util.Arrays.fill(out, at, at + take, 0L);
            }
        }

        /** How many of the {@code take} ascending slots from {@code from} hold keys &le; last. */
        private int takeUp(int from, int take, long last) {
            if (keys[from + take - 1] <= last) {
                return take;
            }
            int i = from;
            while (i < from + take && keys[i] <= last) {
                i++;
            }
            return i - from;
        }

        /** How many of the {@code take} slots from {@code top} down hold keys &ge; last. */
        private int takeDown(int top, int take, long last) {
            int from = top - take + 1;
            if (keys[from] >= last) {
                return take;
            }
            int i = top;
            while (i >= from && keys[i] >= last) {
                i--;
            }
            return top - i;
        }

        void refill() {
            holdCurrent();
            CellStoreFactory f = engine.factory;
            long ticket = f.pin();
            try {
                Navigator.fill(this);
            } finally {
                f.unpin(ticket);
            }
            if (stopsAtUntil) {
                clipToUntil();
            }
        }

        /**
         * A bounded cursor's step: the entries beyond {@link #until} are dropped from the buffer
         * (found by a scan from the step's first entry, only when its last one is beyond) and the
         * cursor ends after the rest; it ends too when its next step would start beyond until.
         */
        private void clipToUntil() {
            if (!descending) {
                if (stop > at + 1 && keys[stop - 1] > until) {
                    int i = at + 1;
                    while (i < stop && keys[i] <= until) {
                        i++;
                    }
                    stop = i;
                    exhausted = true;
                } else if (bound > until) {
                    exhausted = true;
                }
            } else {
                if (stop < at - 1 && keys[stop + 1] < until) {
                    int i = at - 1;
                    while (i > stop && keys[i] >= until) {
                        i--;
                    }
                    stop = i;
                    exhausted = true;
                } else if (bound < until) {
                    exhausted = true;
                }
            }
        }

        /** A current entry read without the buffer (a skip): held in the fields; the buffer is left empty. */
        void current(long k, long v, Object r) {
            key = k;
            value = v;
            ref = r;
            valid = true;
            start = at = stop - step;
        }

        /** The current entry's object value (object-valued trees; null for a long-valued tree). */
        Object ref() {
            int i = at;
            if (i != start) {
                return refs != null ? refs[i] : null;
            }
            if (!valid) {
                throw new IllegalStateException("cursor has no current entry");
            }
            return ref;
        }

        public long key() {
            int i = at;
            if (i != start) {
                return keys[i];
            }
            if (!valid) {
                throw new IllegalStateException("cursor has no current entry");
            }
            return key;
        }

        public long value() {
            int i = at;
            if (i != start) {
                long[] vs = values;
                return vs != null ? vs[i] : 0L;
            }
            if (!valid) {
                throw new IllegalStateException("cursor has no current entry");
            }
            return value;
        }

        /**
         * Advances past up to {@code n} entries without returning them (the last one skipped
         * becomes current); returns how many. Whole segments are skipped by their counts and only
         * the cell where the skip lands is read, so a skip of k costs O(k / segmentSize) segment
         * headers plus one in-segment search, not k entries. A skip shorter than a segment that
         * runs past the buffered entries reads the next segment(s) into the buffer instead, as
         * {@link #next()} does: strided access ({@code skip(k)} in a loop with a small k) then
         * costs one bulk copy per segment, not one search per entry. The tail of a long skip (one
         * that has already passed whole segments by their counts) is not such a step: it lands by
         * the same count-and-search, so a long skip copies no entries at all (a planner counting
         * a range up to a bound pays for headers, not for a batch of cells).
         */
        public long skip(long n) {
            if (n < 0) {
                throw new IllegalArgumentException("skip count " + n + " must not be negative");
            }
            long done = 0;
            boolean jumped = false; // this call has skipped a segment by its count
            while (done < n) {
                int left = left();
                if (left > 0) {
                    int take = (int) Math.min(left, n - done);
                    done += take;
                    at += step * take; // the entry the skip lands on is current
                    continue;
                }
                if (exhausted) {
                    break;
                }
                if (!jumped && n - done < engine.segmentSize) {
                    refill(); // a short skip: buffer the next segment(s) and skip inside them
                    continue;
                }
                jumped = true;
                CellStoreFactory f = engine.factory;
                long ticket = f.pin();
                try {
                    done += Navigator.skipSegment(this, n - done);
                } finally {
                    f.unpin(ticket);
                }
            }
            return done;
        }
    }

    public boolean isClosed() {
        return engine.root() == Storage.CLOSED;
    }
}
