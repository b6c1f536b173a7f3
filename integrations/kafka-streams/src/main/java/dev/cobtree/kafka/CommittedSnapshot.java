package dev.cobtree.kafka;

import dev.cobtree.core.LongObjectReads;
import dev.cobtree.core.LongObjectTreeSnapshot;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The snapshot taken at one commit point, reference-counted: the store holds one reference until
 * the next commit point replaces it, and each READ_COMMITTED read or iterator holds one while it
 * runs, so a commit never closes a snapshot under a reader. The last release closes it (its
 * pre-images are then dropped). Closing the store closes it at once, whatever is held.
 */
final class CommittedSnapshot {
    final LongObjectTreeSnapshot<byte[]> snapshot;
    final LongObjectReads<byte[]> reads;
    private final AtomicInteger refs = new AtomicInteger(1);

    CommittedSnapshot(LongObjectTreeSnapshot<byte[]> snapshot) {
        this.snapshot = snapshot;
        this.reads = snapshot;
    }

    /** Takes a reference; false if the last one was already released (the snapshot is closed). */
    boolean tryAcquire() {
        for (;;) {
            int r = refs.get();
            if (r == 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0) {
            snapshot.close();
        }
    }
}
