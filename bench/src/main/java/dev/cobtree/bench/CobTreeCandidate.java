package dev.cobtree.bench;

import dev.cobtree.core.CobTree;
import dev.cobtree.core.KeyValue;

/** cobtree through its primitive API: no boxing; scans and strided access through {@link CobTree.Cursor}. */
public class CobTreeCandidate extends Candidate {

    final CobTree tree;
    /** Reused by navigation: the single-threaded benchmarks call one candidate from one thread. */
    private final KeyValue kv = new KeyValue();

    public CobTreeCandidate(CobTree tree) {
        this.tree = tree;
    }

    @Override
    public long get(long key, Long boxedKey) {
        return tree.get(key, MISSING);
    }

    @Override
    public void put(long key, long value) {
        tree.put(key, value, MISSING);
    }

    @Override
    public long remove(long key, Long boxedKey) {
        return tree.remove(key, MISSING);
    }

    @Override
    public long scan(long lo, long hi) {
        CobTree.Cursor c = tree.cursor(lo, true, hi, true); // bounded, as the maps' subMap views are
        long acc = 0;
        while (c.next()) {
            acc = Keys.mix(acc, c.key(), c.value());
        }
        return acc;
    }

    @Override
    public long scanDescending(long lo, long hi) {
        CobTree.Cursor c = tree.descendingCursor(hi, true, lo, true);
        long acc = 0;
        while (c.next()) {
            acc = Keys.mix(acc, c.key(), c.value());
        }
        return acc;
    }

    /** {@code skip(stride)} makes the entry {@code stride} positions ahead current (CobTree.Cursor#skip). */
    @Override
    public long strided(long lo, long hi, int stride) {
        CobTree.Cursor c = tree.cursor(lo, true);
        long acc = 0;
        if (!c.next()) return acc;
        do {
            long k = c.key();
            if (k > hi) break;
            acc = Keys.mix(acc, k, c.value());
        } while (c.skip(stride) == stride);
        return acc;
    }

    @Override
    public long ceiling(long key) {
        return tree.ceiling(key, kv) ? kv.key : MISSING;
    }

    @Override
    public long floor(long key) {
        return tree.floor(key, kv) ? kv.key : MISSING;
    }

    @Override
    public long countRange(long lo, long hi) {
        return tree.countRange(lo, true, hi, false);
    }

    @Override
    public long size() {
        return tree.size();
    }

    @Override
    public Object footprintRoot() {
        return tree;
    }

    /** The bytes the index reports for itself. */
    public long memoryBytes() {
        return tree.memoryBytes();
    }
}
