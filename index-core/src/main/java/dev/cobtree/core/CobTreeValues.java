package dev.cobtree.core;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.Predicate;

/**
 * The values of a {@link CobTreeMap} or of one of its views, in key order. Removal removes an
 * entry only if it still has the value that matched.
 */
final class CobTreeValues extends AbstractCollection<Long> {
    private final ConcurrentNavigableMap<Long, Long> map;
    private final CobTree tree;
    private final KeyRange range;

    CobTreeValues(ConcurrentNavigableMap<Long, Long> map, CobTree tree, KeyRange range) {
        this.map = map;
        this.tree = tree;
        this.range = range;
    }

    @Override public int size() { return map.size(); }
    @Override public boolean isEmpty() { return map.isEmpty(); }
    @Override public void clear() { map.clear(); }
    @Override public boolean contains(Object o) { return map.containsValue(o); }

    @Override
    public Iterator<Long> iterator() {
        return new ViewIterator.Values(tree, range);
    }

    @Override
    public boolean remove(Object o) {
        Objects.requireNonNull(o, "value");
        return o instanceof Long value && removeMatching(v -> v.longValue() == value, true);
    }

    @Override
    public boolean removeIf(Predicate<? super Long> filter) {
        Objects.requireNonNull(filter, "filter");
        return removeMatching(filter, false);
    }

    private boolean removeMatching(Predicate<? super Long> filter, boolean firstOnly) {
        boolean removed = false;
        CobTree.Cursor c = range.cursor(tree);
        while (c.next() && !range.pastEnd(c.key())) {
            long k = c.key(), v = c.value();
            if (filter.test(v) && tree.removeEntry(k, v)) { // only the entry the filter saw
                removed = true;
                if (firstOnly) {
                    break;
                }
            }
        }
        return removed;
    }

    @Override
    public Spliterator<Long> spliterator() {
        return ViewIterator.spliterator(iterator(), 0, null);
    }
}
