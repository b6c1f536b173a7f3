package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectEntry;
import dev.cobtree.core.LongObjectTree;
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
 * <p><b>Not persistent.</b> The tree is on the heap: {@link #persistent()} is false, so Kafka
 * restores the store from its changelog's start after a restart, as for its own in-memory store.
 * It does not manage offsets (KIP-1035) and has no transaction buffer (KIP-892):
 * {@link #readOnly(IsolationLevel)} returns the store itself for either level. docs/KAFKA.md
 * says what a snapshot of the tree would add.
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
        LongObjectTree<byte[]> t = tree;
        if (t != null) {
            t.close(); // drops every value; a reader racing the close fails in checkOpen, or in the tree (closedUnder)
        }
    }

    @Override
    public Position getPosition() {
        return position;
    }

    /** The store itself for either level: no write is ever staged, so every read sees every write (docs/KAFKA.md). */
    @Override
    public ReadOnlyKeyValueStore<Bytes, byte[]> readOnly(IsolationLevel isolationLevel) {
        Objects.requireNonNull(isolationLevel, "isolationLevel");
        return this;
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
        pending = null; // after the tree: a thread that reads pending == null then reads the loaded tree
    }

    /** Kafka's commit (KIP-1035 form): loads a pending restored run; nothing else is staged. */
    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flush();
    }

    /** Loads a pending restored run; nothing else is buffered. */
    @Override
    public void flush() {
        if (open) {
            loadPending();
        }
    }

    // ---- reads (any thread) ----------------------------------------------------------------

    @Override
    public byte[] get(Bytes key) {
        long k = KeyCodec.treeKey(key);
        try {
            return openTree().get(k);
        } catch (IllegalStateException e) {
            throw closedUnder(e);
        }
    }

    /** Keys in {@code [from, to]} ascending; either bound may be null (unbounded) and may have any length. Empty if from &gt; to. */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        return iterator(TreeRange.of(from, true, to, true), false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
        return iterator(TreeRange.of(from, true, to, true), true);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return iterator(TreeRange.ALL, false);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> reverseAll() {
        return iterator(TreeRange.ALL, true);
    }

    /** The keys that start with the serialized prefix, ascending. */
    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(P prefix, PS prefixKeySerializer) {
        Objects.requireNonNull(prefix, "prefix cannot be null");
        Objects.requireNonNull(prefixKeySerializer, "prefixKeySerializer cannot be null");
        return iterator(KeyCodec.prefix(prefixKeySerializer.serialize(null, prefix)), false);
    }

    private KeyValueIterator<Bytes, byte[]> iterator(TreeRange range, boolean descending) {
        LongObjectTree<byte[]> t = openTree();
        TreeIterator it;
        try {
            it = new TreeIterator(this, t, range, descending);
        } catch (IllegalStateException e) {
            throw closedUnder(e);
        }
        openIterators.add(it);
        if (!open) { // closed between openTree and add: close() may have missed it
            it.invalidate();
        }
        return it;
    }

    /** The number of entries (exact when no write is in progress). */
    @Override
    public long approximateNumEntries() {
        try {
            return openTree().size();
        } catch (IllegalStateException e) {
            throw closedUnder(e);
        }
    }

    /** Entries in the range, in O(log n). */
    long count(TreeRange r) {
        LongObjectTree<byte[]> t = openTree();
        return r.isEmpty() ? 0 : t.countRange(r.lo(), true, r.hi(), true);
    }

    /** Entries whose key sorts strictly before {@code key} in Kafka's order. */
    long rank(Bytes key) {
        LongObjectTree<byte[]> t = openTree();
        long[] x = new long[1];
        return KeyCodec.lower(key.get(), true, x) ? t.rank(x[0]) : t.size();
    }

    /** The entry at {@code index} in Kafka's order, or null. */
    KeyValue<Bytes, byte[]> select(long index) {
        LongObjectEntry<byte[]> e = openTree().select(index);
        return e == null ? null : KeyValue.pair(KeyCodec.storeKey(e.key()), e.value());
    }

    /** The ids of the entries in the range. */
    RoaringBitmap ids(TreeRange r, IdBitmapQuery.IdOf idOf) {
        LongObjectTree<byte[]> t = openTree();
        RoaringBitmap bitmap = new RoaringBitmap();
        if (!r.isEmpty()) {
            t.forEachInRange(r.lo(), true, r.hi(), true, (long k, byte[] v) -> bitmap.add(idOf.id(KeyCodec.kafkaLong(k), v)));
        }
        return bitmap;
    }

    // ---- IQv2 ----------------------------------------------------------------------------------

    /**
     * Answers {@code KeyQuery<Bytes, byte[]>}, {@code RangeQuery<Bytes, byte[]>} (the metered
     * store above translates the application's typed ones), {@link RangeCountQuery},
     * {@link RankQuery}, {@link SelectQuery} and {@link IdBitmapQuery}; anything else is an
     * unknown query type. A position bound this store has not reached fails with
     * {@code NOT_UP_TO_BOUND}; a bad key or a closed store with {@code STORE_EXCEPTION}.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        long start = System.nanoTime();
        if (!isPermitted(positionBound)) {
            return QueryResult.notUpToBound(position, positionBound, partition);
        }
        QueryResult<R> result;
        try {
            Object answer;
            if (query instanceof KeyQuery<?, ?> q) {
                answer = get((Bytes) q.getKey());
            } else if (query instanceof RangeQuery<?, ?> q) {
                TreeRange r = TreeRange.of((Bytes) q.getLowerBound().orElse(null), true, (Bytes) q.getUpperBound().orElse(null), true);
                answer = iterator(r, q.resultOrder() == ResultOrder.DESCENDING);
            } else if (query instanceof RangeCountQuery q) {
                answer = count(q.range().treeRange());
            } else if (query instanceof RankQuery q) {
                answer = rank(q.key());
            } else if (query instanceof SelectQuery q) {
                answer = select(q.index());
            } else if (query instanceof IdBitmapQuery q) {
                answer = ids(q.range().treeRange(), q.idOf());
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
