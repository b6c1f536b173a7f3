package dev.cobtree.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One cache line's worth per segment holding everything a reader checks: the segment seqlock
 * word, the segment's fence keys, its element count and its pivot keys, {@value #STRIDE} longs =
 * 64 bytes per segment, so a reader gets them all with one miss. A {@code long[]}'s data is not
 * cache-line aligned (it starts 16 bytes into an 8-byte-aligned object the collector moves), so a
 * header spans two adjacent lines, which a read fetches together, and shares one of them with a
 * neighbour's header. Aligned lines in native memory were measured (docs/BENCH.md, "Header lines
 * aligned": 1.13-1.24x for two writers of neighbouring segments, gets unchanged) and not adopted:
 * Lincheck does not see accesses to a {@code MemorySegment}, so the engine's model checking would
 * no longer switch threads at its seqlock words.
 *
 * <p>Reader turns (docs/CONCURRENCY.md, "Reader turns"): beside the header lines, one {@code int}
 * per segment holds the deadline of a turn a reader that kept meeting writers asked for; a
 * writer's {@link #lock(int)} waits while it is open, a reader's {@link #lockForRead} holds one.
 * Timing only: no reader trusts anything it did not validate.
 *
 * <p>The seqlock word ({@code seq}):
 * <pre>
 *  bit 0    WRITING  odd: a writer holds the segment (CAS even -> odd, release-store even + 8)
 *  bit 1    FROZEN   a resize is copying this storage; writers wait, readers ignore it
 *  bit 2    INVALID  this storage was replaced; readers and writers reload the root
 *  bits 3.. version  61 bits; wraps after 2^61 writes of one segment (never in practice)
 * </pre>
 *
 * <p>Fences: {@code lo(s)} is the least key segment s may hold, {@code hi(s)} the least key it
 * may not (for the last segment {@code hi} is unbounded and {@link #isLast} says so). A segment
 * keeps a copy of its right neighbour's {@code lo} as its own {@code hi}; both are written only
 * by a rebalance holding both segments, so the lock of s covers {@code lo(s)} and {@code hi(s)}
 * (invariant F of docs/CONCURRENCY.md).
 */
final class SegmentHeaders {

    static final int STRIDE = 8;
    private static final int SEQ = 0;
    private static final int LO = 1;
    private static final int HI = 2;
    private static final int COUNT = 3;
    /** Slots 4..7: the keys at positions n/5, 2n/5, 3n/5, 4n/5 of the segment (see {@link #PIVOTS}). */
    private static final int PIVOT = 4;
    /**
     * Pivot keys kept in the header line: a reader that loads the count gets them in the same
     * cache line and narrows its binary search to a fifth of the segment, saving the probes that
     * would each miss a separate line of cells. Written by the lock holder with every change of
     * the segment; only a hint (a torn or stale pivot costs a miss-and-retry, never a wrong answer,
     * because positive hits are validated per cell and absent answers per segment).
     */
    static final int PIVOTS = 4;
    /** Below this count pivots are not kept and not used. */
    static final int PIVOT_MIN_COUNT = 8;

    static final long WRITING = 1L;
    static final long FROZEN = 1L << 1;
    static final long INVALID = 1L << 2;
    static final long VERSION_ONE = 1L << 3;
    /** Bits that do not mean "content changed": validation ignores them. */
    private static final long STATE_BITS = FROZEN | INVALID;

    private static final VarHandle H = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle T = MethodHandles.arrayElementVarHandle(int[].class);

    /**
     * The longest a reader's turn holds a segment's writers back ({@link #askTurn(int)}): long enough
     * for the write in progress to end and the reader to read once (a few microseconds), short
     * enough that a reader descheduled in its turn, or one that never ends it, costs writers
     * little. Turns are deadlines, not counts, so nothing a reader fails to do can block a writer
     * for longer.
     */
    static final long TURN_NANOS = 20_000;

    private final long[] h;
    /**
     * Per segment: 0, or the deadline of a reader's turn, in units of 1,024 ns of
     * {@link System#nanoTime()} (wraps every 73 minutes; compared by subtraction). Apart from the
     * header lines so that a reader asking never dirties the line every reader and writer loads;
     * a writer reads its slot once per lock (a line of 16 segments' slots, written only by readers
     * that kept failing, so it stays shared in every cache).
     */
    private final int[] turns;
    final int segments;

    SegmentHeaders(int segments) {
        this.segments = segments;
        this.h = new long[Math.multiplyExact(segments, STRIDE)];
        this.turns = new int[segments];
    }

    private static int at(int s, int field) {
        return s * STRIDE + field;
    }

    boolean isLast(int s) {
        return s == segments - 1;
    }

    // ---- seqlock ----------------------------------------------------------------------------

    /** Acquire: the fences, count and cells read after this cannot be read before it. */
    long seqAcquire(int s) {
        return (long) H.getAcquire(h, at(s, SEQ));
    }

    /**
     * Whether nothing was written to segment s since {@code v1} was read. The acquire fence keeps
     * every data load of the reader above the re-read of the word (Boehm, MSPC'12); the re-read
     * itself needs only to be atomic (opaque).
     */
    boolean validate(int s, long v1) {
        VarHandle.acquireFence();
        long v2 = (long) H.getOpaque(h, at(s, SEQ));
        return ((v1 ^ v2) & ~STATE_BITS) == 0;
    }

    /**
     * Takes the writer lock of s, spinning while another writer holds it. Fails (false) when
     * the storage is frozen for a resize or already replaced.
     */
    boolean lock(int s) {
        return lock(s, false);
    }

    /**
     * {@link #lock(int)} for a reader that gave up its optimistic walk ({@link LockedReads}): it
     * holds a turn while it tries ({@link #askTurn(int)}), so that a writer that never pauses lets
     * its CAS in between two writes instead of winning every race for the lock, and it does not
     * wait for turns itself (readers never wait for each other). The turn ends when it returns.
     */
    boolean lockForRead(int s) {
        try {
            return lock(s, true);
        } finally {
            endTurn(s);
        }
    }

    private boolean lock(int s, boolean reader) {
        int spins = 0;
        for (;;) {
            long v = (long) H.getVolatile(h, at(s, SEQ));
            if ((v & STATE_BITS) != 0) {
                return false;
            }
            if (reader) {
                askTurn(s); // renewed on every try: the writer in the segment now finishes, the next waits
            } else if ((v & WRITING) == 0 && readersTurn(s)) {
                spins = Backoff.spin(spins); // a reader that kept failing reads between two writes
                continue;
            }
            // CAS (volatile): its acquire half keeps the writer's later stores below it, so no
            // reader can see new data under the old even version.
            if ((v & WRITING) == 0 && H.compareAndSet(h, at(s, SEQ), v, v | WRITING)) {
                // store-store: documents (and on weak hardware enforces) that the odd word is
                // visible before any data store of this critical section
                VarHandle.storeStoreFence();
                return true;
            }
            spins = Backoff.spin(spins);
        }
    }

    // ---- reader turns -----------------------------------------------------------------------

    /**
     * A reader that keeps meeting writers in segment s asks the next writers of s to wait until
     * it has read (at most {@link #TURN_NANOS}): a writer that writes s without pause would
     * otherwise start its next write between the reader's load of the word and its validation,
     * every time (docs/CONCURRENCY.md, "Readers under a busy writer"). Only timing: the reader
     * still validates, and a writer that took the lock before seeing the turn simply finishes its
     * write first. Opaque: atomic, and visible to the writers' next check without ordering
     * anything (a late look costs one more write's wait, never a wrong answer).
     */
    void askTurn(int s) {
        askTurn(s, TURN_NANOS);
    }

    /** {@link #askTurn(int)} for {@code nanos} (tests ask for long turns, to see writers wait). */
    void askTurn(int s, long nanos) {
        T.setOpaque(turns, s, (int) ((System.nanoTime() + nanos) >>> 10) | 1);
    }

    /** The reader has read s (or gone elsewhere): writers of s go on at once. */
    void endTurn(int s) {
        T.setOpaque(turns, s, 0); // opaque: atomic; no ordering needed (see askTurn)
    }

    /** Whether a reader's turn in s is open: the writer about to lock s waits. */
    private boolean readersTurn(int s) {
        int until = (int) T.getOpaque(turns, s); // opaque: re-read on every try of the lock loop
        return until != 0 && (int) (System.nanoTime() >>> 10) - until < 0;
    }

    /** Releases the lock of s after a change: release store of version + 1 publishes every write above. */
    void unlock(int s) {
        long locked = h[at(s, SEQ)]; // plain: only the holder writes the word while it is odd
        H.setRelease(h, at(s, SEQ), (locked & ~WRITING) + VERSION_ONE);
    }

    /**
     * Releases the lock of s without a change: restores the word seen before locking. A reader
     * that read that word before and validates against it after is right to succeed.
     */
    void abort(int s) {
        long locked = h[at(s, SEQ)];
        H.setRelease(h, at(s, SEQ), locked & ~WRITING);
    }

    /** For the resizer (which holds the structure lock): waits out the writer, then sets FROZEN. */
    void freeze(int s) {
        int spins = 0;
        for (;;) {
            long v = (long) H.getVolatile(h, at(s, SEQ));
            if ((v & WRITING) == 0 && H.compareAndSet(h, at(s, SEQ), v, v | FROZEN)) {
                return;
            }
            spins = Backoff.spin(spins);
        }
    }

    /** Undoes {@link #freeze} when a resize fails before publishing (the index stays as it was). */
    void thaw(int s) {
        H.getAndBitwiseAnd(h, at(s, SEQ), ~FROZEN);
    }

    /**
     * For a storage already replaced (INVALID) whose cells are about to be cleared: sets WRITING
     * for good, so that no reader can validate a snapshot that overlaps the clearing (a reader
     * that opens later sees INVALID first and moves to the new root). Nothing locks a replaced
     * storage again, so the bit is never cleared.
     */
    void markDead(int s) {
        // volatile RMW: ordered before the clearing stores by the caller's store-store fence,
        // as a writer's odd word is (a reader that loads a cleared cell then fails its validation)
        H.getAndBitwiseOr(h, at(s, SEQ), WRITING);
    }

    /** After the new storage is published: forwards everyone to it. No version change. */
    void invalidate(int s) {
        H.getAndBitwiseOr(h, at(s, SEQ), INVALID);
    }

    // ---- fences and count (racy reads are opaque: atomic, re-read each time) -------------------

    long lo(int s) {
        return (long) H.getOpaque(h, at(s, LO));
    }

    long hi(int s) {
        return (long) H.getOpaque(h, at(s, HI));
    }

    int count(int s) {
        return (int) (long) H.getOpaque(h, at(s, COUNT));
    }

    /** Opaque stores under the writer lock; the unlock's release store orders them for readers. */
    void setLo(int s, long key) {
        H.setOpaque(h, at(s, LO), key);
    }

    void setHi(int s, long key) {
        H.setOpaque(h, at(s, HI), key);
    }

    void setCount(int s, int n) {
        H.setOpaque(h, at(s, COUNT), (long) n);
    }

    long pivot(int s, int j) {
        return (long) H.getOpaque(h, at(s, PIVOT + j));
    }

    /** Opaque store under the writer lock (or into an unpublished storage). */
    void setPivot(int s, int j, long key) {
        H.setOpaque(h, at(s, PIVOT + j), key);
    }

    /** Position of pivot j in a segment of n entries. */
    static int pivotPosition(int j, int n) {
        return (j + 1) * n / (PIVOTS + 1);
    }

    long memoryBytes() {
        return 16L + 8L * h.length + 16L + 4L * turns.length;
    }
}
