package dev.cobtree.core;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Spliterator;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.function.Predicate;

/**
 * The entries of a {@link CobTreeMap} or of one of its views. Entries handed out are immutable
 * snapshots ({@link AbstractMap.SimpleImmutableEntry}); {@code setValue} is unsupported, write
 * through the map instead. Removal of an entry removes it only if the key still has that value.
 */
final class CobTreeEntrySet extends AbstractSet<Map.Entry<Long, Long>> {
    private final ConcurrentNavigableMap<Long, Long> map;
    private final CobTree tree;
    private final KeyRange range;

    CobTreeEntrySet(ConcurrentNavigableMap<Long, Long> map, CobTree tree, KeyRange range) {
        this.map = map;
        this.tree = tree;
        this.range = range;
    }

    @Override public int size() { return map.size(); }
    @Override public boolean isEmpty() { return map.isEmpty(); }
    @Override public void clear() { map.clear(); }

    @Override
    public Iterator<Map.Entry<Long, Long>> iterator() {
        return new ViewIterator.Entries(tree, range);
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
            return false;
        }
        Long v = map.get(e.getKey());
        return v != null && v.equals(e.getValue());
    }

    @Override
    public boolean remove(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e)) {
            return false;
        }
        Object k = Objects.requireNonNull(e.getKey(), "key");
        Object v = e.getValue();
        return v != null && map.remove(k, v);
    }

    @Override
    public boolean removeIf(Predicate<? super Map.Entry<Long, Long>> filter) {
        Objects.requireNonNull(filter, "filter");
        boolean removed = false;
        CobTree.Cursor c = range.cursor(tree);
        while (c.next() && !range.pastEnd(c.key())) {
            long k = c.key(), v = c.value();
            if (filter.test(new AbstractMap.SimpleImmutableEntry<>(k, v))) {
                removed |= tree.removeEntry(k, v); // only the entry the filter saw
            }
        }
        return removed;
    }

    @Override
    public Spliterator<Map.Entry<Long, Long>> spliterator() {
        return ViewIterator.spliterator(iterator(), Spliterator.DISTINCT, null);
    }
}
