package dev.cobtree.query;

import dev.cobtree.core.LongObjectConsumer;
import dev.cobtree.core.LongObjectTree;
import dev.cobtree.core.LongObjectTreeSnapshot;

import java.util.Objects;

/**
 * What the query layer reads from a {@code long -> object} tree: a live {@link LongObjectTree}
 * or a {@link LongObjectTreeSnapshot} (the counterpart of {@link TreeSource}). The values the
 * indexes keep there (row lists, bitmaps) are never modified once put, so a snapshot's reference
 * is its instant's value.
 */
interface ObjectSource<V> {

    V get(long key);

    void forEachInRange(long lo, boolean loInclusive, long hi, boolean hiInclusive, LongObjectConsumer<? super V> sink);

    long countRange(long lo, boolean loInclusive, long hi, boolean hiInclusive);

    boolean isClosed();

    /** @throws IllegalStateException if the source is closed */
    void checkOpen();

    static <V> ObjectSource<V> of(LongObjectTree<V> tree) {
        Objects.requireNonNull(tree, "tree");
        return new ObjectSource<>() {
            public V get(long key) { return tree.get(key); }
            public void forEachInRange(long lo, boolean li, long hi, boolean hiIn, LongObjectConsumer<? super V> sink) { tree.forEachInRange(lo, li, hi, hiIn, sink); }
            public long countRange(long lo, boolean li, long hi, boolean hiIn) { return tree.countRange(lo, li, hi, hiIn); }
            public boolean isClosed() { return tree.isClosed(); }

            public void checkOpen() {
                if (tree.isClosed()) throw new IllegalStateException("LongObjectTree is closed");
            }
        };
    }

    static <V> ObjectSource<V> of(LongObjectTreeSnapshot<V> snap) {
        Objects.requireNonNull(snap, "snapshot");
        return new ObjectSource<>() {
            public V get(long key) { return snap.get(key); }
            public void forEachInRange(long lo, boolean li, long hi, boolean hiIn, LongObjectConsumer<? super V> sink) { snap.forEachInRange(lo, li, hi, hiIn, sink); }
            public long countRange(long lo, boolean li, long hi, boolean hiIn) { return snap.countRange(lo, li, hi, hiIn); }
            public boolean isClosed() { return snap.isClosed(); }

            public void checkOpen() {
                if (snap.isClosed()) throw new IllegalStateException("LongObjectTreeSnapshot is closed");
            }
        };
    }
}
