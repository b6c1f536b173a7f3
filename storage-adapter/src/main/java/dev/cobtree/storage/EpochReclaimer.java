package dev.cobtree.storage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Epoch-based reclamation of retired {@link CellStore}s: a store that the index no longer
 * publishes is released only once no reader that might still hold it is left.
 *
 * <h2>Protocol</h2>
 * <ul>
 *   <li>One global epoch {@code E}, a 64-bit counter that only grows, alone on its cache lines.</li>
 *   <li>Every reader thread owns a slot, alone on its own 128 bytes (two cache lines, so the
 *       adjacent-line prefetcher does not couple neighbours; {@code @Contended} is not available
 *       to us, so the padding is by hand: slot {@code i} of a chunk is word {@code 16 * (i + 1)}
 *       of a {@code long[]}). The slot holds 0 when the thread is outside the index, else the
 *       epoch it read when it entered.</li>
 *   <li>{@link #pin()}: {@code e = E}; {@code slot = e}; full fence; then the reader loads the
 *       index root (a volatile load in the index) and reads the store it finds.
 *       {@link #unpin(long)}: release store {@code slot = 0}. Pins nest: only the outermost pin
 *       publishes and only the outermost unpin clears.</li>
 *   <li>{@link #retire(CellStore)}: called after the index has published the new root.
 *       {@code r = E++} (one atomic read-and-increment), the store goes to the garbage list tagged
 *       {@code r}.</li>
 *   <li>Reclaim: {@code x = E++}; full fence; {@code m} = the minimum epoch over all non-zero
 *       slots (infinity if none); release every garbage store whose tag {@code r <= x} (retired
 *       before the increment, so before the scan) and {@code r < m}.</li>
 * </ul>
 *
 * <h2>Why a pinned reader never sees its store released</h2>
 * Take a reader that reads a store {@code S}, retired with tag {@code r}. It found {@code S} by
 * loading the root after its pin, so that load happened before the index published the root
 * that replaced {@code S}, which happened before {@code retire} read {@code r}. Two cases:
 * <ol>
 *   <li>The reclaimer's scan sees the reader's slot holding {@code e}. The reader read {@code e}
 *       from {@code E} before it loaded the root, so before the increment that produced {@code r}:
 *       {@code e <= r}, and {@code m <= e <= r} keeps {@code S}. (If {@code e} came from a later
 *       increment, that increment follows the root publication, and the reader's root load,
 *       ordered after its acquire load of {@code E}, would have seen the new root, not {@code S}.)</li>
 *   <li>The scan does not see the slot (it reads 0 or a value from before the pin). This is
 *       Dekker's pattern: the reader does {@code store slot; fullFence; load root} and the
 *       reclaimer does {@code store root (by the index); ...; fullFence; load slot}. With
 *       sequentially consistent fences at least one of the two loads sees the other side's
 *       store, so the reader's root load saw the new root and it never reads {@code S}.</li>
 * </ol>
 * The reader's last access to {@code S} precedes its release store of 0, which the scan reads
 * with a volatile load, so all of its reads happen-before the release. A slot array that grows
 * while the scan runs obeys the same Dekker argument (a new reader publishes its slot before
 * its fence). The store-load fence in {@code pin()} is what the protocol cannot do without:
 * neither a release store nor an acquire load keeps the slot store from being ordered after
 * the root load (StoreLoad reordering on x86's store buffer), which would let case 2 fail.
 *
 * <h2>Costs and limits</h2>
 * {@code pin} is a thread-local lookup, an acquire load, a store and one fence ({@code lock
 * addl} on x86); {@code unpin} a release store. Neither allocates after the thread's first pin.
 * Slots are never moved: chunks of 64 are added as threads arrive, and the slot of a terminated
 * thread is reused (its pin, if it died pinned, is dropped: a dead thread reads nothing). A
 * reader that stays pinned holds back every store retired after it pinned: memory, never safety.
 * Reclamation runs when the garbage passes a byte or count threshold, on {@link #reclaimNow()},
 * and again from a background daemon thread (with backoff) while an attempt left garbage
 * behind; {@link #close()} releases everything.
 *
 * <p>Pin and unpin on the same thread: {@code unpin} checks it and throws
 * {@link IllegalStateException} otherwise.
 */
public final class EpochReclaimer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EpochReclaimer.class);

    /** Longs per slot: 128 bytes. */
    static final int STRIDE = 16;
    static final int SLOTS_PER_CHUNK = 64;
    /** More pinning threads alive at once than this is refused (a clear failure, not a silent one). */
    public static final int MAX_SLOTS = 1 << 22;

    public static final long DEFAULT_BYTE_THRESHOLD = 8L << 20;
    public static final int DEFAULT_COUNT_THRESHOLD = 16;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle SLOT_REFS = MethodHandles.arrayElementVarHandle(Slot[].class);

    /** The global epoch lives in word 15 of 31: 120 bytes of padding on each side. */
    private static final int EPOCH = 15;
    private final long[] epochLine = new long[31];

    /** Slots by id; grows by doubling (the slots themselves never move). Guarded by {@code this} for writes. */
    private volatile Slot[] slots = new Slot[SLOTS_PER_CHUNK];
    private int slotCount;
    private long[] chunk;

    private final ThreadLocal<Slot> local = ThreadLocal.withInitial(this::register);

    private final Consumer<? super CellStore> release;
    private final long byteThreshold;
    private final int countThreshold;
    private final boolean background;

    /** Garbage, guarded by itself. */
    private final List<Retired> garbage = new ArrayList<>();
    private long retiredCount;
    private long freedCount;
    private long bytesOutstanding;
    private boolean closed;
    private final AtomicBoolean retryScheduled = new AtomicBoolean();
    private final ReentrantLock reclaiming = new ReentrantLock();
    /** Test seam: runs inside a reclamation between the slot scan and the garbage sweep. */
    volatile Runnable afterScan;
    private long retryDelayMicros;

    private record Retired(CellStore store, long epoch, long bytes) {
    }

    /** A reader's slot: its word is {@code chunk[offset]}. Fields other than depth change only under the reclaimer's lock. */
    private static final class Slot {
        final int id;
        final long[] chunk;
        final int offset;
        long ownerId;
        WeakReference<Thread> owner;
        int depth; // owner thread only

        Slot(int id, long[] chunk, int offset, Thread owner) {
            this.id = id;
            this.chunk = chunk;
            this.offset = offset;
            assign(owner);
        }

        void assign(Thread t) {
            this.ownerId = t.threadId();
            this.owner = new WeakReference<>(t);
            this.depth = 0;
        }

        boolean ownerDead() {
            Thread t = owner.get();
            return t == null || !t.isAlive();
        }
    }

    /** A reclaimer with the default thresholds and background retries; {@code release} frees one store. */
    public EpochReclaimer(Consumer<? super CellStore> release) {
        this(release, DEFAULT_BYTE_THRESHOLD, DEFAULT_COUNT_THRESHOLD, true);
    }

    /**
     * @param release        frees one store (called once per retired store, never under a pin that might read it)
     * @param byteThreshold  retire() attempts reclamation once this many retired bytes are outstanding
     * @param countThreshold ... or this many retired stores
     * @param background     retry from a daemon thread while an attempt left garbage behind
     */
    public EpochReclaimer(Consumer<? super CellStore> release, long byteThreshold, int countThreshold, boolean background) {
        this.release = Objects.requireNonNull(release, "release");
        if (byteThreshold < 0) {
            throw new IllegalArgumentException("byteThreshold " + byteThreshold + " must not be negative");
        }
        if (countThreshold < 1) {
            throw new IllegalArgumentException("countThreshold " + countThreshold + " must be positive");
        }
        this.byteThreshold = byteThreshold;
        this.countThreshold = countThreshold;
        this.background = background;
        epochLine[EPOCH] = 1; // 0 in a slot means "not pinned"
    }

    // ---- readers ----------------------------------------------------------------------------

    /** Enters a read: until the matching {@link #unpin}, no store retired from now on is released. No allocation after the thread's first call. */
    public long pin() {
        Slot s = local.get();
        if (s.depth++ == 0) {
            // acquire: if we read an epoch produced by a retire's increment, our root load below sees that retire's new root.
            long e = (long) LONGS.getAcquire(epochLine, EPOCH);
            // opaque: an untorn store of our epoch; the fence below orders it.
            LONGS.setOpaque(s.chunk, s.offset, e);
            // StoreLoad: the slot store is globally visible before the caller's load of the root (Dekker half, see class doc).
            VarHandle.fullFence();
        }
        return s.id;
    }

    /** Leaves the read entered by the {@link #pin()} that returned {@code ticket}, on the same thread. */
    public void unpin(long ticket) {
        Slot[] all = slots;
        if (ticket < 0 || ticket >= all.length) {
            throw new IllegalArgumentException("ticket " + ticket + " was not returned by pin()");
        }
        Slot s = (Slot) SLOT_REFS.getAcquire(all, (int) ticket);
        if (s == null) {
            throw new IllegalArgumentException("ticket " + ticket + " was not returned by pin()");
        }
        if (s.ownerId != Thread.currentThread().threadId()) {
            throw new IllegalStateException("unpin(" + ticket + ") on thread " + Thread.currentThread().threadId()
                    + ", but the pin belongs to thread " + s.ownerId + ": pin and unpin on the same thread");
        }
        if (s.depth <= 0) {
            throw new IllegalStateException("unpin(" + ticket + ") without a matching pin()");
        }
        if (--s.depth == 0) {
            // release: every read of the store by this thread happens-before a reclaimer that reads this 0.
            LONGS.setRelease(s.chunk, s.offset, 0L);
        }
    }

    /** A new slot for the calling thread (its first pin): reuses the slot of a terminated thread if one is free. */
    private synchronized Slot register() {
        Thread me = Thread.currentThread();
        Slot[] all = slots;
        for (int i = 0; i < slotCount; i++) {
            Slot s = all[i];
            if (s.ownerDead() && (long) LONGS.getVolatile(s.chunk, s.offset) == 0L) {
                s.assign(me); // the old owner is dead and unpinned: nobody else touches this slot
                return s;
            }
        }
        int id = slotCount;
        if (id >= MAX_SLOTS) {
            throw new IllegalStateException("more than " + MAX_SLOTS + " live threads read this index; cobtree supports at most that many");
        }
        int inChunk = id % SLOTS_PER_CHUNK;
        if (inChunk == 0) {
            chunk = new long[(SLOTS_PER_CHUNK + 1) * STRIDE]; // slot i at word 16 * (i + 1): word 0..15 pad the array header
        }
        Slot s = new Slot(id, chunk, STRIDE * (inChunk + 1), me);
        if (id == all.length) {
            Slot[] grown = Arrays.copyOf(all, all.length * 2);
            grown[id] = s;
            slots = grown; // volatile: publishes the grown array with the new slot in it
        } else {
            SLOT_REFS.setRelease(all, id, s); // release: a scan that sees the slot sees its fields
        }
        slotCount = id + 1;
        return s;
    }

    // ---- the reclaiming side ----------------------------------------------------------------

    /**
     * {@code store} is no longer published by the index (the new root is already stored): release
     * it once every reader that might hold it has unpinned. After {@link #close()} it is released at once.
     */
    public void retire(CellStore store) {
        Objects.requireNonNull(store, "store");
        long bytes = store.memoryBytes();
        boolean attempt;
        synchronized (garbage) {
            if (!closed) {
                // volatile read-and-increment: tags the store with the epoch before the increment and makes later pins publish a newer one.
                long r = (long) LONGS.getAndAdd(epochLine, EPOCH, 1L);
                garbage.add(new Retired(store, r, bytes));
                retiredCount++;
                bytesOutstanding += bytes;
                attempt = garbage.size() >= countThreshold || bytesOutstanding >= byteThreshold;
            } else {
                retiredCount++;
                bytesOutstanding += bytes;
                garbage.add(new Retired(store, Long.MIN_VALUE, bytes));
                attempt = true;
            }
        }
        if (attempt) {
            reclaim();
        }
    }

    /** Releases every retired store no pinned reader may still hold; returns how many it released. */
    public int reclaimNow() {
        return reclaim();
    }

    /**
     * One reclamation at a time (retire, reclaimNow, the background retry and close may race), so
     * that when {@code reclaimNow()} returns, every release it could do is done and counted.
     */
    private int reclaim() {
        int freed;
        boolean left;
        reclaiming.lock();
        try {
            // volatile increment: readers that pin from now on publish an epoch above x, and so above
            // the tag of every store retired before this point (tags <= x).
            long x = (long) LONGS.getAndAdd(epochLine, EPOCH, 1L);
            // StoreLoad: those stores' replacement roots were published before their retire, hence
            // before the increment; the fence orders both before the slot loads (Dekker half).
            VarHandle.fullFence();
            long min = minPinnedEpoch(null);
            Runnable hook = afterScan;
            if (hook != null) {
                hook.run();
            }
            List<Retired> free = new ArrayList<>();
            synchronized (garbage) {
                boolean all = closed;
                garbage.removeIf(r -> {
                    // r.epoch > x: retired after our increment, so after our scan may have started;
                    // the scan proves nothing about it (its reader may have pinned after the scan
                    // looked at its slot): it waits for the next round.
                    if (all || (r.epoch <= x && r.epoch < min)) {
                        free.add(r);
                        return true;
                    }
                    return false;
                });
                left = !garbage.isEmpty();
                if (!left) {
                    retryDelayMicros = 0;
                }
            }
            freed = free.size();
            releaseAll(free);
        } finally {
            reclaiming.unlock();
        }
        if (left) {
            scheduleRetry();
        }
        return freed;
    }

    /**
     * Waits until every reader pinned before this call has unpinned (readers that pin later are
     * not waited for: they found whatever the caller published before calling). The index calls
     * it through its factory on close, after publishing its closed root, so that the live store
     * is released under no reader. Spins, then yields, then sleeps; gives up after
     * {@code timeoutNanos}.
     *
     * @return whether all such readers left in time
     */
    public boolean awaitReaders(long timeoutNanos) {
        // volatile read-and-increment: readers pinning from now on publish a later epoch than e.
        long e = (long) LONGS.getAndAdd(epochLine, EPOCH, 1L);
        // StoreLoad: the caller's root publication precedes the slot loads (Dekker half, see class doc).
        VarHandle.fullFence();
        long deadline = System.nanoTime() + timeoutNanos;
        Slot mine = local.get(); // the caller's own pin (closing from inside a read) is not waited for
        for (int spins = 0; minPinnedEpoch(mine) <= e; spins++) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            if (spins < 100) {
                Thread.onSpinWait();
            } else if (spins < 200) {
                Thread.yield();
            } else {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** The smallest epoch published by a pinned reader other than {@code except}, or {@code Long.MAX_VALUE} if none is pinned. */
    private synchronized long minPinnedEpoch(Slot except) {
        Slot[] all = slots;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < all.length; i++) {
            // acquire: see the slot's fields as registered; a slot published after our fence belongs to a reader that sees the new root.
            Slot s = (Slot) SLOT_REFS.getAcquire(all, i);
            if (s == null || s == except) {
                continue;
            }
            // volatile: ordered after the fence above; reading 0 synchronizes with the reader's release in unpin.
            long e = (long) LONGS.getVolatile(s.chunk, s.offset);
            if (e != 0 && s.ownerDead()) {
                // the thread terminated while pinned (a pin without unpin): it reads nothing any more.
                LOG.warn("a thread ended while pinned to the index (missing unpin); its pin is dropped");
                LONGS.setVolatile(s.chunk, s.offset, 0L);
                continue;
            }
            if (e != 0 && e < min) {
                min = e;
            }
        }
        return min;
    }

    private void releaseAll(List<Retired> free) {
        RuntimeException failure = null;
        long bytes = 0;
        for (Retired r : free) {
            try {
                release.accept(r.store);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
            bytes += r.bytes;
        }
        if (!free.isEmpty()) {
            synchronized (garbage) {
                freedCount += free.size();
                bytesOutstanding -= bytes;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** While garbage is left, try again later from a daemon thread: 1 ms, doubling up to 100 ms. */
    private void scheduleRetry() {
        if (!background || !retryScheduled.compareAndSet(false, true)) {
            return;
        }
        long delay;
        synchronized (garbage) {
            if (closed) {
                retryScheduled.set(false);
                return;
            }
            retryDelayMicros = retryDelayMicros == 0 ? 1000 : Math.min(100_000, retryDelayMicros * 2);
            delay = retryDelayMicros;
        }
        Retrier.EXECUTOR.schedule(() -> {
            retryScheduled.set(false);
            try {
                reclaim();
            } catch (RuntimeException e) {
                LOG.warn("releasing a retired cobtree store failed", e);
            }
        }, delay, TimeUnit.MICROSECONDS);
    }

    /** One daemon thread for every reclaimer of the JVM, started on first need and ended when idle. */
    private static final class Retrier {
        static final ScheduledThreadPoolExecutor EXECUTOR;

        static {
            EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "cobtree-reclaimer");
                t.setDaemon(true);
                return t;
            });
            EXECUTOR.setKeepAliveTime(5, TimeUnit.SECONDS);
            EXECUTOR.allowCoreThreadTimeOut(true);
            EXECUTOR.setRemoveOnCancelPolicy(true);
        }
    }

    /**
     * Releases every retired store, pinned or not, and releases later retirements at once. Call
     * it when no reader can enter any more (the index is closed). Idempotent.
     */
    @Override
    public void close() {
        synchronized (garbage) {
            closed = true;
        }
        reclaim();
    }

    // ---- observation (tests, metrics) -------------------------------------------------------

    /** Stores retired so far. */
    public long retiredCount() {
        synchronized (garbage) {
            return retiredCount;
        }
    }

    /** Stores released so far. */
    public long freedCount() {
        synchronized (garbage) {
            return freedCount;
        }
    }

    /** Bytes of retired stores not yet released. */
    public long bytesOutstanding() {
        synchronized (garbage) {
            return bytesOutstanding;
        }
    }

    /** The current global epoch. */
    public long epoch() {
        return (long) LONGS.getVolatile(epochLine, EPOCH);
    }

    /** Slots registered so far (threads that have pinned, minus reuse). */
    public synchronized int slotCount() {
        return slotCount;
    }

    /** Threads pinned right now (a racy snapshot). */
    public int pinnedCount() {
        Slot[] all = slots;
        int n = 0;
        for (int i = 0; i < all.length; i++) {
            Slot s = (Slot) SLOT_REFS.getAcquire(all, i);
            if (s != null && (long) LONGS.getVolatile(s.chunk, s.offset) != 0L) {
                n++;
            }
        }
        return n;
    }

    public boolean isClosed() {
        synchronized (garbage) {
            return closed;
        }
    }
}
