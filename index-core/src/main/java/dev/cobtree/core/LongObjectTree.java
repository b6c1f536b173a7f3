package dev.cobtree.core;

import dev.cobtree.storage.CellStoreFactory;
import dev.cobtree.storage.HeapCellStoreFactory;

import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * A concurrent ordered map from primitive {@code long} keys to object values: the engine of
 * {@link CobTree} over a heap store whose cells carry a reference column
 * ({@link dev.cobtree.storage.HeapObjectCellStore}) instead of {@code long} values. Named for what
 * it maps (as fastutil's {@code Long2Object...} and the JDK's {@code LongFunction} are); the
 * {@code ConcurrentNavigableMap<Long, V>} view is {@link #asMap()}.
 *
 * <p>Every operation is the corresponding {@code CobTree} operation with the value carried as a
 * reference: the same per-cell seqlocks, segment locks, Move rebalancing and RCU resize move the
 * reference with its key, and every cell a removal, shift, Move, resize, clear or close vacates
 * drops its reference, so the tree never keeps a removed value reachable. Guarantees are
 * CobTree's: point operations, navigation, {@code pollFirst}/{@code pollLast}, counts, ranks and
 * {@code select} are linearizable; cursors and {@code forEachInRange} are weakly consistent (keys
 * strictly monotone, nothing present throughout missed). No key is boxed on these paths.
 *
 * <p>Values: {@code null} is refused ({@link NullPointerException}), as in
 * {@code ConcurrentSkipListMap}, so {@code null} means "absent" in every return. The conditional
 * writes {@link #replace(long, Object, Object)} and {@link #remove(long, Object)} compare with
 * {@code equals}, decided under the key's segment lock (the {@code ConcurrentMap} contract): an
 * {@code equals} that calls back into the same tree may deadlock. {@link #computeIfAbsent},
 * {@link #compute} and {@link #merge} are optimistic (read, apply, conditional write, retry), as
 * {@code ConcurrentMap}'s defaults and CSLM: the function may run more than once and never runs
 * under a lock.
 *
 * <p><b>Range scans</b> ({@link #forEachInRange}; issue 12's scan target). The scan is the
 * long-valued tree's: a cursor whose steps after the first copy up to
 * {@link Navigator#batchSegments} consecutive segment snapshots (keys with one bulk copy per
 * segment, references with one {@code System.arraycopy} per segment: atomic per element, ordered
 * before the re-check by the acquire fence of each segment's seqlock validation, as
 * {@code HeapObjectCellStore.copyRefs} documents), validates each, and only then hands the
 * validated entries to the sink; a segment that fails validation is dropped and read again.
 * Three things make it cheaper than the plain cursor it used before:
 * <ul>
 *   <li>its key and reference buffers are lent per thread ({@link ScanBuffers}), already
 *   batch-sized: a scan allocates no buffers and never grows them (a fresh cursor allocated one
 *   segment's buffers and copied them into batch-sized ones at its second step, about 12 KB
 *   allocated and zeroed per scan). The lent reference buffer is nulled up to the cursor's
 *   high-water mark ({@code Cursor.written}: every slot any step wrote, dropped segments
 *   included) in a {@code finally} when the scan returns or throws, so no value outlives the scan
 *   in it; a sink that scans again on the same thread gets a cursor with buffers of its own;</li>
 *   <li>an object-valued cursor keeps no {@code long} value buffer ({@code Cursor.values} is null:
 *   the cells have no value words), so nothing is copied, allocated or grown for values;</li>
 *   <li>a step whose last key is inside the range is emitted in a loop with no per-entry bound
 *   check, as {@link CobTree#forEachInRange} does; only the step that reaches {@code hi}
 *   compares each key.</li>
 * </ul>
 * What stays per entry is the sink call (inlined when the call site sees one sink class;
 * an interface call otherwise) and whatever the sink does with the value.
 *
 * <p>Storage: heap only. {@link Builder#storage} with an off-heap or mapped factory fails with
 * {@link IllegalArgumentException}: those cells serialise longs and cannot hold references.
 */
public final class LongObjectTree<V> implements LongObjectReads<V>, AutoCloseable {

    /** The long-valued facade over the same engine: it owns building, structure changes, counts and cursors. */
    private final CobTree tree;
    private final TreeEngine engine;
    private final CellStoreFactory factory;

    private LongObjectTree(CobTree tree) {
        this.tree = tree;
        this.engine = tree.engine();
        this.factory = tree.storageFactory();
    }

    /** An empty tree on the heap with the default segment size. */
    public LongObjectTree() {
        this(new Builder().cob.build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options of a new tree. */
    public static final class Builder {
        private final CobTree.Builder cob = CobTree.builder().storage(HeapCellStoreFactory.REFERENCES);

        Builder() {
        }

        /** Cells per segment: a power of two in [8, 4096]. Default 128. */
        public Builder segmentSize(int cells) {
            cob.segmentSize(cells);
            return this;
        }

        /** Entries to make room for up front; also the size clear() returns to. */
        public Builder initialCapacity(long entries) {
            cob.initialCapacity(entries);
            return this;
        }

        /**
         * Where the cells live: a heap factory (the default).
         *
         * @throws IllegalArgumentException for a factory whose stores cannot hold references (off-heap, mapped)
         */
        public Builder storage(CellStoreFactory factory) {
            cob.storage(Objects.requireNonNull(factory, "storage").withReferenceValues());
            return this;
        }

        /**
         * The most heap bytes the pre-images of open snapshots may hold together (the referenced
         * value objects are not counted); the oldest open snapshots are invalidated beyond it. See
         * {@link CobTree.Builder#snapshotMemoryLimit(long)}. Default: a quarter of the maximum heap.
         *
         * @throws IllegalArgumentException if {@code bytes} is not positive
         */
        public Builder snapshotMemoryLimit(long bytes) {
            cob.snapshotMemoryLimit(bytes);
            return this;
        }

        public <V> LongObjectTree<V> build() {
            return new LongObjectTree<>(cob.build());
        }

        /**
         * A tree holding {@code keys[from..to)} with {@code values[from..to)}, built in O(n).
         *
         * @throws IllegalArgumentException if the keys are not strictly increasing
         * @throws NullPointerException if a value is null
         */
        public <V> LongObjectTree<V> buildFromSorted(long[] keys, V[] values, int from, int to) {
            Objects.requireNonNull(values, "values");
            Objects.checkFromToIndex(from, to, values.length);
            for (int i = from; i < to; i++) {
                if (values[i] == null) {
                    throw new NullPointerException("values[" + i + "] is null; a LongObjectTree holds no null values");
                }
            }
            return new LongObjectTree<>(cob.buildFromSortedRefs(keys, values, from, to));
        }
    }

    /** The long-valued facade of the same engine (package-private: the map view's range machinery drives it). */
    CobTree cob() {
        return tree;
    }

    /** The engine (package-private: tests). */
    TreeEngine engine() {
        return engine;
    }

    // ---- point reads --------------------------------------------------------------------------

    /** The value of {@code key}, or null if it has none. */
    @SuppressWarnings("unchecked")
    public V get(long key) {
        long ticket = factory.pin();
        try {
            return (V) Navigator.getRef(engine, key);
        } finally {
            factory.unpin(ticket);
        }
    }

    public boolean containsKey(long key) {
        return get(key) != null;
    }

    // ---- writes -------------------------------------------------------------------------------

    /** Maps {@code key} to {@code value}; returns the previous value or null. */
    public V put(long key, V value) {
        return write(key, Objects.requireNonNull(value, "value"), SegmentWriter.PUT, null);
    }

    /** Maps {@code key} to {@code value} only if it has none; returns the existing value, or null if it inserted. */
    public V putIfAbsent(long key, V value) {
        return write(key, Objects.requireNonNull(value, "value"), SegmentWriter.PUT_IF_ABSENT, null);
    }

    /** Replaces the value of {@code key} only if it has one; returns the previous value or null. */
    public V replace(long key, V value) {
        return write(key, Objects.requireNonNull(value, "value"), SegmentWriter.REPLACE, null);
    }

    /** Replaces the value of {@code key} only if it {@code equals} {@code expected} (decided under the segment lock). */
    public boolean replace(long key, V expected, V value) {
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(value, "value");
        WriterScratch x = WriterScratch.get();
        SegmentWriter.upsert(engine, key, 0L, value, SegmentWriter.REPLACE_IF_EQUAL, 0L, expected, x);
        x.oldRef = null;
        return x.changed;
    }

    @SuppressWarnings("unchecked")
    private V write(long key, V value, int mode, Object expected) {
        WriterScratch x = WriterScratch.get();
        boolean present = SegmentWriter.upsert(engine, key, 0L, value, mode, 0L, expected, x);
        Object old = x.oldRef;
        x.oldRef = null; // the thread-local scratch must not keep the old value reachable
        return present ? (V) old : null;
    }

    /** Removes {@code key}; returns its value or null. */
    @SuppressWarnings("unchecked")
    public V remove(long key) {
        WriterScratch x = WriterScratch.get();
        boolean present = SegmentWriter.delete(engine, key, false, 0L, null, x);
        Object old = x.oldRef;
        x.oldRef = null;
        return present ? (V) old : null;
    }

    /** Removes {@code key} only if its value {@code equals} {@code value} (decided under the segment lock); false for a null value. */
    public boolean remove(long key, Object value) {
        if (value == null) {
            return false;
        }
        WriterScratch x = WriterScratch.get();
        SegmentWriter.delete(engine, key, true, 0L, value, x);
        x.oldRef = null;
        return x.changed;
    }

    /**
     * The value of {@code key}, computing and inserting {@code f.apply(key)} if it has none (a
     * null result inserts nothing). {@code f} may run although another thread inserts first; then
     * that thread's value is returned.
     */
    public V computeIfAbsent(long key, LongFunction<? extends V> f) {
        Objects.requireNonNull(f, "mappingFunction");
        V v = get(key);
        if (v != null) {
            return v;
        }
        V created = f.apply(key);
        if (created == null) {
            return null;
        }
        V raced = putIfAbsent(key, created);
        return raced != null ? raced : created;
    }

    /** The value of {@code key} remapped if present (null removes); see the class comment on retries. */
    public V computeIfPresent(long key, LongObjectFunction<? super V, ? extends V> f) {
        Objects.requireNonNull(f, "remappingFunction");
        for (;;) {
            V old = get(key);
            if (old == null) {
                return null;
            }
            V next = f.apply(key, old);
            if (next == null ? remove(key, old) : replace(key, old, next)) {
                return next;
            }
        }
    }

    /** Remaps the value of {@code key} (null in and out mean absent); retried until its conditional write succeeds. */
    public V compute(long key, LongObjectFunction<? super V, ? extends V> f) {
        Objects.requireNonNull(f, "remappingFunction");
        for (;;) {
            V old = get(key);
            V next = f.apply(key, old);
            if (old == null) {
                if (next == null || putIfAbsent(key, next) == null) {
                    return next;
                }
            } else if (next == null ? remove(key, old) : replace(key, old, next)) {
                return next;
            }
        }
    }

    /** Inserts {@code value}, or merges it into the present value with {@code f} (null removes). */
    public V merge(long key, V value, BiFunction<? super V, ? super V, ? extends V> f) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(f, "remappingFunction");
        for (;;) {
            V old = get(key);
            if (old == null) {
                if (putIfAbsent(key, value) == null) {
                    return value;
                }
                continue;
            }
            V next = f.apply(old, value);
            if (next == null ? remove(key, old) : replace(key, old, next)) {
                return next;
            }
        }
    }

    /** Removes every entry (the array returns to its initial size; the old cells drop their values). */
    public void clear() {
        tree.clear();
    }

    /** Releases the storage and drops every value; later calls throw {@link IllegalStateException}. Idempotent. */
    /** Throws IllegalStateException if the tree is closed. */
    void checkOpen() {
        tree.checkOpen();
    }

    @Override
    public void close() {
        tree.close();
    }

    public boolean isClosed() {
        return tree.isClosed();
    }

    // ---- navigation (linearizable) --------------------------------------------------------------

    /** The greatest entry with key &le; {@code key}, or null. */
    public LongObjectEntry<V> floorEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(tree.floor(key, kv), kv);
    }

    /** The least entry with key &ge; {@code key}, or null. */
    public LongObjectEntry<V> ceilingEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(tree.ceiling(key, kv), kv);
    }

    /** The least entry with key &gt; {@code key}, or null. */
    public LongObjectEntry<V> higherEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(tree.higher(key, kv), kv);
    }

    /** The greatest entry with key &lt; {@code key}, or null. */
    public LongObjectEntry<V> lowerEntry(long key) {
        KeyValue kv = new KeyValue();
        return entry(tree.lower(key, kv), kv);
    }

    public LongObjectEntry<V> firstEntry() {
        return ceilingEntry(Long.MIN_VALUE);
    }

    public LongObjectEntry<V> lastEntry() {
        return floorEntry(Long.MAX_VALUE);
    }

    /** The greatest key &le; {@code key}, or {@code absent}. */
    public long floorKey(long key, long absent) {
        KeyValue kv = new KeyValue();
        return tree.floor(key, kv) ? kv.key : absent;
    }

    /** The least key &ge; {@code key}, or {@code absent}. */
    public long ceilingKey(long key, long absent) {
        KeyValue kv = new KeyValue();
        return tree.ceiling(key, kv) ? kv.key : absent;
    }

    /** The least key &gt; {@code key}, or {@code absent}. */
    public long higherKey(long key, long absent) {
        KeyValue kv = new KeyValue();
        return tree.higher(key, kv) ? kv.key : absent;
    }

    /** The greatest key &lt; {@code key}, or {@code absent}. */
    public long lowerKey(long key, long absent) {
        KeyValue kv = new KeyValue();
        return tree.lower(key, kv) ? kv.key : absent;
    }

    /** The first key. @throws NoSuchElementException if empty */
    public long firstKey() {
        return tree.firstKey();
    }

    /** The last key. @throws NoSuchElementException if empty */
    public long lastKey() {
        return tree.lastKey();
    }

    /** Removes and returns the first entry (null if empty); linearizable, as {@link CobTree#pollFirst}. */
    public LongObjectEntry<V> pollFirstEntry() {
        return pollInRange(true, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Removes and returns the last entry (null if empty); linearizable. */
    public LongObjectEntry<V> pollLastEntry() {
        return pollInRange(false, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Linearizable removal of the first (last) entry with key in {@code [from, to]} (for the map's views). */
    LongObjectEntry<V> pollInRange(boolean first, long from, long to) {
        KeyValue kv = new KeyValue();
        return entry(tree.pollInRange(first, from, to, kv), kv);
    }

    @SuppressWarnings("unchecked")
    private LongObjectEntry<V> entry(boolean found, KeyValue kv) {
        return found ? new LongObjectEntry<>(kv.key, (V) kv.ref) : null;
    }

    // ---- counts and positions (linearizable) ---------------------------------------------------

    /** Entries: the sum of the block counts (exact without writers; see {@link CobTree#size}). */
    public long size() {
        return tree.size();
    }

    public boolean isEmpty() {
        return tree.isEmpty();
    }

    /** Keys strictly less than {@code key}, at one instant of the call. */
    public long rank(long key) {
        return tree.rank(key);
    }

    /** Keys in the range at one instant of the call. @throws IllegalArgumentException if lo &gt; hi */
    public long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive) {
        return tree.countRange(lo, loInclusive, hi, hiInclusive);
    }

    /** The entry at position {@code index} (0-based, ascending), or null if index &ge; size. @throws IllegalArgumentException if index &lt; 0 */
    public LongObjectEntry<V> select(long index) {
        KeyValue kv = new KeyValue();
        return entry(tree.select(index, kv), kv);
    }

    // ---- iteration (weakly consistent) ---------------------------------------------------------

    public Cursor<V> cursor() {
        return new Cursor<>(tree.cursor());
    }

    /** Ascending from {@code from}. */
    public Cursor<V> cursor(long from, boolean inclusive) {
        return new Cursor<>(tree.cursor(from, inclusive));
    }

    /**
     * Ascending over the keys from {@code from} to {@code to} (each end inclusive or not): a
     * cursor that ends at {@code to} and reads no segment wholly beyond it (see
     * {@link CobTree#cursor(long, boolean, long, boolean)}). Weakly consistent.
     * @throws IllegalArgumentException if {@code from > to}
     */
    public Cursor<V> cursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        return new Cursor<>(tree.cursor(from, fromInclusive, to, toInclusive));
    }

    /**
     * Descending over the keys from {@code from} down to {@code to} (each end inclusive or not).
     * @throws IllegalArgumentException if {@code from < to}
     */
    public Cursor<V> descendingCursor(long from, boolean fromInclusive, long to, boolean toInclusive) {
        return new Cursor<>(tree.descendingCursor(from, fromInclusive, to, toInclusive));
    }

    public Cursor<V> descendingCursor() {
        return new Cursor<>(tree.descendingCursor());
    }

    /** Descending from {@code from}. */
    public Cursor<V> descendingCursor(long from, boolean inclusive) {
        return new Cursor<>(tree.descendingCursor(from, inclusive));
    }

    /** Every entry in ascending key order. */
    public void forEach(LongObjectConsumer<? super V> sink) {
        forEachInRange(Long.MIN_VALUE, true, Long.MAX_VALUE, true, sink);
    }

    /**
     * Every entry in the range, ascending, fed to the sink straight from each validated segment
     * snapshot (keys and references copied per batched step, validated once per segment; see the
     * class comment, "Range scans"). Allocates nothing per entry and, on a thread that is not
     * already inside a scan, no buffers. @throws IllegalArgumentException if lo &gt; hi
     */
    public void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongObjectConsumer<? super V> sink) {
        Objects.requireNonNull(sink, "sink");
        CobTree.checkRange(lo, hi);
        ScanBuffers lent = ScanBuffers.borrow(engine.segmentSize);
        if (lent == null) { // a sink scanning again on this thread: a cursor with buffers of its own
            CobTree.Cursor c = tree.cursor(lo, loInclusive);
            c.until = hi;
            emit(c, hi, hiInclusive, sink);
            return;
        }
        CobTree.Cursor c = null;
        try {
            c = tree.scanCursor(lo, loInclusive, lent);
            c.until = hi;
            emit(c, hi, hiInclusive, sink);
        } finally {
            lent.giveBack(c == null ? 0 : c.written); // also when the sink throws
        }
    }

    /**
     * Feeds the sink the cursor's entries up to {@code hi}, one validated step at a time: a step
     * whose last key is inside the range goes out in a loop with no bound check (the common case
     * of a long scan), only the last step compares each key.
     */
    @SuppressWarnings("unchecked")
    private static <V> void emit(CobTree.Cursor c, long hi, boolean hiInclusive, LongObjectConsumer<? super V> sink) {
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
            long[] keys = c.keys; // a batched step may have grown a cursor's own buffers
            Object[] refs = c.refs;
            long lastKey = keys[to - 1];
            if (lastKey < hi || (lastKey == hi && hiInclusive)) {
                for (int i = from; i < to; i++) { // the whole step is inside the range
                    sink.accept(keys[i], (V) refs[i]);
                }
                continue;
            }
            for (int i = from; i < to; i++) {
                long k = keys[i];
                if (k > hi || (k == hi && !hiInclusive)) {
                    return;
                }
                sink.accept(k, (V) refs[i]);
            }
            return;
        }
    }

    // ---- storage ------------------------------------------------------------------------------

    public int segmentSize() {
        return tree.segmentSize();
    }

    /** Bytes held by the index (cells, reference column and metadata; not the value objects). */
    public long memoryBytes() {
        return tree.memoryBytes();
    }

    /**
     * A read-only view of the whole tree at one instant, exact for every read; writers keep
     * running (see {@link LongObjectTreeSnapshot} and {@link CobTree#snapshot()}).
     *
     * @throws IllegalStateException if the tree is closed
     */
    public LongObjectTreeSnapshot<V> snapshot() {
        return new LongObjectTreeSnapshot<>(engine.snapshots.take());
    }

    /** Size, memory, engine counters and what open snapshots hold (see {@link CobTree#statistics()}). */
    public CobTreeStatistics statistics() {
        return tree.statistics();
    }

    /** A {@code ConcurrentNavigableMap<Long, V>} view backed by this tree. */
    public LongObjectTreeMap<V> asMap() {
        return new LongObjectTreeMap<>(this);
    }

    /**
     * A forward-only, weakly consistent cursor (ascending or descending) over the tree: CobTree's
     * cursor with each segment snapshot's references copied beside its keys. Not thread-safe.
     */
    public static final class Cursor<V> implements LongObjectCursor<V> {
        private final CobTree.Cursor c;

        Cursor(CobTree.Cursor c) {
            this.c = c;
        }

        /** Advances to the next entry; false when there is none. */
        public boolean next() {
            return c.next();
        }

        /** @throws IllegalStateException if there is no current entry */
        public long key() {
            return c.key();
        }

        /** @throws IllegalStateException if there is no current entry */
        @SuppressWarnings("unchecked")
        public V value() {
            CobTree.Cursor c = this.c;
            int i = c.at;
            if (i != c.start) {
                return (V) c.refs[i]; // an object-valued tree's cursor always has its reference buffer
            }
            return (V) c.ref();
        }

        /** Skips up to {@code n} entries (the last skipped becomes current) in O(n / segmentSize) headers; returns how many. */
        public long skip(long n) {
            return c.skip(n);
        }
    }
}
