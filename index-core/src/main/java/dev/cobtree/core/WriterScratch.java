package dev.cobtree.core;

/**
 * Per-thread working memory of a writer: the value an update replaced, and the buffers a window
 * rebalance gathers entries into. Reused across operations (no allocation on the write path
 * except when a larger window than ever before needs bigger buffers).
 */
final class WriterScratch {

    private static final ThreadLocal<WriterScratch> PER_THREAD = ThreadLocal.withInitial(WriterScratch::new);

    /** The value the last write replaced or found, when it reported "present". */
    long old;

    long[] keys = new long[512];
    long[] values = new long[512];
    /** Source cell of each gathered entry; -1 for the entry being inserted. */
    long[] sources = new long[512];
    int[] newCounts = new int[64];

    static WriterScratch get() {
        return PER_THREAD.get();
    }

    void ensureEntries(int n) {
        if (keys.length < n) {
            int size = Math.max(n, keys.length * 2);
            keys = new long[size];
            values = new long[size];
            sources = new long[size];
        }
    }

    void ensureSegments(int n) {
        if (newCounts.length < n) {
            newCounts = new int[Math.max(n, newCounts.length * 2)];
        }
    }
}
