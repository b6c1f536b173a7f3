package dev.cobtree.query;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import org.roaringbitmap.RoaringBitmap;

import java.util.ArrayList;
import java.util.Objects;

/**
 * Recent {@code key range -> row-id bitmap} answers of one {@link SecondaryIndex}, in a
 * Caffeine cache bounded by the bytes of its bitmaps; a write through the index removes exactly
 * the cached ranges that contain the written key, and an answer is never stale.
 *
 * <h2>Why an answer is never stale</h2>
 * The danger is the race between a reader that computes a bitmap for range R and a writer that
 * changes a key k in R: the reader's scan may miss the write, and if the writer's invalidation
 * runs before the reader puts its bitmap in the cache, the stale bitmap would stay there.
 * So a miss is computed as an <em>in-flight computation</em> registered under a lock, the
 * {@code gate}:
 * <ol>
 *   <li>reader: under {@code gate}, add a record {R, poisoned=false} to the in-flight set;</li>
 *   <li>reader: scan the index (no lock) into a bitmap B;</li>
 *   <li>reader: under {@code gate}, remove the record; put B in the cache only if not poisoned.</li>
 * </ol>
 * A writer of key k first changes the index (a tree put/remove that has completed), then, under
 * {@code gate}: removes every cached range containing k and poisons every in-flight record whose
 * range contains k. Then insert/delete returns.
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
 *   <li>g2 before gW: B is in the cache when gW runs, so gW removes it.</li>
 * </ul>
 * In every case no B that may miss W's change is left cached once W returns, and cache hits
 * need no lock: they read Caffeine's map, where an entry removed before the hit began is gone.
 * A caller that issues a query after its own write returned (or after seeing that write
 * through any happens-before edge) therefore always sees the write. A query that overlaps a
 * write may see it or not; its result is still returned, only not cached if poisoned.
 *
 * <p><b>Cost.</b> Hits take no lock and copy the cached bitmap (callers own what they get). A
 * miss takes the gate twice, briefly. A write that changes the index takes the gate once and
 * tests every cached range and every in-flight computation against the key: O(entries) range
 * checks, a few nanoseconds each, which a cache bounded to thousands of entries keeps to
 * microseconds. Writes that change nothing (a repeated insert) do not invalidate.
 */
public final class FilterCache implements AutoCloseable {

    /** Bytes counted per entry on top of its bitmap (entry, key object, bookkeeping). */
    static final int ENTRY_OVERHEAD = 96;

    private final SecondaryIndex index;
    private final Cache<Range, RoaringBitmap> cache;
    private final WriteListener listener = this::invalidate;
    private final Object gate = new Object();
    private final ArrayList<Computation> inFlight = new ArrayList<>(); // guarded by gate

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
        this.index = Objects.requireNonNull(index, "index");
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes " + maxBytes + " must not be negative");
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Range r, RoaringBitmap b) -> (int) Math.min(Integer.MAX_VALUE, (long) b.getSizeInBytes() + ENTRY_OVERHEAD))
                .executor(Runnable::run) // eviction work on the calling thread: no background pool
                .recordStats()
                .build();
        index.addWriteListener(listener);
    }

    /** Row ids of {@code key} (see {@link #rowIds(Range)}). */
    public RoaringBitmap rowIds(long key) {
        return rowIds(Range.singleton(key));
    }

    /**
     * Row ids of every key in {@code keys}, from the cache or computed by the index and cached.
     * Returns a bitmap the caller owns.
     */
    public RoaringBitmap rowIds(Range keys) {
        Objects.requireNonNull(keys, "keys");
        if (keys.isEmpty()) return index.rowIds(keys);
        RoaringBitmap cached = cache.getIfPresent(keys);
        if (cached != null) return cached.clone();
        Computation c = new Computation(keys);
        synchronized (gate) {
            inFlight.add(c);
        }
        RoaringBitmap fresh;
        try {
            fresh = index.rowIds(keys);
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
            shared = !c.poisoned;
            if (shared) cache.put(keys, fresh);
        }
        // Cached bitmaps are never modified again (only cloned), so the caller gets its own copy.
        return shared ? fresh.clone() : fresh;
    }

    /** Called by the index after a write of {@code key} changed it. */
    private void invalidate(long key) {
        synchronized (gate) {
            for (int i = 0, n = inFlight.size(); i < n; i++) {
                Computation c = inFlight.get(i);
                if (c.range.contains(key)) c.poisoned = true;
            }
            cache.asMap().keySet().removeIf(r -> r.contains(key));
        }
    }

    /** Drops every cached answer (in-flight computations may still cache theirs). */
    public void invalidateAll() {
        synchronized (gate) {
            for (Computation c : inFlight) c.poisoned = true;
            cache.invalidateAll();
        }
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

    /** Hits, misses and evictions so far. */
    public CacheStats stats() {
        return cache.stats();
    }

    /** Stops listening to the index and drops every cached answer. */
    @Override
    public void close() {
        index.removeWriteListener(listener);
        invalidateAll();
    }
}
