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
    /** Segment index to {@link PreImage#entry}: a packed {@code long[]} or a {@link PreImage}. */
    private final AtomicReferenceArray<AtomicReferenceArray<Object>> chunks;
    /** Closed (by the user, by the tree's close, or invalidated by the memory limit); volatile: every read checks it. */
    private volatile boolean closed;
    /** {@link #closed}, written before it, read plainly by {@link #checkOpenFast}. */
    private boolean closedMirror;
    private volatile String closedWhy;
    /** The storage hold and the open-list entry were given up ({@link Snapshots#close}; guarded by this). */
    private boolean letGo;
    /** Invalidated by the snapshot memory limit (set before {@link #markClosed}; read by the sweep). */
    volatile boolean invalidated;
    /** The pre-images this snapshot holds, in the order added (guarded by this): close visits only these. */
    private PreImage[] added = new PreImage[8];
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

    /**
     * The per-entry check of a cursor: a plain read of the closed flag's mirror, so that it does
     * not order the cursor's other loads (a volatile read would, at every entry). It sees every
     * close that happens-before it (the same thread's, or one published to it); a close racing
     * with it is seen at the cursor's next segment load, whose check is volatile and which
     * decides exactness (lemma "snapshot read"): entries already copied were validated.
     */
    void checkOpenFast() {
        if (closedMirror) {
            throw new IllegalStateException(closedWhy);
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** The table entry of s ({@link PreImage#entry}), or null (acquire loads: see the class comment). */
    Object preImage(int s) {
        AtomicReferenceArray<Object> c = chunks.get(s >>> CHUNK_SHIFT);
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
        AtomicReferenceArray<Object> c = chunks.get(ci);
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
        c.set(at, p.entry());
        if (preImages == added.length) {
            added = java.util.Arrays.copyOf(added, 2 * preImages);
        }
        added[preImages++] = p;
        preImageBytes += p.bytes();
        return true;
    }

    /** True exactly once: the caller then gives up the storage hold (under this monitor). */
    synchronized boolean letGo() {
        if (letGo) {
            return false;
        }
        letGo = true;
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
        closedMirror = true;
        closed = true; // volatile, after the message and the mirror
        for (int i = 0; i < preImages; i++) {
            PreImage p = added[i];
            if (p.holders.decrementAndGet() == 0) {
                registry.preImageGone(p);
            }
        }
        for (int ci = 0; ci < chunks.length(); ci++) {
            chunks.set(ci, null); // the pre-images become garbage even if the user keeps the snapshot
        }
        added = new PreImage[0];
        preImages = 0;
        preImageBytes = 0;
        return true;
    }

    // ---- reading one segment at the snapshot's instant ------------------------------------------

    /**
     * Loads segment s as it was at this snapshot's instant into {@code v}: its fences and count,
     * and, if {@code cells}, its entries (a packed pre-image's copied into the view's own arrays, an
     * object-valued pre-image's arrays in place, or live cells copied into
     * {@code v}'s own buffers validated by the segment seqlock). The caller has pinned the factory
     * and checked that the snapshot is open (pinned before the check: a close after it releases
     * the storage only once the pin is gone).
     */
    void load(int s, SegmentView v, boolean cells) {
        SegmentHeaders h = st.headers;
        int spins = 0;
        for (;;) {
            long v1 = h.seqAcquire(s); // acquire: the table and the segment are read after it
            Object e = preImage(s);
            if (e instanceof long[] d) {
                int n = PreImage.count(d);
                if (cells) { // the view's own arrays: the cursors and reads index keys and values from 0
                    v.ensure(n, false);
                    System.arraycopy(d, PreImage.KEYS, v.ownKeys, 0, n);
                    System.arraycopy(d, PreImage.KEYS + n, v.ownValues, 0, n);
                }
                v.set(s, PreImage.lo(d), PreImage.hi(d), h.isLast(s), n, v.ownKeys, v.ownValues, null);
                return;
            }
            if (e != null) {
                PreImage p = (PreImage) e;
                v.set(s, p.lo, p.hi, h.isLast(s), p.n, p.keys, null, p.refs);
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
                // bulk copies (an object-valued store copies the keys only, values null), as the live cursor's
                st.cells.copyEntries(base, n, v.ownKeys, st.refs ? null : v.ownValues, 0);
                if (st.refs) {
                    st.cells.copyRefs(base, n, v.ownRefs);
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

    /**
     * Scratch of one batched load ({@link #loadRun}): per segment of the run, its seqlock word,
     * its pre-image (null: read live) and its count. One per cursor; not thread-safe.
     */
    static final class Run {
        final long[] words;
        /** Per segment of the run, its table entry ({@link PreImage#entry}; null: read live). */
        final Object[] pre;
        final int[] counts;
        /** A sink for the header loads of phase (2b), so that they are not dropped as dead. */
        int touched;

        Run(int segments) {
            words = new long[segments];
            pre = new Object[segments];
            counts = new int[segments];
        }
    }

    /**
     * Copies the segments {@code first, first + 1, ...} (at most {@code run.words.length} of them,
     * none after segment {@code last} (&ge; first), and no more than {@code keys.length} entries in all) as they were at this snapshot's instant
     * into {@code keys} / {@code values} (or {@code refs}) from index 0, one after the other;
     * returns how many segments were copied (at least 1; {@code first} must be a segment), their
     * counts in {@code run.counts}. The caller has pinned the factory and checked the snapshot is
     * open, as for {@link #load}.
     *
     * <p>The same protocol as {@link #load}, segment by segment, but in phases, so that the memory
     * loads of different segments overlap instead of queueing behind each other: (1) per segment
     * the acquire load of its word, then its table entry; stop at a segment a writer holds that
     * has no pre-image; (2) the counts (pre-image fields or headers); (3) the copies (pre-images
     * with {@code System.arraycopy}, live segments with the cell store's bulk copy); (4) the live
     * segments' validations (acquire fence, re-read), keeping the prefix that validated, then the
     * {@code closed} re-check that {@link #load} makes. Each kept segment is that segment at T by
     * the lemma "snapshot read" on its own; the reads of different segments need no common
     * validation because every one of them is at the same instant T.
     */
    int loadRun(int first, int last, Run run, long[] keys, long[] values, Object[] refs) {
        SegmentHeaders h = st.headers;
        int max = Math.min(run.words.length, Math.min(last, st.segments - 1) - first + 1);
        if (max < 1) { // a caller's bug: waiting for a run of no segments would never end
            throw new IllegalArgumentException("run of segments " + first + ".." + last + " is empty");
        }
        int cap = keys.length;
        int spins = 0;
        for (;;) {
            // (1) words, then table entries (acquire: the table and the cells are read after the word)
            int m = 0;
            for (; m < max; m++) {
                int s = first + m;
                long w = h.seqAcquire(s);
                Object p = preImage(s);
                if (p == null && (w & SegmentHeaders.WRITING) != 0) {
                    break; // a writer holds it: a later run reads it (the first one waits below)
                }
                run.words[m] = w;
                run.pre[m] = p;
            }
            if (m == 0) {
                checkOpen(); // a tree that failed mid-write closes its snapshots: do not wait for ever
                spins = Backoff.spin(spins);
                continue;
            }
            // (2) counts; a segment holds at most segmentSize <= cap entries, so the first always fits
            int total = 0;
            int j = 0;
            for (; j < m; j++) {
                Object p = run.pre[j];
                int n = p == null ? st.clampCount(h.count(first + j))
                        : p instanceof long[] d ? PreImage.count(d) : ((PreImage) p).n;
                if (total + n > cap) {
                    break;
                }
                run.counts[j] = n;
                total += n;
            }
            m = j;
            // (2b) an object-valued pre-image's array headers: scattered over the heap, so their
            // misses are started together here rather than one at a time at the head of each copy
            // below (a packed one was loaded by its count)
            int lengths = 0;
            for (j = 0; j < m; j++) {
                if (run.pre[j] instanceof PreImage p) {
                    lengths += p.keys.length + p.refs.length;
                }
            }
            run.touched = lengths;
            // (3) copies
            int at = 0;
            for (j = 0; j < m; j++) {
                Object e = run.pre[j];
                int n = run.counts[j];
                if (e instanceof long[] d) {
                    System.arraycopy(d, PreImage.KEYS, keys, at, n);
                    System.arraycopy(d, PreImage.KEYS + n, values, at, n);
                } else if (e != null) {
                    PreImage p = (PreImage) e;
                    System.arraycopy(p.keys, 0, keys, at, n);
                    System.arraycopy(p.refs, 0, refs, at, n);
                } else {
                    long base = st.base(first + j);
                    st.cells.copyEntries(base, n, keys, values, at); // values null: keys only (object-valued)
                    if (refs != null) {
                        st.cells.copyRefs(base, n, refs, at);
                    }
                }
                at += n;
            }
            // (4) validate the live segments (the first validate's fence orders every copy before the re-reads)
            int kept = 0;
            while (kept < m && (run.pre[kept] != null || h.validate(first + kept, run.words[kept]))) {
                kept++;
            }
            java.util.Arrays.fill(run.pre, 0, m, null); // keep no pre-image reachable from the scratch
            if (kept == 0) {
                spins = Backoff.spin(spins);
                continue;
            }
            // a close that ran meanwhile may have emptied the table (after setting closed): then a
            // missing pre-image above proves nothing
            checkOpen();
            return kept;
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
