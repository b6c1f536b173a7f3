package dev.cobtree.core;

import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;

/**
 * Iterates one {@link KeyRange} of a {@link CobTree} in the range's order over a
 * {@link CobTree.Cursor}: weakly consistent (never throws
 * {@link java.util.ConcurrentModificationException}, sees every entry present for the whole
 * iteration, may or may not see concurrent changes), one entry read ahead so that
 * {@link #hasNext} is exact for the cursor's state. {@link #remove} removes the last returned
 * key from the tree, whatever its value is by then (as ConcurrentSkipListMap's iterators do).
 */
abstract class ViewIterator<T> implements Iterator<T> {
    private final CobTree tree;
    private final KeyRange range;
    private final CobTree.Cursor cursor;
    private boolean hasNext;
    private long nextKey;
    private long nextValue;
    private Object nextRef;
    private boolean canRemove;
    private long lastKey;

    ViewIterator(CobTree tree, KeyRange range) {
        this.tree = tree;
        this.range = range;
        this.cursor = range.cursor(tree);
        advance();
    }

    /**
     * Reads the next entry straight from the cursor's buffer (the steps of
     * {@link CobTree.Cursor#next()} without its current-entry bookkeeping, which an iterator
     * keeps itself): one buffer slot per entry, a refill per segment step.
     */
    private void advance() {
        CobTree.Cursor c = cursor;
        int i = c.at + c.step;
        while (i == c.stop) {
            if (c.exhausted) {
                hasNext = false;
                nextRef = null;
                return;
            }
            c.refill();
            i = c.at + c.step;
        }
        c.at = i;
        long k = c.keys[i];
        if (range.pastEnd(k)) {
            hasNext = false;
            nextRef = null;
            return;
        }
        hasNext = true;
        nextKey = k;
        long[] vs = c.values; // null for an object-valued tree (no long values)
        nextValue = vs != null ? vs[i] : 0L;
        nextRef = c.refs == null ? null : c.refs[i];
    }

    /** The element for one entry: its key, its long value and its object value (null in a long-valued tree). */
    abstract T make(long key, long value, Object ref);

    /** The same steps as {@link #next} in one loop (no per-element {@code hasNext} call through the interface). */
    @Override
    public final void forEachRemaining(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        while (hasNext) {
            long k = nextKey, v = nextValue;
            Object r = nextRef;
            lastKey = k;
            canRemove = true;
            advance();
            action.accept(make(k, v, r));
        }
    }

    @Override
    public final boolean hasNext() {
        return hasNext;
    }

    @Override
    public final T next() {
        if (!hasNext) {
            throw new NoSuchElementException();
        }
        long k = nextKey, v = nextValue;
        Object r = nextRef;
        lastKey = k;
        canRemove = true;
        advance();
        return make(k, v, r);
    }

    @Override
    public final void remove() {
        if (!canRemove) {
            throw new IllegalStateException("next() has not been called, or remove() was already called after it");
        }
        canRemove = false;
        tree.remove(lastKey, 0L);
    }

    static final class Keys extends ViewIterator<Long> {
        Keys(CobTree tree, KeyRange range) {
            super(tree, range);
        }

        @Override
        Long make(long key, long value, Object ref) {
            return key;
        }
    }

    static final class Values extends ViewIterator<Long> {
        Values(CobTree tree, KeyRange range) {
            super(tree, range);
        }

        @Override
        Long make(long key, long value, Object ref) {
            return value;
        }
    }

    static final class Entries extends ViewIterator<Map.Entry<Long, Long>> {
        Entries(CobTree tree, KeyRange range) {
            super(tree, range);
        }

        @Override
        Map.Entry<Long, Long> make(long key, long value, Object ref) {
            return new LongLongEntry(key, value); // boxes only when asked
        }
    }

    /** The values of an object-valued tree's view. */
    static final class ObjectValues<V> extends ViewIterator<V> {
        ObjectValues(CobTree tree, KeyRange range) {
            super(tree, range);
        }

        @Override
        @SuppressWarnings("unchecked")
        V make(long key, long value, Object ref) {
            return (V) ref;
        }
    }

    /** The entries of an object-valued tree's view. */
    static final class ObjectEntries<V> extends ViewIterator<Map.Entry<Long, V>> {
        ObjectEntries(CobTree tree, KeyRange range) {
            super(tree, range);
        }

        @Override
        @SuppressWarnings("unchecked")
        Map.Entry<Long, V> make(long key, long value, Object ref) {
            return new LongObjectEntry<>(key, (V) ref); // boxes the key only when asked
        }
    }

    /**
     * A spliterator over {@code it} with unknown size (the view may change while it runs) that
     * splits off batches; {@code SORTED} is reported, with {@code comparator}, only when asked.
     */
    static <T> Spliterator<T> spliterator(Iterator<T> it, int characteristics, Comparator<? super T> comparator) {
        int flags = characteristics | Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.CONCURRENT;
        return new Spliterators.AbstractSpliterator<T>(Long.MAX_VALUE, flags) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                Objects.requireNonNull(action, "action");
                if (!it.hasNext()) {
                    return false;
                }
                action.accept(it.next());
                return true;
            }

            @Override
            public void forEachRemaining(Consumer<? super T> action) {
                Objects.requireNonNull(action, "action");
                it.forEachRemaining(action);
            }

            @Override
            public Comparator<? super T> getComparator() {
                if (hasCharacteristics(Spliterator.SORTED)) {
                    return comparator;
                }
                throw new IllegalStateException("not a SORTED spliterator");
            }
        };
    }
}
