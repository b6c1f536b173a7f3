package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectEntry;
import dev.cobtree.core.LongObjectReads;
import dev.cobtree.core.LongObjectTree;
import dev.cobtree.core.LongObjectTreeSnapshot;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.ResultOrder;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.roaringbitmap.RoaringBitmap;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A Kafka Streams {@code KeyValueStore<Bytes, byte[]>} over a {@code LongObjectTree<byte[]>}:
 * the innermost store that {@link CobTreeStores#keyValueStore(String)} supplies. Keys are 8
 * bytes, mapped to tree keys by {@link KeyCodec} so that the tree's order is Kafka's byte order;
 * values are any {@code byte[]}, and a {@code null} value deletes (Kafka's contract).
 *
 * <p><b>Threads.</b> One stream thread writes (Kafka's contract); interactive queries read from
 * other threads at the same time. The tree is concurrent, so reads take no lock: point reads and
 * counts are linearizable, iterators weakly consistent (see {@link TreeIterator}).
 *
 * <p><b>Restoration.</b> {@link #init} registers a batching restore callback. While the store
 * is empty, restored batches that continue one strictly ascending run of keys without tombstones
 * are collected and become the tree in one O(n) bulk load
 * ({@code LongObjectTree.Builder.buildFromSorted}); other batches are applied record by record,
 * in changelog order (see {@link #restoreBatch}).
 *
 * <p><b>Isolation levels.</b> At each commit point Kafka gives the store
 * ({@link #commit(Map)}, which Kafka 4.4 calls on every task commit through its wrapping layers),
 * at init and after each restored batch, the store takes a snapshot of the tree
 * ({@code LongObjectTree.snapshot()}) and releases the previous one.
 * {@link #readOnly(IsolationLevel) readOnly(READ_COMMITTED)}, and IQv2 queries whose
 * {@code QueryConfig} asks for {@code READ_COMMITTED}, read that snapshot: exact for the last
 * commit point, blind to writes since. {@code READ_UNCOMMITTED} (Kafka's default) reads the live
 * tree. The cost is the snapshot's pre-images: the old version of each cell written since the last
 * commit, held until the next one (and while a committed read or iterator still uses it).
 *
 * <p><b>Not persistent.</b> The tree is on the heap: {@link #persistent()} is false, so Kafka
 * restores the store from its changelog's start after a restart, as for its own in-memory store.
 * It does not manage offsets (KIP-1035: {@link #managesOffsets()} stays false; see docs/KAFKA.md).
 */
public final class CobTreeKeyValueStore implements KeyValueStore<Bytes, byte[]> {
    private final String name;
    private final int segmentSize;
    private final Position position = Position.emptyPosition();
    private final Set<TreeIterator> openIterators = ConcurrentHashMap.newKeySet();
    /** Replaced only by a bulk load into an empty store during restoration. */
    private volatile LongObjectTree<byte[]> tree;
    /** Restored records awaiting one bulk load (null when none); see {@link #restoreBatch}. */
    private volatile AscendingRun pending;
    private final Object restoreLock = new Object();
    private volatile boolean open;
    /** The snapshot of the last commit point (null before init and after close). */
    private volatile CommittedSnapshot committed;
    private final Object commitLock = new Object();
    /** READ_COMMITTED view ({@link #readOnly}). */
    private final ReadOnlyKeyValueStore<Bytes, byte[]> committedView = new CommittedView();
    private StateStoreContext context;
    private int partition = -1;
    /** Restored batches that were bulk-loaded (read by tests; written by the restoring thread only). */
    int bulkLoads;

    CobTreeKeyValueStore(String name, int segmentSize) {
        this.name = Objects.requireNonNull(name, "name");
        this.segmentSize = segmentSize;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(root, "root");
        this.context = context;
        this.partition = context.taskId() == null ? -1 : context.taskId().partition();
        this.tree = LongObjectTree.builder().segmentSize(segmentSize).build();
        context.register(root, (BatchingStateRestoreCallback) this::restoreBatch);
        open = true;
        takeCommitted();
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Closes the store and every iterator still open on it; later calls fail with {@link InvalidStateStoreException}. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        synchronized (restoreLock) {
            pending = null;
        }
        for (TreeIterator it : openIterators) {
            it.invalidate();
        }
        openIterators.clear();
        synchronized (commitLock) {
            CommittedSnapshot c = committed;
            committed = null;
            if (c != null) {
                c.snapshot.close(); // at once, whatever readers hold: they fail as on a closed store
            }
        }
        LongObjectTree<byte[]> t = tree;
        if (t != null) {
            t.close(); // drops every value; a reader racing the close fails in checkOpen, or in the tree (closedUnder)
        }
    }

    @Override
    public Position getPosition() {
        return position;
    }

    /**
     * {@code READ_UNCOMMITTED}: the store itself (the live tree, every write seen).
     * {@code READ_COMMITTED}: a view that reads the snapshot of the last commit point (before the
     * first commit, the state at init or at the end of the last restored batch); it follows each
     * new commit point, and fails as the store does once the store closes.
     */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        Objects.requireNonNull(isolationLevel, "isolationLevel cannot be null");
        return isolationLevel == IsolationLevel.READ_COMMITTED ? committedView : this;
    }

    /** The snapshot of the last commit point, or null (read by tests). */
    LongObjectTreeSnapshot<byte[]> committedSnapshot() {
        CommittedSnapshot c = committed;
        return c == null ? null : c.snapshot;
    }

    /** Snapshots open on the tree now (read by tests). */
    long openSnapshots() {
        return openTree().statistics().openSnapshots();
    }

    /** Takes the snapshot of a new commit point and releases the previous one. */
    private void takeCommitted() {
        synchronized (commitLock) {
            if (!open) {
                return;
            }
            CommittedSnapshot next = new CommittedSnapshot(tree.snapshot());
            CommittedSnapshot prev = committed;
            committed = next;
            if (prev != null) {
                prev.release();
            }
        }
    }

    /** A reference to the last commit point's snapshot; the caller releases it. */
    private CommittedSnapshot acquireCommitted() {
        loadPending();
        for (;;) {
            checkOpen();
            CommittedSnapshot c = committed;
            if (c == null) {
                throw new InvalidStateStoreException("Store " + name + " is currently closed");
            }
            if (c.tryAcquire()) {
                return c;
            }
            // released by a commit between the read and the acquire: the next one is in place
        }
    }

    /** Runs a read over the live tree or the committed snapshot, mapping a close under it. */
    private <T> T read(boolean readCommitted, Function<LongObjectReads<byte[]>, T> f) {
        if (!readCommitted) {
            try {
                return f.apply(openTree());
            } catch (IllegalStateException e) {
                throw closedUnder(e);
            }
        }
        CommittedSnapshot c = acquireCommitted();
        try {
            return f.apply(c.reads);
        } catch (IllegalStateException e) {
            throw closedUnder(e);
        } finally {
            c.release();
        }
    }

    void checkOpen() {
        if (!open) {
            throw new InvalidStateStoreException("Store " + name + " is currently closed");
        }
    }

    /** The tree, after checking that the store is open. */
    private LongObjectTree<byte[]> openTree() {
        checkOpen();
        loadPending();
        return tree;
    }

    /** A tree call failed with IllegalStateException: the store closed under it. */
    RuntimeException closedUnder(IllegalStateException e) {
        if (!open) {
            return new InvalidStateStoreException("Store " + name + " was closed during the call");
        }
        return e;
    }

    void forget(TreeIterator it) {
        openIterators.remove(it);
    }

    // ---- writes (the stream thread) ------------------------------------------------------------

    @Override
    public void put(Bytes key, byte[] value) {
        long k = KeyCodec.treeKey(key);
        LongObjectTree<byte[]> t = openTree();
        if (value == null) {
            t.remove(k);
        } else {
            t.put(k, value);
        }
        advancePosition();
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        long k = KeyCodec.treeKey(key);
        LongObjectTree<byte[]> t = openTree();
        byte[] existing = value == null ? t.get(k) : t.putIfAbsent(k, value);
        if (existing == null) {
            advancePosition();
        }
        return existing;
    }

    /** Checks every key first, so a bad key anywhere in the list changes nothing. */
    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        Objects.requireNonNull(entries, "entries");
        long[] keys = new long[entries.size()];
        int i = 0;
        for (KeyValue<Bytes, byte[]> e : entries) {
            Objects.requireNonNull(e, "entry " + i + " is null");
            keys[i++] = KeyCodec.treeKey(e.key);
        }
        LongObjectTree<byte[]> t = openTree();
        i = 0;
        for (KeyValue<Bytes, byte[]> e : entries) {
            if (e.value == null) {
                t.remove(keys[i++]);
            } else {
                t.put(keys[i++], e.value);
            }
        }
        advancePosition();
    }

    @Override
    public byte[] delete(Bytes key) {
        long k = KeyCodec.treeKey(key);
        byte[] old = openTree().remove(k);
        advancePosition();
        return old;
    }

    /** Records the offset of the record being processed, for IQv2 position bounds. */
    private void advancePosition() {
        StateStoreContext c = context;
        if (c != null) {
            c.recordMetadata().ifPresent(m -> {
                if (m.topic() != null) {
                    position.withComponent(m.topic(), m.partition(), m.offset());
                }
            });
        }
    }

    // ---- restoration ---------------------------------------------------------------------------

    /**
     * The batching restore callback registered in {@link #init}: a batch of changelog records in
     * offset order. Kafka's restore consumer delivers a changelog in batches of at most
     * {@code max.poll.records} (Streams' default: 1,000), so a bulk load of single batches would
     * cover only the first. Instead, while the store is empty, consecutive batches whose keys
     * continue one strictly ascending run without tombstones are collected ({@link AscendingRun})
     * and bulk-loaded in O(n) when the run ends: at the first batch that breaks it, or at the first
     * other call on the store (a read, a write, {@code commit}, {@code flush}). Until then readers
     * see the store empty, which is a prefix of the changelog, as every answer during restoration
     * is. A batch that does not continue the run is applied record by record after the run is
     * loaded. Every key of a batch is checked before anything of it is applied.
     */
    void restoreBatch(Collection<KeyValue<byte[], byte[]>> records) {
        int n = records.size();
        long[] keys = new long[n];
        int i = 0;
        boolean ascending = true;
        boolean tombstones = false;
        for (KeyValue<byte[], byte[]> r : records) {
            long k = KeyCodec.treeKey(r.key == null ? null : Bytes.wrap(r.key));
            ascending &= i == 0 || k > keys[i - 1];
            tombstones |= r.value == null;
            keys[i++] = k;
        }
        if (n == 0) {
            return;
        }
        synchronized (restoreLock) {
            checkOpen();
            AscendingRun run = pending;
            boolean continues = ascending && !tombstones && (run != null ? keys[0] > run.last() : tree.isEmpty());
            if (continues) {
                if (run == null) {
                    run = new AscendingRun();
                }
                i = 0;
                for (KeyValue<byte[], byte[]> r : records) {
                    run.add(keys[i++], r.value);
                }
                pending = run; // volatile: other threads' next call flushes it
                return;
            }
            loadPendingLocked();
            LongObjectTree<byte[]> t = tree;
            i = 0;
            for (KeyValue<byte[], byte[]> r : records) {
                if (r.value == null) {
                    t.remove(keys[i++]);
                } else {
                    t.put(keys[i++], r.value);
                }
            }
            takeCommitted(); // restored records are committed: the changelog holds them
        }
    }

    /** Bulk-loads the pending run, if any (any thread). */
    private void loadPending() {
        if (pending != null) {
            synchronized (restoreLock) {
                loadPendingLocked();
            }
        }
    }

    private void loadPendingLocked() {
        AscendingRun run = pending;
        if (run == null) {
            return;
        }
        // the tree is empty while a run is pending: it is replaced, not closed (a reader may still hold it, empty)
        tree = LongObjectTree.builder().segmentSize(segmentSize).buildFromSorted(run.keys, run.values, 0, run.size);
        bulkLoads++;
        takeCommitted(); // restored records are committed: the changelog holds them
        pending = null; // after the tree: a thread that reads pending == null then reads the loaded tree
    }

    /**
     * Kafka's commit point (KIP-1035 form; Kafka 4.4's {@code ProcessorStateManager} calls it on
     * every task commit, after the caching layer has flushed into this store): loads a pending
     * restored run, then takes the snapshot that READ_COMMITTED reads see until the next commit
     * and releases the previous one. The offsets are not stored ({@link #managesOffsets()} is false).
     */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        if (open) {
            loadPending();
            takeCommitted();
        }
    }

    /** The pre-KIP-1035 commit point (deprecated in 4.4; Kafka calls {@link #commit(Map)}): the same. */
    @Override
    @Deprecated
    public void flush() {
        commit(Map.of());
    }

    // ---- reads (any thread) ----------------------------------------------------------------

    @Override
    public byte[] get(Bytes key) {
        return get(key, false);
    }

    private byte[] get(Bytes key, boolean readCommitted) {
        long k = KeyCodec.treeKey(key);
        return read(readCommitted, r -> r.get(k));
    }

    /** Keys in {@code [from, to]} ascending; either bound may be null (unbounded) and may have any length. Empty if from &gt; to. */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(TreeRange.of(from, true, to, true), false, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(TreeRange.of(from, true, to, true), true, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(TreeRange.ALL, false, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(TreeRange.ALL, true, false);
    }

    /** The keys that start with the serialized prefix, ascending. */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        return prefixScan(prefix, prefixKeySerializer, false);
    }

    private <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer, boolean readCommitted) {
        Objects.requireNonNull(prefix, "prefix cannot be null");
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        return iterator(KeyCodec.prefix(prefixKeySerializer.serialize(null, prefix)), false, readCommitted);
    }

    private KeyValueIterator<Bytes, byte[]> iterator(TreeRange range, boolean descending, boolean readCommitted) {
        TreeIterator it;
        if (readCommitted) {
            CommittedSnapshot c = acquireCommitted();
            try {
                it = new TreeIterator(this, c.reads, range, descending, c::release);
            } catch (RuntimeException e) {
                c.release();
                throw e instanceof IllegalStateException ise ? closedUnder(ise) : e;
            }
        } else {
            LongObjectTree<byte[]> t = openTree();
            try {
                it = new TreeIterator(this, t, range, descending, null);
            } catch (IllegalStateException e) {
                throw closedUnder(e);
            }
        }
        openIterators.add(it);
        if (!open) { // closed between openTree and add: close() may have missed it
            it.invalidate();
        }
        return it;
    }

    /** The number of entries (exact when no write is in progress; exact for the commit point when read committed). */
    @Override
    public long approximateNumEntries() {
        return approximateNumEntries(false);
    }

    private long approximateNumEntries(boolean readCommitted) {
        return read(readCommitted, LongObjectReads::size);
    }

    /** Entries in the range, in O(log n). */
    long count(TreeRange r, boolean readCommitted) {
        return r.isEmpty() ? read(readCommitted, x -> 0L) : read(readCommitted, x -> x.countRange(r.lo(), true, r.hi(), true));
    }

    /** Entries whose key sorts strictly before {@code key} in Kafka's order. */
    long rank(Bytes key, boolean readCommitted) {
        long[] x = new long[1];
        boolean below = KeyCodec.lower(key.get(), true, x);
        return read(readCommitted, t -> below ? t.rank(x[0]) : t.size());
    }

    /** The entry at {@code index} in Kafka's order, or null. */
    KeyValue<Bytes, byte[]> select(long index, boolean readCommitted) {
        LongObjectEntry<byte[]> e = read(readCommitted, t -> t.select(index));
        return e == null ? null : KeyValue.pair(KeyCodec.storeKey(e.key()), e.value());
    }

    /** The ids of the entries in the range. */
    RoaringBitmap ids(TreeRange r, IdBitmapQuery.IdOf idOf, boolean readCommitted) {
        return read(readCommitted, t -> {
            RoaringBitmap bitmap = new RoaringBitmap();
            if (!r.isEmpty()) {
                t.forEachInRange(r.lo(), true, r.hi(), true, (long k, byte[] v) -> bitmap.add(idOf.id(KeyCodec.kafkaLong(k), v)));
            }
            return bitmap;
        });
    }

    /** The READ_COMMITTED view: every read answers from the last commit point's snapshot. */
    private final class CommittedView implements ReadOnlyKeyValueStore<Bytes, byte[]> {
        @Override
        public byte[] get(Bytes key) {
            return CobTreeKeyValueStore.this.get(key, true);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
            return iterator(TreeRange.of(from, true, to, true), false, true);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
            return iterator(TreeRange.of(from, true, to, true), true, true);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> all() {
            return iterator(TreeRange.ALL, false, true);
        }

        @Override
        public KeyValueIterator<Bytes, byte[]> reverseAll() {
            return iterator(TreeRange.ALL, true, true);
        }

        @Override
        public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
            return CobTreeKeyValueStore.this.prefixScan(prefix, prefixKeySerializer, true);
        }

        @Override
        public long approximateNumEntries() {
            return CobTreeKeyValueStore.this.approximateNumEntries(true);
        }

        @Override
        public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
            return CobTreeKeyValueStore.this.readOnly(isolationLevel);
        }
    }

    // ---- IQv2 ----------------------------------------------------------------------------------

    /**
     * Answers {@code KeyQuery<Bytes, byte[]>}, {@code RangeQuery<Bytes, byte[]>} (the metered
     * store above translates the application's typed ones), {@link RangeCountQuery},
     * {@link RankQuery}, {@link SelectQuery} and {@link IdBitmapQuery}; anything else is an
     * unknown query type. A {@code QueryConfig} asking for {@code READ_COMMITTED} (IQv2's
     * {@code StateQueryRequest.withIsolationLevel}) is answered from the last commit point's
     * snapshot, any other from the live tree. A position bound this store has not reached fails with
     * {@code NOT_UP_TO_BOUND}; a bad key or a closed store with {@code STORE_EXCEPTION}.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        long start = System.nanoTime();
        if (!isPermitted(positionBound)) {
            return QueryResult.notUpToBound(position, positionBound, partition);
        }
        boolean rc = config != null && config.getIsolationLevel() == IsolationLevel.READ_COMMITTED;
        QueryResult<R> result;
        try {
            Object answer;
            if (query instanceof KeyQuery<?, ?> q) {
                answer = get((Bytes) q.getKey(), rc);
            } else if (query instanceof RangeQuery<?, ?> q) {
                TreeRange r = TreeRange.of((Bytes) q.getLowerBound().orElse(null), true, (Bytes) q.getUpperBound().orElse(null), true);
                answer = iterator(r, q.resultOrder() == ResultOrder.DESCENDING, rc);
            } else if (query instanceof RangeCountQuery q) {
                answer = count(q.range().treeRange(), rc);
            } else if (query instanceof RankQuery q) {
                answer = rank(q.key(), rc);
            } else if (query instanceof SelectQuery q) {
                answer = select(q.index(), rc);
            } else if (query instanceof IdBitmapQuery q) {
                answer = ids(q.range().treeRange(), q.idOf(), rc);
            } else {
                return QueryResult.forUnknownQueryType(query, this);
            }
            result = QueryResult.forResult((R) answer);
        } catch (RuntimeException e) {
            result = QueryResult.forFailure(FailureReason.STORE_EXCEPTION,
                    query.getClass().getSimpleName() + " failed on store " + name + ": " + e);
        }
        if (config != null && config.isCollectExecutionInfo()) {
            result.addExecutionInfo("Handled in " + getClass() + " in " + (System.nanoTime() - start) + "ns");
        }
        result.setPosition(position.copy());
        return result;
    }

    /** Whether this store's position has reached the bound for its own partition. */
    private boolean isPermitted(PositionBound bound) {
        if (bound == null || bound.isUnbounded()) {
            return true;
        }
        Position wanted = bound.position();
        for (String topic : wanted.getTopics()) {
            Map<Integer, Long> want = wanted.getPartitionPositions(topic);
            Long needed = want.get(partition);
            if (needed == null) {
                continue;
            }
            Long have = position.getTopics().contains(topic) ? position.getPartitionPositions(topic).get(partition) : null;
            if (have == null || have < needed) {
                return false;
            }
        }
        return true;
    }
}
