package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.LongLongConsumer;

/**
 * cobtree scanned through the primitive-sink path, {@link CobTree#forEachInRange}. The sink
 * folds into a field, so one instance serves one scanning thread (the scan benchmarks are
 * single-threaded). Ascending only: descending and strided access go through the cursor.
 */
public final class CobTreeSinkCandidate extends CobTreeCandidate {

    private long acc;
    private final LongLongConsumer sink = (k, v) -> acc = Keys.mix(acc, k, v);

    public CobTreeSinkCandidate(CobTree tree) {
        super(tree);
    }

    @Override
    public long scan(long lo, long hi) {
        acc = 0;
        tree.forEachInRange(lo, true, hi, true, sink);
        return acc;
    }

    @Override
    public long scanDescending(long lo, long hi) {
        throw new UnsupportedOperationException("forEachInRange is ascending only: measure descending scans with impl=cobtree");
    }

    @Override
    public long strided(long lo, long hi, int stride) {
        throw new UnsupportedOperationException("forEachInRange visits every entry: measure strided access with impl=cobtree");
    }
}
