package dev.cobtree.core;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One open snapshot inside the engine: the storage it reads, its generation, and its table of
 * pre-images (segment index to the contents that segment had at the snapshot's instant, for the
 * segments written since). The public views ({@link CobTreeSnapshot}, {@link LongObjectTreeSnapshot})
 * read through {@link SnapshotReader}, which asks {@link #load} for one segment at a time.
 *
 * <h2>Reading a segment at the snapshot's instant T (docs/CONCURRENCY.md, lemma "snapshot read")</h2>
 * <pre>
 *   v1 = seq(s)  (acquire)
 *   p  = table[s] (acquire)        -- present: p is s at T, done
 *   v1 odd: wait, start over
 *   read lo, hi, count, cells; validate v1   -- valid: s at T, done
 * </pre>
 * A writer that changes s after T puts its pre-image into the table before its first store, all
 * under the lock of s. If the reader's {@code v1} came after that writer's unlock, the release/
 * acquire pair makes the table entry visible, so the reader never reads the changed cells as if
 * they were T's; if it came before the lock, the writer's odd word or version bump fails the
 * validation. So a validated live read with no table entry saw s unchanged since T. The storage's
 * state bits (FROZEN, INVALID) are ignored: a snapshot reads its own storage even after a resize
 * replaced it (the storage is held, {@link StorageHolds}, and nothing writes a replaced storage).
 *
 * <h2>The table</h2>
 * Chunks of {@value #CHUNK} slots, allocated on the first pre-image that falls in them (so taking
 * a snapshot allocates only the chunk directory, O(segments / {@value #CHUNK})). Entries are
 * added under this object's monitor, which {@link #close} also takes, so that no pre-image is
 * added to a closed snapshot (its byte count would never come down).
 */
final class SnapshotState {

    static final int CHUNK_SHIFT = 10;
    static final int CHUNK = 1 << CHUNK_SHIFT;

    final Snapshots registry;
    final TreeEngine engine;
    final Storage st;
    final long generation;
    private final AtomicReferenceArray<AtomicReferenceArray<PreImage>> chunks;
    /** Closed (by the user or by the tree's close); volatile: every read checks it. */
    private volatile boolean closed;
    private volatile String closedWhy;
    /** The segments whose pre-image this snapshot holds, in the order added (guarded by this): close visits only these. */
    private int[] added = new int[8];
    /** Pre-images this snapshot holds and their bytes (guarded by this). */
    private int preImages;
    private long preImageBytes;
    /** Entries before each segment (length segments + 1), built on the first count; immutable once published. */
    private volatile long[] prefix;

    SnapshotState(Snapshots registry, TreeEngine engine, Storage st, long generation) {
        this.registry = registry;
        this.engine = engine;
        this.st = st;
        this.generation = generation;
        this.chunks = new AtomicReferenceArray<>((st.segments >>> CHUNK_SHIFT) + 1);
    }

    /** Throws {@link IllegalStateException} if closed. */
    void checkOpen() {
        if (closed) {
            throw new IllegalStateException(closedWhy);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The pre-image of s, or null (acquire loads: see the class comment). */
    PreImage preImage(int s) {
        AtomicReferenceArray<PreImage> c = chunks.get(s >>> CHUNK_SHIFT);
        return c == null ? null : c.get(s & (CHUNK - 1));
    }

    /**
     * A writer holding the lock of s (which has not changed s since this snapshot's instant) adds
     * the pre-image of s. False, and nothing added, if the snapshot is closed or already has one.
     */
    synchronized boolean add(int s, PreImage p) {
        if (closed) {
            return false;
        }
        int ci = s >>> CHUNK_SHIFT;
        AtomicReferenceArray<PreImage> c = chunks.get(ci);
        if (c == null) {
            c = new AtomicReferenceArray<>(CHUNK);
            chunks.set(ci, c); // volatile: the chunk is empty and fully built
        }
        int at = s & (CHUNK - 1);
        if (c.get(at) != null) {
            return false;
        }
        p.holders.incrementAndGet();
        // volatile store, before the writer's first store to s (program order) and its release unlock
        c.set(at, p);
        if (preImages == added.length) {
            added = java.util.Arrays.copyOf(added, 2 * preImages);
        }
        added[preImages++] = s;
        preImageBytes += p.bytes();
        return true;
    }

    synchronized long preImageBytes() {
        return preImageBytes;
    }

    synchronized long preImageCount() {
        return preImages;
    }

    /**
     * Marks the snapshot closed and lets go of its pre-images; returns false if it was closed
     * already. The caller ({@link Snapshots#close}) then lets go of the storage.
     */
    synchronized boolean markClosed(String why) {
        if (closed) {
            return false;
        }
        closedWhy = why;
        closed = true; // volatile, after the message
        for (int i = 0; i < preImages; i++) {
            int s = added[i];
            PreImage p = chunks.get(s >>> CHUNK_SHIFT).get(s & (CHUNK - 1));
            if (p.holders.decrementAndGet() == 0) {
                registry.preImageGone(p);
            }
        }
        for (int ci = 0; ci < chunks.length(); ci++) {
            chunks.set(ci, null); // the pre-images become garbage even if the user keeps the snapshot
        }
        added = new int[0];
        preImages = 0;
        preImageBytes = 0;
        return true;
    }

    // ---- reading one segment at the snapshot's instant ------------------------------------------

    /**
     * Loads segment s as it was at this snapshot's instant into {@code v}: its fences and count,
     * and, if {@code cells}, its entries (either the pre-image's arrays in place, or copies in
     * {@code v}'s own buffers validated by the segment seqlock). The caller has pinned the factory
     * and checked that the snapshot is open (pinned before the check: a close after it releases
     * the storage only once the pin is gone).
     */
    void load(int s, SegmentView v, boolean cells) {
        SegmentHeaders h = st.headers;
        int spins = 0;
        for (;;) {
            long v1 = h.seqAcquire(s); // acquire: the table and the segment are read after it
            PreImage p = preImage(s);
            if (p != null) {
                v.set(s, p.lo, p.hi, h.isLast(s), p.n, p.keys, p.values, p.refs);
                return;
            }
            if ((v1 & SegmentHeaders.WRITING) != 0) {
                checkOpen(); // a tree that failed mid-write closes its snapshots: do not wait for ever
                spins = Backoff.spin(spins);
                continue;
            }
            long lo = h.lo(s);
            long hi = h.hi(s);
            int n = st.clampCount(h.count(s));
            if (cells) {
                v.ensure(n, st.refs);
                long base = st.base(s);
                if (st.refs) {
                    for (int i = 0; i < n; i++) {
                        v.ownKeys[i] = st.cells.keyOpaque(base + i);
                    }
                    st.cells.copyRefs(base, n, v.ownRefs);
                } else {
                    st.cells.copyEntries(base, n, v.ownKeys, v.ownValues);
                }
            }
            if (h.validate(s, v1)) { // acquire fence, re-read: nothing wrote s while we read
                // a close that ran meanwhile may have emptied the table (after setting closed, so
                // this sees it): then the "no pre-image" above proves nothing
                checkOpen();
                v.set(s, lo, hi, h.isLast(s), n, v.ownKeys, st.refs ? null : v.ownValues, st.refs ? v.ownRefs : null);
                return;
            }
            spins = Backoff.spin(spins);
        }
    }

    /** Entries of segment s at the snapshot's instant (its header only). */
    int count(int s, SegmentView v) {
        load(s, v, false);
        return v.n;
    }

    /** Entries before each segment at the snapshot's instant (built once, O(segments) header reads). */
    long[] prefix(SegmentView v) {
        long[] p = prefix;
        if (p == null) {
            p = new long[st.segments + 1];
            for (int s = 0; s < st.segments; s++) {
                p[s + 1] = p[s] + count(s, v);
            }
            prefix = p; // volatile: published fully built (a racing builder computes the same array)
        }
        return p;
    }
}
