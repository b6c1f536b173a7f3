package dev.cobtree.bench;

import dev.cobtree.core.LongObjectConsumer;
import dev.cobtree.core.LongObjectTree;

/**
 * {@link LongObjectTree} scanned through {@link LongObjectTree#forEachInRange}. The sink folds
 * into a field, so one instance serves one scanning thread (the scan benchmark is single-threaded).
 */
public final class LongObjectTreeSinkCandidate extends LongObjectTreeCandidate {

    private long acc;
    private final LongObjectConsumer<Object> sink = (k, v) -> acc = Keys.mix(acc, k, SharedValues.id(v));

    public LongObjectTreeSinkCandidate(LongObjectTree<Object> tree) {
        super(tree);
    }

    @Override
    public long scan(long lo, long hi) {
        acc = 0;
        tree.forEachInRange(lo, true, hi, true, sink);
        return acc;
    }
}
