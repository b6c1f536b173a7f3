package dev.cobtree.bench;

import dev.cobtree.core.LongObjectTree;

/** {@link LongObjectTree} through its primitive-key API; scans through {@link LongObjectTree.Cursor}. */
public class LongObjectTreeCandidate extends ObjectCandidate {

    final LongObjectTree<Object> tree;

    public LongObjectTreeCandidate(LongObjectTree<Object> tree) {
        this.tree = tree;
    }

    @Override
    public Object get(long key, Long boxedKey) {
        return tree.get(key);
    }

    @Override
    public void put(long key, Object value) {
        tree.put(key, value);
    }

    @Override
    public Object remove(long key, Long boxedKey) {
        return tree.remove(key);
    }

    @Override
    public long scan(long lo, long hi) {
        LongObjectTree.Cursor<Object> c = tree.cursor(lo, true);
        long acc = 0;
        while (c.next()) {
            long k = c.key();
            if (k > hi) break;
            acc = Keys.mix(acc, k, SharedValues.id(c.value()));
        }
        return acc;
    }

    @Override
    public long size() {
        return tree.size();
    }

    @Override
    public Object footprintRoot() {
        return tree;
    }

    /** The bytes the tree reports for itself (not the value objects). */
    public long memoryBytes() {
        return tree.memoryBytes();
    }
}
