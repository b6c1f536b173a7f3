package dev.cobtree.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The writers' gate of one tree: what makes a {@link CobTree#snapshot() snapshot} an instant.
 *
 * <h2>Why a gate (docs/CONCURRENCY.md, lemma "snapshot instant")</h2>
 * Segment locks are independent, so "bump a generation and let writers run" is not an instant:
 * a writer that read the old generation can still be about to store into segment A (it will not
 * keep a pre-image, so the snapshot will see its store) while a writer that read the new one has
 * already finished in segment B (it kept a pre-image, so the snapshot will not see it), and a
 * live reader in between saw B's write and not A's. No order of the three operations explains
 * what the snapshot holds. So taking a snapshot {@link #closeAndDrain() closes} the gate (new
 * writers wait at {@link #enter}), waits until the writers already inside have left (one write
 * long: a point write, a window rebalance, at worst a resize), bumps the generation and
 * {@link #open reopens}. Every write then lies wholly before the instant (the snapshot sees it in
 * the live cells) or wholly after it (it keeps a pre-image of each segment before its first store).
 *
 * <h2>Cost when no snapshot is being taken</h2>
 * A writer increments the counter of its stripe (a volatile add on a line its thread usually
 * owns: {@value #STRIDE} longs apart, padded by hand), reads the gate word (volatile), works, and
 * decrements. The stripe add before the word load and the closer's word store before its stripe
 * loads are a Dekker pair (all four volatile, so totally ordered): either the writer sees the gate
 * closed and backs out, or the closer sees the writer's count and waits for it. A stripe is shared
 * by the threads that hash to it; each thread adds and subtracts 1 on its own stripe, so a stripe
 * reads 0 only when no thread counted there is inside.
 *
 * <h2>The word</h2>
 * bit 0 {@code CLOSED}; bit 1 {@code ANY_OPEN} (some snapshot is open: writers must keep
 * pre-images); bits 2.. the generation of the newest snapshot taken. Changed only by the
 * snapshot registry ({@link Snapshots}) under its lock.
 */
final class WriterGate {

    static final long CLOSED = 1L;
    static final long ANY_OPEN = 2L;
    static final int GEN_SHIFT = 2;

    /** Longs between two stripes' counters: 128 bytes, so that no two share a cache line (or an adjacent-line prefetch pair). */
    private static final int STRIDE = 16;

    private static final VarHandle WORD;
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(WriterGate.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long[] counts;
    private final int mask;
    @SuppressWarnings("unused") // accessed through WORD
    private volatile long word;

    /**
     * Test hook, the canary of the snapshot Lincheck test: when set, writers walk through a closed
     * gate and the drain does not wait for the writers inside ("bump the generation and let
     * writers run"), which model checking must catch.
     */
    volatile boolean admitDuringDrain;

    WriterGate() {
        int stripes = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)) << 1;
        stripes = Math.min(stripes, 256);
        this.mask = stripes - 1;
        this.counts = new long[(stripes + 1) * STRIDE]; // one spare stripe of padding before the first
    }

    private int slot(WriterScratch x) {
        return (x.gateStripe & mask) * STRIDE + STRIDE;
    }

    /**
     * A writer enters: waits while a snapshot is being taken, then returns the generation its
     * pre-images are kept for, or 0 when no snapshot is open (no pre-image needed). The caller must
     * call {@link #exit} in a finally block.
     */
    long enter(WriterScratch x) {
        int at = slot(x);
        int spins = 0;
        for (;;) {
            COUNT.getAndAdd(counts, at, 1L); // volatile RMW: the Dekker half "count, then look at the word"
            long w = (long) WORD.getVolatile(this);
            if ((w & CLOSED) == 0 || admitDuringDrain) {
                return (w & ANY_OPEN) == 0 ? 0 : w >>> GEN_SHIFT;
            }
            COUNT.getAndAdd(counts, at, -1L); // back out: the snapshot being taken waits for nobody new
            while (((long) WORD.getVolatile(this) & CLOSED) != 0) {
                spins = Backoff.spin(spins);
            }
        }
    }

    /** The writer leaves (its last store is before this volatile add: the drain sees it done). */
    void exit(WriterScratch x) {
        COUNT.getAndAdd(counts, slot(x), -1L);
    }

    /** The current word (volatile). */
    long word() {
        return (long) WORD.getVolatile(this);
    }

    /**
     * Closes the gate and waits until no writer is inside. Caller: the snapshot registry, under
     * its lock, holding no segment lock and no structure lock (writers inside may need them).
     */
    void closeAndDrain() {
        WORD.getAndBitwiseOr(this, CLOSED); // volatile RMW: the Dekker half "close, then look at the counts"
        if (admitDuringDrain) {
            return; // the canary: nobody is waited for
        }
        int spins = 0;
        for (int at = STRIDE; at < counts.length; at += STRIDE) {
            while ((long) COUNT.getVolatile(counts, at) != 0) {
                spins = Backoff.spin(spins);
            }
        }
    }

    /** Sets the word (reopening the gate if {@code next} has no CLOSED bit); volatile. Caller: the registry, under its lock. */
    void set(long next) {
        WORD.setVolatile(this, next);
    }
}
