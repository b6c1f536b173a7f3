package dev.cobtree.core;

/**
 * How a thread waits for another one to finish a short critical section: busy-spin with
 * {@link Thread#onSpinWait()} first (the section is usually a few hundred nanoseconds), then
 * {@link Thread#yield()} so that a descheduled lock holder on an oversubscribed machine can run.
 */
final class Backoff {

    private static final int SPINS_BEFORE_YIELD = 64;

    private Backoff() {
    }

    /** Waits a little; returns the new spin count to pass to the next call. */
    static int spin(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }
}
