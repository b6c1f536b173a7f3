package dev.cobtree.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Recent {@code key range -> row-id bitmap} answers of one {@link SecondaryIndex}, in a
 * Caffeine cache bounded by the bytes of its bitmaps; a write through the index removes exactly
 * the cached ranges that contain the written key, and an answer is never stale.
 *
 * <h2>Finding the ranges a write touches</h2>
 * Beside Caffeine's map, an interval index ({@link CachedRanges}, guarded by a lock, the
 * {@code gate}) holds the cached ranges, so a write finds the ranges containing its key in
 * O((1 + found) · log n) instead of testing every entry. Invariant <b>index-covers-cache</b>: at
 * every moment the gate is free, every range in Caffeine's map is in the index. Only this class
 * adds to the map, always under the gate and together with the index; Caffeine may drop entries
 * at any time (eviction), which keeps the invariant, and reports each eviction to a lock-free
 * queue; under the gate, an evicted range is taken out of the index only if it is not in the map
 * (then no one can add it back before the gate is released).
 *
 * <h2>Why an answer is never stale</h2>
 * The danger is the race between a reader that computes a bitmap for range R and a writer that
 * changes a key k in R: the reader's scan may miss the write, and if the writer's invalidation
 * runs before the reader puts its bitmap in the cache, the stale bitmap would stay there.
 * So a miss is computed as an <em>in-flight computation</em> registered under the gate:
 * <ol>
 *   <li>reader: under {@code gate}, add a record {R, poisoned=false} to the in-flight set;</li>
 *   <li>reader: scan the index (no lock) into a bitmap B;</li>
 *   <li>reader: under {@code gate}, remove the record; put B in the cache (and R in the interval
 *       index) only if not poisoned and the cache is not closed.</li>
 * </ol>
 * A writer of key k first changes the index (a tree put/remove that has completed), then, under
 * {@code gate}: poisons every in-flight record whose range contains k, and removes every range
 * of the interval index containing k from the index and from the map (by index-covers-cache,
 * that is every cached range containing k). Then insert/delete returns.
 *
 * <p>Claim: while no write of a key in R is between its index change and its invalidation, a
 * cached entry (R, B) equals the index's pairs in R. Take any write W of k in R and any entry
 * (R, B) computed by a reader; the two gate sections of the reader (register g1, publish g2)
 * and W's gate section gW are totally ordered by the lock:
 * <ul>
 *   <li>gW before g1: W's index change completed before gW, so it happens-before the reader's
 *       scan (lock release/acquire); the scan starts after the change and reflects it (a scan
 *       reports pairs present for its whole duration and omits those absent for it; a later
 *       write of k is another W, covered by these same cases).</li>
 *   <li>g1 before gW before g2: W finds the record in the in-flight set and poisons it; g2
 *       sees the flag (both under the lock) and does not cache B.</li>
 *   <li>g2 before gW: B was put in the map and R in the interval index at g2; if B is still in
 *       the map at gW, so is R in the index (index-covers-cache), and gW removes both.</li>
 * </ul>
 * In every case no B that may miss W's change is left cached once W returns, and cache hits
 * need no lock: they read Caffeine's map, where an entry removed before the hit began is gone.
 * A caller that issues a query after its own write returned (or after seeing that write
 * through any happens-before edge) therefore always sees the write. A query that overlaps a
 * write may see it or not; its result is still returned, only not cached if poisoned.
 *
 * <h2>Close</h2>
 * A closed cache no longer hears writes, so it refuses: {@link #rowIds} throws
 * {@link IllegalStateException}, as over a closed index. {@code close()} sets the flag, poisons
 * every in-flight computation and empties the map under the gate; a reader's publication (g2)
 * after it sees the flag and caches nothing, one before it is emptied by it.
 *
 * <p><b>Cost.</b> Hits take no lock and copy the cached bitmap (callers own what they get). A
 * miss takes the gate twice, briefly: O(log n) to index its range. A write that changes the index
 * takes the gate once: O((1 + touched) · log n) in the interval index, plus one test per in-flight
 * computation (at most one per thread missing right now) and the evictions reported since the
 * last gate section (each once). Writes that change nothing (a repeated insert) do not invalidate.
 */
public final class FilterCache implements AutoCloseable {

    /** Bytes counted per entry on top of its bitmap (entry, key object, bookkeeping). */
    static final int ENTRY_OVERHEAD = 96;

    private final SecondaryIndex index;
    private final Cache<Range, RoaringBitmap> cache;
    private final Function<Range, RoaringBitmap> compute; // index::rowIds; tests slow it down to widen races
    private final WriteListener listener = this::invalidate;
    private final Object gate = new Object();
    private final ArrayList<Computation> inFlight = new ArrayList<>(); // guarded by gate
    private final CachedRanges ranges = new CachedRanges();            // guarded by gate; covers the map's keys
    private final ConcurrentLinkedQueue<Range> evicted = new ConcurrentLinkedQueue<>(); // Caffeine's evictions, not yet out of the index
    private final LongAdder puts = new LongAdder(); // answers added to the cache (Caffeine counts loads, not puts)
    private volatile boolean closed; // written under gate; read without it by hits (refuse early), with it by publications

    /** A reader's registered computation; {@code poisoned} is read and written only under the gate. */
    private static final class Computation {
        final Range range;
        boolean poisoned;

        Computation(Range range) {
            this.range = range;
        }
    }

    /**
     * A cache over {@code index} holding bitmaps of at most about {@code maxBytes} bytes in all.
     * @throws IllegalArgumentException if {@code maxBytes < 0}
     */
    public FilterCache(SecondaryIndex index, long maxBytes) {
        this(index, maxBytes, index == null ? null : index::rowIds);
    }

    /** A cache that computes misses with {@code compute} (tests: a computation held open). */
    FilterCache(SecondaryIndex index, long maxBytes, Function<Range, RoaringBitmap> compute) {
        this.index = Objects.requireNonNull(index, "index");
        this.compute = compute;
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes " + maxBytes + " must not be negative");
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Range r, RoaringBitmap b) -> (int) Math.min(Integer.MAX_VALUE, (long) b.getSizeInBytes() + ENTRY_OVERHEAD))
                .executor(Runnable::run) // eviction work on the calling thread: no background pool
                .evictionListener((Range r, RoaringBitmap b, RemovalCause cause) -> evicted.add(r)) // no lock here: Caffeine holds its own
                .recordStats()
                .build();
        index.addInvalidator(listener);
    }

    /** Row ids of {@code key} (see {@link #rowIds(Range)}). */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /**
     * Row ids of every key in {@code keys}, from the cache or computed by the index and cached.
     * Returns a bitmap the caller owns.
     * @throws IllegalStateException if this cache or its index is closed
     */
    public RoaringBitmap rowIds(Range keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen();
        if (keys.isEmpty()) return index.rowIds(keys);
        RoaringBitmap cached = cache.getIfPresent(keys);
        if (cached != null) return cached.clone();
        Computation c = new Computation(keys);
        synchronized (gate) {
            checkOpen();
            inFlight.add(c);
        }
        RoaringBitmap fresh;
        try {
            fresh = compute.apply(keys);
        } catch (RuntimeException | Error e) {
            synchronized (gate) {
                inFlight.remove(c);
            }
            throw e;
        }
        fresh.runOptimize();
        boolean shared;
        synchronized (gate) {
            inFlight.remove(c);
            shared = !c.poisoned && !closed;
            if (shared) {
                dropEvicted();
                ranges.add(keys);       // index first: the map never holds a range the index lacks
                cache.put(keys, fresh); // may evict (even this entry): reported to `evicted`
                puts.increment();
            }
        }
        // Cached bitmaps are never modified again (only cloned), so the caller gets its own copy.
        return shared ? fresh.clone() : fresh;
    }

    /** Called by the index after a write of {@code key} changed it, before user listeners. */
    private void invalidate(long key) {
        synchronized (gate) {
            for (int i = 0, n = inFlight.size(); i < n; i++) {
                Computation c = inFlight.get(i);
                if (c.range.contains(key)) c.poisoned = true;
            }
            dropEvicted();
            ranges.removeContaining(key, cache::invalidate);
        }
    }

    /** Under the gate: takes the ranges Caffeine evicted out of the interval index, unless cached again. */
    private void dropEvicted() {
        for (Range r; (r = evicted.poll()) != null; ) {
            if (!cache.asMap().containsKey(r)) ranges.remove(r); // only we add to the map, under the gate
        }
    }

    /** Drops every cached answer (in-flight computations will not cache theirs). */
    public void invalidateAll() {
        synchronized (gate) {
            for (Computation c : inFlight) c.poisoned = true;
            cache.invalidateAll();
            ranges.clear();
            evicted.clear();
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("FilterCache is closed");
        index.checkOpen();
    }

    /** Whether an answer for {@code keys} is cached now (does not count as a hit or a miss). */
    public boolean isCached(Range keys) {
        return cache.asMap().containsKey(keys);
    }

    /** Number of cached ranges (approximate while others use the cache). */
    public long cachedRanges() {
        return cache.estimatedSize();
    }

    /** Bytes the cached bitmaps weigh in all, as counted against the bound. */
    public long weightedBytes() {
        cache.cleanUp();
        return cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
    }

    /** Hits, misses and evictions so far: a snapshot in cobtree's own {@link FilterCacheStats}. */
    public FilterCacheStats stats() {
        var s = cache.stats(); // Caffeine's type stays inside this class
        return new FilterCacheStats(s.hitCount(), s.missCount(), puts.sum(), s.evictionCount(), s.evictionWeight());
    }

    /** Ranges in the interval index (the cached ones and evictions not yet dropped); tests check it stays bounded. */
    int indexedRanges() {
        synchronized (gate) {
            dropEvicted();
            return ranges.size();
        }
    }

    /**
     * Drops every cached answer and stops listening to the index; afterwards {@link #rowIds}
     * throws {@link IllegalStateException}, and a computation in flight caches nothing. Idempotent.
     */
    @Override
    public void close() {
        synchronized (gate) {
            if (closed) return;
            closed = true;
        }
        invalidateAll();
        index.removeInvalidator(listener);
    }
}
