package dev.cobtree.core;

/**
 * Per-thread working memory of a writer: the value an update replaced, and the per-segment
 * counts of a window rebalance. Reused across operations (no allocation on the write path except
 * when a wider window than ever before needs a bigger count array).
 */
final class WriterScratch {

    private static final ThreadLocal<WriterScratch> PER_THREAD = ThreadLocal.withInitial(WriterScratch::new);

    /** The value the last write replaced or found, when it reported "present". */
    long old;
    /** The reference the last write found (object-valued trees); cleared by the facade after use. */
    Object oldRef;
    /** Whether the last upsert or delete changed the tree (an object-valued tree's conditional writes read it). */
    boolean changed;

    /**
     * The storage (by {@link Storage#id}, so a retired storage is not kept alive) and segment this
     * thread wrote last: a sequential stream's next key is usually there.
     */
    long hintStorage;
    int hintSegment;

    /** Where pollFirst/pollLast's read walk reports the entry it found. */
    final KeyValue probe = new KeyValue();

    /** Cells the current (or last) window rebalance moved, for the tree's counters. */
    long moved;

    /** New and old per-segment counts of the window being rebalanced. */
    int[] newCounts = new int[128];

    /** This thread's stripe of every tree's {@link WriterGate} (a mixed thread id; the gate masks it). */
    final int gateStripe = (int) (Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L >>> 32);

    /**
     * The snapshot generation the current write keeps pre-images for ({@link WriterGate#enter}),
     * 0 when no snapshot is open: set at the start of each write, read before each first store.
     */
    long snapshotGeneration;

    static WriterScratch get() {
        return PER_THREAD.get();
    }

    void ensureSegments(int n) {
        if (newCounts.length < n) {
            newCounts = new int[Math.max(n, newCounts.length * 2)];
        }
    }
}
